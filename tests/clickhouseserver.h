#pragma once

// A real clickhouse-server (Debian 12: 18.16.1) for one test run or benchmark: its own
// config.xml and users.xml in a QTemporaryDir (data, tmp, logs inside it), listening on
// 127.0.0.1 only, on a free HTTP port (no TCP port: RateScope speaks HTTP only), a user
// `default` with a password of its own. start() waits for `GET /ping` = "Ok.", stop() ends it.
//
// 18.16 runs as root (checked: uid 0 in CI starts it and it answers), so it runs as the
// user who runs the test; the Debian package's /etc/clickhouse-server/config.xml is the
// reference for the keys below (`path`, `tmp_path`, `user_files_path`, `format_schema_path`,
// `logger`, `http_port`, `listen_host`, `users_config`, `timezone`).

#include "engine/clickhouseddl.h"

#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <memory>

class ClickHouseServer
{
public:
    static constexpr const char *kUser = "default";
    static constexpr const char *kPassword = "rs-test-Pw0rd";

    ClickHouseServer() = default;
    ~ClickHouseServer() { stop(); }
    ClickHouseServer(const ClickHouseServer &) = delete;
    ClickHouseServer &operator=(const ClickHouseServer &) = delete;

    // The server program: clickhouse-server on PATH, else /usr/sbin's (Debian puts it there).
    static QString program()
    {
        QString p = QStandardPaths::findExecutable(QStringLiteral("clickhouse-server"));
        if (p.isEmpty())
            p = QStandardPaths::findExecutable(QStringLiteral("clickhouse-server"),
                { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") });
        return p;
    }

    // Starts the server and waits until it answers (up to timeoutMs). False with `error` set
    // when it is not installed or does not come up (its error log is quoted).
    bool start(QString *error, int timeoutMs = 60000)
    {
        const QString exe = program();
        if (exe.isEmpty()) {
            *error = QStringLiteral(
                "clickhouse-server is not installed (scripts/deps.sh installs it)");
            return false;
        }
        if (!m_dir) {
            m_dir = std::make_unique<QTemporaryDir>();
            if (!m_dir->isValid()) {
                *error = QStringLiteral("cannot make a temporary folder");
                return false;
            }
        }
        // A port taken between freePort() and the server's bind is retried with another.
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = freePort();
            writeConfig();
            m_process = std::make_unique<QProcess>();
            m_process->setProcessChannelMode(QProcess::MergedChannels);
            m_process->setWorkingDirectory(m_dir->path());
            m_process->start(exe, { QStringLiteral("--config-file=") + path("config.xml") });
            if (!m_process->waitForStarted(10000)) {
                *error = QStringLiteral("cannot start %1: %2").arg(exe, m_process->errorString());
                return false;
            }
            if (waitForPing(timeoutMs))
                return true;
            const QString log = errorLog();
            stop();
            if (!log.contains(QLatin1String("Address already in use"))) {
                *error = QStringLiteral("clickhouse-server did not answer /ping on port %1:\n%2")
                             .arg(m_port)
                             .arg(log.right(4000));
                return false;
            }
        }
        *error = QStringLiteral("clickhouse-server found no free port");
        return false;
    }

    // Ends the server: SIGTERM and a wait (it flushes its tables), SIGKILL after 30 s.
    void stop()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(30000)) {
                m_process->kill();
                m_process->waitForFinished(10000);
            }
        }
        m_process.reset();
    }

    // Ends it at once (SIGKILL): the fault tests' server that goes away mid-query.
    void kill()
    {
        if (!m_process)
            return;
        m_process->kill();
        m_process->waitForFinished(10000);
        m_process.reset();
    }

    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    int port() const { return m_port; }
    QString dataDir() const { return path("data"); }
    // clickhouse://127.0.0.1:PORT/DB.TABLE[?profile=P]
    QString uri(const QString &dbTable, const QString &profile = {}) const
    {
        QString u = QStringLiteral("clickhouse://127.0.0.1:%1/%2").arg(m_port).arg(dbTable);
        if (!profile.isEmpty())
            u += QStringLiteral("?profile=") + profile;
        return u;
    }

    // Runs one statement over HTTP as the test user (POST; `body` appended after the SQL on
    // a new line, as INSERT ... FORMAT JSONEachRow wants its rows). Returns the response body;
    // `ok` false (and the body holding ClickHouse's message) when it failed.
    // Starts the server with the clients' credentials in the environment (CLICKHOUSE_USER,
    // CLICKHOUSE_PASSWORD, as a user sets them) and an empty rs.ratescope_events.
    bool startWithEventsTable(QString *error)
    {
        qputenv("CLICKHOUSE_USER", kUser);
        qputenv("CLICKHOUSE_PASSWORD", kPassword);
        return start(error)
            && createEventsTable(QStringLiteral("rs"), QStringLiteral("ratescope_events"), error);
    }

    // The table `ratescope push` writes, `db`.`table`, with its per-second rollup and the view
    // that fills it (engine/clickhouseddl.h); `db` made first when createDb. False with the
    // server's words in `error`.
    bool createEventsTable(
        const QString &db, const QString &table, QString *error, bool createDb = true) const
    {
        QStringList sql = clickHouseEventsDdl(db, table);
        if (createDb)
            sql.prepend(QStringLiteral("CREATE DATABASE ") + db);
        for (const QString &statement : sql) {
            bool ok = false;
            const QByteArray out = query(statement, &ok);
            if (!ok) {
                *error = QString::fromUtf8(out);
                return false;
            }
        }
        return true;
    }

    QByteArray query(const QString &sql, bool *ok = nullptr, const QByteArray &body = {},
        int timeoutMs = 600000) const
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port)));
        req.setRawHeader("X-ClickHouse-User", kUser);
        req.setRawHeader("X-ClickHouse-Key", kPassword);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("text/plain"));
        req.setTransferTimeout(timeoutMs);
        QByteArray payload = sql.toUtf8();
        if (!body.isEmpty())
            payload += '\n' + body;
        QNetworkReply *reply = nam.post(req, payload);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const QByteArray out = reply->readAll();
        const bool good = reply->error() == QNetworkReply::NoError;
        const QString err = reply->errorString();
        reply->deleteLater();
        if (ok)
            *ok = good;
        return out.isEmpty() && !good ? err.toUtf8() : out;
    }

    QString errorLog() const
    {
        QFile f(path("log/server.err.log"));
        QString text = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        if (m_process)
            text += QString::fromUtf8(m_process->readAll());
        return text;
    }

