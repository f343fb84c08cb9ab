// `ratescope whatif` (issue 20) on the demo traffic: at 1300/1m the Scalekit scope would have
// had no RATE_LIMITED rejection; the smallest limit without one is, for a fixed window per
// minute with the log's retries as recorded, the busiest minute's count (made here from the
// file with QJsonDocument), and one less is refused; the validation replay of each scope
// against its own limit reproduces the simulator's platform limit; unbuilt retry modes and bad
// algorithms are usage errors.
#include "runbinary.h"
#include "testutil.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <map>

namespace {

const QString kDemo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
const QString kLimits = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/limits.json");

// The busiest UTC minute's request count per host.
std::map<QString, qint64> peakPerMinute()
{
    std::map<QString, std::map<qint64, qint64>> perMinute;
    QString error;
    for (const QByteArray &line : readInflated(kDemo, &error).split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const qint64 t = QDateTime::fromString(
            o.value(QLatin1String("timestamp")).toString(), Qt::ISODateWithMs)
                             .toMSecsSinceEpoch();
        ++perMinute[QUrl(o.value(QLatin1String("url")).toString()).host()][t - t % 60000];
    }
    std::map<QString, qint64> out;
    for (const auto &[host, minutes] : perMinute) {
        for (const auto &[m, n] : minutes)
            out[host] = std::max(out[host], n);
    }
    return out;
}

QJsonObject scopeOf(const QJsonObject &doc, const QString &name)
{
    for (const QJsonValue &s : doc.value(QLatin1String("scopes")).toArray()) {
        if (s[QLatin1String("name")].toString() == name)
            return s.toObject();
    }
    return {};
}

QJsonObject whatIf(const QStringList &args)
{
    const BinaryRun run = runBinary(
        QStringList { QStringLiteral("whatif"), QStringLiteral("--format"), QStringLiteral("json") }
        + args + QStringList { kDemo });
    if (run.exitCode != 0)
        qWarning("%s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out).object();
}

} // namespace

class TestCliWhatIf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enoughAt1300PerMinute();
    void smallestLimitIsTheBusiestMinute();
    void validationAgainstTheOwnLimit();
    void retryModes();
    void logRetriesAreTheNextRequestAfterARejection();
    void usageErrors_data();
    void usageErrors();
};

void TestCliWhatIf::enoughAt1300PerMinute()
{
    const QJsonObject doc = whatIf({ QStringLiteral("--limit"), QStringLiteral("1300/1m") });
    QCOMPARE(doc.value(QLatin1String("schema")).toString(), QStringLiteral("ratescope.whatif/1"));
    const QJsonObject scalekit = scopeOf(doc, QStringLiteral("acme.scalekit.dev"));
    QCOMPARE(scalekit[QLatin1String("predicted")][QLatin1String("rejected")].toInt(), 0);
    QCOMPARE(scalekit[QLatin1String("predicted")][QLatin1String("incidents")].toInt(), 0);
    QCOMPARE(scalekit[QLatin1String("recorded")][QLatin1String("rejected")].toInt(), 2566);
    QVERIFY(scalekit[QLatin1String("smallest_limit_without_rejections")].toInt() <= 1300);
}

void TestCliWhatIf::smallestLimitIsTheBusiestMinute()
{
    const std::map<QString, qint64> peaks = peakPerMinute();
    const QJsonObject doc = whatIf({ QStringLiteral("--limit"), QStringLiteral("600") });
    QCOMPARE(doc.value(QLatin1String("scopes")).toArray().size(), qsizetype(peaks.size()));
    for (const auto &[host, peak] : peaks) {
        const QJsonObject sc = scopeOf(doc, host);
        QCOMPARE(sc[QLatin1String("smallest_limit_without_rejections")].toInteger(), peak);
        // and one less is refused at that minute
        const QJsonObject less = whatIf({ QStringLiteral("--limit"), QString::number(peak - 1),
            QStringLiteral("--scope"), host });
        QVERIFY(
            scopeOf(less, host)[QLatin1String("predicted")][QLatin1String("rejected")].toInt() > 0);
    }
}

// The simulator limits Scalekit with a fixed window of 600 a minute: the replay reproduces
// every RATE_LIMITED rejection, minute by minute.
void TestCliWhatIf::validationAgainstTheOwnLimit()
{
    const QJsonObject doc = whatIf(
        { QStringLiteral("--limit"), QStringLiteral("600"), QStringLiteral("--limits"), kLimits });
    const QJsonObject v
        = scopeOf(doc, QStringLiteral("acme.scalekit.dev"))[QLatin1String("validation")].toObject();
    QCOMPARE(v[QLatin1String("limit")].toInt(), 600);
    QCOMPARE(v[QLatin1String("limit_from")].toString(), QStringLiteral("configured"));
    QCOMPARE(v[QLatin1String("predicted_rejected")].toInt(),
        v[QLatin1String("recorded_rejected")].toInt());
    QVERIFY(v[QLatin1String("correlation")].toDouble() > 0.99);
    QCOMPARE(v[QLatin1String("mean_absolute_error")].toDouble(), 0.0);
    // OpenAI's 429s came from its token limit: a replay of requests predicts none of them
    const QJsonObject openai
        = scopeOf(doc, QStringLiteral("api.openai.com"))[QLatin1String("validation")].toObject();
    QCOMPARE(openai[QLatin1String("predicted_rejected")].toInt(), 0);
    QVERIFY(openai[QLatin1String("correlation")].isNull());
}

