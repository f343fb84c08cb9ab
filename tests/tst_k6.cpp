// k6's `k6 run --out json` output (issue 20): real output of two k6 runs (tests/fixtures/k6,
// see PROVENANCE.md) read as one request per `http_reqs` Point, counted here independently
// with QJsonDocument; Metric declarations and the other metrics' Points are neither records
// nor problems; a broken line is a located problem and the rest is kept; a k6 429 (no body,
// no headers) is UNCLASSIFIED; a request without a response is status 0, never a 429; and
// `ratescope check` gates a k6 file by its 429 rate.
#include "aggregate/scopes.h"
#include "decode/timestamp.h"
#include "runbinary.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <map>
#include <set>

namespace {

// What a k6 file holds, read here with QJsonDocument (not with RateScope's reader).
struct K6Counts
{
    int requests = 0; // http_reqs Points
    int brokenLines = 0; // lines that are not a JSON object
    std::map<int, int> statuses; // status tag -> requests; 0: none, empty or "0"
    std::set<QString> hosts; // of the url tags
};

K6Counts countK6(const QString &path)
{
    K6Counts c;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            ++c.brokenLines;
            continue;
        }
        const QJsonObject o = doc.object();
        if (o.value(QLatin1String("type")).toString() != QLatin1String("Point")
            || o.value(QLatin1String("metric")).toString() != QLatin1String("http_reqs"))
            continue;
        const QJsonObject tags
            = o.value(QLatin1String("data")).toObject().value(QLatin1String("tags")).toObject();
        ++c.requests;
        ++c.statuses[tags.value(QLatin1String("status")).toString().toInt()];
        c.hosts.insert(QUrl(tags.value(QLatin1String("url")).toString()).host());
    }
    return c;
}

const QString kSynthetic = QStringLiteral("k6/synthetic_429_timeout.json");
const QString kRealRamp = QStringLiteral("k6/czrpb_workloads_metrics_k6out.head941.json");

} // namespace

class TestK6 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void output_data();
    void output();
    void a429IsUnclassified();
    void noResponseIsStatusZero();
    void offsetTimesBecomeUtc();
    void lines_data();
    void lines();
    void checkGatesA429Rate_data();
    void checkGatesA429Rate();

private:
    QTemporaryDir m_dir;
    int m_files = 0;
};

void TestK6::output_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("requests"); // also counted here from the file
    QTest::addColumn<int>("brokenLine"); // 0: none
    QTest::addRow("real: a ramp to 55 VUs, 308 redirects and 200s, Z times")
        << kRealRamp << 84 << 0;
    QTest::addRow("real: one VU, -07:00 times, vus and vus_max gauges with null tags")
        << "k6/czrpb_workloads_constant_out.head233.json" << 8 << 0;
    QTest::addRow("ours: 429s, a timeout, a 503, three key orders and a cut line")
        << kSynthetic << 13 << 18;
}

void TestK6::output()
{
    QFETCH(QString, file);
    QFETCH(int, requests);
    QFETCH(int, brokenLine);
    const K6Counts expected = countK6(fixture(file));
    QCOMPARE(expected.requests, requests);
    QCOMPARE(expected.brokenLines, brokenLine ? 1 : 0);

    const Loaded l = loadFiles({ fixture(file) });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.format, QStringLiteral("k6"));
    QCOMPARE(r.records, requests);
    QCOMPARE(int(l.store->size()), requests);
    // Metric declarations and the other metrics' Points are not problems; a broken line is,
    // with its line number
    QCOMPARE(r.skipped, brokenLine ? 1 : 0);
    if (brokenLine) {
        QCOMPARE(int(r.errors.size()), 1);
        QCOMPARE(int(r.errors.front().line), brokenLine);
    } else {
        QVERIFY(r.errors.empty());
    }

    std::map<int, int> statuses;
    for (std::size_t i = 0; i < l.store->size(); ++i)
        ++statuses[l.store->status(i)];
    QCOMPARE(statuses, expected.statuses);

    const ScopeIndex scopes = ScopeIndex::build(*l.store, ScopeBy::Host);
    const std::set<QString> hosts = [&] {
        std::set<QString> out;
        for (const std::string &name : scopes.names())
            out.insert(QString::fromStdString(name));
        return out;
    }();
    QCOMPARE(hosts, expected.hosts);
    // every record is in time order as k6 wrote it and comes from an http_reqs line
    for (std::size_t i = 0; i < l.store->size(); ++i) {
        QVERIFY(l.store->line(i) >= 2);
        QVERIFY(i == 0 || l.store->timeMs(i) >= l.store->timeMs(i - 1));
    }
}

