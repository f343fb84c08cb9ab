#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// A table in a database engine, as the command line and the window name it (issue 21):
//   postgresql://[user[:password]@]host[:port]/db?table=T[&profile=P]
//   clickhouse://[user[:password]@]host[:port]/db.table[?profile=P]
// A password written in the URI is taken and used, but never kept in any text made from it:
// display() writes `user:***@host`, and every error message names the URI that way. The usual
// places for credentials (~/.pgpass, PGPASSWORD; CLICKHOUSE_USER / CLICKHOUSE_PASSWORD) are
// read by the drivers themselves, not here.
struct EngineUri
{
    enum class Kind { PostgreSql, ClickHouse };

    Kind kind = Kind::PostgreSql;
    QString user; // empty: the driver's default (libpq: the login name, PGUSER)
    QString password; // empty: none in the URI (never shown: see display())
    bool hasPassword = false;
    QString host;
    int port = -1; // -1: the engine's default (5432, 8123)
    QString database;
    QString table; // PostgreSQL: may be schema-qualified, "public.LiteLLM_SpendLogs"
    QString profile; // empty: none named (then --map, or the table's default profile)
    QMap<QString, QString> options; // other query parameters (sslmode=…, connect_timeout=…)

    // The URI without its password: `postgresql://user:***@host:5432/db?table=T&profile=P`.
    // This is the name an input gets in reports, messages and the window.
    QString display() const;
    // "postgresql" or "clickhouse"
    QString scheme() const;
    int effectivePort() const;
};

// True when text names an engine (postgresql://, postgres://, clickhouse://), not a file.
bool isEngineUri(const QString &text);

// Parses an engine URI; on failure returns nullopt with *error naming the bad part (and never
// the password: the URI in the message is redacted).
std::optional<EngineUri> parseEngineUri(const QString &text, QString *error);

// --map time=col,status=col,url=col,…: which column holds each field a profile names (see
// profile.h for the fields). A value may be a column followed by a JSON path into it,
// `metadata.error_information.error_code`. Unknown fields and empty parts are errors that
// name them.
std::optional<QMap<QString, QString>> parseColumnMap(const QString &text, QString *error);

// `text` with every `user:password@` of a URL in it redacted to `user:***@` (for messages
// that quote a driver's words, which may repeat the connection string).
QString redactUriPasswords(QString text);
