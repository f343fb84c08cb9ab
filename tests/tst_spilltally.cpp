// SpillTally (issue 22): the top 5 of counts that spill to disk past a budget equal those of
// every count in memory, on the names real rejections carry, whatever the budget; copies share
// what is on disk and stay apart; a folder it cannot write to keeps it exact, in memory.
#include "incidents/incidentfinder.h"
#include "incidents/spilltally.h"
#include "sim/simulator.h"

#include <QtTest>

#include "testutil.h"

#include <map>
#include <random>

namespace {

using Names = std::vector<std::string>;

// The provider messages of a log's rejections, in log order (a name per rejection).
Names messagesOf(const EventStore &store)
{
    Names out;
    for (std::size_t i = 0; i < store.size(); ++i) {
        if (store.source(i) != RejectionSource::None && store.messageId(i) != 0)
            out.emplace_back(store.message(i));
    }
    return out;
}

// Simulated OpenAI rejections: "Please try again in 1.234s" makes nearly every message its own.
Names simulatedOpenAiMessages()
{
    SimulatorOptions o;
    o.minutes = 30;
    o.meanRpm = 60;
    o.openaiRpm = 900;
    o.openaiLimitRequests = 600;
    o.openaiLimitTokens = 100000;
    QTemporaryDir dir;
    const Loaded loaded = loadFiles({ simulatedFile(QDir(dir.path()), QStringLiteral("s"), o) });
    return messagesOf(*loaded.store);
}

// What the top 5 must be: every count in memory, ranked by topCounts.
std::vector<NamedCount> expectedTop(const Names &names, std::size_t n)
{
    std::map<std::string, std::int64_t> all;
    for (const std::string &s : names)
        ++all[s];
    std::vector<NamedCount> v;
    for (const auto &[name, c] : all)
        v.push_back({ name, c });
    return topCounts(std::move(v), n);
}

bool sameTop(const std::vector<NamedCount> &a, const std::vector<NamedCount> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const NamedCount &x, const NamedCount &y) {
            return x.name == y.name && x.count == y.count;
        });
}

} // namespace

class TestSpillTally : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void topEqualsEveryCountInMemory_data();
    void topEqualsEveryCountInMemory();
    void copiesShareRunsAndStayApart();
    void aFolderItCannotWriteKeepsItExact();
};

void TestSpillTally::topEqualsEveryCountInMemory_data()
{
    QTest::addColumn<QString>("log"); // a fixture, "sim" (OpenAI), or "ties"
    QTest::addColumn<int>("budget"); // bytes in memory before a spill
    QTest::addColumn<bool>("spills"); // the row must spill
    const QString sim = QStringLiteral("sim"), ties = QStringLiteral("ties");
    const QString demo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
    QTest::newRow("demo, in memory") << demo << int(SpillTally::kDefaultBudgetBytes) << false;
    QTest::newRow("demo, a run per name") << demo << 1 << true;
    QTest::newRow("gateway mix, 200 bytes")
        << fixture(QStringLiteral("gateway_mix.ndjson")) << 200 << true;
    QTest::newRow("openai, 4 KB: many runs, merged by level") << sim << 4096 << true;
    QTest::newRow("openai, 64 KB") << sim << 65536 << true;
    // the 5th and 6th names tie at every count; ties go to the smaller name, wherever it was
    QTest::newRow("ties across runs, a run per name") << ties << 1 << true;
    QTest::newRow("ties across runs, 300 bytes") << ties << 300 << true;
}

void TestSpillTally::topEqualsEveryCountInMemory()
{
    QFETCH(QString, log);
    QFETCH(int, budget);
    QFETCH(bool, spills);
    Names names;
    if (log == QLatin1String("sim")) {
        names = simulatedOpenAiMessages();
    } else if (log == QLatin1String("ties")) {
        // 40 names, counts 1..4 in a shuffled order, the larger names added first
        std::mt19937 rng(7);
        for (int k = 39; k >= 0; --k) {
            for (int c = 0; c <= k % 4; ++c)
                names.push_back("limit " + std::to_string(100 + k));
        }
        std::shuffle(names.begin(), names.end(), rng);
    } else {
        const Loaded loaded = loadFiles({ log });
        names = messagesOf(*loaded.store);
    }
    QVERIFY(names.size() >= 5);
    QTemporaryDir dir;
    SpillTally tally(std::size_t(budget), dir.path());
    for (const std::string &s : names)
        tally.add(s);
    QCOMPARE(tally.spills() > 0, spills);
    if (log == QLatin1String("sim") && budget == 4096) {
        QVERIFY(tally.spills() > 16); // levels were merged: fewer runs than spills
        QVERIFY(tally.runs() < tally.spills());
    }
    for (const std::size_t n : { std::size_t(1), std::size_t(5), std::size_t(12) }) {
        bool read = false;
        const std::vector<NamedCount> got = tally.top(n, &read);
        QVERIFY(read);
        const std::vector<NamedCount> want = expectedTop(names, n);
        QVERIFY2(sameTop(got, want),
            qPrintable(QStringLiteral("top %1: %2 names, first %3 x%4 against %5 x%6")
                           .arg(n)
                           .arg(got.size())
                           .arg(QString::fromStdString(got.empty() ? "" : got.front().name))
                           .arg(got.empty() ? 0 : got.front().count)
                           .arg(QString::fromStdString(want.front().name))
                           .arg(want.front().count)));
    }
    QVERIFY(tally.spillError().isEmpty());
}

// A summary is made from a copy while the run goes on: the copy reads the runs it shares, and
// what either adds later is its own.
void TestSpillTally::copiesShareRunsAndStayApart()
{
    QTemporaryDir dir;
    SpillTally a(1, dir.path());
    for (int k = 0; k < 40; ++k)
        a.add("m" + std::to_string(k % 7), 1);
    const SpillTally copy = a;
    for (int k = 0; k < 100; ++k)
        a.add("late", 1);
    QCOMPARE(a.top(1).front().name, std::string("late"));
    QCOMPARE(a.top(1).front().count, std::int64_t(100));
    const std::vector<NamedCount> c = copy.top(2);
    QCOMPARE(c.size(), std::size_t(2));
    QCOMPARE(c[0].name, std::string("m0")); // 6 each for m0..m4, ties by name
    QCOMPARE(c[0].count, std::int64_t(6));
    QCOMPARE(c[1].name, std::string("m1"));
    { // the original gone: the copy still reads its runs
        SpillTally gone = std::move(a);
    }
    QCOMPARE(copy.top(1).front().name, std::string("m0"));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty()); // runs have no names
}

void TestSpillTally::aFolderItCannotWriteKeepsItExact()
{
    const QString missing = QStringLiteral("/nonexistent-ratescope-dir");
    SpillTally t(1, missing);
    for (int k = 0; k < 30; ++k)
        t.add("name " + std::to_string(k % 3), 1);
    QCOMPARE(t.spills(), std::size_t(0));
    QVERIFY(t.spillError().contains(missing));
    QCOMPARE(t.top(1).front().count, std::int64_t(10));
    QCOMPARE(t.inMemory(), std::size_t(3));
}

QTEST_GUILESS_MAIN(TestSpillTally)
#include "tst_spilltally.moc"