private:
    QString path(const char *name) const { return m_dir->filePath(QLatin1String(name)); }

    static int freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    bool waitForPing(int timeoutMs)
    {
        QNetworkAccessManager nam;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs && running()) {
            QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/ping").arg(m_port)));
            req.setTransferTimeout(2000);
            QNetworkReply *reply = nam.get(req);
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            if (!reply->isFinished())
                loop.exec();
            const bool up = reply->error() == QNetworkReply::NoError && reply->readAll() == "Ok.\n";
            reply->deleteLater();
            if (up)
                return true;
            // not up yet: ask again in 50 ms (an event-loop wait, not a sleep)
            QEventLoop pause;
            QTimer::singleShot(50, &pause, &QEventLoop::quit);
            pause.exec();
        }
        return false;
    }

    void writeConfig()
    {
        QDir(m_dir->path()).mkpath(QStringLiteral("log"));
        const QString root = m_dir->path();
        const QByteArray config = QStringLiteral(R"(<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>%1/log/server.log</log>
        <errorlog>%1/log/server.err.log</errorlog>
        <size>100M</size>
        <count>1</count>
    </logger>
    <http_port>%2</http_port>
    <listen_host>127.0.0.1</listen_host>
    <path>%1/data/</path>
    <tmp_path>%1/tmp/</tmp_path>
    <user_files_path>%1/user_files/</user_files_path>
    <format_schema_path>%1/format_schemas/</format_schema_path>
    <users_config>%1/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_concurrent_queries>100</max_concurrent_queries>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
</yandex>
)")
                                      .arg(root)
                                      .arg(m_port)
                                      .toUtf8();
        const QByteArray users = QStringLiteral(R"(<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>8000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
        </default>
    </profiles>
    <users>
        <%1>
            <password>%2</password>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </%1>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
)")
                                     .arg(QLatin1String(kUser), QLatin1String(kPassword))
                                     .toUtf8();
        for (const auto &[name, bytes] :
            { std::pair { "config.xml", config }, { "users.xml", users } }) {
            QFile f(path(name));
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || f.write(bytes) != bytes.size())
                qFatal("cannot write %s", name);
        }
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    int m_port = 0;
};
