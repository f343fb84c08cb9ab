// summary.md definitions of incidents, rpm, peaks and minutes over the limit, on hand-built stores.
#include "decode/recorddecoder.h"
#include "decode/timestamp.h"
#include "export/summary.h"
#include "testutil.h"

namespace {

constexpr std::int64_t kT0 = 1767607200000; // 2026-01-05T10:00:00Z
constexpr std::int64_t kMin = 60000;

struct Ev
{
    std::int64_t t;
    RejectionSource source = RejectionSource::None;
    const char *tool = "";
    const char *message = "";
    std::int32_t retryAfterMs = -1;
};

std::unique_ptr<EventStore> storeOf(const std::vector<Ev> &events)
{
    auto s = std::make_unique<EventStore>();
    s->addFile("test");
    for (const Ev &e : events) {
        EventInput in;
        in.timeMs = e.t;
        in.status = e.source == RejectionSource::None ? 200 : 429;
        in.source = e.source;
        in.tool = e.tool;
        in.provider = providerFromTool(e.tool);
        in.message = e.message;
        in.retryAfterMs = e.retryAfterMs;
        s->append(in);
    }
    return s;
}

} // namespace

class TestIncidents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergeGapBoundary_data();
    void mergeGapBoundary();
    void incidentFields();
    void dominantSourceTies();
    void topListsAreCappedAndTieBrokenByName();
    void peakTiesGoToTheEarliestMinute();
    void minutesOverLimit_data();
    void minutesOverLimit();
    void farApartTimesStaySparse();
    void growingGivesTheSameIncidents_data();
    void growingGivesTheSameIncidents();
    void aLateRejectionIsNotGrown();
};

void TestIncidents::mergeGapBoundary_data()
{
    QTest::addColumn<double>("gapMinutes");
    QTest::addColumn<std::int64_t>("distanceMs");
    QTest::addColumn<int>("incidents");
    QTest::addRow("exactly the gap merges") << 5.0 << 5 * kMin << 1;
    QTest::addRow("one ms over the gap splits") << 5.0 << 5 * kMin + 1 << 2;
    QTest::addRow("decimal gap, inside") << 0.5 << std::int64_t(30000) << 1;
    QTest::addRow("decimal gap, outside") << 0.5 << std::int64_t(30001) << 2;
    QTest::addRow("zero gap, same ms merges") << 0.0 << std::int64_t(0) << 1;
    QTest::addRow("zero gap, 1 ms apart splits") << 0.0 << std::int64_t(1) << 2;
}

void TestIncidents::mergeGapBoundary()
{
    QFETCH(double, gapMinutes);
    QFETCH(std::int64_t, distanceMs);
    QFETCH(int, incidents);
    const auto s = storeOf({ { kT0, RejectionSource::RateLimited },
        { kT0 + 1000, RejectionSource::None }, { kT0 + distanceMs, RejectionSource::ToolError } });
    const Summary sum = buildSummary(*s, {}, std::nullopt, gapMinutes);
    QCOMPARE(int(sum.incidents.size()), incidents);
}