void TestK6::a429IsUnclassified()
{
    // formats.md §2: a 429 whose body and headers name no source is UNCLASSIFIED, and a k6
    // Point has neither; k6's error_code (1000 + the status) is kept as the error code
    const Loaded l = loadFiles({ fixture(kSynthetic) });
    int rejected = 0;
    for (std::size_t i = 0; i < l.store->size(); ++i) {
        if (l.store->status(i) != 429) {
            QCOMPARE(l.store->source(i), RejectionSource::None);
            continue;
        }
        ++rejected;
        QCOMPARE(l.store->source(i), RejectionSource::Unclassified);
        QCOMPARE(l.store->errorCode(i), std::string_view("1429"));
        QCOMPARE(l.store->endpoint(i), std::string_view("api.example.com/v1/items"));
        QCOMPARE(l.store->method(i), std::string_view("GET"));
        QVERIFY(std::isnan(l.store->durationMs(i))); // not paired with http_req_duration
    }
    QCOMPARE(rejected, 3);
    QCOMPARE(countSource(*l.store, RejectionSource::Unclassified), 3);
}

void TestK6::noResponseIsStatusZero()
{
    // a timeout: status "0", error "request timeout", error_code 1050 (k6's codes)
    const Loaded l = loadFiles({ fixture(kSynthetic) });
    int noResponse = 0;
    for (std::size_t i = 0; i < l.store->size(); ++i) {
        if (!(l.store->flags(i) & FlagNoResponse))
            continue;
        ++noResponse;
        QCOMPARE(l.store->status(i), 0);
        QCOMPARE(l.store->source(i), RejectionSource::None);
        QCOMPARE(l.store->errorCode(i), std::string_view("1050"));
        QCOMPARE(l.store->message(i), std::string_view("request timeout"));
        QCOMPARE(l.store->endpoint(i), std::string_view("api.example.com/v1/slow"));
        QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(i))),
            QStringLiteral("2024-05-02T10:15:36.120Z")); // truncated, never rounded
    }
    QCOMPARE(noResponse, 1);
}

void TestK6::offsetTimesBecomeUtc()
{
    const Loaded l
        = loadFiles({ fixture(QStringLiteral("k6/czrpb_workloads_constant_out.head233.json")) });
    QVERIFY(l.store->size() > 0);
    // the first http_reqs Point: "time":"2022-08-24T08:12:58.475558008-07:00"
    QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(0))),
        QStringLiteral("2022-08-24T15:12:58.475Z"));
    QCOMPARE(l.store->line(0), 2u);
    QVERIFY(!(l.store->flags(0) & FlagTimeNoZone));
}

