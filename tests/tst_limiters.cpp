// The algorithms `whatif` replays logs against (issue 20), each against a tiny reference
// written another way, on random arrivals (bursts, quiet gaps, equal times): a fixed window by
// a count per window key; a sliding log by counting the admitted requests in (t - W, t] from
// scratch; a token bucket by stepping its content millisecond by millisecond; GCRA by the
// continuous-state leaky bucket, which ITU-T I.371 gives as equivalent to the virtual
// scheduling form redis-cell implements. Also: when a refused request would pass (retryAtMs).
#include "aggregate/limiters.h"

#include <QTest>

#include <map>
#include <random>
#include <vector>

namespace {

// Arrival times in ms: bursts of many requests in a few ms, then gaps up to 3 windows.
std::vector<std::int64_t> arrivals(std::uint32_t seed, std::int64_t windowMs, int n)
{
    std::mt19937 rng(seed);
    std::vector<std::int64_t> out;
    std::int64_t t = 1767607200000;
    while (int(out.size()) < n) {
        const int burst = int(rng() % 12) + 1;
        for (int k = 0; k < burst; ++k) {
            t += std::int64_t(rng() % 3); // equal times too
            out.push_back(t);
        }
        t += std::int64_t(rng() % std::uint32_t(windowMs / 4 + 1));
        if (rng() % 20 == 0)
            t += std::int64_t(rng() % std::uint32_t(3 * windowMs));
    }
    return out;
}

std::vector<bool> run(Limiter limiter, const std::vector<std::int64_t> &times)
{
    std::vector<bool> out;
    for (std::int64_t t : times)
        out.push_back(limiterAdmit(limiter, t));
    return out;
}

std::vector<bool> referenceFixed(
    const std::vector<std::int64_t> &times, std::int64_t n, std::int64_t w)
{
    std::map<std::int64_t, std::int64_t> perWindow;
    std::vector<bool> out;
    for (std::int64_t t : times) {
        std::int64_t &c = perWindow[t / w]; // times are positive
        out.push_back(c < n);
        c += c < n;
    }
    return out;
}

std::vector<bool> referenceSliding(
    const std::vector<std::int64_t> &times, std::int64_t n, std::int64_t w)
{
    std::vector<std::int64_t> admitted;
    std::vector<bool> out;
    for (std::int64_t t : times) {
        std::int64_t inWindow = 0;
        for (std::int64_t a : admitted)
            inWindow += a > t - w && a <= t;
        out.push_back(inWindow < n);
        if (inWindow < n)
            admitted.push_back(t);
    }
    return out;
}

// A token is W units; each millisecond adds `rate` units up to burst tokens.
std::vector<bool> referenceTokenBucket(
    const std::vector<std::int64_t> &times, std::int64_t rate, std::int64_t w, std::int64_t burst)
{
    std::vector<bool> out;
    std::int64_t units = burst * w;
    std::int64_t now = times.empty() ? 0 : times.front();
    for (std::int64_t t : times) {
        for (; now < t; ++now)
            units = std::min(burst * w, units + rate);
        out.push_back(units >= w);
        if (units >= w)
            units -= w;
    }
    return out;
}

// ITU-T I.371 continuous-state leaky bucket with increment I = T and limit L = T * burst (in
// units of 1/rate ms: T = W): X' = max(0, X - (t - LCT)); conforming when X' <= L.
std::vector<bool> referenceGcra(
    const std::vector<std::int64_t> &times, std::int64_t rate, std::int64_t w, std::int64_t burst)
{
    std::vector<bool> out;
    std::int64_t x = 0, lct = 0;
    bool first = true;
    for (std::int64_t t : times) {
        const std::int64_t now = t * rate;
        const std::int64_t drained = first ? 0 : std::max<std::int64_t>(0, x - (now - lct));
        const bool ok = drained <= w * burst;
        out.push_back(ok);
        if (ok) {
            x = drained + w;
            lct = now;
            first = false;
        }
    }
    return out;
}

// The reference of the spec's algorithm.
std::vector<bool> reference(const LimiterSpec &spec, const std::vector<std::int64_t> &times)
{
    switch (spec.kind) {
    case LimiterSpec::Kind::Fixed:
        return referenceFixed(times, spec.limit, spec.windowMs);
    case LimiterSpec::Kind::Sliding:
        return referenceSliding(times, spec.limit, spec.windowMs);
    case LimiterSpec::Kind::TokenBucket:
        return referenceTokenBucket(times, spec.limit, spec.windowMs, spec.burst);
    case LimiterSpec::Kind::Gcra:
        break;
    }
    return referenceGcra(times, spec.limit, spec.windowMs, spec.burst);
}

} // namespace