void TestIncidents::incidentFields()
{
    // requests 10:00:10 .. 10:03:50; rejections 10:01:05 .. 10:02:59
    std::vector<Ev> ev;
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 10 + i; ++k)
            ev.push_back({ kT0 + i * kMin + 10000 + k * 1000 });
    ev.push_back({ kT0 + kMin + 5000, RejectionSource::RateLimited, "gmail_fetch_mails",
        "rate limit exceeded", 12000 });
    ev.push_back({ kT0 + 2 * kMin + 59000, RejectionSource::RateLimited, "gmail_send",
        "rate limit exceeded", 30500 });
    ev.push_back({ kT0 + 2 * kMin + 1000, RejectionSource::ToolError, "hubspot_contacts",
        "You have reached your secondly limit." });
    const auto s = storeOf(ev);
    const Summary sum = buildSummary(*s, {}, LimitSpec { 11, 60, false }, 5);
    QCOMPARE(sum.incidents.size(), std::size_t(1));
    const Incident &inc = sum.incidents.front();
    QCOMPARE(QString::fromStdString(formatUtcMs(inc.startMs)),
        QStringLiteral("2026-01-05T10:01:05.000Z"));
    QCOMPARE(
        QString::fromStdString(formatUtcMs(inc.endMs)), QStringLiteral("2026-01-05T10:02:59.000Z"));
    // minutes 10:01 and 10:02: 11 + 1 rejection, 12 + 2 rejections
    QCOMPARE(inc.requests, std::int64_t(11 + 1 + 12 + 2));
    QCOMPARE(inc.peakRpm, std::int64_t(14));
    QCOMPARE(inc.rejected[0], std::int64_t(2));
    QCOMPARE(inc.rejected[1], std::int64_t(1));
    QCOMPARE(inc.dominant, RejectionSource::RateLimited);
    QCOMPARE(*inc.maxRetryAfterS, 30.5);
    QCOMPARE(inc.topProviders.front().name, std::string("gmail"));
    QCOMPARE(inc.topProviders.front().count, std::int64_t(2));
    QCOMPARE(inc.messages.front().name, std::string("rate limit exceeded"));
    QCOMPARE(inc.messages.front().count, std::int64_t(2));
    // rpm over 11: 10:01 (12), 10:02 (14), 10:03 (13)
    QCOMPARE(sum.minutesOverLimit, std::int64_t(3));
    QCOMPARE(sum.requests, std::int64_t(s->size()));
}

void TestIncidents::dominantSourceTies()
{
    const auto s
        = storeOf({ { kT0, RejectionSource::Unclassified }, { kT0 + 1, RejectionSource::ToolError },
            { kT0 + 2, RejectionSource::Unclassified }, { kT0 + 3, RejectionSource::ToolError } });
    const Summary sum = buildSummary(*s, {}, std::nullopt, 5);
    QCOMPARE(sum.incidents.front().dominant,
        RejectionSource::ToolError); // tie: TOOL_ERROR before UNCLASSIFIED
}

void TestIncidents::topListsAreCappedAndTieBrokenByName()
{
    std::vector<Ev> ev;
    const char *tools[] = { "zeta_a", "beta_a", "alpha_a", "gamma_a", "delta_a", "eps_a", "" };
    for (int i = 0; i < 7; ++i)
        ev.push_back({ kT0 + i, RejectionSource::RateLimited, tools[i] });
    ev.push_back({ kT0 + 10, RejectionSource::RateLimited, "zeta_a" });
    const auto s = storeOf(ev);
    const Incident inc = buildSummary(*s, {}, std::nullopt, 5).incidents.front();
    QCOMPARE(inc.topTools.size(), std::size_t(5));
    QCOMPARE(inc.topTools[0].name, std::string("zeta_a"));
    QCOMPARE(inc.topTools[1].name, std::string("alpha_a"));
    QCOMPARE(inc.topTools[2].name, std::string("beta_a"));
    QCOMPARE(inc.topTools[4].name, std::string("eps_a")); // the unnamed one is not listed
    QVERIFY(inc.messages.empty());
    QVERIFY(!inc.maxRetryAfterS);
}

void TestIncidents::peakTiesGoToTheEarliestMinute()
{
    const auto s = storeOf(
        { { kT0 + 5 * kMin }, { kT0 + 5 * kMin + 1 }, { kT0 + kMin }, { kT0 + kMin + 59999 } });
    const Summary sum = buildSummary(*s, {}, std::nullopt, 5);
    QCOMPARE(*sum.peakRpm, std::int64_t(2));
    QCOMPARE(QString::fromStdString(formatUtcMinute(*sum.peakMinuteMs)),
        QStringLiteral("2026-01-05T10:01:00Z"));
    QCOMPARE(QString::fromStdString(formatUtcMs(*sum.spanStartMs)),
        QStringLiteral("2026-01-05T10:01:00.000Z"));
    QCOMPARE(sum.minutesOverLimit, std::int64_t(0)); // no limit
}

