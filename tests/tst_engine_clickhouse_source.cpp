// ClickHouseSource (issue 21) against a real clickhouse-server 18.16 started for the run: a
// table is read in keyset pages, and whatever the page size every row is read exactly once,
// rows at a page's edge with the same time included, with ids and without (--map), and rows
// without a time are skipped by their key even when they sort after many pages.
#include "clickhouseserver.h"

#include "engine/clickhousesource.h"
#include "engine/engineuri.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QtTest>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace {

using Event = std::tuple<std::int64_t, int, std::string, std::string, std::string>;

// The store's events as a sorted list (time, status, tool, client, message): what a read gave,
// whatever order it came in.
std::vector<Event> eventsOf(const EventStore &s)
{
    std::vector<Event> out;
    for (std::size_t i = 0; i < s.size(); ++i)
        out.emplace_back(s.timeMs(i), s.status(i), std::string(s.tool(i)), std::string(s.client(i)),
            std::string(s.message(i)));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestEngineClickHouseSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void everyRowOnceWhateverThePage_data();
    void everyRowOnceWhateverThePage();

private:
    struct Read
    {
        InputReport report;
        std::vector<Event> events;
    };
    Read read(const QString &uri, int pageRows, const QString &map = {});
    ClickHouseServer m_server;
};

TestEngineClickHouseSource::Read TestEngineClickHouseSource::read(
    const QString &uri, int pageRows, const QString &map)
{
    QString error;
    const std::optional<EngineUri> u = parseEngineUri(uri, &error);
    if (!u)
        qFatal("%s", qPrintable(error));
    ClickHouseReadOptions options;
    options.pageRows = pageRows;
    if (!map.isEmpty())
        options.map = parseColumnMap(map, &error);
    EventStore store;
    const RuleSet rules = RuleSet::builtIn();
    Read r;
    r.report = readClickHouse(*u, store, rules, options);
    r.events = eventsOf(store);
    return r;
}

void TestEngineClickHouseSource::initTestCase()
{
    qputenv("CLICKHOUSE_USER", ClickHouseServer::kUser);
    qputenv("CLICKHOUSE_PASSWORD", ClickHouseServer::kPassword);
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    QFile f(QStringLiteral(RATESCOPE_FIXTURE_DIR "/engine/observations.jsonl"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray rows = f.readAll();
    bool ok = false;
    for (const QString &sql : {
             QStringLiteral("CREATE DATABASE rs"),
             QStringLiteral("CREATE TABLE rs.observations (id String, trace_id String, project_id "
                            "String, metadata String, "
                            "type String, start_time Nullable(DateTime), "
                            "end_time Nullable(DateTime), name String, level String, "
                            "status_message String, provided_model_name String, "
                            "usage_details String) ENGINE = MergeTree() ORDER BY id"),
         }) {
        const QByteArray out = m_server.query(sql, &ok);
        QVERIFY2(ok, out.constData());
    }
    m_server.query(QStringLiteral("INSERT INTO rs.observations FORMAT JSONEachRow"), &ok, rows);
    QVERIFY(ok);
    // three rows the profile cannot read: they sort after every page (ClickHouse puts NULLs
    // last), so a reader that pages by time alone never sees them
    m_server.query(QStringLiteral("INSERT INTO rs.observations (id, start_time, name) VALUES "
                                  "('obs-x-1', NULL, 'a'), ('obs-x-2', NULL, 'b'), "
                                  "('obs-x-3', NULL, 'c')"),
        &ok);
    QVERIFY(ok);
}

void TestEngineClickHouseSource::cleanupTestCase() { m_server.stop(); }

void TestEngineClickHouseSource::everyRowOnceWhateverThePage_data()
{
    QTest::addColumn<int>("pageRows");
    QTest::addColumn<QString>("map");
    for (const int page : { 1, 4, 7, 239, 240 }) {
        QTest::addRow("ids, page %d", page) << page << QString();
        // no id: a page that ends inside a second takes that second whole
        QTest::addRow("no ids, page %d", page)
            << page
            << QStringLiteral("time=start_time,tool=name,client=trace_id,"
                              "error_message=status_message,status=level");
    }
}

void TestEngineClickHouseSource::everyRowOnceWhateverThePage()
{
    QFETCH(int, pageRows);
    QFETCH(QString, map);
    const QString uri
        = m_server.uri(QStringLiteral("rs.observations"), QStringLiteral("langfuse-observations"));
    const Read whole = read(uri, 1000000, map);
    QVERIFY2(!whole.report.failed(), qPrintable(whole.report.fatal));
    QCOMPARE(whole.report.records, std::int64_t(240));
    QCOMPARE(whole.events.size(), std::size_t(240));

    const Read paged = read(uri, pageRows, map);
    QVERIFY2(!paged.report.failed(), qPrintable(paged.report.fatal));
    QCOMPARE(paged.report.records, whole.report.records);
    QVERIFY(paged.events == whole.events);
    // the rows without a time: skipped, each named (by its id when the profile has one)
    QCOMPARE(paged.report.skipped, std::int64_t(3));
    QCOMPARE(paged.report.errors.size(), std::size_t(3));
    if (map.isEmpty()) {
        for (int i = 0; i < 3; ++i)
            QVERIFY2(paged.report.errors[std::size_t(i)].message.contains(
                         QStringLiteral("id=obs-x-%1").arg(i + 1)),
                qPrintable(paged.report.errors[std::size_t(i)].message));
    }
}

QTEST_GUILESS_MAIN(TestEngineClickHouseSource)
#include "tst_engine_clickhouse_source.moc"
