// Incidents and drill-down of a ClickHouse `ratescope` table (issue 21), against a real
// clickhouse-server 18.16 started for the run: incidents found from the engine's per-minute
// rejection counts and refined from the raw rows of their few minutes are those of reading
// the whole table; the rows of one bucket come in keyset pages, each row once.
#include "clickhouseserver.h"
#include "testutil.h"

#include "aggregate/buckets.h"
#include "engine/clickhouseddl.h"
#include "engine/clickhousesource.h"
#include "engine/engineincidents.h"
#include "engine/engineuri.h"
#include "incidents/incidentfinder.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QtTest>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace {

constexpr std::int64_t kStartMs = 1767225600000; // 2026-01-01T00:00:00Z
constexpr int kRows = 200000; // over one day: 2.3 a second
constexpr double kMergeGap = 5;

using Event = std::tuple<std::int64_t, int, std::string, std::string>;

Event eventOf(const EventStore &s, std::size_t i)
{
    return { s.timeMs(i), s.status(i), std::string(s.endpoint(i)), std::string(s.tool(i)) };
}

} // namespace

class TestEngineClickHouseIncidents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void incidentsFromCountsAreThoseOfAllRows();
    void bucketRowsComeInKeysetPages();

private:
    EngineUri uri() const;
    ClickHouseServer m_server;
    EventStore m_all; // the whole table, read row by row
    const RuleSet m_rules = RuleSet::builtIn();
};

EngineUri TestEngineClickHouseIncidents::uri() const
{
    QString error;
    return *parseEngineUri(
        m_server.uri(QStringLiteral("rs.ratescope_events"), QStringLiteral("ratescope")), &error);
}

void TestEngineClickHouseIncidents::initTestCase()
{
    QString error;
    QVERIFY2(m_server.startWithEventsTable(&error), qPrintable(error));
    bool ok = false;
    // a day of traffic to two APIs; rate limited in minutes 100-104 (one API) and 300-302 (the
    // other), two lone 429s 6.8 minutes apart around minute 700 (their minutes are within the
    // merge gap, the 429s are not: two incidents), tool errors in minute 1000; two rows in some
    // milliseconds (ids tell them apart)
    const QByteArray out = m_server.query(
        QStringLiteral(
            "INSERT INTO rs.ratescope_events (id, time, status, source, method, scope, endpoint, "
            "tool, message) SELECT concat('r', toString(number)) AS id, "
            "%1 + intDiv(intDiv(number, 2) * 2 * 86400000, %2) AS time, "
            "if(src = 1, 429, if(src = 2, 500, 200)) AS status, "
            "CAST(src AS Enum8('NONE' = 0, 'RATE_LIMITED' = 1, 'TOOL_ERROR' = 2, "
            "'UNCLASSIFIED' = 3)) AS source, 'POST' AS method, "
            "['api.openai.com', 'api.anthropic.com'][number % 2 + 1] AS scope, "
            "concat('https://', scope, '/v1/messages') AS endpoint, "
            "['search', 'send_email', 'chat'][number % 3 + 1] AS tool, "
            "if(src = 1, 'rate limit exceeded', if(src = 2, 'tool failed', '')) AS message "
            "FROM (SELECT number, intDiv(intDiv(number, 2) * 2 * 86400000, %2) AS t, "
            "intDiv(t, 60000) AS minute, multiIf("
            "minute BETWEEN 100 AND 104 AND number % 4 = 0, 1, "
            "minute BETWEEN 300 AND 302 AND number % 4 = 1, 1, "
            "number IN (97232, 98180), 1, minute = 1000 AND number % 3 = 0, 2, 0) AS src "
            "FROM numbers(%2))")
            .arg(kStartMs)
            .arg(kRows),
        &ok);
    QVERIFY2(ok, out.constData());
    const InputReport r = readClickHouse(uri(), m_all, m_rules, ClickHouseReadOptions {});
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.records, std::int64_t(kRows));
}

void TestEngineClickHouseIncidents::cleanupTestCase() { m_server.stop(); }

void TestEngineClickHouseIncidents::incidentsFromCountsAreThoseOfAllRows()
{
    const std::vector<Incident> expected
        = findIncidents(m_all, countBuckets(m_all, 60000), kMergeGap);
    QVERIFY(expected.size() >= 5); // the two bursts, the two lone 429s, the tool errors

    QString error;
    const std::optional<EngineIncidents> got
        = findEngineIncidents(uri(), m_rules, kMergeGap, &error);
    QVERIFY2(got, qPrintable(error));
    QCOMPARE(got->tableRows, std::uint64_t(kRows));
    QStringList want, have;
    for (const Incident &in : expected)
        want << incidentText(in);
    for (const Incident &in : got->incidents)
        have << incidentText(in);
    QCOMPARE(have, want);
    // the lone 429s' minutes made one span, refined into two incidents from its rows
    QVERIFY(got->spans.size() < expected.size());
    // and only the rows of those few minutes were read
    QVERIFY2(got->store.size() * 20 < m_all.size(),
        qPrintable(QStringLiteral("%1 rows read").arg(got->store.size())));
}

void TestEngineClickHouseIncidents::bucketRowsComeInKeysetPages()
{
    // the first rate-limited minute's bucket, as the chart's drill-down asks for it
    const std::int64_t from = kStartMs + 100 * 60000, to = from + 60000;
    std::vector<Event> expected;
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        if (m_all.timeMs(i) >= from && m_all.timeMs(i) < to)
            expected.push_back(eventOf(m_all, i));
    }
    QVERIFY(expected.size() > 100);

    EventStore pages;
    ClickHousePage page;
    page.rows = 7;
    int pageCount = 0;
    do {
        const std::size_t before = pages.size();
        ClickHouseReadOptions options;
        options.range = TimeRange { from, to };
        options.page = &page;
        const InputReport r = readClickHouse(uri(), pages, m_rules, options);
        QVERIFY2(!r.failed(), qPrintable(r.fatal));
        QVERIFY(pages.size() - before <= 7);
        ++pageCount;
        QVERIFY(pageCount < 1000);
    } while (page.more);
    std::vector<Event> got;
    for (std::size_t i = 0; i < pages.size(); ++i)
        got.push_back(eventOf(pages, i));
    QCOMPARE(pageCount, int((expected.size() + 6) / 7) + (expected.size() % 7 == 0));
    QVERIFY(std::is_sorted(got.begin(), got.end(),
        [](const Event &a, const Event &b) { return std::get<0>(a) < std::get<0>(b); }));
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(got.size(), expected.size());
    QVERIFY(got == expected);
}

QTEST_GUILESS_MAIN(TestEngineClickHouseIncidents)
#include "tst_engine_clickhouse_incidents.moc"