void TestIncidents::minutesOverLimit_data()
{
    QTest::addColumn<QString>("limit");
    QTest::addColumn<int>("over");
    // 5 requests at 10:00:00.0-0.4, 5 at 10:01:30.0-30.4, 3 at 10:02:09.9, 10:02:19.8, 10:02:29.7
    QTest::addRow("per minute, 4") << "4" << 2;
    QTest::addRow("per minute, 5 is not over") << "5" << 0;
    QTest::addRow("N/60s is per minute") << "4/60s" << 2;
    QTest::addRow("rolling 4/10s") << "4/10s" << 2;
    QTest::addRow("rolling 2/10s: (t-10s, t] excludes exactly 10 s before") << "2/10s" << 2;
    QTest::addRow("rolling 2/20s catches the spaced minute") << "2/20s" << 3;
    QTest::addRow("rolling 6/2m spans minutes") << "6/2m" << 2;
}

void TestIncidents::minutesOverLimit()
{
    QFETCH(QString, limit);
    QFETCH(int, over);
    std::vector<Ev> ev;
    for (int i = 0; i < 5; ++i) {
        ev.push_back({ kT0 + i * 100 });
        ev.push_back({ kT0 + 90000 + i * 100 });
    }
    ev.push_back({ kT0 + 2 * kMin + 9900 });
    ev.push_back({ kT0 + 2 * kMin + 19800 });
    ev.push_back({ kT0 + 2 * kMin + 29700 });
    const auto s = storeOf(ev);
    QString error;
    const auto spec = parseLimitSpec(limit, &error);
    QVERIFY2(spec, qPrintable(error));
    QCOMPARE(int(buildSummary(*s, {}, spec, 5).minutesOverLimit), over);
}

void TestIncidents::farApartTimesStaySparse()
{
    const auto s = storeOf({ { -86400000LL * 365 * 10, RejectionSource::RateLimited }, { kT0 },
        { 4102444800000LL, RejectionSource::RateLimited } });
    const Summary sum = buildSummary(*s, {}, std::nullopt, 5);
    QCOMPARE(sum.minutes.size(), std::size_t(3));
    QCOMPARE(sum.incidents.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(formatUtcMs(*sum.spanStartMs)),
        QStringLiteral("1960-01-04T00:00:00.000Z"));
}

static void compareIncidents(const std::vector<Incident> &got, const std::vector<Incident> &want)
{
    QCOMPARE(got.size(), want.size());
    auto names = [](const std::vector<NamedCount> &v) {
        QStringList out;
        for (const NamedCount &n : v)
            out << QString::fromStdString(n.name) + QLatin1Char('=') + QString::number(n.count);
        return out.join(QLatin1Char(','));
    };
    for (std::size_t k = 0; k < want.size(); ++k) {
        const Incident &a = got[k], &b = want[k];
        QCOMPARE(a.startMs, b.startMs);
        QCOMPARE(a.endMs, b.endMs);
        QCOMPARE(a.requests, b.requests);
        QCOMPARE(a.rejected, b.rejected);
        QCOMPARE(a.dominant, b.dominant);
        QCOMPARE(a.peakRpm, b.peakRpm);
        QCOMPARE(names(a.topTools), names(b.topTools));
        QCOMPARE(names(a.topProviders), names(b.topProviders));
        QCOMPARE(names(a.messages), names(b.messages));
        QCOMPARE(a.maxRetryAfterS, b.maxRetryAfterS);
        QCOMPARE(a.quota, b.quota);
        QCOMPARE(a.events, b.events);
    }
}

// A live view grows its incidents from the last view's (growIncidents): step by step, the
// result is what findIncidents gives on everything received, whatever the step.
void TestIncidents::growingGivesTheSameIncidents_data()
{
    QTest::addColumn<int>("step"); // events appended between two views
    QTest::addColumn<bool>("onlySome"); // a filter keeps every other event
    QTest::addRow("one event at a time") << 1 << false;
    QTest::addRow("7 at a time") << 7 << false;
    QTest::addRow("200 at a time") << 200 << false;
    QTest::addRow("7 at a time, filtered") << 7 << true;
}

