// MinuteRollup (issue 22): the per-minute figures of a run kept without its events equal what
// buildSummary computes from a store of every event, on real logs, however the events come in.
#include "aggregate/minuterollup.h"
#include "aggregate/orderedfold.h"
#include "export/reportformats.h"
#include "export/rollupsummary.h"
#include "export/summary.h"
#include "incidents/incidentfold.h"
#include "incidents/incidentrollup.h"
#include "incidents/retryanalysis.h"
#include "incidents/retryfold.h"
#include "sim/simulator.h"

#include <QtTest>

#include "testutil.h"

#include <nlohmann/json.hpp>

#include <algorithm>

Q_DECLARE_METATYPE(ScopeBy)

namespace {

// The real logs the tables run on: the demo, the gateway mix, a vcrpy cassette and an httprr
// recording.
struct RealLogs
{
    QString demo, gateways, cassette, httprr;
};
RealLogs realLogs()
{
    return { QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz"),
        fixture(QStringLiteral("gateway_mix.ndjson")),
        fixture(QStringLiteral("llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml")),
        fixture(QStringLiteral("llm/tmc__langchaingo__anthropic_429_concurrency.httprr")) };
}

// Simulated traffic with token usage, §7 answers, retries and several APIs.
QString simulatedLog(const QDir &dir)
{
    SimulatorOptions o;
    o.minutes = 45;
    o.meanRpm = 300;
    o.limitRpm = 330;
    o.openaiRpm = 200;
    o.openaiLimitRequests = 260;
    o.openaiLimitTokens = 90000;
    return simulatedFile(dir, QStringLiteral("sim.ndjson"), o);
}

// Requests exactly a second apart, each in flight for exactly that second and using 100 tokens,
// then a 429 of the platform's (RATE_LIMITED, bound by counts) that used none: every rolling
// window's edge and every request's end fall on
// another request's time.
QString ticksLog(const QDir &dir)
{
    QByteArray text;
    for (int k = 0; k < 8; ++k)
        text += QStringLiteral("{\"timestamp\":\"2026-01-05T10:00:%1.000Z\",\"method\":\"GET\","
                               "\"url\":\"https://api.example.com/v1/x\",\"status\":%2,"
                               "\"id\":\"t%3\",\"duration_ms\":1000%4}\n")
                    .arg(k, 2, 10, QLatin1Char('0'))
                    .arg(k == 7 ? 429 : 200)
                    .arg(k)
                    .arg(k == 7 ? QStringLiteral(",\"body\":{\"code\":8,\"message\":\"slow down\","
                                                 "\"details\":[{\"error_code\":\"RATE_LIMITED\"}]}")
                                : QStringLiteral(",\"body\":{\"usage\":{\"total_tokens\":100}}"))
                    .toUtf8();
    return writeFile(dir, QStringLiteral("ticks.ndjson"), text);
}

// A log of the data table: a file, "sim" for simulatedLog(), "ticks" for ticksLog(); each is
// read once for all the rows that use it (under ASan, simulating and reading again for every
// row was most of this test's time).
const EventStore &loadLog(const QString &log)
{
    static std::map<QString, Loaded> cache;
    auto it = cache.find(log);
    if (it == cache.end()) {
        Loaded loaded;
        if (log != QLatin1String("sim") && log != QLatin1String("ticks")) {
            loaded = loadFiles({ log });
        } else {
            QTemporaryDir dir;
            loaded = loadFiles({ log == QLatin1String("sim") ? simulatedLog(QDir(dir.path()))
                                                             : ticksLog(QDir(dir.path())) });
        }
        it = cache.emplace(log, std::move(loaded)).first;
    }
    return *it->second.store;
}

// The rollup of every event of a store added in batches of `batch` (0: one), the last first:
// a rollup does not depend on the order events come in.
MinuteRollup rollupOf(const EventStore &store, ScopeBy by, std::size_t batch)
{
    MinuteRollup rollup(by);
    const std::size_t n = batch > 0 ? batch : store.size();
    for (std::size_t end = store.size(); end > 0;) {
        const std::size_t from = end > n ? end - n : 0;
        rollup.add(store, from, end);
        end = from;
    }
    return rollup;
}

// The same in store order, as a live run adds them (they arrive in that order): of rejections
// at the same ms, the binding's evidence takes the one added first, as the store's order does.
MinuteRollup rollupInOrder(const EventStore &store, ScopeBy by, std::size_t batch)
{
    MinuteRollup rollup(by);
    const std::size_t n = batch > 0 ? batch : store.size();
    for (std::size_t from = 0; from < store.size(); from += n)
        rollup.add(store, from, std::min(store.size(), from + n));
    return rollup;
}

bool sameBuckets(const std::vector<BucketCounts> &a, const std::vector<BucketCounts> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const BucketCounts &x, const BucketCounts &y) {
            return x.startMs == y.startMs && x.requests == y.requests && x.rejected == y.rejected
                && x.throttled == y.throttled && x.serverLimit == y.serverLimit;
        });
}

