// `ratescope push LOG... --to postgresql://…` (issue 21, engine/pgpush.h), against a real
// PostgreSQL (pgserver.h): the events of LiteLLM's spend log fixture pushed and read back
// with the `ratescope` profile summarize to the same JSON as the file (apart from inputs);
// pushing again loads nothing; a push the server dies under keeps its committed batches and
// the same push run again loads only the rest; identical requests are each kept once.
#include "engine/engineuri.h"
#include "engine/pgpush.h"
#include "pgserver.h"
#include "runbinary.h"
#include "testutil.h"

#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace {

QByteArray withoutInputs(const QByteArray &json)
{
    const qsizetype start = json.indexOf("\n  \"inputs\": [");
    const qsizetype end = json.indexOf("\n  ],", start);
    if (start < 0 || end < 0)
        return json;
    return json.left(start) + json.mid(end + 5);
}

} // namespace

class TestEnginePgPush : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    QProcessEnvironment m_env;
    const QString m_log = fixture(QStringLiteral("litellm/spendlogs.ndjson"));

    qint64 rows(const QString &table)
    {
        QSqlDatabase db = m_pg.connect(QStringLiteral("count"), QStringLiteral("pushed"));
        qint64 n = -1;
        {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM ") + table) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("count"));
        return n;
    }

    std::optional<EngineUri> uri(const QString &table)
    {
        QString text = m_pg.uri(QStringLiteral("pushed"), QStringLiteral("table=") + table);
        text.replace(QStringLiteral("ratescope@"),
            QStringLiteral("ratescope:") + m_pg.password() + QLatin1Char('@'));
        QString error;
        return parseEngineUri(text, &error);
    }

private Q_SLOTS:
    void initTestCase()
    {
        PG_START_OR_SKIP(m_pg);
        QString error;
        QVERIFY2(
            m_pg.exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE pushed"), &error),
            qPrintable(error));
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("PGPASSWORD"), m_pg.password());
    }

    void pushedEventsSummarizeAsTheFile()
    {
        const QString to = m_pg.uri(QStringLiteral("pushed"), QStringLiteral("table=events"));
        const BinaryRun push
            = runBinary({ QStringLiteral("push"), QStringLiteral("--to"), to, m_log }, {}, m_env);
        QVERIFY2(push.exitCode == 0, qPrintable(push.err));
        QString readError;
        const int lines = int(readInflated(m_log, &readError).count(QLatin1Char('\n').toLatin1()));
        QVERIFY2(
            push.err.contains(QStringLiteral("%1 events, %1 loaded, 0 already there").arg(lines)),
            qPrintable(push.err));
        QCOMPARE(rows(QStringLiteral("events")), qint64(lines));

        const BinaryRun fromFile = runBinary({ QStringLiteral("summarize"),
            QStringLiteral("--format"), QStringLiteral("json"), m_log });
        const BinaryRun fromTable = runBinary(
            { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
                m_pg.uri(
                    QStringLiteral("pushed"), QStringLiteral("table=events&profile=ratescope")) },
            {}, m_env);
        QVERIFY2(fromTable.exitCode == 0, qPrintable(fromTable.err));
        QCOMPARE(withoutInputs(fromTable.out), withoutInputs(fromFile.out));

        // the same push again: every id is there already
        const BinaryRun again
            = runBinary({ QStringLiteral("push"), QStringLiteral("--to"), to, m_log }, {}, m_env);
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.err.contains(QStringLiteral("0 loaded, %1 already there").arg(lines)),
            qPrintable(again.err));
        QCOMPARE(rows(QStringLiteral("events")), qint64(lines));
    }

    // The server stops after three batches of 100: the push fails saying where, the three
    // batches are in the table, and the same push run again loads the rest only.
    void resumesAfterAFailure()
    {
        const Loaded file = loadFiles({ m_log });
        const std::int64_t events = std::int64_t(file.store->size());
        const auto target = uri(QStringLiteral("resumed"));
        QVERIFY(target);
        PushOptions options;
        options.batchRows = 100;
        options.attempts = 2;
        options.connectTimeoutS = 2;
        options.afterBatch = [&](std::int64_t done) {
            if (done == 300)
                m_pg.stop();
        };
        const PushResult broken = pushToPostgres(*target, *file.store, options);
        QVERIFY2(
            broken.error.contains(QStringLiteral("stopped after 300 of %1 events").arg(events)),
            qPrintable(broken.error));
        QVERIFY(!broken.error.contains(m_pg.password()));
        QCOMPARE(broken.inserted, std::int64_t(300));
        QString error;
        QVERIFY2(m_pg.startServer(&error), qPrintable(error));
        QCOMPARE(rows(QStringLiteral("resumed")), qint64(300));

        options.afterBatch = nullptr;
        const PushResult resumed = pushToPostgres(*target, *file.store, options);
        QVERIFY2(resumed.error.isEmpty(), qPrintable(resumed.error));
        QCOMPARE(resumed.inserted, events - 300);
        QCOMPARE(resumed.existing, std::int64_t(300));
        QCOMPARE(rows(QStringLiteral("resumed")), qint64(events));
    }

    // Two identical requests in one log are two events: both pushed, and once each.
    void identicalRequestsAreEachKeptOnce()
    {
        QTemporaryDir dir;
        const QByteArray line = "{\"timestamp\":\"2025-08-22T10:00:00Z\",\"status\":429,"
                                "\"url\":\"https://api.example.com/v1/x\"}\n";
        const QString log
            = writeFile(QDir(dir.path()), QStringLiteral("twice.ndjson"), line + line);
        const QString to = m_pg.uri(QStringLiteral("pushed"), QStringLiteral("table=twice"));
        for (int run = 0; run < 2; ++run) {
            const BinaryRun push
                = runBinary({ QStringLiteral("push"), QStringLiteral("--to"), to, log }, {}, m_env);
            QVERIFY2(push.exitCode == 0, qPrintable(push.err));
            QCOMPARE(rows(QStringLiteral("twice")), qint64(2));
        }
    }
};

QTEST_GUILESS_MAIN(TestEnginePgPush)
#include "tst_engine_pgpush.moc"