void TestIncidents::growingGivesTheSameIncidents()
{
    QFETCH(int, step);
    QFETCH(bool, onlySome);
    // ~1,200 events over ~3 hours, in time order (ties included): quiet stretches longer than
    // the merge gap, bursts of all three sources, tools, messages and Retry-After that change
    const char *tools[]
        = { "gmail_fetch_mails", "slack_send_message", "hubspot_search", "jira_create" };
    const char *messages[] = { "", "rate limit exceeded", "quota exceeded", "slow down" };
    std::vector<Ev> ev;
    std::uint32_t x = 12345;
    auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
    std::int64_t t = kT0;
    for (int i = 0; i < 1200; ++i) {
        t += (i % 300 == 299) ? 7 * kMin
                              : std::int64_t(next() % 9000); // a gap of 7 min now and then
        const int r = int(next() % 10);
        const RejectionSource src = r < 6 ? RejectionSource::None
            : r < 8                       ? RejectionSource::RateLimited
            : r < 9                       ? RejectionSource::ToolError
                                          : RejectionSource::Unclassified;
        ev.push_back(
            { t, src, tools[next() % 4], src == RejectionSource::None ? "" : messages[next() % 4],
                src != RejectionSource::None && next() % 3 == 0 ? std::int32_t(next() % 60) * 1000
                                                                : -1 });
    }
    const auto full = storeOf(ev);
    EventSubset kept;
    std::vector<Incident> grown;
    int grownSteps = 0;
    for (std::size_t n = 0; n < full->size();) {
        const std::size_t to = std::min(full->size(), n + std::size_t(step));
        EventSubset added; // the new events the filter keeps, rejections or not
        for (std::size_t i = n; i < to; ++i) {
            if (onlySome && i % 2)
                continue;
            kept.push_back(std::uint32_t(i));
            added.push_back(std::uint32_t(i));
        }
        const auto minutes = countBuckets(*full, kMin, &kept);
        auto next = growIncidents(*full, minutes, 5.0, grown, added);
        QVERIFY(next);
        grown = std::move(*next);
        ++grownSteps;
        n = to;
        if (n % 97 == 0 || n == full->size()) { // compared now and then (and at the end)
            compareIncidents(grown, findIncidents(*full, minutes, 5.0, &kept));
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("after %1 events").arg(n)));
        }
    }
    QVERIFY(grown.size() >= 4); // the 7-minute gaps split it
    QCOMPARE(grownSteps, int((full->size() + std::size_t(step) - 1) / std::size_t(step)));
}

// A rejection older than the last incident's end cannot be added at the end: the caller is
// told to find the incidents again (and then they are right).
void TestIncidents::aLateRejectionIsNotGrown()
{
    const auto s = storeOf(
        { { kT0, RejectionSource::RateLimited }, { kT0 + 2 * kMin, RejectionSource::RateLimited },
            { kT0 + kMin, RejectionSource::ToolError } });
    const EventSubset firstTwo { 0, 1 };
    const auto before = findIncidents(*s, countBuckets(*s, kMin, &firstTwo), 5.0, &firstTwo);
    QCOMPARE(before.size(), std::size_t(1));
    const auto minutes = countBuckets(*s, kMin);
    QVERIFY(!growIncidents(*s, minutes, 5.0, before, { 2 }));
    const auto all = findIncidents(*s, minutes, 5.0);
    QCOMPARE(all.front().rejected[std::size_t(sourceIndex(RejectionSource::ToolError))], 1);
    QCOMPARE(all.front().events, (std::vector<std::uint32_t> { 0, 2, 1 }));
}

QTEST_GUILESS_MAIN(TestIncidents)
#include "tst_incidents.moc"
