// `ratescope monitor postgresql://…` (issue 21: polling new rows every N s by time, with no row
// missed or counted twice across polls), against a real PostgreSQL (pgserver.h): LiteLLM's spend
// log fixture inserted in three batches while the monitor polls, the second batch holding rows
// with the very time of the first poll's newest row (ids before and after the one read at it).
// The monitor's summary is the summary of the whole table, byte for byte apart from inputs[],
// and it read every row once. The same polls in-process (readPostgres with a PollCursor) with
// pages of 3 rows, so that pages end at the cursor's time.
#include "engine/engineuri.h"
#include "engine/pgsource.h"
#include "engine/pollcursor.h"
#include "pgserver.h"
#include "runbinary.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

#include <algorithm>

namespace {

QByteArray withoutInputs(const QByteArray &json)
{
    QJsonObject o = QJsonDocument::fromJson(json).object();
    o.remove(QStringLiteral("inputs"));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QString key(const QJsonObject &row)
{
    return row.value(QStringLiteral("startTime")).toString() + QLatin1Char(' ')
        + row.value(QStringLiteral("request_id")).toString();
}

// The fixture's rows in (startTime, request_id) order.
QList<QJsonObject> fixtureRows()
{
    QFile f(fixture(QStringLiteral("litellm/spendlogs.json")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read spendlogs.json");
    QList<QJsonObject> rows;
    for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).array())
        rows << v.toObject();
    std::sort(rows.begin(), rows.end(),
        [](const QJsonObject &a, const QJsonObject &b) { return key(a) < key(b); });
    return rows;
}

// A copy of `row` with another id, at `time`: a request logged in the same millisecond as
// another (ids in the C collation of the test's database: "a-…" sorts before "chatcmpl-…",
// "z-…" after).
QJsonObject atTime(QJsonObject row, const QString &time, const QString &idPrefix)
{
    row.insert(QStringLiteral("request_id"),
        idPrefix + row.value(QStringLiteral("request_id")).toString());
    row.insert(QStringLiteral("startTime"), time);
    row.insert(QStringLiteral("endTime"), time);
    return row;
}

// The three batches of a scenario: the first poll reads `first`; `second` (inserted after it)
// holds `sameTime` rows with the time of the first batch's newest row.
struct Batches
{
    QList<QJsonObject> first, second, third;
    int total() const { return int(first.size() + second.size() + third.size()); }
};

Batches makeBatches(const QStringList &sameTimePrefixes)
{
    const QList<QJsonObject> rows = fixtureRows();
    Batches b;
    b.first = rows.mid(0, 400);
    const QString lastTime = b.first.back().value(QStringLiteral("startTime")).toString();
    for (qsizetype i = 0; i < sameTimePrefixes.size(); ++i)
        b.second << atTime(rows[400 + i], lastTime, sameTimePrefixes[i]);
    b.second << rows.mid(400 + sameTimePrefixes.size(), 400);
    b.third = rows.mid(800 + sameTimePrefixes.size());
    return b;
}

} // namespace

class TestEnginePgMonitor : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QProcessEnvironment m_env;
    int m_databases = 0;

