// `ratescope summarize clickhouse://…` (issue 21) against a real clickhouse-server 18.16
// started for the run (tests/clickhouseserver.h): the summary of a table is the summary of
// the same events from a file, apart from inputs[]; credentials come from CLICKHOUSE_USER /
// CLICKHOUSE_PASSWORD and are never printed.
#include "clickhouseserver.h"
#include "runbinary.h"

#include "aggregate/scopes.h"
#include "engine/clickhouseddl.h"
#include "engine/pushedrow.h"
#include "rules/ruleset.h"
#include "sources/loader.h"
#include "store/eventstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <cstdio>

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(RATESCOPE_FIXTURE_DIR "/engine/") + QLatin1String(name);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The summary JSON without inputs[] (the one part a table and a file may differ in).
QByteArray withoutInputs(const QByteArray &json)
{
    QJsonObject o = QJsonDocument::fromJson(json).object();
    o.remove(QStringLiteral("inputs"));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

class TestCliClickHouse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void langfuseTableSummarizesAsItsLog();
    void wrongPasswordIsClearAndNeverShown();
    void rowsWithoutTimeAreSkippedByKey();
    void monitorReadsEachNewRowOnce();
    void mapReadsATableWithoutAProfile();
    void ratescopeTableSummarizesAsItsFiles();

private:
    QProcessEnvironment env(const QString &password) const;
    void createObservations(const QString &table,
        const QString &timeType = QStringLiteral("DateTime"),
        const QString &orderBy = QStringLiteral("start_time, id"), bool fill = true);
    ClickHouseServer m_server;
};

QProcessEnvironment TestCliClickHouse::env(const QString &password) const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("CLICKHOUSE_USER"), QLatin1String(ClickHouseServer::kUser));
    e.insert(QStringLiteral("CLICKHOUSE_PASSWORD"), password);
    return e;
}

void TestCliClickHouse::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    bool ok = false;
    m_server.query(QStringLiteral("CREATE DATABASE rs"), &ok);
    QVERIFY(ok);
}

void TestCliClickHouse::cleanupTestCase() { m_server.stop(); }

// Langfuse v3's observations table as 18.16 can hold it: DateTime (no DateTime64) and the
// Map columns as JSON text (no Map type before 21.1).
void TestCliClickHouse::createObservations(
    const QString &table, const QString &timeType, const QString &orderBy, bool fill)
{
    bool ok = false;
    const QByteArray out = m_server.query(
        QStringLiteral("CREATE TABLE rs.%1 (id String, trace_id String, project_id String, "
                       "type String, start_time %2, end_time Nullable(DateTime), "
                       "name String, metadata String, level String, status_message String, "
                       "provided_model_name String, usage_details String) "
                       "ENGINE = MergeTree() ORDER BY (%3)")
            .arg(table, timeType, orderBy),
        &ok);
    QVERIFY2(ok, out.constData());
    if (!fill)
        return;
    const QByteArray rows = readFile(fixture("observations.jsonl"));
    QVERIFY(!rows.isEmpty());
    m_server.query(QStringLiteral("INSERT INTO rs.%1 FORMAT JSONEachRow").arg(table), &ok, rows);
    QVERIFY(ok);
}

