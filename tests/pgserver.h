#pragma once

// A real PostgreSQL for the engine tests and the benchmark (issue 21): initdb + pg_ctl in a
// temporary folder, listening on 127.0.0.1 on a free port (and a Unix socket in the folder),
// password authentication over TCP (scram-sha-256). PostgreSQL refuses to run as root, so when
// the test is root (CI) the server runs as uid/gid 65534 (nobody) through setpriv, its folder
// handed to that user. Debian's binaries are in /usr/lib/postgresql/<version>/bin
// (scripts/deps.sh installs postgresql-15); RATESCOPE_PG_BIN overrides the folder.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

#include <sys/stat.h>
#include <unistd.h>

class PgServer
{
public:
    static constexpr const char *kUser = "ratescope";

    ~PgServer() { stop(); }

    // The folder of initdb and pg_ctl, or empty when PostgreSQL is not installed.
    static QString binDir()
    {
        const QString env = qEnvironmentVariable("RATESCOPE_PG_BIN");
        if (!env.isEmpty())
            return QFileInfo::exists(env + QStringLiteral("/initdb")) ? env : QString();
        QDir lib(QStringLiteral("/usr/lib/postgresql"));
        QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(versions.begin(), versions.end(),
            [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &v : versions) {
            const QString bin = lib.filePath(v + QStringLiteral("/bin"));
            if (QFileInfo::exists(bin + QStringLiteral("/initdb"))
                && QFileInfo::exists(bin + QStringLiteral("/pg_ctl")))
                return bin;
        }
        return {};
    }

    // Why the engine tests cannot run here (empty: they can): no server binaries, no QtSql
    // PostgreSQL driver, or root without setpriv to drop to nobody.
    static QString unavailable()
    {
        if (binDir().isEmpty())
            return QStringLiteral("PostgreSQL is not installed (no initdb in "
                                  "/usr/lib/postgresql/*/bin; scripts/deps.sh installs "
                                  "postgresql-15)");
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            return QStringLiteral("QtSql's PostgreSQL driver is missing (libqt6sql6-psql)");
        if (::geteuid() == 0 && QStandardPaths::findExecutable(QStringLiteral("setpriv")).isEmpty())
            return QStringLiteral("running as root without setpriv (util-linux) to run "
                                  "PostgreSQL as nobody");
        return {};
    }

    // initdb and start; false with *error (the server's log when it would not start).
    bool start(QString *error)
    {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return fail(error, QStringLiteral("no temporary folder"));
        const QString root = m_dir->path();
        ::chmod(QFile::encodeName(root).constData(), 0755);
        const QString pwfile = root + QStringLiteral("/pw");
        QFile pw(pwfile);
        if (!pw.open(QIODevice::WriteOnly) || pw.write(m_password.toUtf8() + '\n') <= 0)
            return fail(error, QStringLiteral("cannot write the password file"));
        pw.close();
        if (::geteuid() == 0) {
            ::chown(QFile::encodeName(root).constData(), 65534, 65534);
            ::chown(QFile::encodeName(pwfile).constData(), 65534, 65534);
        }
        m_port = freePort();
        QString out;
        if (!run(QStringLiteral("initdb"),
                { QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QLatin1String(kUser),
                    QStringLiteral("--auth-local=trust"),
                    QStringLiteral("--auth-host=scram-sha-256"),
                    QStringLiteral("--pwfile=") + pwfile, QStringLiteral("--no-locale"),
                    QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-sync") },
                &out))
            return fail(error, QStringLiteral("initdb failed: ") + out);
        QFile::remove(pwfile);
        return startServer(error);
    }

    // pg_ctl start on the same folder and port (after stop()).
    bool startServer(QString *error)
    {
        QString out;
        const QString options = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 "
                                               "-c fsync=off -c full_page_writes=off")
                                    .arg(m_port)
                                    .arg(m_dir->path());
        if (!run(QStringLiteral("pg_ctl"),
                { QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), logFile(),
                    QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                    QStringLiteral("-o"), options, QStringLiteral("start") },
                &out)) {
            QFile log(logFile());
            log.open(QIODevice::ReadOnly);
            return fail(error,
                QStringLiteral("pg_ctl start failed: ") + out + QString::fromUtf8(log.readAll()));
        }
        m_running = true;
        return true;
    }