// The same, letting go of the rejections of each minute as soon as every event before it has
// been added (a live run does so past its reorder window) into `released`, an IncidentFold.
MinuteRollup rollupReleasing(
    const EventStore &store, ScopeBy by, std::size_t batch, IncidentFold &released)
{
    // the earliest time of the events not added yet
    std::vector<std::int64_t> earliestAfter(store.size() + 1, INT64_MAX);
    for (std::size_t i = store.size(); i-- > 0;)
        earliestAfter[i] = std::min(earliestAfter[i + 1], store.timeMs(i));
    MinuteRollup rollup(by);
    const std::size_t n = batch > 0 ? batch : store.size();
    for (std::size_t from = 0; from < store.size(); from += n) {
        const std::size_t to = std::min(store.size(), from + n);
        rollup.add(store, from, to);
        const std::int64_t watermark = earliestAfter[to];
        rollup.releaseRejections(
            watermark, [&](const std::string &scope, const MinuteRejections &r) {
                released.addMinute(scope, r);
            });
        released.closeBefore(floorTo(std::min(watermark, INT64_MAX - 60000), 60000));
    }
    return rollup;
}

// The events of a store in time order (stable: equal times in store order, as the summary
// reads them).
EventSubset timeOrder(const EventStore &store)
{
    EventSubset order(store.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = std::uint32_t(i);
    std::stable_sort(order.begin(), order.end(),
        [&](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); });
    return order;
}

// Those in batches of `batch` (0: one) into a fold that follows `windows`.
OrderedFold foldOf(const EventStore &store, ScopeBy by, std::size_t batch,
    std::vector<OrderedFold::Window> windows)
{
    const EventSubset order = timeOrder(store);
    OrderedFold fold(by, std::move(windows));
    const std::size_t n = batch > 0 ? batch : order.size();
    for (std::size_t from = 0; from < order.size(); from += n)
        fold.add(store,
            EventSubset(order.begin() + std::ptrdiff_t(from),
                order.begin() + std::ptrdiff_t(std::min(order.size(), from + n))));
    return fold;
}

// A summary's JSON without some keys: by default what a summary from rollups alone does not
// tell (findings: they need a RetryFold) and the list of what it does not tell.
nlohmann::ordered_json comparable(
    const Summary &s, const std::vector<std::string> &skip = { "findings", "inexact" })
{
    const QByteArray text = summaryToJson(s);
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(text.constData());
    for (const std::string &key : skip)
        j.erase(key);
    return j;
}

// The first place two JSON documents differ, for the failure message.
std::string firstDifference(const nlohmann::ordered_json &a, const nlohmann::ordered_json &b)
{
    const nlohmann::json patch = nlohmann::json::diff(nlohmann::json(a), nlohmann::json(b));
    return patch.empty() ? std::string() : patch.front().dump();
}

} // namespace

