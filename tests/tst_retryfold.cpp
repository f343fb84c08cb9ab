// RetryFold (issue 22): the retry findings of events taken one by one in time order, without
// keeping them, equal analyzeRetries over every event in memory, field by field, on real logs
// and on simulated traffic with polling storms and retrying clients; a snapshot taken mid-run
// gives the findings of what it had, while the run goes on.
#include "incidents/retryanalysis.h"
#include "incidents/retryfold.h"
#include "sim/simulator.h"

#include <QtTest>

#include "testutil.h"

#include <algorithm>

namespace {

// The events of a store in time order (equal times in store order, as the summary reads
// them).
EventSubset inTimeOrder(const EventStore &store)
{
    EventSubset order(store.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = std::uint32_t(i);
    std::stable_sort(order.begin(), order.end(),
        [&](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); });
    return order;
}

// Every field of a finding, as one line to compare and to print.
QString describe(const RetryFinding &f)
{
    QStringList examples;
    for (const std::int64_t t : f.examplesMs)
        examples << QString::number(t);
    return QStringLiteral("%1 %2 [%3] count %4 total %5 s %6 ra %7 rejected %8 baseline %9 "
                          "%10-%11 examples %12")
        .arg(QString::fromLatin1(RetryFinding::kindName(f.kind)), QString::fromStdString(f.client),
            QString::fromStdString(f.target))
        .arg(f.count)
        .arg(f.total)
        .arg(f.seconds, 0, 'g', 17)
        .arg(f.retryAfterS, 0, 'g', 17)
        .arg(f.rejected)
        .arg(f.baseline)
        .arg(f.firstMs)
        .arg(f.lastMs)
        .arg(examples.join(QLatin1Char(',')));
}

QStringList describe(const std::vector<RetryFinding> &findings)
{
    QStringList out;
    for (const RetryFinding &f : findings)
        out << describe(f);
    return out;
}

QString simulated(const QDir &dir, bool openai)
{
    SimulatorOptions o;
    o.minutes = 120;
    o.meanRpm = 300;
    o.limitRpm = 330;
    if (openai) {
        o.openaiRpm = 200;
        o.openaiLimitRequests = 260;
    }
    return simulatedFile(dir, QStringLiteral("sim.ndjson"), o);
}

} // namespace

class TestRetryFold : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void equalsAnalyzeRetries_data();
    void equalsAnalyzeRetries();
    void aSnapshotHasWhatItHad();
};

void TestRetryFold::equalsAnalyzeRetries_data()
{
    QTest::addColumn<QString>("log"); // a file, or "sim" / "sim+openai"
    QTest::addColumn<int>("logChunk"); // bytes of the (group, time) log written at once
    QTest::addColumn<QStringList>("kinds"); // finding kinds the row must have
    const QString demo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
    QTest::newRow("demo, log in memory")
        << demo << (1 << 30)
        << QStringList { QStringLiteral("ignored_retry_after"), QStringLiteral("polling") };
    QTest::newRow("demo, log on disk in 12-byte writes") << demo << 12 << QStringList();
    QTest::newRow("gateway mix") << fixture(QStringLiteral("gateway_mix.ndjson")) << 12
                                 << QStringList();
    QTest::newRow("a vcrpy cassette")
        << fixture(QStringLiteral("llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml")) << 12
        << QStringList();
    QTest::newRow("simulated 2 h, log on disk")
        << QStringLiteral("sim") << 65536 << QStringList { QStringLiteral("polling") };
    QTest::newRow("simulated 2 h with OpenAI")
        << QStringLiteral("sim+openai") << 1 << QStringList();
}

void TestRetryFold::equalsAnalyzeRetries()
{
    QFETCH(QString, log);
    QFETCH(int, logChunk);
    QFETCH(QStringList, kinds);
    QTemporaryDir dir;
    const Loaded loaded = loadFiles({ log.startsWith(QLatin1String("sim"))
            ? simulated(QDir(dir.path()), log.endsWith(QLatin1String("openai")))
            : log });
    const EventStore &store = *loaded.store;
    QVERIFY(store.size() > 0);
    const QStringList want = describe(analyzeRetries(store));
    for (const QString &kind : kinds)
        QVERIFY2(want.join(QLatin1Char('\n')).contains(kind), qPrintable(kind));

    RetryFold fold(dir.path(), {}, std::size_t(logChunk));
    for (const std::uint32_t i : inTimeOrder(store))
        fold.add(store, i);
    QCOMPARE(fold.inexactEvents(), 0);
    QVERIFY(fold.logError().isEmpty());
    if (logChunk < 100000)
        QVERIFY(fold.logBytes() > 0); // the examples were read back from disk
    QCOMPARE(describe(fold.findings()), want);
}

// A summary made mid-run: the snapshot's findings are those of the events it had (its own
// added after it included), the run's those of all; neither disturbs the other's log.
void TestRetryFold::aSnapshotHasWhatItHad()
{
    const Loaded loaded
        = loadFiles({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    const EventStore &store = *loaded.store;
    const EventSubset order = inTimeOrder(store);
    const std::size_t half = order.size() / 2, more = order.size() * 3 / 4;
    QTemporaryDir dir;
    RetryFold fold(dir.path(), {}, 64);
    for (std::size_t k = 0; k < half; ++k)
        fold.add(store, order[k]);
    RetryFold snapshot = fold.snapshot();
    for (std::size_t k = half; k < order.size(); ++k)
        fold.add(store, order[k]);
    for (std::size_t k = half; k < more; ++k) // the snapshot goes on a little, on its own
        snapshot.add(store, order[k]);

    EventSubset first(order.begin(), order.begin() + std::ptrdiff_t(more));
    std::sort(first.begin(), first.end()); // a subset is in store order
    const QStringList wantFirst = describe(analyzeRetries(store, &first));
    QVERIFY(!wantFirst.isEmpty());
    QCOMPARE(describe(snapshot.findings()), wantFirst);
    QCOMPARE(describe(fold.findings()), describe(analyzeRetries(store)));
}

QTEST_GUILESS_MAIN(TestRetryFold)
#include "tst_retryfold.moc"