    // Stops the server at once (mode immediate: a crash as clients see it; the default for a
    // fault) or cleanly (fast).
    void stop(bool immediate = true)
    {
        if (!m_running)
            return;
        run(QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), dataDir(), QStringLiteral("-m"),
                immediate ? QStringLiteral("immediate") : QStringLiteral("fast"),
                QStringLiteral("-w"), QStringLiteral("stop") },
            nullptr);
        m_running = false;
    }

    int port() const { return m_port; }
    QString password() const { return m_password; }
    bool running() const { return m_running; }

    // postgresql://ratescope@127.0.0.1:PORT/db?table=T[&…] (no password in it).
    QString uri(const QString &db, const QString &query) const
    {
        return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3?%4")
            .arg(QLatin1String(kUser))
            .arg(m_port)
            .arg(db, query);
    }

    // A QtSql connection of the test's own (superuser), named `name`.
    QSqlDatabase connect(const QString &name, const QString &db) const
    {
        QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        d.setHostName(QStringLiteral("127.0.0.1"));
        d.setPort(m_port);
        d.setUserName(QLatin1String(kUser));
        d.setPassword(m_password);
        d.setDatabaseName(db);
        d.open();
        return d;
    }

    // Runs SQL statements (separated by ";\n") in `db`; false with *error.
    bool exec(const QString &db, const QString &sql, QString *error = nullptr) const
    {
        const QString name = QStringLiteral("pgserver-exec");
        bool ok = true;
        {
            QSqlDatabase d = connect(name, db);
            if (!d.isOpen()) {
                ok = fail(error, d.lastError().text());
            } else {
                QSqlQuery q(d);
                for (const QString &statement : sql.split(QStringLiteral(";\n"))) {
                    if (statement.trimmed().isEmpty())
                        continue;
                    if (!q.exec(statement)) {
                        ok = fail(error, statement + QStringLiteral(": ") + q.lastError().text());
                        break;
                    }
                }
            }
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }

    // A query of the clients named `application` (application_name; RateScope's connections
    // are "ratescope") is running on the server (pg_stat_activity's query text is cut at 1 kB,
    // so it is not matched).
    bool queryRunning(const QString &db, const QString &application = QStringLiteral("ratescope"))
    {
        const QString name = QStringLiteral("pgserver-watch");
        bool running = false;
        {
            QSqlDatabase d = connect(name, db);
            QSqlQuery q(d);
            q.prepare(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE state = "
                                     "'active' AND application_name = ?"));
            q.addBindValue(application);
            running = q.exec() && q.next() && q.value(0).toInt() > 0;
        }
        QSqlDatabase::removeDatabase(name);
        return running;
    }

    // In `db` (loadLiteLlm's), the view `spendlogs` of LiteLLM_SpendLogs that sleeps 50 ms on each
    // row it reads while the table slow's one value is true (UPDATE slow SET "on" = true): a
    // query to stop or supersede in the middle.
    bool createSlowSpendLogs(const QString &db, QString *error) const
    {
        return exec(db,
            QStringLiteral(
                "CREATE TABLE slow (\"on\" boolean NOT NULL);\n"
                "INSERT INTO slow VALUES (false);\n"
                "CREATE FUNCTION slow_row() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN "
                "PERFORM pg_sleep(0.05); RETURN true; END $$;\n"
                "CREATE VIEW spendlogs AS SELECT * FROM \"LiteLLM_SpendLogs\" WHERE NOT "
                "(SELECT \"on\" FROM slow) OR slow_row()"),
            error);
    }

    // Database `db` with LiteLLM's LiteLLM_SpendLogs (tests/fixtures/litellm/schema.sql) holding
    // the rows of spendlogs.json (json_populate_recordset: each key into its column).
    bool loadLiteLlm(const QString &fixtureDir, const QString &db, QString *error) const
    {
        QFile schema(fixtureDir + QStringLiteral("/litellm/schema.sql"));
        QFile rows(fixtureDir + QStringLiteral("/litellm/spendlogs.json"));
        if (!schema.open(QIODevice::ReadOnly) || !rows.open(QIODevice::ReadOnly))
            return fail(error, QStringLiteral("cannot read the LiteLLM fixture"));
        if (!exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE ") + db, error)
            || !exec(db, QString::fromUtf8(schema.readAll()), error))
            return false;
        const QString name = QStringLiteral("pgserver-load");
        bool ok = true;
        {
            QSqlDatabase d = connect(name, db);
            QSqlQuery q(d);
            q.prepare(
                QStringLiteral("INSERT INTO \"LiteLLM_SpendLogs\" SELECT * FROM "
                               "json_populate_recordset(NULL::\"LiteLLM_SpendLogs\", ?::json)"));
            q.addBindValue(QString::fromUtf8(rows.readAll()));
            if (!q.exec())
                ok = fail(error, q.lastError().text());
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }

private:
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString logFile() const { return m_dir->path() + QStringLiteral("/server.log"); }

    static bool fail(QString *error, const QString &why)
    {
        if (error)
            *error = why;
        return false;
    }

    static int freePort()
    {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }

    // A server binary, as nobody when the test is root.
    bool run(const QString &tool, const QStringList &args, QString *output) const
    {
        QString program = binDir() + QLatin1Char('/') + tool;
        QStringList all = args;
        if (::geteuid() == 0) {
            all = QStringList { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                QStringLiteral("--clear-groups"), QStringLiteral("--"), program }
                + args;
            program = QStringLiteral("setpriv");
        }
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(m_dir->path());
        p.start(program, all);
        const bool ok = p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit
            && p.exitCode() == 0;
        if (output)
            *output = QString::fromUtf8(p.readAll());
        return ok;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_password = QStringLiteral("pg-test-Secret-7f3a");
    int m_port = 0;
    bool m_running = false;
};

// In a test's initTestCase: starts `server`, or skips the test on a machine without
// PostgreSQL (a developer's; .ci/run fails there instead), or fails it when the server does not
// start.
#define PG_START_OR_SKIP(server)                                                                   \
    do {                                                                                           \
        const QString pgWhy = PgServer::unavailable();                                             \
        if (!pgWhy.isEmpty())                                                                      \
            QSKIP(qPrintable(QStringLiteral("no PostgreSQL to test against: ") + pgWhy));          \
        QString pgError;                                                                           \
        QVERIFY2((server).start(&pgError), qPrintable(pgError));                                   \
    } while (false)

// The same, then LiteLLM's spend log fixture loaded into database "litellm".
#define PG_START_WITH_LITELLM_OR_SKIP(server)                                                      \
    do {                                                                                           \
        PG_START_OR_SKIP(server);                                                                  \
        QString pgLoadError;                                                                       \
        QVERIFY2((server).loadLiteLlm(QStringLiteral(RATESCOPE_FIXTURE_DIR),                       \
                     QStringLiteral("litellm"), &pgLoadError),                                     \
            qPrintable(pgLoadError));                                                              \
    } while (false)
