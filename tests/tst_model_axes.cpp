// The chart's pyramid of an axis besides requests (tokens, input and output tokens, requests in
// flight): every level equals the per-bucket series made directly at that bucket size from
// the events (axisPerBucket: sums, or the peak of a sweep), and a pyramid grown by live
// events equals one built from all of them — also when the new events start before old ones
// end, and when they come out of order.
#include "aggregate/axisseries.h"
#include "model/axispyramid.h"
#include "model/bucketpyramid.h"

#include <QTest>

#include <algorithm>
#include <random>

Q_DECLARE_METATYPE(LimitAxis)

namespace {

constexpr std::int64_t kT0 = 1767607200000; // 2026-01-05T10:00:00Z

// n events over `spanS` seconds; some without usage, some without a duration, durations up to
// maxFlightMs (a few far longer), token limits reported by some.
EventStore randomStore(std::uint32_t seed, int n, int spanS, int maxFlightMs)
{
    std::mt19937 rng(seed);
    std::vector<std::int64_t> times(static_cast<std::size_t>(n));
    for (std::int64_t &t : times)
        t = kT0 + std::int64_t(rng() % std::uint32_t(spanS * 1000));
    std::sort(times.begin(), times.end());
    EventStore store;
    for (std::int64_t t : times) {
        EventInput e;
        e.timeMs = t;
        e.status = rng() % 10 == 0 ? 429 : 200;
        e.endpoint = "api.example/v1/x";
        if (rng() % 5 != 0) {
            e.inputTokens = std::int64_t(rng() % 4000);
            e.outputTokens = std::int64_t(rng() % 800);
            e.totalTokens = e.inputTokens + e.outputTokens;
        }
        if (rng() % 7 != 0)
            e.durationMs = float(rng() % std::uint32_t(maxFlightMs));
        if (rng() % 50 == 0)
            e.durationMs = float(maxFlightMs) * 20; // a long stream
        if (rng() % 3 == 0) {
            e.reportedTokens.limit = { std::int32_t(100000 + rng() % 3 * 1000), -1, -1 };
            e.reportedTokens.windowS = { 60, -1, -1 };
        }
        store.append(e);
    }
    return store;
}

EventSubset allRows(const EventStore &store)
{
    EventSubset rows(store.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = std::uint32_t(i);
    return rows;
}

void compareLevels(const AxisPyramid &a, const AxisPyramid &b)
{
    QCOMPARE(a.known(), b.known());
    QCOMPARE(a.requests(), b.requests());
    for (std::size_t k = 0; k < BucketPyramid::levelCount(); ++k) {
        const auto &x = a.level(k), &y = b.level(k);
        QCOMPARE(x.size(), y.size());
        for (std::size_t j = 0; j < x.size(); ++j) {
            QCOMPARE(x[j].startMs, y[j].startMs);
            QCOMPARE(x[j].value, y[j].value);
            QCOMPARE(x[j].known, y[j].known);
            QCOMPARE(x[j].requests, y[j].requests);
            QCOMPARE(x[j].serverLimit, y[j].serverLimit);
        }
    }
}

} // namespace

class TestModelAxes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyLevelIsTheSeriesAtItsSize_data();
    void everyLevelIsTheSeriesAtItsSize();
    void grownEqualsBuilt_data();
    void grownEqualsBuilt();
    void reportedLimitIsTheSmallestInTheBucket();
};

void TestModelAxes::everyLevelIsTheSeriesAtItsSize_data()
{
    QTest::addColumn<LimitAxis>("axis");
    QTest::addColumn<int>("maxFlightMs");
    QTest::addRow("tokens") << LimitAxis::Tokens << 2000;
    QTest::addRow("input tokens") << LimitAxis::InputTokens << 2000;
    QTest::addRow("output tokens") << LimitAxis::OutputTokens << 2000;
    QTest::addRow("in flight, short requests") << LimitAxis::Concurrency << 2000;
    QTest::addRow("in flight, streams of minutes") << LimitAxis::Concurrency << 90000;
}

