#pragma once

#include "engine/engineuri.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

// One QtSql (QPSQL) connection of its own, for the thread that makes it: QtSql connections
// belong to the thread that opened them, so a worker makes its own and a newer query never
// shares one with an older (issue 21). The session's time zone is UTC. The password comes
// from the URI when it holds one, else libpq reads PGPASSWORD or ~/.pgpass itself; no message
// made here quotes it (redacted as user:***@, and the literal password is cut from the
// driver's words too).
class PgConnection
{
public:
    explicit PgConnection(const EngineUri &uri, int connectTimeoutS = 10);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // False with *error ("cannot connect to postgresql://user:***@host/db: …").
    bool open(QString *error);
    QSqlDatabase &db() { return m_db; }
    const EngineUri &uri() const { return m_uri; }
    // A driver's error text made safe to print: no password, named after the display URI.
    QString safe(const QString &driverText) const;
    // The server-side process id, for cancelling a running query from another connection
    // (pg_cancel_backend); 0 when unknown.
    int backendPid() const { return m_pid; }
    // open() failed because the server wants a password that was not given, or not this one
    // (a password from a prompt may then succeed).
    bool authenticationFailed() const { return m_authenticationFailed; }

    // "schema"."table" quoted for SQL, from uri.table ("public.T" or "T").
    QString quotedTable() const;
    static QString quote(const QString &identifier);
    // The table's columns and their types (information_schema), empty when it has none (not
    // found): pairs of (name, data_type).
    QList<QPair<QString, QString>> columns(QString *error);

private:
    EngineUri m_uri;
    QString m_name;
    QSqlDatabase m_db;
    int m_pid = 0;
    bool m_authenticationFailed = false;
};

// True when libpq's words say the password was missing or wrong.
bool isPgPasswordFailure(const QString &driverText);

// True when this PostgreSQL type is a timestamp (read as RFC 3339 UTC text).
bool isTimestampType(const QString &dataType);
// The SQL that reads a column as text: timestamps as "2025-08-22T10:00:00.123456Z" (the
// session is UTC), anything else as ::text (json/jsonb as their JSON text).
QString pgTextExpr(const QString &column, const QString &dataType);
// `text` as an SQL string literal ('…' with ' doubled; standard_conforming_strings, the default
// since 9.1, keeps backslashes as they are). Untyped: compared with a column, it is read as
// that column's type.
QString pgLiteral(const QString &text);
// A time in ms since the epoch as an SQL timestamptz literal ('2025-08-22T10:00:00.000Z').
QString pgTimeLiteral(std::int64_t ms);