class TestMinuteRollup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void equalsTheSummaryOfEveryEvent_data();
    void equalsTheSummaryOfEveryEvent();
    void incidentsEqualTheSummarys_data();
    void incidentsEqualTheSummarys();
    void gapsUnderAMinuteNeedTheEvents();
    void memoryIsPerMinuteNotPerEvent();
    void summaryFromRollupsEqualsTheSummary_data();
    void summaryFromRollupsEqualsTheSummary();
    void whatRollupsCannotTellIsNamed();
};

void TestMinuteRollup::equalsTheSummaryOfEveryEvent_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<ScopeBy>("by");
    QTest::addColumn<int>("batch"); // events per add(); batches are added last first
    const auto [demo, gateways, cassette, httprr] = realLogs();
    QTest::newRow("demo, by host, batches of 997") << demo << ScopeBy::Host << 997;
    QTest::newRow("demo, by host+model, one batch") << demo << ScopeBy::HostModel << 0;
    QTest::newRow("demo, by host+client, single events") << demo << ScopeBy::HostClient << 1;
    QTest::newRow("demo, one scope") << demo << ScopeBy::All << 4096;
    QTest::newRow("gateway mix (limits.md §7)") << gateways << ScopeBy::Host << 3;
    QTest::newRow("gateway mix by model") << gateways << ScopeBy::HostModel << 0;
    QTest::newRow("a vcrpy cassette") << cassette << ScopeBy::Host << 1;
    QTest::newRow("an httprr recording") << httprr << ScopeBy::HostModel << 2;
    QTest::newRow("simulated, tokens") << QStringLiteral("sim") << ScopeBy::HostModel << 5000;
}

void TestMinuteRollup::equalsTheSummaryOfEveryEvent()
{
    QFETCH(QString, log);
    QFETCH(ScopeBy, by);
    QFETCH(int, batch);
    const EventStore &store = loadLog(log);
    QVERIFY(store.size() > 0);
    const MinuteRollup rollup = rollupOf(store, by, std::size_t(batch));

    SummaryScoping scoping;
    scoping.by = by;
    const Summary s = buildSummary(store, {}, std::nullopt, 5, nullptr, scoping);
    QCOMPARE(rollup.requests(), s.requests);
    QCOMPARE(rollup.spanStartMs(), s.spanStartMs);
    QCOMPARE(rollup.spanEndMs(), s.spanEndMs);
    QVERIFY(sameBuckets(rollup.minutes(), s.minutes));
    QCOMPARE(rollup.throttles(), s.throttles);
    std::int64_t ruled = 0;
    for (const Summary::RuleCount &r : s.throttleRules) {
        const auto it = rollup.throttleRules().find({ r.category, r.rule });
        QVERIFY2(it != rollup.throttleRules().end(), r.rule.c_str());
        QCOMPARE(it->second, r.count);
        ruled += r.count;
    }
    QCOMPARE(rollup.throttleRules().size(), s.throttleRules.size());
    QCOMPARE(rollup.providersNamed().size(), s.providersNamed.size());
    for (const NamedCount &p : s.providersNamed)
        QCOMPARE(rollup.providersNamed().at(p.name), p.count);

    std::vector<std::string> names;
    for (const ScopeSummary &sc : s.scopes)
        names.push_back(sc.name);
    QCOMPARE(rollup.scopes(), names);
    const ScopeIndex index = ScopeIndex::build(store, by);
    const std::vector<EventSubset> events
        = index.size() > 1 ? index.eventsByScope(store) : std::vector<EventSubset> {};
    for (std::size_t k = 0; k < s.scopes.size(); ++k) {
        const ScopeSummary &sc = s.scopes[k];
        QVERIFY2(sameBuckets(rollup.scopeMinutes(sc.name), sc.minutes), sc.name.c_str());
        const EventSubset *scopeEvents = events.empty() ? nullptr : &events[k];
        for (LimitAxis axis :
            { LimitAxis::Tokens, LimitAxis::InputTokens, LimitAxis::OutputTokens }) {
            const AxisSeries want = axisPerMinute(store, axis, scopeEvents);
            const AxisSeries got = rollup.scopeTokens(sc.name, axis);
            QCOMPARE(got.known, want.known);
            QCOMPARE(got.unknown, want.unknown);
            QCOMPARE(got.buckets.size(), want.buckets.size());
            for (std::size_t b = 0; b < want.buckets.size(); ++b) {
                QCOMPARE(got.buckets[b].startMs, want.buckets[b].startMs);
                QCOMPARE(got.buckets[b].value, want.buckets[b].value);
            }
        }
    }
    QVERIFY(rollup.scopeMinutes("no such scope").empty());
    if (log == QLatin1String("sim")) { // the rows are not all trivial
        QVERIFY(s.scopes.size() > 2);
        QVERIFY(std::any_of(s.scopes.begin(), s.scopes.end(), [&](const ScopeSummary &sc) {
            return rollup.scopeTokens(sc.name, LimitAxis::Tokens).known > 0;
        }));
    }
    if (log.endsWith(QLatin1String("gateway_mix.ndjson")))
        QVERIFY(ruled > 0);
}

