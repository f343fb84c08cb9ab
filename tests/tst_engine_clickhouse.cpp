// ClickHouse as a source (issue 21), against a real clickhouse-server 18.16 started for the run
// (tests/clickhouseserver.h): the HTTP client, its faults, the newest query winning.
#include "clickhouseserver.h"

#include "engine/clickhouseclient.h"

#include <QSignalSpy>
#include <QtTest>

#include <atomic>
#include <string>
#include <vector>

class TestEngineClickHouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void serverMessage_data();
    void serverMessage();
    void selectStreamsRows();
    void queryErrors_data();
    void queryErrors();
    void newerQueryAbortsOlder();
    void cancelFlagStopsQuery();
    void serverStoppedMidQuery();

private:
    ClickHouseTarget target(const QString &table = QStringLiteral("t")) const;
    ClickHouseServer m_server;
};

ClickHouseTarget TestEngineClickHouse::target(const QString &table) const
{
    ClickHouseTarget t;
    t.port = m_server.port();
    t.database = QStringLiteral("rs");
    t.table = table;
    t.user = QLatin1String(ClickHouseServer::kUser);
    t.password = QLatin1String(ClickHouseServer::kPassword);
    return t;
}

void TestEngineClickHouse::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    bool ok = false;
    QCOMPARE(
        m_server.query(QStringLiteral("SELECT version()"), &ok).trimmed(), QByteArray("18.16.1"));
    m_server.query(QStringLiteral("CREATE DATABASE rs"), &ok);
    QVERIFY(ok);
}

void TestEngineClickHouse::cleanupTestCase() { m_server.stop(); }

void TestEngineClickHouse::serverMessage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("code");
    QTest::addRow("18.16 wrong password")
        << QByteArray("Code: 193, e.displayText() = DB::Exception: Wrong password for user "
                      "default, e.what() = DB::Exception\n")
        << QStringLiteral("Wrong password for user default (code 193)") << 193;
    QTest::addRow("newer server") << QByteArray(
        "Code: 60. DB::Exception: Table rs.x does not exist. (UNKNOWN_TABLE) "
        "(version 23.8.1.1)")
                                  << QStringLiteral(
                                         "Table rs.x does not exist. (UNKNOWN_TABLE) (code 60)")
                                  << 60;
    QTest::addRow("not ClickHouse's words")
        << QByteArray("Bad Gateway\n") << QStringLiteral("Bad Gateway") << 0;
}

void TestEngineClickHouse::serverMessage()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QFETCH(int, code);
    int got = -1;
    QCOMPARE(clickhouse::serverMessage(body, &got), expected);
    QCOMPARE(got, code);
}

void TestEngineClickHouse::selectStreamsRows()
{
    ClickHouseClient client(target());
    std::vector<std::string> rows;
    const ClickHouseResult r = client.select(
        QStringLiteral(
            "SELECT number AS n, toString(number) AS s FROM system.numbers LIMIT 300000"),
        [&](std::string_view row) {
            rows.emplace_back(row);
            return true;
        });
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.rows, std::uint64_t(300000));
    QCOMPARE(rows.size(), std::size_t(300000));
    QCOMPARE(rows.front(), std::string(R"({"n":"0","s":"0"})")); // 64-bit integers come quoted
    QCOMPARE(rows.back(), std::string(R"({"n":"299999","s":"299999"})"));
}

void TestEngineClickHouse::queryErrors_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("expected"); // a part of the message
    QTest::addColumn<int>("rowsBefore");
    QTest::addRow("wrong password")
        << QStringLiteral("default") << QStringLiteral("hunter2-Wrong")
        << QStringLiteral("SELECT 1")
        << QStringLiteral("ClickHouse refused user \"default\": Wrong password for user default "
                          "(code 193) (the credentials come from CLICKHOUSE_USER and "
                          "CLICKHOUSE_PASSWORD)")
        << 0;
    QTest::addRow("no password")
        << QStringLiteral("default") << QString() << QStringLiteral("SELECT 1")
        << QStringLiteral("ClickHouse refused user \"default\": Password required for user default "
                          "(code 194)")
        << 0;
    QTest::addRow("unknown user")
        << QStringLiteral("nobody") << QStringLiteral("hunter2-Wrong") << QStringLiteral("SELECT 1")
        << QStringLiteral("ClickHouse refused user \"nobody\": Unknown user nobody (code 192)")
        << 0;
    QTest::addRow("unknown table")
        << QString() << QString() << QStringLiteral("SELECT * FROM rs.missing")
        << QStringLiteral("ClickHouse refused the query: Table rs.missing doesn't exist. (code 60)")
        << 0;
    QTest::addRow("exception after rows were sent")
        << QString() << QString()
        << QStringLiteral("SELECT number, throwIf(number = 150000) AS x FROM system.numbers "
                          "LIMIT 200000")
        << QStringLiteral("ClickHouse stopped the query after") << 1;
}