void TestCliClickHouse::langfuseTableSummarizesAsItsLog()
{
    createObservations(QStringLiteral("observations"));
    const QString pw = QLatin1String(ClickHouseServer::kPassword);
    const BinaryRun table = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            m_server.uri(
                QStringLiteral("rs.observations"), QStringLiteral("langfuse-observations")) },
        {}, env(pw));
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    const BinaryRun file = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), fixture("observations.log.ndjson") });
    QVERIFY2(file.exitCode == 0, qPrintable(file.err));
    QCOMPARE(withoutInputs(table.out), withoutInputs(file.out));

    const QJsonObject summary = QJsonDocument::fromJson(table.out).object();
    QCOMPARE(summary.value(QStringLiteral("requests")).toInt(), 240);
    // not a trivial summary: the fixture's 429 burst is an incident
    QVERIFY(summary.value(QStringLiteral("rejected"))[QStringLiteral("total")].toInt() > 0);
    QVERIFY(!summary.value(QStringLiteral("incidents")).toArray().isEmpty());
    const QJsonObject input = summary.value(QStringLiteral("inputs"))[0].toObject();
    QCOMPARE(input.value(QStringLiteral("format")).toString(), QStringLiteral("clickhouse"));
    QCOMPARE(input.value(QStringLiteral("records")).toInt(), 240);
    QVERIFY(!table.out.contains(pw.toUtf8()));
    QVERIFY(!table.err.contains(pw));

    // without ?profile= the table's name chooses it
    const BinaryRun named
        = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
                        QStringLiteral("json"), m_server.uri(QStringLiteral("rs.observations")) },
            {}, env(pw));
    QVERIFY2(named.exitCode == 0, qPrintable(named.err));
    QCOMPARE(withoutInputs(named.out), withoutInputs(file.out));
}

void TestCliClickHouse::wrongPasswordIsClearAndNeverShown()
{
    const QString wrong = QStringLiteral("Wr0ng-s3cret");
    const BinaryRun r = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            m_server.uri(
                QStringLiteral("rs.observations"), QStringLiteral("langfuse-observations")) },
        {}, env(wrong));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("Wrong password for user default")), qPrintable(r.err));
    QVERIFY(!r.err.contains(wrong));
    QVERIFY(!r.out.contains(wrong.toUtf8()));
}

// Rows the profile cannot read (no start_time) are counted as skipped and named by their id;
// the rest summarize as the log does.
void TestCliClickHouse::rowsWithoutTimeAreSkippedByKey()
{
    createObservations(QStringLiteral("observations_gaps"), QStringLiteral("Nullable(DateTime)"),
        QStringLiteral("id"));
    const QStringList bad { QStringLiteral("obs-x-1"), QStringLiteral("obs-x-2"),
        QStringLiteral("obs-x-3") };
    QByteArray rows;
    for (const QString &id : bad)
        rows += QStringLiteral(R"({"id":"%1","trace_id":"trace-batch","type":"GENERATION",)"
                               R"("start_time":null,"name":"chat-completion","level":"ERROR",)"
                               R"("status_message":"429 Too Many Requests"})"
                               "\n")
                    .arg(id)
                    .toUtf8();
    bool ok = false;
    m_server.query(
        QStringLiteral("INSERT INTO rs.observations_gaps FORMAT JSONEachRow"), &ok, rows);
    QVERIFY(ok);
    const BinaryRun table = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            m_server.uri(
                QStringLiteral("rs.observations_gaps"), QStringLiteral("langfuse-observations")) },
        {}, env(QLatin1String(ClickHouseServer::kPassword)));
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    const QJsonObject input
        = QJsonDocument::fromJson(table.out).object().value(QStringLiteral("inputs"))[0].toObject();
    QCOMPARE(input.value(QStringLiteral("records")).toInt(), 240);
    QCOMPARE(input.value(QStringLiteral("skipped")).toInt(), bad.size());
    const QJsonArray errors = input.value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), bad.size());
    for (int i = 0; i < bad.size(); ++i) {
        const QString message = errors[i][QStringLiteral("message")].toString();
        QVERIFY2(message.contains(QStringLiteral("id=") + bad[i]), qPrintable(message));
        QVERIFY2(table.err.contains(message), qPrintable(table.err));
    }
    const BinaryRun file = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), fixture("observations.log.ndjson") });
    QCOMPARE(withoutInputs(table.out), withoutInputs(file.out));
}