    // A new database holding an empty LiteLLM_SpendLogs; its name.
    QString newTable()
    {
        const QString db = QStringLiteral("live%1").arg(++m_databases);
        QFile schema(fixture(QStringLiteral("litellm/schema.sql")));
        QString error;
        if (!schema.open(QIODevice::ReadOnly)
            || !m_pg.exec(
                QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE ") + db, &error)
            || !m_pg.exec(db, QString::fromUtf8(schema.readAll()), &error))
            qWarning("cannot make the table: %s", qPrintable(error));
        return db;
    }

    bool insert(const QString &db, const QList<QJsonObject> &rows)
    {
        QJsonArray array;
        for (const QJsonObject &r : rows)
            array.append(r);
        const QString name = QStringLiteral("insert");
        bool ok = false;
        {
            QSqlDatabase d = m_pg.connect(name, db);
            QSqlQuery q(d);
            q.prepare(
                QStringLiteral("INSERT INTO \"LiteLLM_SpendLogs\" SELECT * FROM "
                               "json_populate_recordset(NULL::\"LiteLLM_SpendLogs\", ?::json)"));
            q.addBindValue(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
            ok = q.exec();
            if (!ok)
                qWarning("%s", qPrintable(q.lastError().text()));
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }

    QString tableUri(const QString &db) const
    {
        return m_pg.uri(db, QStringLiteral("table=LiteLLM_SpendLogs&profile=litellm-spendlogs"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        PG_START_OR_SKIP(m_pg);
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("PGPASSWORD"), m_pg.password());
    }

    void monitorReadsEachRowOnce_data()
    {
        QTest::addColumn<QStringList>("sameTime"); // id prefixes of rows at the last poll's time
        QTest::addRow("new times only") << QStringList {};
        QTest::addRow("same time, smaller id") << QStringList { QStringLiteral("a-") };
        QTest::addRow("same time, larger id") << QStringList { QStringLiteral("z-") };
        QTest::addRow("same time, ids either side")
            << QStringList { QStringLiteral("a-"), QStringLiteral("z-"), QStringLiteral("zz-") };
    }

    // Three batches inserted while `monitor` polls every 0.2 s; SIGTERM; its summary is
    // summarize's of the table, and it read each row once.
    void monitorReadsEachRowOnce()
    {
        QFETCH(QStringList, sameTime);
        const Batches batches = makeBatches(sameTime);
        const QString db = newTable();
        QVERIFY(insert(db, batches.first));

        QProcess monitor;
        monitor.setProcessEnvironment(m_env);
        monitor.start(QStringLiteral(RATESCOPE_BINARY),
            { QStringLiteral("monitor"), QStringLiteral("--poll"), QStringLiteral("0.2"),
                QStringLiteral("--format"), QStringLiteral("json"), tableUri(db) });
        QVERIFY(monitor.waitForStarted());
        QString err;
        auto polls = [&] { return int(err.count(QStringLiteral("ratescope monitor: poll "))); };
        auto waitForPolls = [&](int n) {
            QElapsedTimer clock;
            clock.start();
            while (polls() < n && clock.elapsed() < 60000 && monitor.state() == QProcess::Running) {
                monitor.waitForReadyRead(200);
                err += QString::fromUtf8(monitor.readAllStandardError());
            }
            return polls() >= n;
        };
        // each batch after a poll, then two more polls (one may have begun before the insert)
        QVERIFY2(waitForPolls(1), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("poll 1: %1 new rows").arg(batches.first.size())),
            qPrintable(err));
        QVERIFY(insert(db, batches.second));
        QVERIFY2(waitForPolls(polls() + 2), qPrintable(err));
        QVERIFY(insert(db, batches.third));
        QVERIFY2(waitForPolls(polls() + 2), qPrintable(err));
        monitor.terminate(); // SIGTERM: the summary of what was read
        QVERIFY(monitor.waitForFinished(60000));
        err += QString::fromUtf8(monitor.readAllStandardError());
        QVERIFY2(monitor.exitCode() == 0, qPrintable(err));
        const QByteArray out = monitor.readAllStandardOutput();
        QVERIFY2(
            err.contains(QStringLiteral("stopped (SIGTERM): %1 requests").arg(batches.total())),
            qPrintable(err));
        QVERIFY(!err.contains(m_pg.password()) && !out.contains(m_pg.password().toUtf8()));

        const QJsonObject summary = QJsonDocument::fromJson(out).object();
        const QJsonObject input = summary.value(QStringLiteral("inputs"))[0].toObject();
        QCOMPARE(input.value(QStringLiteral("format")).toString(), QStringLiteral("postgresql"));
        QCOMPARE(input.value(QStringLiteral("records")).toInt(), batches.total());
        QCOMPARE(input.value(QStringLiteral("skipped")).toInt(), 0);
        QCOMPARE(input.value(QStringLiteral("duplicates")).toInt(), 0);

        const BinaryRun table = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
                                              QStringLiteral("json"), tableUri(db) },
            {}, m_env);
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QCOMPARE(
            QJsonDocument::fromJson(table.out).object().value(QStringLiteral("requests")).toInt(),
            batches.total());
        QCOMPARE(withoutInputs(out), withoutInputs(table.out));
        // not a trivial summary: the fixture's 429s of both kinds are in it
        QVERIFY(
            summary.value(QStringLiteral("rejected"))[QStringLiteral("RATE_LIMITED")].toInt() > 0);
    }

    // The same in-process, with pages of 3 rows: each poll's condition holds in every page (a
    // page may end at the cursor's time), and each row is read once.
    void pollsInPagesReadEachRowOnce_data()
    {
        QTest::addColumn<QStringList>("sameTime");
        QTest::addColumn<int>("pageRows");
        QTest::addRow("pages of 3, ids either side")
            << QStringList { QStringLiteral("a-"), QStringLiteral("b-"), QStringLiteral("z-") }
            << 3;
        QTest::addRow("one page a poll, ids either side")
            << QStringList { QStringLiteral("a-"), QStringLiteral("z-") } << 50000;
    }

    void pollsInPagesReadEachRowOnce()
    {
        QFETCH(QStringList, sameTime);
        QFETCH(int, pageRows);
        const Batches batches = makeBatches(sameTime);
        const QString db = newTable();
        QString error;
        QString text = tableUri(db);
        text.replace(QStringLiteral("ratescope@"),
            QStringLiteral("ratescope:") + m_pg.password() + QLatin1Char('@'));
        const std::optional<EngineUri> uri = parseEngineUri(text, &error);
        QVERIFY2(uri, qPrintable(error));

        EventStore store;
        const RuleSet rules = RuleSet::builtIn();
        PollCursor cursor;
        EngineReadOptions options;
        options.pageRows = pageRows;
        options.cursor = &cursor;
        std::int64_t records = 0;
        auto poll = [&] {
            const InputReport r = readPostgres(*uri, store, rules, options);
            options.storeFile = r.storeFile;
            options.rowsBefore += std::uint64_t(r.records + r.skipped);
            records += r.records;
            return r;
        };
        QVERIFY(poll().records == 0); // an empty table
        QVERIFY(insert(db, batches.first));
        QCOMPARE(poll().records, std::int64_t(batches.first.size()));
        QCOMPARE(cursor.idsAtTime.size(), 1);
        QVERIFY(insert(db, batches.second));
        QCOMPARE(poll().records, std::int64_t(batches.second.size()));
        QCOMPARE(poll().records, std::int64_t(0)); // nothing new
        QVERIFY(insert(db, batches.third));
        QCOMPARE(poll().records, std::int64_t(batches.third.size()));
        QCOMPARE(records, std::int64_t(batches.total()));
        QCOMPARE(std::int64_t(store.size()), records);
    }
};

QTEST_GUILESS_MAIN(TestEnginePgMonitor)
#include "tst_engine_pgmonitor.moc"