class TestLimiters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void againstTheReferences_data();
    void againstTheReferences();
    void retryAtIsWhenItWouldPass_data();
    void retryAtIsWhenItWouldPass();
    void gcraLetsBurstPlusOneThrough();
    void batchesAreManyRequestsAtOneInstant_data();
    void batchesAreManyRequestsAtOneInstant();
};

void TestLimiters::againstTheReferences_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("burst");
    QTest::addColumn<uint>("seed");
    using K = LimiterSpec::Kind;
    for (uint seed : { 1u, 2u, 3u }) {
        QTest::addRow("fixed 10/10s, seed %u", seed)
            << int(K::Fixed) << qint64(10) << qint64(10000) << qint64(0) << seed;
        QTest::addRow("fixed 40/1m, seed %u", seed)
            << int(K::Fixed) << qint64(40) << qint64(60000) << qint64(0) << seed;
        QTest::addRow("sliding 10/10s, seed %u", seed)
            << int(K::Sliding) << qint64(10) << qint64(10000) << qint64(0) << seed;
        QTest::addRow("sliding 3/1s, seed %u", seed)
            << int(K::Sliding) << qint64(3) << qint64(1000) << qint64(0) << seed;
        QTest::addRow("token bucket 10/10s burst 5, seed %u", seed)
            << int(K::TokenBucket) << qint64(10) << qint64(10000) << qint64(5) << seed;
        QTest::addRow("token bucket 7/3s burst 1, seed %u", seed)
            << int(K::TokenBucket) << qint64(7) << qint64(3000) << qint64(1) << seed;
        QTest::addRow("gcra 10/10s burst 5, seed %u", seed)
            << int(K::Gcra) << qint64(10) << qint64(10000) << qint64(5) << seed;
        QTest::addRow("gcra 7/3s burst 0, seed %u", seed)
            << int(K::Gcra) << qint64(7) << qint64(3000) << qint64(0) << seed;
    }
}

void TestLimiters::againstTheReferences()
{
    QFETCH(int, kind);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);
    QFETCH(uint, seed);
    const std::vector<std::int64_t> times = arrivals(seed, windowMs, 3000);
    LimiterSpec spec;
    spec.kind = LimiterSpec::Kind(kind);
    spec.limit = limit;
    spec.windowMs = windowMs;
    spec.burst = burst;
    const std::vector<bool> got = run(spec.make(), times);
    const std::vector<bool> want = reference(spec, times);
    const auto refused = std::count(want.begin(), want.end(), false);
    QVERIFY2(refused > 100 && refused < 2900, "the arrivals should test both answers");
    for (std::size_t i = 0; i < times.size(); ++i)
        QVERIFY2(got[i] == want[i],
            qPrintable(QStringLiteral("request %1 at +%2 ms: %3")
                           .arg(i)
                           .arg(times[i] - times.front())
                           .arg(want[i] ? "should pass" : "should be refused")));
}

void TestLimiters::retryAtIsWhenItWouldPass_data() { againstTheReferences_data(); }

void TestLimiters::batchesAreManyRequestsAtOneInstant_data() { againstTheReferences_data(); }