// `monitor clickhouse://…` polls by time: rows inserted between polls, some with the same
// time as the last poll's newest row (one with a smaller id than the row read at that time),
// are each read once; the final summary is the log's.
void TestCliClickHouse::monitorReadsEachNewRowOnce()
{
    createObservations(QStringLiteral("live"), QStringLiteral("DateTime"),
        QStringLiteral("start_time, id"), false);
    // the fixture's rows in (time, id) order; two a second
    QList<QByteArray> rows = readFile(fixture("observations.jsonl")).split('\n');
    rows.removeAll(QByteArray());
    auto key = [](const QByteArray &row) {
        const QJsonObject o = QJsonDocument::fromJson(row).object();
        return o.value(QStringLiteral("start_time")).toString() + QLatin1Char(' ')
            + o.value(QStringLiteral("id")).toString();
    };
    std::sort(rows.begin(), rows.end(),
        [&](const QByteArray &a, const QByteArray &b) { return key(a) < key(b); });
    QCOMPARE(rows.size(), 240);
    QCOMPARE(key(rows[100]).left(19), key(rows[101]).left(19)); // one second
    // first: rows 0-99 and 101 (so the first poll ends at 101's time); then 100 (same time,
    // smaller id) and 102-169; then the rest
    QList<QByteArray> first = rows.mid(0, 100);
    first << rows[101];
    QList<QByteArray> second { rows[100] };
    second << rows.mid(102, 68);
    const QList<QByteArray> third = rows.mid(170);
    auto insert = [&](const QList<QByteArray> &batch) {
        bool ok = false;
        m_server.query(
            QStringLiteral("INSERT INTO rs.live FORMAT JSONEachRow"), &ok, batch.join('\n'));
        return ok;
    };
    QVERIFY(insert(first));

    QProcess monitor;
    monitor.setProcessEnvironment(env(QLatin1String(ClickHouseServer::kPassword)));
    monitor.start(QStringLiteral(RATESCOPE_BINARY),
        { QStringLiteral("monitor"), QStringLiteral("--poll"), QStringLiteral("0.2"),
            QStringLiteral("--format"), QStringLiteral("json"),
            m_server.uri(QStringLiteral("rs.live"), QStringLiteral("langfuse-observations")) });
    QVERIFY(monitor.waitForStarted());
    QString err;
    auto polls = [&] { return int(err.count(QStringLiteral("ratescope monitor: poll "))); };
    auto waitForPolls = [&](int n) {
        QElapsedTimer clock;
        clock.start();
        while (polls() < n && clock.elapsed() < 30000) {
            monitor.waitForReadyRead(200);
            err += QString::fromUtf8(monitor.readAllStandardError());
        }
        return polls() >= n;
    };
    // each batch after a poll, then two more polls (one may have begun before the insert)
    QVERIFY2(waitForPolls(1), qPrintable(err));
    QVERIFY(insert(second));
    QVERIFY2(waitForPolls(polls() + 2), qPrintable(err));
    QVERIFY(insert(third));
    QVERIFY2(waitForPolls(polls() + 2), qPrintable(err));
    monitor.terminate(); // SIGTERM: the summary of what was read
    QVERIFY(monitor.waitForFinished(30000));
    err += QString::fromUtf8(monitor.readAllStandardError());
    QVERIFY2(monitor.exitCode() == 0, qPrintable(err));
    const QByteArray out = monitor.readAllStandardOutput();
    QVERIFY2(err.contains(QStringLiteral("stopped (SIGTERM): 240 requests")), qPrintable(err));
    const QJsonObject input
        = QJsonDocument::fromJson(out).object().value(QStringLiteral("inputs"))[0].toObject();
    QCOMPARE(input.value(QStringLiteral("records")).toInt(), 240);
    QCOMPARE(input.value(QStringLiteral("skipped")).toInt(), 0);
    const BinaryRun file = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), fixture("observations.log.ndjson") });
    QCOMPARE(withoutInputs(out), withoutInputs(file.out));
}