// Without the log's own retries the burst is the fresh demand: the modes differ in what a
// refused request does next.
void TestCliWhatIf::retryModes()
{
    const auto scalekit = [](const QString &retry) {
        return scopeOf(
            whatIf({ QStringLiteral("--limit"), QStringLiteral("600"), QStringLiteral("--retry"),
                retry, QStringLiteral("--scope"), QStringLiteral("acme.scalekit.dev") }),
            QStringLiteral("acme.scalekit.dev"));
    };
    const QJsonObject recorded = scalekit(QStringLiteral("as-recorded"));
    const QJsonObject none = scalekit(QStringLiteral("none"));
    const QJsonObject honour = scalekit(QStringLiteral("honour"));
    const QJsonObject backoff = scalekit(QStringLiteral("backoff:1,30,jitter"));
    const auto rejected = [](const QJsonObject &o) {
        return o[QLatin1String("predicted")][QLatin1String("rejected")].toInt();
    };
    QCOMPARE(recorded[QLatin1String("log_retries_removed")].toInt(), 0);
    QVERIFY(recorded[QLatin1String("retry_delay_s")][QLatin1String("p50")].isNull());
    // every other mode takes the same retries out
    const int removed = none[QLatin1String("log_retries_removed")].toInt();
    QVERIFY(removed > 0);
    for (const QJsonObject &o : { honour, backoff })
        QCOMPARE(o[QLatin1String("log_retries_removed")].toInt(), removed);
    // none: every refused request is dropped; fewer refusals than the burst the retries made
    QCOMPARE(none[QLatin1String("dropped")].toInt(), rejected(none));
    QVERIFY(rejected(none) > 0 && rejected(none) < rejected(recorded));
    // honour and backoff get the refused requests through later, with a delay
    for (const QJsonObject &o : { honour, backoff }) {
        QCOMPARE(o[QLatin1String("dropped")].toInt(), 0);
        QVERIFY(rejected(o) >= rejected(none));
        const double p50 = o[QLatin1String("retry_delay_s")][QLatin1String("p50")].toDouble();
        const double p99 = o[QLatin1String("retry_delay_s")][QLatin1String("p99")].toDouble();
        QVERIFY(p50 > 0 && p50 <= p99);
    }
    // the jitter has a fixed seed: the same answer twice
    QCOMPARE(scalekit(QStringLiteral("backoff:1,30,jitter")), backoff);
}

// A small log: a 429 and its retry 2 s later; another client's request in between is fresh;
// a request of the same client 10 minutes after a 429 is fresh; a request after a 200 is fresh.
void TestCliWhatIf::logRetriesAreTheNextRequestAfterARejection()
{
    QTemporaryDir dir;
    const QByteArray log = "{\"timestamp\":\"2026-01-05T10:00:00Z\",\"url\":\"https://a.example/v1/"
                           "x\",\"client\":\"a\",\"status\":429}\n"
                           "{\"timestamp\":\"2026-01-05T10:00:01Z\",\"url\":\"https://a.example/v1/"
                           "x\",\"client\":\"b\",\"status\":200}\n"
                           "{\"timestamp\":\"2026-01-05T10:00:02Z\",\"url\":\"https://a.example/v1/"
                           "x\",\"client\":\"a\",\"status\":429}\n"
                           "{\"timestamp\":\"2026-01-05T10:10:02Z\",\"url\":\"https://a.example/v1/"
                           "x\",\"client\":\"a\",\"status\":200}\n"
                           "{\"timestamp\":\"2026-01-05T10:10:03Z\",\"url\":\"https://a.example/v1/"
                           "x\",\"client\":\"a\",\"status\":200}\n";
    const QString path = writeFile(QDir(dir.path()), QStringLiteral("log.ndjson"), log);
    const BinaryRun run = runBinary({ QStringLiteral("whatif"), QStringLiteral("--limit"),
        QStringLiteral("10"), QStringLiteral("--retry"), QStringLiteral("none"),
        QStringLiteral("--format"), QStringLiteral("json"), path });
    QCOMPARE(run.exitCode, 0);
    const QJsonObject sc
        = scopeOf(QJsonDocument::fromJson(run.out).object(), QStringLiteral("a.example"));
    QCOMPARE(sc[QLatin1String("requests")].toInt(), 5);
    QCOMPARE(sc[QLatin1String("log_retries_removed")].toInt(), 1); // the one at 10:00:02
}

void TestCliWhatIf::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::addRow("a backoff without a base") << QStringList { QStringLiteral("--limit"),
        QStringLiteral("600"), QStringLiteral("--retry"), QStringLiteral("backoff:0,10"), kDemo }
                                              << "invalid --retry";
    QTest::addRow("an unknown retry mode") << QStringList { QStringLiteral("--limit"),
        QStringLiteral("600"), QStringLiteral("--retry"), QStringLiteral("sometimes"), kDemo }
                                           << "invalid --retry";
    QTest::addRow("fixed without a limit") << QStringList { kDemo } << "needs --limit";
    QTest::addRow("an unknown algorithm") << QStringList { QStringLiteral("--algorithm"),
        QStringLiteral("leaky"), kDemo } << "invalid --algorithm";
    QTest::addRow("a token bucket without its burst") << QStringList {
        QStringLiteral("--algorithm"), QStringLiteral("token-bucket:10/1s"), kDemo
    } << "invalid --algorithm";
    QTest::addRow("an unknown scope") << QStringList { QStringLiteral("--limit"),
        QStringLiteral("600"), QStringLiteral("--scope"), QStringLiteral("nope.example"), kDemo }
                                      << "no scope named";
}

void TestCliWhatIf::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const BinaryRun run = runBinary(QStringList { QStringLiteral("whatif") } + args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(says), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestCliWhatIf)
#include "tst_cli_whatif.moc"
