// PostgreSQL tables as inputs (issue 21), against a real PostgreSQL started by the test
// (pgserver.h): LiteLLM's spend log, loaded from tests/fixtures/litellm/spendlogs.json (rows
// in the shape of LiteLLM's LiteLLM_SpendLogs), summarizes to the same JSON as the same
// requests written as a log file (spendlogs.ndjson, made independently by make_spendlogs.py),
// apart from inputs[].
#include "engine/engineuri.h"
#include "engine/pgsource.h"
#include "pgserver.h"
#include "runbinary.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// The summary JSON without its "inputs" section (the only part that names where the events
// came from), byte for byte otherwise.
QByteArray withoutInputs(const QByteArray &json)
{
    const qsizetype start = json.indexOf("\n  \"inputs\": [");
    const qsizetype end = json.indexOf("\n  ],", start);
    if (start < 0 || end < 0)
        return json;
    return json.left(start) + json.mid(end + 5);
}

QProcessEnvironment withPassword(const QString &password)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), password);
    return env;
}

} // namespace

class TestEnginePg : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QString m_spendLogs; // the URI of the fixture table

private Q_SLOTS:
    void initTestCase()
    {
        PG_START_WITH_LITELLM_OR_SKIP(m_pg);
        m_spendLogs = m_pg.uri(QStringLiteral("litellm"),
            QStringLiteral("table=LiteLLM_SpendLogs&profile=litellm-spendlogs"));
    }

    // The done-when of issue 21: the table and the file give the same summary.
    void summaryOfTableEqualsFile()
    {
        const QString file = fixture(QStringLiteral("litellm/spendlogs.ndjson"));
        const BinaryRun fromFile = runBinary({ QStringLiteral("summarize"),
            QStringLiteral("--format"), QStringLiteral("json"), file });
        QCOMPARE(fromFile.exitCode, 0);
        const BinaryRun fromTable
            = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
                            QStringLiteral("json"), m_spendLogs },
                {}, withPassword(m_pg.password()));
        QVERIFY2(fromTable.exitCode == 0, qPrintable(fromTable.err));
        QVERIFY2(fromTable.err.isEmpty(), qPrintable(fromTable.err));

        const QJsonObject table = QJsonDocument::fromJson(fromTable.out).object();
        const QJsonObject input = table[QStringLiteral("inputs")].toArray().at(0).toObject();
        QCOMPARE(input[QStringLiteral("format")].toString(), QStringLiteral("postgresql"));
        const int lines = int(readAll(file).count('\n'));
        QCOMPARE(input[QStringLiteral("records")].toInt(), lines);
        QCOMPARE(input[QStringLiteral("skipped")].toInt(), 0);
        QVERIFY(!fromTable.out.contains(m_pg.password().toUtf8()));
        // the fixture has both kinds of 429 (the proxy's own limiter and the providers'):
        // the comparison below covers their split
        const QJsonObject rejected = table[QStringLiteral("rejected")].toObject();
        QVERIFY(rejected[QStringLiteral("RATE_LIMITED")].toInt() > 0);
        QVERIFY(rejected[QStringLiteral("TOOL_ERROR")].toInt() > 0);

        QCOMPARE(withoutInputs(fromTable.out), withoutInputs(fromFile.out));
        QVERIFY(withoutInputs(fromFile.out) != fromFile.out); // the cut did cut something
    }

    // `check` gates the table as it gates the file: the same verdict, the same words.
    void checkOfTableEqualsFile()
    {
        const QString file = fixture(QStringLiteral("litellm/spendlogs.ndjson"));
        for (const char *rate : { "0.05", "0.5" }) {
            const QStringList args { QStringLiteral("check"), QStringLiteral("--max-429-rate"),
                QLatin1String(rate), QStringLiteral("--format"), QStringLiteral("json") };
            const BinaryRun fromFile = runBinary(args + QStringList { file });
            const BinaryRun fromTable
                = runBinary(args + QStringList { m_spendLogs }, {}, withPassword(m_pg.password()));
            QCOMPARE(fromTable.exitCode, fromFile.exitCode);
            QCOMPARE(fromTable.out, fromFile.out);
            QVERIFY(fromFile.out.contains("\"passed\""));
        }
        // 0.05: the proxy's scope is over it (17 % of its requests were 429s); 0.5: not
        QCOMPARE(runBinary({ QStringLiteral("check"), QStringLiteral("--max-429-rate"),
                               QStringLiteral("0.05"), m_spendLogs },
                     {}, withPassword(m_pg.password()))
                     .exitCode,
            1);
    }

    // A wrong password, from PGPASSWORD or in the URI: exit status 1, a message that names the
    // table and says why, and the password nowhere in what the program writes.
    void wrongPasswordIsClearAndNeverShown()
    {
        const QString wrong = QStringLiteral("Wrong-Pass-4711");
        const BinaryRun fromEnv
            = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
                            QStringLiteral("json"), m_spendLogs },
                {}, withPassword(wrong));
        QCOMPARE(fromEnv.exitCode, 1);
        QVERIFY2(fromEnv.err.contains(m_spendLogs), qPrintable(fromEnv.err));
        QVERIFY2(fromEnv.err.contains(QStringLiteral("password authentication failed")),
            qPrintable(fromEnv.err));
        QVERIFY(!fromEnv.err.contains(wrong) && !fromEnv.out.contains(wrong.toUtf8()));

        QString inUri = m_spendLogs;
        inUri.replace(QStringLiteral("ratescope@"), QStringLiteral("ratescope:") + wrong + '@');
        QVERIFY(inUri.contains(wrong));
        const BinaryRun fromUri = runBinary({ QStringLiteral("summarize"),
            QStringLiteral("--format"), QStringLiteral("json"), inUri });
        QCOMPARE(fromUri.exitCode, 1);
        QVERIFY2(fromUri.err.contains(QStringLiteral("ratescope:***@127.0.0.1")),
            qPrintable(fromUri.err));
        QVERIFY2(fromUri.err.contains(QStringLiteral("password authentication failed")),
            qPrintable(fromUri.err));
        QVERIFY(!fromUri.err.contains(wrong) && !fromUri.out.contains(wrong.toUtf8()));
        // and the right password in the URI works (the URI's password is used, not just hidden)
        QString rightUri = m_spendLogs;
        rightUri.replace(
            QStringLiteral("ratescope@"), QStringLiteral("ratescope:") + m_pg.password() + '@');
        const BinaryRun right = runBinary({ QStringLiteral("summarize"), QStringLiteral("--format"),
            QStringLiteral("json"), rightUri });
        QVERIFY2(right.exitCode == 0, qPrintable(right.err));
        QVERIFY(!right.out.contains(m_pg.password().toUtf8()));
    }

    // A table of some other gateway read with --map: rows without a usable time are skipped,
    // counted and named by their id; the others are read.
    void unreadableRowsAreSkippedAndNamed()
    {
        QString error;
        QVERIFY2(m_pg.exec(QStringLiteral("litellm"),
                     QStringLiteral(
                         "CREATE TABLE gateway_log (id text PRIMARY KEY, ts text, status int, "
                         "path text);\n"
                         "INSERT INTO gateway_log VALUES "
                         "('ok-1', '2025-08-22T10:00:01Z', 200, 'https://api.example.com/a'), "
                         "('ok-2', '2025-08-22T10:00:02Z', 429, 'https://api.example.com/a'), "
                         "('bad-garbled', 'yesterday at noon', 200, 'https://api.example.com/a'), "
                         "('bad-null', NULL, 200, 'https://api.example.com/a'), "
                         "('ok-3', '2025-08-22T10:01:00Z', 200, 'https://api.example.com/b')"),
                     &error),
            qPrintable(error));
        const BinaryRun r = runBinary(
            { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
                QStringLiteral("--map"), QStringLiteral("time=ts,id=id,status=status,url=path"),
                m_pg.uri(QStringLiteral("litellm"), QStringLiteral("table=gateway_log")) },
            {}, withPassword(m_pg.password()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err)); // bad rows are never fatal
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        const QJsonObject input = summary[QStringLiteral("inputs")].toArray().at(0).toObject();
        QCOMPARE(input[QStringLiteral("records")].toInt(), 3);
        QCOMPARE(input[QStringLiteral("skipped")].toInt(), 2);
        QCOMPARE(summary[QStringLiteral("requests")].toInt(), 3);
        QString messages;
        for (const QJsonValue &e : input[QStringLiteral("errors")].toArray())
            messages += e[QStringLiteral("message")].toString() + '\n';
        QVERIFY2(messages.contains(QStringLiteral("id=bad-garbled")), qPrintable(messages));
        QVERIFY2(messages.contains(QStringLiteral("id=bad-null")), qPrintable(messages));
        QVERIFY2(!messages.contains(QStringLiteral("ok-")), qPrintable(messages));
        QVERIFY2(r.err.contains(QStringLiteral("id=bad-garbled")), qPrintable(r.err));
    }

    // The server goes away between two pages of a read: the input fails with a message that
    // says so and how many rows were read, and those rows are kept.
    void serverStoppedMidReadKeepsRows()
    {
        QString error;
        QString withPasswordUri = m_spendLogs;
        withPasswordUri.replace(
            QStringLiteral("ratescope@"), QStringLiteral("ratescope:") + m_pg.password() + '@');
        const auto uri = parseEngineUri(withPasswordUri, &error);
        QVERIFY2(uri, qPrintable(error));
        EventStore store;
        const RuleSet rules = RuleSet::builtIn();
        EngineReadOptions options;
        options.pageRows = 100;
        int pages = 0;
        options.progress = [&](std::uint64_t) {
            if (++pages == 2)
                m_pg.stop();
        };
        const InputReport report = readPostgres(*uri, store, rules, options);
        QCOMPARE(pages, 2);
        QVERIFY(report.failed());
        QVERIFY2(report.fatal.contains(QStringLiteral("after 200 rows (those are kept)")),
            qPrintable(report.fatal));
        QVERIFY2(report.fatal.contains(uri->display()), qPrintable(report.fatal));
        QVERIFY(!report.fatal.contains(m_pg.password()));
        QCOMPARE(report.records, std::int64_t(200));
        QCOMPARE(store.size(), std::size_t(200));
        QVERIFY2(m_pg.startServer(&error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEnginePg)
#include "tst_engine_pg.moc"