void TestK6::lines_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("status"); // of the first record
    QTest::addColumn<QString>("endpoint"); // of the first record
    QTest::addColumn<QString>("error"); // the first problem, "" for none
    QTest::addColumn<QString>("format");

    const QByteArray point = R"({"type":"Point","data":{"time":"2024-05-02T10:15:01Z","value":1,)"
                             R"("tags":%1},"metric":"http_reqs"})";
    auto withTags = [&](const char *tags) { return QByteArray(point).replace("%1", tags) + '\n'; };
    QTest::addRow("only declarations: no record, no problem") << QByteArray(
        R"({"type":"Metric","data":{"name":"vus","type":"gauge"},"metric":"vus"})"
        "\n"
        R"({"type":"Metric","data":{"name":"http_reqs"},"metric":"http_reqs"})"
        "\n") << 0 << -1 << ""
                                                              << ""
                                                              << "k6";
    QTest::addRow("a status tag missing: no response")
        << withTags(R"({"method":"GET","url":"https://api.example.com/a"})") << 1 << 0
        << "api.example.com/a"
        << ""
        << "k6";
    QTest::addRow("an empty status tag: no response")
        << withTags(R"({"status":"","url":"https://api.example.com/a"})") << 1 << 0
        << "api.example.com/a"
        << ""
        << "k6";
    QTest::addRow("no url tag: the name tag when it is a URL")
        << withTags(R"({"status":"429","name":"https://api.example.com/items/${}"})") << 1 << 429
        << "api.example.com/items/${}"
        << ""
        << "k6";
    QTest::addRow("no url tag and a name that is no URL: no endpoint")
        << withTags(R"({"status":"200","name":"login"})") << 1 << 200 << ""
        << ""
        << "k6";
    QTest::addRow("tags null") << withTags("null") << 1 << 0 << ""
                               << ""
                               << "k6";
    QTest::addRow("an http_reqs Point without a time is a located problem")
        << QByteArray(R"({"type":"Metric","data":{"name":"http_reqs"},"metric":"http_reqs"})"
                      "\n"
                      R"({"type":"Point","data":{"value":1,"tags":{"status":"200"}},)"
                      R"("metric":"http_reqs"})"
                      "\n")
        << 0 << -1 << ""
        << "2: k6 http_reqs point without data.time"
        << "k6";
    QTest::addRow("an unusable time") << QByteArray(R"({"type":"Point","data":{"time":"soon",)"
                                                    R"("tags":{"status":"200"}},)"
                                                    R"("metric":"http_reqs"})"
                                                    "\n")
                                      << 0 << -1 << ""
                                      << "1: unusable time \"soon\""
                                      << "k6";
    QTest::addRow("a record of its own with type Point stays a record") << QByteArray(
        R"({"timestamp":"2024-05-02T10:15:01Z","status":429,"type":"Point",)"
        R"("metric":"x","data":{"a":1},"url":"https://api.example.com/b"})"
        "\n") << 1 << 429 << "api.example.com/b"
                                                                        << ""
                                                                        << "ndjson";
    QTest::addRow("other metrics' Points are skipped, however broken their tags") << QByteArray(
        R"({"type":"Point","data":{"time":"x","value":3,"tags":{"status":[1]}},)"
        R"("metric":"vus"})"
        "\n") << 0 << -1 << ""
                                                                                  << ""
                                                                                  << "k6";
}

void TestK6::lines()
{
    QFETCH(QByteArray, text);
    QFETCH(int, records);
    QFETCH(int, status);
    QFETCH(QString, endpoint);
    QFETCH(QString, error);
    QFETCH(QString, format);
    const QString path
        = writeFile(QDir(m_dir.path()), QStringLiteral("lines-%1.json").arg(++m_files), text);
    const Loaded l = loadFiles({ path });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.format, format);
    QCOMPARE(r.records, records);
    if (records > 0) {
        QCOMPARE(l.store->status(0), status);
        QCOMPARE(bool(l.store->flags(0) & FlagNoResponse), status == 0);
        QCOMPARE(QString::fromUtf8(l.store->endpoint(0)), endpoint);
    }
    if (error.isEmpty()) {
        QVERIFY(r.errors.empty());
        QCOMPARE(r.skipped, 0);
    } else {
        QCOMPARE(int(r.errors.size()), 1);
        const QString located
            = QStringLiteral("%1: %2").arg(r.errors.front().line).arg(r.errors.front().message);
        QCOMPARE(located, error);
    }
}

void TestK6::checkGatesA429Rate_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("line"); // a line the report must hold
    // api.example.com: 3 of its 10 requests are 429s (30 %); auth.example.com: none of 3
    QTest::newRow("ours at 25 %: api.example.com is over")
        << kSynthetic << "0.25" << 1
        << "FAIL 429 rate 30.0% > 25.0% (any source, api.example.com): 3 of 10 requests";
    QTest::newRow("ours at 50 %: every scope holds")
        << kSynthetic << "0.5" << 0
        << "ok   429 rate 0.0% <= 50.0% (any source, auth.example.com): 0 of 3 requests";
    QTest::newRow("real at 1 %: no 429 in it") << kRealRamp << "0.01" << 0
                                               << "ok   429 rate 0.0% <= 1.0% (any source, "
                                                  "test.k6.io): 0 of 84 requests";
}

void TestK6::checkGatesA429Rate()
{
    QFETCH(QString, file);
    QFETCH(QString, rate);
    QFETCH(int, exitCode);
    QFETCH(QString, line);
    const BinaryRun run = runBinary(
        { QStringLiteral("check"), QStringLiteral("--max-429-rate"), rate, fixture(file) });
    QCOMPARE(run.exitCode, exitCode);
    const QStringList lines
        = QString::fromUtf8(run.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(lines.contains(line), qPrintable(run.out));
    // the cut line is reported as a problem of the file, the gate still judges the rest
    if (file == kSynthetic)
        QVERIFY2(run.err.contains(QStringLiteral("synthetic_429_timeout.json:18:")),
            qPrintable(run.err));
    else
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestK6)
#include "tst_k6.moc"
