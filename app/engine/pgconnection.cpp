#include "engine/pgconnection.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimeZone>

namespace {
QAtomicInteger<quint64> g_connections; // unique connection names (QtSql's registry is global)
}

PgConnection::PgConnection(const EngineUri &uri, int connectTimeoutS)
    : m_uri(uri)
    , m_name(QStringLiteral("ratescope-pg-%1").arg(g_connections.fetchAndAddRelaxed(1)))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    m_db.setHostName(uri.host);
    m_db.setPort(uri.effectivePort());
    m_db.setDatabaseName(uri.database);
    if (!uri.user.isEmpty())
        m_db.setUserName(uri.user);
    if (uri.hasPassword)
        m_db.setPassword(uri.password);
    QStringList options { QStringLiteral("connect_timeout=%1").arg(connectTimeoutS),
        QStringLiteral("application_name=ratescope") };
    for (auto it = uri.options.cbegin(); it != uri.options.cend(); ++it) {
        if (it.key() == QLatin1String("sslmode") || it.key() == QLatin1String("connect_timeout")
            || it.key() == QLatin1String("sslrootcert"))
            options << it.key() + QLatin1Char('=') + it.value();
    }
    m_db.setConnectOptions(options.join(QLatin1Char(';')));
}

PgConnection::~PgConnection()
{
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QString PgConnection::safe(const QString &driverText) const
{
    QString t = redactUriPasswords(driverText.trimmed());
    if (m_uri.hasPassword && m_uri.password.size() >= 1)
        t.replace(m_uri.password, QStringLiteral("***"));
    return t;
}

bool PgConnection::open(QString *error)
{
    if (!m_db.isValid()) {
        if (error)
            *error = QStringLiteral("%1: the PostgreSQL driver of QtSql (QPSQL) is not installed "
                                    "(Debian: libqt6sql6-psql)")
                         .arg(m_uri.display());
        return false;
    }
    if (!m_db.open()) {
        m_authenticationFailed = isPgPasswordFailure(m_db.lastError().databaseText())
            || isPgPasswordFailure(m_db.lastError().text());
        if (error) {
            QString why = safe(m_db.lastError().databaseText());
            if (why.isEmpty())
                why = safe(m_db.lastError().text());
            *error = QStringLiteral("%1: cannot connect: %2").arg(m_uri.display(), why);
        }
        return false;
    }
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SET TIME ZONE 'UTC'"))) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_uri.display(), safe(q.lastError().text()));
        return false;
    }
    if (q.exec(QStringLiteral("SELECT pg_backend_pid()")) && q.next())
        m_pid = q.value(0).toInt();
    return true;
}

QString PgConnection::quote(const QString &identifier)
{
    QString s = identifier;
    s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString PgConnection::quotedTable() const
{
    const int dot = int(m_uri.table.indexOf(QLatin1Char('.')));
    if (dot < 0)
        return quote(m_uri.table);
    return quote(m_uri.table.left(dot)) + QLatin1Char('.') + quote(m_uri.table.mid(dot + 1));
}

QList<QPair<QString, QString>> PgConnection::columns(QString *error)
{
    QList<QPair<QString, QString>> out;
    const int dot = int(m_uri.table.indexOf(QLatin1Char('.')));
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (dot < 0) {
        q.prepare(QStringLiteral(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = ? ORDER BY ordinal_position"));
        q.addBindValue(m_uri.table);
    } else {
        q.prepare(QStringLiteral(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
            "? AND table_name = ? ORDER BY ordinal_position"));
        q.addBindValue(m_uri.table.left(dot));
        q.addBindValue(m_uri.table.mid(dot + 1));
    }
    if (!q.exec()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(m_uri.display(), safe(q.lastError().text()));
        return out;
    }
    while (q.next())
        out.append({ q.value(0).toString(), q.value(1).toString() });
    if (out.isEmpty() && error)
        *error = QStringLiteral("%1: no table \"%2\" in database \"%3\"")
                     .arg(m_uri.display(), m_uri.table, m_uri.database);
    return out;
}

bool isPgPasswordFailure(const QString &driverText)
{
    // libpq: "FATAL:  password authentication failed for user …" (md5, scram-sha-256, password)
    // or "fe_sendauth: no password supplied" (the server asked, there was none)
    return driverText.contains(QLatin1String("password authentication failed"))
        || driverText.contains(QLatin1String("no password supplied"));
}

bool isTimestampType(const QString &dataType)
{
    return dataType.startsWith(QLatin1String("timestamp"));
}

QString pgTextExpr(const QString &column, const QString &dataType)
{
    const QString c = PgConnection::quote(column);
    if (isTimestampType(dataType))
        return QStringLiteral("to_char(%1, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')").arg(c);
    return c + QStringLiteral("::text");
}

QString pgLiteral(const QString &text)
{
    return QLatin1Char('\'') + QString(text).replace(QLatin1Char('\''), QStringLiteral("''"))
        + QLatin1Char('\'');
}

QString pgTimeLiteral(std::int64_t ms)
{
    return QStringLiteral("'%1'::timestamptz")
        .arg(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs));
}