void TestModelAxes::everyLevelIsTheSeriesAtItsSize()
{
    QFETCH(LimitAxis, axis);
    QFETCH(int, maxFlightMs);
    const EventStore store = randomStore(7, 3000, 3 * 3600, maxFlightMs);
    const EventSubset rows = allRows(store);
    const AxisPyramid p = AxisPyramid::build(store, axis, rows);
    QVERIFY(!p.empty());
    for (std::size_t k = 0; k < BucketPyramid::levelCount(); ++k) {
        const std::int64_t size = BucketPyramid::bucketMs(k);
        AxisSeries direct = axisPerBucket(store, axis, &rows, size);
        // a bucket whose requests had 0 tokens is drawn as one with none
        direct.buckets.erase(std::remove_if(direct.buckets.begin(), direct.buckets.end(),
                                 [](const AxisBucket &b) { return b.value == 0; }),
            direct.buckets.end());
        std::vector<AxisBucket> fromPyramid;
        for (const AxisCounts &b : p.level(k)) {
            if (b.value > 0)
                fromPyramid.push_back({ b.startMs, b.value });
        }
        QCOMPARE(fromPyramid.size(), direct.buckets.size());
        for (std::size_t j = 0; j < fromPyramid.size(); ++j) {
            QCOMPARE(fromPyramid[j].startMs, direct.buckets[j].startMs);
            QCOMPARE(fromPyramid[j].value, direct.buckets[j].value);
        }
        QCOMPARE(p.known(), direct.known);
        QCOMPARE(p.unknown(), direct.unknown);
    }
}

void TestModelAxes::grownEqualsBuilt_data()
{
    QTest::addColumn<LimitAxis>("axis");
    QTest::addColumn<int>("maxFlightMs");
    QTest::addColumn<bool>("shuffledTail"); // the new events out of time order
    QTest::addRow("tokens") << LimitAxis::Tokens << 2000 << false;
    QTest::addRow("tokens, new events out of order") << LimitAxis::Tokens << 2000 << true;
    QTest::addRow("in flight") << LimitAxis::Concurrency << 3000 << false;
    QTest::addRow("in flight, long streams still open") << LimitAxis::Concurrency << 60000 << false;
    QTest::addRow("in flight, new events out of order") << LimitAxis::Concurrency << 60000 << true;
}

// As FilteredView grows a live view: the rows are sorted by time and the new ones start at
// the earliest time among the events added.
void TestModelAxes::grownEqualsBuilt()
{
    QFETCH(LimitAxis, axis);
    QFETCH(int, maxFlightMs);
    QFETCH(bool, shuffledTail);
    const EventStore store = randomStore(11, 2000, 1800, maxFlightMs);
    const EventSubset rows = allRows(store);
    const AxisPyramid whole = AxisPyramid::build(store, axis, rows);
    for (std::size_t cut : { std::size_t(1), std::size_t(700), std::size_t(1999) }) {
        // the events that arrive in this batch: those from `cut` on, and with shuffledTail a
        // few earlier ones that arrive late
        std::vector<bool> late(rows.size(), false);
        for (std::size_t r = cut; r < rows.size(); ++r)
            late[r] = true;
        if (shuffledTail) {
            for (std::size_t r = cut > 10 ? cut - 10 : 0; r < cut; r += 3)
                late[r] = true;
        }
        EventSubset before;
        std::int64_t firstNew = INT64_MAX;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (late[r])
                firstNew = std::min(firstNew, store.timeMs(rows[r]));
            else
                before.push_back(rows[r]);
        }
        const AxisPyramid old = AxisPyramid::build(store, axis, before);
        compareLevels(old.grown(store, rows, firstNew), whole);
    }
}

void TestModelAxes::reportedLimitIsTheSmallestInTheBucket()
{
    EventStore store;
    for (int k = 0; k < 3; ++k) {
        EventInput e;
        e.timeMs = kT0 + k * 10000;
        e.status = 200;
        e.totalTokens = 100;
        e.reportedTokens.limit = { 30000 - k * 10000, -1, -1 };
        e.reportedTokens.windowS = { 60, -1, -1 };
        store.append(e);
    }
    const AxisPyramid p = AxisPyramid::build(store, LimitAxis::Tokens, allRows(store));
    QCOMPARE(p.level(0).front().serverLimit, 30000);
    QCOMPARE(p.level(BucketPyramid::kMinuteLevel).front().serverLimit, 10000);
    QCOMPARE(p.level(BucketPyramid::kMinuteLevel).front().value, 300);
    QCOMPARE(p.minutesOver(299), std::vector<std::int64_t> { kT0 });
    QVERIFY(p.minutesOver(300).empty());
}

QTEST_GUILESS_MAIN(TestModelAxes)
#include "tst_model_axes.moc"