void TestMinuteRollup::incidentsEqualTheSummarys_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<ScopeBy>("by");
    QTest::addColumn<double>("gap"); // --merge-gap, minutes
    const QString demo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
    const QString gateways = fixture(QStringLiteral("gateway_mix.ndjson"));
    QTest::newRow("demo, gap 5") << demo << ScopeBy::Host << 5.0;
    QTest::newRow("demo, gap 1") << demo << ScopeBy::Host << 1.0;
    QTest::newRow("demo, gap 2.5, by model") << demo << ScopeBy::HostModel << 2.5;
    QTest::newRow("demo, gap 60, one scope") << demo << ScopeBy::All << 60.0;
    QTest::newRow("gateway mix, gap 5") << gateways << ScopeBy::Host << 5.0;
    QTest::newRow("cassette") << fixture(
        QStringLiteral("llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml"))
                              << ScopeBy::Host << 5.0;
    QTest::newRow("simulated, gap 1") << QStringLiteral("sim") << ScopeBy::HostModel << 1.0;
    QTest::newRow("simulated, gap 3") << QStringLiteral("sim") << ScopeBy::Host << 3.0;
}

// Every incident of every scope, field by field, against buildSummary's over every event; the
// events come in batches of 333, last first.
void TestMinuteRollup::incidentsEqualTheSummarys()
{
    QFETCH(QString, log);
    QFETCH(ScopeBy, by);
    QFETCH(double, gap);
    const EventStore &store = loadLog(log);
    const MinuteRollup rollup = rollupOf(store, by, 333);
    SummaryScoping scoping;
    scoping.by = by;
    const Summary s = buildSummary(store, {}, std::nullopt, gap, nullptr, scoping);
    QVERIFY(!s.incidents.empty());
    std::size_t compared = 0;
    for (const std::string &scope : rollup.scopes()) {
        const auto got = incidentsFromRollup(rollup, scope, gap);
        QVERIFY(got);
        std::vector<const Incident *> want;
        for (const Incident &inc : s.incidents) {
            if (inc.scope == scope)
                want.push_back(&inc);
        }
        QCOMPARE(got->size(), want.size());
        for (std::size_t k = 0; k < want.size(); ++k) {
            const Incident &a = (*got)[k], &b = *want[k];
            const auto names = [](const std::vector<NamedCount> &v) {
                QStringList out;
                for (const NamedCount &n : v)
                    out << QStringLiteral("%1=%2").arg(QString::fromStdString(n.name)).arg(n.count);
                return out;
            };
            QCOMPARE(a.scope, b.scope);
            QCOMPARE(a.startMs, b.startMs);
            QCOMPARE(a.endMs, b.endMs);
            QCOMPARE(a.requests, b.requests);
            QCOMPARE(a.peakRpm, b.peakRpm);
            QCOMPARE(a.rejected, b.rejected);
            QCOMPARE(a.dominant, b.dominant);
            QCOMPARE(a.quota, b.quota);
            QCOMPARE(a.maxRetryAfterS, b.maxRetryAfterS);
            QCOMPARE(names(a.topTools), names(b.topTools));
            QCOMPARE(names(a.topProviders), names(b.topProviders));
            QCOMPARE(names(a.messages), names(b.messages));
            ++compared;
        }
    }
    QCOMPARE(compared, s.incidents.size());
}