// --map names the columns of a table no profile knows; a field it does not know is a usage error
// that names it.
void TestCliClickHouse::mapReadsATableWithoutAProfile()
{
    createObservations(QStringLiteral("calls"));
    const QString uri = m_server.uri(QStringLiteral("rs.calls"));
    const QProcessEnvironment e = env(QLatin1String(ClickHouseServer::kPassword));
    const BinaryRun none = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"), uri },
        {}, e);
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains(QStringLiteral("which profile reads the table \"calls\"")),
        qPrintable(none.err));
    const BinaryRun mapped = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
                                           QStringLiteral("json"), QStringLiteral("--map"),
                                           QStringLiteral("time=start_time,id=id,tool=name,"
                                                          "client=trace_id,error_message=status_"
                                                          "message,url=type"),
                                           uri },
        {}, e);
    QVERIFY2(mapped.exitCode == 0, qPrintable(mapped.err));
    const QJsonObject summary = QJsonDocument::fromJson(mapped.out).object();
    QCOMPARE(summary.value(QStringLiteral("requests")).toInt(), 240);
    const BinaryRun bad = runBinary({ QStringLiteral("summarize"), QStringLiteral("--map"),
                                        QStringLiteral("time=start_time,colour=name"), uri },
        {}, e);
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QStringLiteral("colour")), qPrintable(bad.err));
}

// A `ratescope` table (the rows push writes: the events already classified) summarizes as the
// files its events came from: every column is read back into the same event.
void TestCliClickHouse::ratescopeTableSummarizesAsItsFiles()
{
    QTemporaryDir dir;
    const QString simulated = dir.filePath(QStringLiteral("llm.ndjson"));
    const BinaryRun sim = runBinary({ QStringLiteral("simulate"), QStringLiteral("--records"),
        QStringLiteral("3000"), QStringLiteral("--rpm"), QStringLiteral("800"),
        QStringLiteral("--limit"), QStringLiteral("600"), QStringLiteral("--openai-rpm"),
        QStringLiteral("200"), QStringLiteral("-o"), simulated });
    QVERIFY2(sim.exitCode == 0, qPrintable(sim.err));
    const QStringList files { QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson"),
        simulated };

    // the rows push would write for those files' events
    EventStore store;
    const RuleSet rules = RuleSet::builtIn();
    Loader loader(store, rules);
    for (const QString &f : files)
        QVERIFY(!loader.load(f).failed());
    const ScopeIndex scopes = ScopeIndex::build(store, ScopeBy::Host);
    std::string rows;
    for (std::size_t i = 0; i < store.size(); ++i) {
        // ids in file order (the table is read in (time, id) order: ties keep the files' order)
        char id[32];
        std::snprintf(id, sizeof id, "%u:%010u", unsigned(store.file(i)), unsigned(store.line(i)));
        appendPushedEventJson(rows, store, i, id, scopes.names()[scopes.scopeOf(i)]);
        rows += '\n';
    }
    QString error;
    QVERIFY2(m_server.createEventsTable(
                 QStringLiteral("rs"), QStringLiteral("ratescope_events"), &error, false),
        qPrintable(error));
    bool ok = false;
    const QByteArray inserted
        = m_server.query(QStringLiteral("INSERT INTO rs.ratescope_events FORMAT JSONEachRow"), &ok,
            QByteArray::fromStdString(rows));
    QVERIFY2(ok, inserted.constData());

    const BinaryRun table = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            m_server.uri(QStringLiteral("rs.ratescope_events"), QStringLiteral("ratescope")) },
        {}, env(QLatin1String(ClickHouseServer::kPassword)));
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    const BinaryRun file = runBinary(QStringList { QStringLiteral("summarize"),
                                         QStringLiteral("--format"), QStringLiteral("json") }
        + files);
    QVERIFY2(file.exitCode == 0, qPrintable(file.err));
    QCOMPARE(withoutInputs(table.out), withoutInputs(file.out));
    const QJsonObject summary = QJsonDocument::fromJson(table.out).object();
    QCOMPARE(summary.value(QStringLiteral("requests")).toInt(), int(store.size()));
    QVERIFY(summary.value(QStringLiteral("rejected"))[QStringLiteral("RATE_LIMITED")].toInt() > 0);
}

QTEST_GUILESS_MAIN(TestCliClickHouse)
#include "tst_cli_clickhouse.moc"
