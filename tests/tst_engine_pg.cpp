// PostgreSQL tables as inputs (issue 21), against a real PostgreSQL started by the test
// (pgserver.h): LiteLLM's spend log, loaded from tests/fixtures/litellm/spendlogs.json (rows
// in the shape of LiteLLM's LiteLLM_SpendLogs), summarizes to the same JSON as the same
// requests written as a log file (spendlogs.ndjson, made independently by make_spendlogs.py),
// apart from inputs[].
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
        const QString why = PgServer::unavailable();
        if (!why.isEmpty())
            QSKIP(qPrintable(QStringLiteral("no PostgreSQL to test against: ") + why));
        QString error;
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY2(m_pg.exec(
                     QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE litellm"), &error),
            qPrintable(error));
        QVERIFY2(
            m_pg.exec(QStringLiteral("litellm"),
                QString::fromUtf8(readAll(fixture(QStringLiteral("litellm/schema.sql")))), &error),
            qPrintable(error));
        {
            QSqlDatabase db = m_pg.connect(QStringLiteral("load"), QStringLiteral("litellm"));
            QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            QVERIFY(q.prepare(
                QStringLiteral("INSERT INTO \"LiteLLM_SpendLogs\" SELECT * FROM "
                               "json_populate_recordset(NULL::\"LiteLLM_SpendLogs\", ?::json)")));
            q.addBindValue(
                QString::fromUtf8(readAll(fixture(QStringLiteral("litellm/spendlogs.json")))));
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("load"));
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
};

QTEST_GUILESS_MAIN(TestEnginePg)
#include "tst_engine_pg.moc"