void TestEngineClickHouse::queryErrors()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    QFETCH(int, rowsBefore);
    ClickHouseTarget t = target();
    if (!user.isEmpty()) {
        t.user = user;
        t.password = password;
    }
    ClickHouseClient client(t);
    std::uint64_t seen = 0;
    const ClickHouseResult r = client.select(sql, [&](std::string_view) {
        ++seen;
        return true;
    });
    QVERIFY(!r.ok);
    QVERIFY2(r.error.startsWith(t.name() + QStringLiteral(": ")), qPrintable(r.error));
    QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    QVERIFY2(!r.error.contains(QLatin1String("hunter2")), qPrintable(r.error));
    QVERIFY2(!r.error.contains(QLatin1String(ClickHouseServer::kPassword)), qPrintable(r.error));
    QCOMPARE(seen > 0, rowsBefore > 0);
    QCOMPARE(r.rows, seen);
}

// A zoom while a slow query runs: the older reply is aborted and killed on the server (18.16
// would go on running it), only the newer one's result is given.
void TestEngineClickHouse::newerQueryAbortsOlder()
{
    ClickHouseQueryRunner runner(target());
    QSignalSpy finished(&runner, &ClickHouseQueryRunner::finished);
    QSignalSpy failed(&runner, &ClickHouseQueryRunner::failed);
    QSignalSpy aborted(&runner, &ClickHouseQueryRunner::aborted);
    QVERIFY(finished.isValid() && failed.isValid() && aborted.isValid());
    // 10 blocks of one row, 3 s each (18.16 sleeps at most 3 s per block): 30 s if not stopped
    const quint64 slow = runner.submit(
        QStringLiteral("SELECT sleepEachRow(3) AS s, 'slow' AS q FROM system.numbers LIMIT 10 "
                       "SETTINGS max_block_size = 1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_server.query(QStringLiteral("SELECT count() FROM system.processes "
                                      "WHERE query LIKE '%sleepEachRow(3)%' "
                                      "AND query NOT LIKE '%system.processes%'"))
                .trimmed()
            == "1",
        10000);
    QElapsedTimer clock;
    clock.start();
    const quint64 fast = runner.submit(QStringLiteral("SELECT 'fast' AS q"));
    QVERIFY(fast > slow);
    QVERIFY(finished.count() > 0 || finished.wait(10000));
    QVERIFY2(clock.elapsed() < 3000, "the newer query waited for the older");
    QCOMPARE(aborted.count(), 1);
    QCOMPARE(aborted.at(0).at(0).toULongLong(), slow);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), fast);
    QCOMPARE(finished.at(0).at(1).toByteArray(), QByteArray("{\"q\":\"fast\"}\n"));
    QCOMPARE(failed.count(), 0);
    // and the server stopped the slow one (KILL QUERY after its reply was aborted)
    QTRY_VERIFY_WITH_TIMEOUT(
        m_server.query(QStringLiteral("SELECT count() FROM system.processes "
                                      "WHERE query LIKE '%sleepEachRow(3)%' "
                                      "AND query NOT LIKE '%system.processes%'"))
                .trimmed()
            == "0",
        10000);
}

void TestEngineClickHouse::cancelFlagStopsQuery()
{
    ClickHouseClient client(target());
    std::atomic<bool> cancel { false };
    QTimer::singleShot(300, [&] { cancel = true; });
    QElapsedTimer clock;
    clock.start();
    const ClickHouseResult r = client.select(
        QStringLiteral("SELECT sleepEachRow(3) AS s FROM system.numbers LIMIT 10 "
                       "SETTINGS max_block_size = 1"),
        [](std::string_view) { return true; }, &cancel);
    QVERIFY(!r.ok);
    QVERIFY(r.cancelled);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(r.error.endsWith(QLatin1String("the query was cancelled")), qPrintable(r.error));
}

// The server goes away while a query runs: a clear error naming the source, no crash. (What
// was read before is kept: tested with paging, where rows of earlier pages are in the store.)
void TestEngineClickHouse::serverStoppedMidQuery()
{
    ClickHouseServer doomed;
    QString error;
    QVERIFY2(doomed.start(&error), qPrintable(error));
    ClickHouseTarget t = target();
    t.port = doomed.port();
    t.database = QStringLiteral("default");
    ClickHouseClient client(t);
    QTimer::singleShot(500, [&] { doomed.kill(); });
    const ClickHouseResult r = client.select(
        QStringLiteral("SELECT sleep(3) AS s"), [](std::string_view) { return true; });
    QVERIFY(!r.ok);
    // Qt sends a request again once when the connection closes before any answer, so the
    // message is either; both say what to look at
    QVERIFY2(r.error.contains(QLatin1String("closed the connection before answering (was the "
                                            "server stopped?)"))
            || r.error.contains(QLatin1String("connection refused: is the server running?")),
        qPrintable(r.error));
    QVERIFY2(r.error.startsWith(t.name()), qPrintable(r.error));
    // and the next query says the server is not there
    const ClickHouseResult again
        = client.select(QStringLiteral("SELECT 1 AS one"), [](std::string_view) { return true; });
    QVERIFY(!again.ok);
    QVERIFY2(again.error.contains(QLatin1String("connection refused")), qPrintable(again.error));
}

QTEST_GUILESS_MAIN(TestEngineClickHouse)
#include "tst_engine_clickhouse.moc"
