// `ratescope push LOG... --to clickhouse://…` (issue 21, engine/clickhousepush.h) against a
// real clickhouse-server 18.16 started for the run (clickhouseserver.h): the pushed events read
// back with the `ratescope` profile summarize to the same JSON as the log (apart from inputs);
// pushing again loads nothing (no unique key in ClickHouse: push asks which ids are there);
// the per-second rollup counts each event once; a push the server is killed under keeps its
// batches, and the same push run again loads only the rest.
#include "clickhouseserver.h"
#include "runbinary.h"
#include "testutil.h"

#include "engine/clickhousepush.h"
#include "engine/engineuri.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QByteArray withoutInputs(const QByteArray &json)
{
    QJsonObject o = QJsonDocument::fromJson(json).object();
    o.remove(QStringLiteral("inputs"));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

class TestEngineClickHousePush : public QObject
{
    Q_OBJECT

private:
    ClickHouseServer m_server;
    QTemporaryDir m_dir;

    // count() or sum(n) of a table; -1 when the query failed.
    qint64 number(const QString &sql) const
    {
        bool ok = false;
        const QByteArray out = m_server.query(sql, &ok);
        return ok ? out.trimmed().toLongLong() : -1;
    }
    qint64 rows(const QString &table) const
    {
        return number(QStringLiteral("SELECT count() FROM rs.") + table);
    }
    // The requests the per-second rollup beside the table counts.
    qint64 rolledUp(const QString &table) const
    {
        return number(QStringLiteral("SELECT sum(n) FROM rs.%1_seconds").arg(table));
    }
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("CLICKHOUSE_USER"), QLatin1String(ClickHouseServer::kUser));
        e.insert(QStringLiteral("CLICKHOUSE_PASSWORD"), QLatin1String(ClickHouseServer::kPassword));
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        bool ok = false;
        m_server.query(QStringLiteral("CREATE DATABASE rs"), &ok);
        QVERIFY(ok);
        // for the in-process pushes, as a user sets them
        qputenv("CLICKHOUSE_USER", ClickHouseServer::kUser);
        qputenv("CLICKHOUSE_PASSWORD", ClickHouseServer::kPassword);
    }

    void cleanupTestCase() { m_server.stop(); }

    void pushedTwiceReadsBackAsTheLog_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QStringList>("logs");
        QTest::addColumn<int>("batch");
        QTest::addRow("LiteLLM spend log")
            << QStringLiteral("litellm")
            << QStringList { fixture(QStringLiteral("litellm/spendlogs.ndjson")) } << 5000;
        QTest::addRow("gateway mix, batches of 50")
            << QStringLiteral("gateways")
            << QStringList { fixture(QStringLiteral("gateway_mix.ndjson")) } << 50;
        const QByteArray line = "{\"timestamp\":\"2025-08-22T10:00:00Z\",\"status\":429,"
                                "\"url\":\"https://api.example.com/v1/x\"}\n";
        QTest::addRow("identical requests")
            << QStringLiteral("twice")
            << QStringList { writeFile(
                   QDir(m_dir.path()), QStringLiteral("twice.ndjson"), line + line + line) }
            << 5000;
    }

    // Pushed (the table created by push), read back: the log's summary apart from inputs[];
    // pushed again: nothing loaded, the same rows, the rollup still counting each event once.
    void pushedTwiceReadsBackAsTheLog()
    {
        QFETCH(QString, table);
        QFETCH(QStringList, logs);
        QFETCH(int, batch);
        const BinaryRun file = runBinary(QStringList { QStringLiteral("summarize"),
                                             QStringLiteral("--format"), QStringLiteral("json") }
            + logs);
        QVERIFY2(file.exitCode == 0, qPrintable(file.err));
        const int events
            = QJsonDocument::fromJson(file.out).object().value(QStringLiteral("requests")).toInt();
        QVERIFY(events > 0);

        const QString to = m_server.uri(QStringLiteral("rs.") + table);
        const QStringList push = QStringList { QStringLiteral("push"), QStringLiteral("--to"), to,
            QStringLiteral("--batch"), QString::number(batch) }
            + logs;
        const BinaryRun first = runBinary(push, {}, env());
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY2(
            first.err.contains(QStringLiteral("%1 events, %1 loaded, 0 already there").arg(events)),
            qPrintable(first.err));
        QVERIFY(!first.err.contains(QLatin1String(ClickHouseServer::kPassword)));
        QCOMPARE(rows(table), qint64(events));
        QCOMPARE(rolledUp(table), qint64(events));

        const BinaryRun fromTable = runBinary(
            { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
                m_server.uri(QStringLiteral("rs.") + table, QStringLiteral("ratescope")) },
            {}, env());
        QVERIFY2(fromTable.exitCode == 0, qPrintable(fromTable.err));
        QCOMPARE(withoutInputs(fromTable.out), withoutInputs(file.out));

        const BinaryRun again = runBinary(push, {}, env());
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.err.contains(QStringLiteral("0 loaded, %1 already there").arg(events)),
            qPrintable(again.err));
        QCOMPARE(rows(table), qint64(events));
        QCOMPARE(rolledUp(table), qint64(events));
    }

    // The server is killed after three batches of 100: the push fails saying where, the three
    // batches are in the table, and the same push run again (the server back) loads the rest.
    void resumesAfterTheServerIsKilled()
    {
        const Loaded file = loadFiles({ fixture(QStringLiteral("litellm/spendlogs.ndjson")) });
        const std::int64_t events = std::int64_t(file.store->size());
        QVERIFY(events > 300);
        QString error;
        std::optional<EngineUri> uri
            = parseEngineUri(m_server.uri(QStringLiteral("rs.resumed")), &error);
        QVERIFY2(uri, qPrintable(error));
        PushOptions options;
        options.batchRows = 100;
        options.attempts = 2;
        options.afterBatch = [&](std::int64_t done) {
            if (done == 300)
                m_server.kill();
        };
        const PushResult broken = pushToClickHouse(*uri, *file.store, options);
        QVERIFY2(
            broken.error.contains(QStringLiteral("stopped after 300 of %1 events").arg(events)),
            qPrintable(broken.error));
        QVERIFY2(broken.error.contains(uri->display()), qPrintable(broken.error));
        QVERIFY(!broken.error.contains(QLatin1String(ClickHouseServer::kPassword)));
        QCOMPARE(broken.inserted, std::int64_t(300));

        QVERIFY2(m_server.start(&error), qPrintable(error)); // the same data, a new port
        QCOMPARE(rows(QStringLiteral("resumed")), qint64(300));
        uri = parseEngineUri(m_server.uri(QStringLiteral("rs.resumed")), &error);
        QVERIFY2(uri, qPrintable(error));
        options.afterBatch = nullptr;
        const PushResult resumed = pushToClickHouse(*uri, *file.store, options);
        QVERIFY2(resumed.error.isEmpty(), qPrintable(resumed.error));
        QCOMPARE(resumed.inserted, events - 300);
        QCOMPARE(resumed.existing, std::int64_t(300));
        QCOMPARE(rows(QStringLiteral("resumed")), qint64(events));
        QCOMPARE(rolledUp(QStringLiteral("resumed")), qint64(events));
    }
};

QTEST_GUILESS_MAIN(TestEngineClickHousePush)
#include "tst_engine_clickhousepush.moc"