// The What-if panel's per-second replay: the requests of each second, taken as arriving at its
// start, refused as the reference refuses the same requests one by one at that instant.
void TestLimiters::batchesAreManyRequestsAtOneInstant()
{
    QFETCH(int, kind);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);
    QFETCH(uint, seed);
    std::vector<std::int64_t> seconds;
    std::vector<std::uint32_t> counts;
    std::vector<std::int64_t> expanded; // every request at its second's start
    for (std::int64_t t : arrivals(seed, windowMs, 3000)) {
        const std::int64_t s = t - t % 1000;
        if (seconds.empty() || seconds.back() != s) {
            seconds.push_back(s);
            counts.push_back(0);
        }
        ++counts.back();
        expanded.push_back(s);
    }
    QVERIFY2(*std::max_element(counts.begin(), counts.end()) > 3, "some seconds hold a burst");
    LimiterSpec spec;
    spec.kind = LimiterSpec::Kind(kind);
    spec.limit = limit;
    spec.windowMs = windowMs;
    spec.burst = burst;
    const std::vector<bool> want = reference(spec, expanded);
    const std::vector<std::uint32_t> got = refusedPerBatch(spec, seconds, counts);
    QCOMPARE(got.size(), seconds.size());
    std::size_t r = 0;
    for (std::size_t b = 0; b < seconds.size(); ++b) {
        std::uint32_t refused = 0;
        for (std::uint32_t k = 0; k < counts[b]; ++k)
            refused += !want[r++];
        QVERIFY2(got[b] == refused,
            qPrintable(QStringLiteral("second %1 (%2 requests): %3 refused, the reference %4")
                           .arg(b)
                           .arg(counts[b])
                           .arg(got[b])
                           .arg(refused)));
    }
    // and a batch leaves the limiter where its requests one by one leave it: the same retryAt
    Limiter many = spec.make(), one = spec.make();
    for (std::size_t b = 0; b < seconds.size(); ++b) {
        const std::int64_t passed = limiterAdmitMany(many, seconds[b], counts[b]);
        std::int64_t passedOne = 0;
        for (std::uint32_t k = 0; k < counts[b]; ++k)
            passedOne += limiterAdmit(one, seconds[b]);
        QCOMPARE(passed, passedOne);
        if (passed < counts[b])
            QCOMPARE(limiterRetryAt(many), limiterRetryAt(one));
    }
}

// Right after a refusal, a copy of the limiter refuses the same request 1 ms before retryAtMs()
// and lets it through at retryAtMs().
void TestLimiters::retryAtIsWhenItWouldPass()
{
    QFETCH(int, kind);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);
    QFETCH(uint, seed);
    LimiterSpec spec;
    spec.kind = LimiterSpec::Kind(kind);
    spec.limit = limit;
    spec.windowMs = windowMs;
    spec.burst = burst;
    Limiter limiter = spec.make();
    int checked = 0;
    for (std::int64_t t : arrivals(seed, windowMs, 400)) {
        if (limiterAdmit(limiter, t))
            continue;
        const std::int64_t at = limiterRetryAt(limiter);
        QVERIFY(at > t);
        Limiter early = limiter, onTime = limiter;
        QVERIFY(!limiterAdmit(early, at - 1));
        QVERIFY(limiterAdmit(onTime, at));
        ++checked;
    }
    QVERIFY(checked > 10);
}

void TestLimiters::gcraLetsBurstPlusOneThrough()
{
    // redis-cell: max_burst 4 at 60 per minute lets 5 through at once, then one a second
    GcraLimiter g(60, 60000, 4);
    const std::int64_t t0 = 1767607200000;
    for (int k = 0; k < 5; ++k)
        QVERIFY(g.admit(t0));
    QVERIFY(!g.admit(t0));
    QCOMPARE(g.retryAtMs(), t0 + 1000);
    QVERIFY(!g.admit(t0 + 999));
    QVERIFY(g.admit(t0 + 1000));
    QVERIFY(!g.admit(t0 + 1000));
}

QTEST_GUILESS_MAIN(TestLimiters)
#include "tst_limiters.moc"