// Under a minute, the rejections of one minute may be two incidents: the rollup cannot tell.
void TestMinuteRollup::gapsUnderAMinuteNeedTheEvents()
{
    const Loaded loaded
        = loadFiles({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    MinuteRollup rollup;
    rollup.add(*loaded.store);
    const std::string scope = rollup.scopes().front();
    QVERIFY(!incidentsFromRollup(rollup, scope, 0.5));
    QVERIFY(!incidentsFromRollup(rollup, scope, 0.0));
    QVERIFY(incidentsFromRollup(rollup, scope, 1.0));
}

// A day of one API at 1,000 requests a minute is 1,440 entries, not 1.44 million events.
void TestMinuteRollup::memoryIsPerMinuteNotPerEvent()
{
    const EventStore &sim = loadLog(QStringLiteral("sim"));
    MinuteRollup once, twice;
    once.add(sim);
    twice.add(sim);
    twice.add(sim); // the same minutes again: counts double, entries do not
    QCOMPARE(twice.entries(), once.entries());
    QCOMPARE(twice.requests(), 2 * once.requests());
    const std::vector<std::string> scopes = once.scopes();
    std::size_t minutes = 0;
    for (const std::string &sc : scopes)
        minutes += once.scopeMinutes(sc).size();
    QCOMPARE(once.entries(), minutes);
    QVERIFY(once.entries() <= scopes.size() * 46); // 45 simulated minutes, maybe one more
    QVERIFY(std::size_t(once.requests()) > 20 * once.entries());
}

void TestMinuteRollup::summaryFromRollupsEqualsTheSummary_data()
{
    QTest::addColumn<QString>("log");
    QTest::addColumn<ScopeBy>("by");
    QTest::addColumn<QStringList>("limits"); // --limit
    QTest::addColumn<int>("batch"); // events per add()
    const auto [demo, gateways, cassette, httprr] = realLogs();
    const QString sim = QStringLiteral("sim");
    QTest::newRow("demo, reported limits") << demo << ScopeBy::Host << QStringList() << 997;
    QTest::newRow("demo, 600/1m, one scope")
        << demo << ScopeBy::All << QStringList { QStringLiteral("600/1m") } << 0;
    QTest::newRow("demo, rolling 10/1s and 2000/1h, by model")
        << demo << ScopeBy::HostModel
        << QStringList { QStringLiteral("10/1s"), QStringLiteral("2000/1h") } << 1;
    QTest::newRow("demo, concurrency=3")
        << demo << ScopeBy::Host << QStringList { QStringLiteral("concurrency=3") } << 50;
    QTest::newRow("ticks, 1/1s and concurrency=1: edges meet")
        << QStringLiteral("ticks") << ScopeBy::Host
        << QStringList { QStringLiteral("1/1s"), QStringLiteral("concurrency=1") } << 1;
    QTest::newRow("ticks, 1/1s and tokens=50/1s: the 429's second had no tokens")
        << QStringLiteral("ticks") << ScopeBy::Host
        << QStringList { QStringLiteral("1/1s"), QStringLiteral("tokens=50/1s") } << 2;
    QTest::newRow("ticks, 1/2s: edges meet")
        << QStringLiteral("ticks") << ScopeBy::Host << QStringList { QStringLiteral("2/2s") } << 3;
    QTest::newRow("gateway mix") << gateways << ScopeBy::Host << QStringList() << 3;
    QTest::newRow("a vcrpy cassette") << cassette << ScopeBy::Host << QStringList() << 1;
    QTest::newRow("an httprr recording, concurrency=1")
        << httprr << ScopeBy::HostModel << QStringList { QStringLiteral("concurrency=1") } << 2;
    QTest::newRow("simulated, reported limits and tokens")
        << sim << ScopeBy::HostModel << QStringList() << 5000;
    QTest::newRow("simulated, tokens=50000/10m, 30/10s")
        << sim << ScopeBy::Host
        << QStringList { QStringLiteral("tokens=50000/10m"), QStringLiteral("30/10s"),
               QStringLiteral("output_tokens=9000/1m") }
        << 777;
}

// The whole summary, as `summarize` writes it, from a MinuteRollup (any order) and an
// OrderedFold (time order) against buildSummary of every event: the same JSON, incidents'
// bindings included, apart from the findings a rollup does not tell yet (and names).
void TestMinuteRollup::summaryFromRollupsEqualsTheSummary()
{
    QFETCH(QString, log);
    QFETCH(ScopeBy, by);
    QFETCH(QStringList, limits);
    QFETCH(int, batch);
    const EventStore &store = loadLog(log);
    SummaryScoping scoping;
    scoping.by = by;
    for (const QString &text : limits) {
        QString error;
        const std::optional<LimitEntry> e = parseLimitEntry(text, &error);
        QVERIFY2(e, qPrintable(error));
        scoping.limits.push_back(*e);
    }
    const Summary want = buildSummary(store, {}, std::nullopt, 5, nullptr, scoping);
    const MinuteRollup rollup = rollupInOrder(store, by, std::size_t(batch));
    const OrderedFold fold
        = foldOf(store, by, std::size_t(batch), OrderedFold::windowsOf(scoping.limits));
    const Summary got = summaryFromRollup(rollup, fold, {}, std::nullopt, 5, scoping);
    const nlohmann::ordered_json a = comparable(want), b = comparable(got);
    QVERIFY2(a == b, firstDifference(a, b).c_str());

    // the same when the rollup lets go of minutes as a live run does, into an IncidentFold
    // whose tallies spill to disk past 64 KB
    QTemporaryDir spill;
    IncidentFold released(5, 65536, spill.path());
    // (in batches of at least 256: adding one event at a time builds a ScopeIndex over the
    // store each time, which under ASan took minutes, and the rows above cover it)
    const MinuteRollup releasing
        = rollupReleasing(store, by, std::max<std::size_t>(std::size_t(batch), 256), released);
    // and the retry findings of a RetryFold given the events in time order: all but `inexact`
    RetryFold retries(spill.path());
    for (const std::uint32_t i : timeOrder(store))
        retries.add(store, i);
    const Summary fromReleased
        = summaryFromRollup(releasing, fold, {}, std::nullopt, 5, scoping, &released, &retries);
    Summary withFindings = want; // as makeReport adds them
    withFindings.findings = analyzeRetries(store);
    QVERIFY(!withFindings.findings.empty() || log != QLatin1String("sim"));
    const nlohmann::ordered_json c = comparable(fromReleased, { "inexact" }),
                                 wantAll = comparable(withFindings, { "inexact" });
    QVERIFY2(wantAll == c, firstDifference(wantAll, c).c_str());
    std::vector<std::string> unknown = got.inexact; // all but the findings
    unknown.erase(std::remove_if(unknown.begin(), unknown.end(),
                      [](const std::string &t) { return t.find("retry findings") != t.npos; }),
        unknown.end());
    QCOMPARE(fromReleased.inexact, unknown);
    QVERIFY(released.spillError().isEmpty());
    if (log == QLatin1String("sim")) // the path under test was taken
        QVERIFY(released.held().closed > 0 && released.held().spills > 0);
    QCOMPARE(fold.lateEvents(), 0);
    QVERIFY(!got.inexact.empty()); // the findings, at least, are named as not known
    QVERIFY(want.inexact.empty());
    if (log == QLatin1String("sim")) { // the rows are not all trivial
        QVERIFY(std::any_of(want.scopes.begin(), want.scopes.end(),
            [](const ScopeSummary &sc) { return !sc.reported.empty(); }));
        QVERIFY(std::any_of(want.scopes.begin(), want.scopes.end(), [](const ScopeSummary &sc) {
            return std::any_of(sc.axes.begin(), sc.axes.end(),
                [](const AxisFigures &a) { return a.minutesOverLimit > 0; });
        }));
    }
    if (log == QLatin1String("ticks")) { // the 429 is bound by counts, on requests
        QCOMPARE(want.incidents.size(), std::size_t(1));
        QCOMPARE(want.incidents.front().dominant, RejectionSource::RateLimited);
        QCOMPARE(int(want.incidents.front().binding.evidence), int(Binding::Evidence::Counts));
    }
    if (limits.contains(QStringLiteral("concurrency=3")))
        QVERIFY(std::any_of(want.scopes.begin(), want.scopes.end(), [](const ScopeSummary &sc) {
            return sc.axes.back().axis == LimitAxis::Concurrency && sc.axes.back().peak > 0;
        }));
}

// What a fold cannot tell is said, not guessed: a rolling window followed only from a later
// event, and events that came out of time order.
void TestMinuteRollup::whatRollupsCannotTellIsNamed()
{
    const Loaded loaded
        = loadFiles({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    const EventStore &store = *loaded.store;
    SummaryScoping scoping;
    scoping.limits.push_back(*parseLimitEntry(QStringLiteral("500/1h"), nullptr));
    const MinuteRollup rollup = rollupOf(store, ScopeBy::Host, 0);

    // the configured hour not given to the fold: its minutes over are not known
    const OrderedFold blind = foldOf(store, ScopeBy::Host, 0, {});
    const Summary s = summaryFromRollup(rollup, blind, {}, std::nullopt, 5, scoping);
    QVERIFY(std::any_of(s.inexact.begin(), s.inexact.end(),
        [](const std::string &t) { return t.find("per 3600 s are not known") != t.npos; }));
    const Summary exact = summaryFromRollup(rollup,
        foldOf(store, ScopeBy::Host, 0, OrderedFold::windowsOf(scoping.limits)), {}, std::nullopt,
        5, scoping);
    QVERIFY(std::none_of(exact.inexact.begin(), exact.inexact.end(),
        [](const std::string &t) { return t.find("are not known: the window") != t.npos; }));

    // the events last first: every one but the first is late, and the summary says so
    EventSubset backwards(store.size());
    for (std::size_t i = 0; i < backwards.size(); ++i)
        backwards[i] = std::uint32_t(backwards.size() - 1 - i);
    std::stable_sort(backwards.begin(), backwards.end(),
        [&](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) > store.timeMs(b); });
    OrderedFold late(ScopeBy::Host);
    late.add(store, backwards);
    QVERIFY(late.lateEvents() > 0);
    const Summary l = summaryFromRollup(rollup, late, {}, std::nullopt, 5, scoping);
    QVERIFY(std::any_of(l.inexact.begin(), l.inexact.end(),
        [](const std::string &t) { return t.find("later than the reorder window") != t.npos; }));
    QVERIFY(summaryToJson(l).contains("\"inexact\""));
}

QTEST_GUILESS_MAIN(TestMinuteRollup)
#include "tst_minuterollup.moc"
