#include "engine/engineuri.h"

#include "engine/profile.h"

#include <QRegularExpression>
#include <QUrl>

namespace {

QString decode(const QString &part) { return QUrl::fromPercentEncoding(part.toUtf8()); }

QString encodeUser(const QString &user) { return QString::fromUtf8(QUrl::toPercentEncoding(user)); }

} // namespace

QString redactUriPasswords(QString text)
{
    // scheme://user:password@ → scheme://user:***@ (the password runs to the last '@' before
    // the next '/', whitespace or quote: a password may hold '@' when not percent-encoded)
    static const QRegularExpression userinfo(
        QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s'\"]*):[^/\\s'\"]*@"));
    text.replace(userinfo, QStringLiteral("\\1:***@"));
    // libpq's conninfo words: password=…
    static const QRegularExpression conninfo(
        QStringLiteral("\\bpassword\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S+)"),
        QRegularExpression::CaseInsensitiveOption);
    text.replace(conninfo, QStringLiteral("password=***"));
    return text;
}

bool isEngineUri(const QString &text)
{
    return text.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1String("clickhouse://"), Qt::CaseInsensitive);
}

QString EngineUri::scheme() const
{
    return kind == Kind::PostgreSql ? QStringLiteral("postgresql") : QStringLiteral("clickhouse");
}

int EngineUri::effectivePort() const
{
    if (port > 0)
        return port;
    return kind == Kind::PostgreSql ? 5432 : 8123;
}

QString EngineUri::display() const
{
    QString s = scheme() + QStringLiteral("://");
    if (!user.isEmpty() || hasPassword) {
        s += encodeUser(user);
        if (hasPassword)
            s += QStringLiteral(":***");
        s += QLatin1Char('@');
    }
    s += host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    if (port > 0)
        s += QLatin1Char(':') + QString::number(port);
    QStringList query;
    if (kind == Kind::PostgreSql) {
        s += QLatin1Char('/') + database;
        query << QStringLiteral("table=") + table;
    } else {
        s += QLatin1Char('/') + database + QLatin1Char('.') + table;
    }
    if (!profile.isEmpty())
        query << QStringLiteral("profile=") + profile;
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        query << it.key() + QLatin1Char('=') + it.value();
    if (!query.isEmpty())
        s += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return s;
}

std::optional<EngineUri> parseEngineUri(const QString &text, QString *error)
{
    const QString shown = redactUriPasswords(text);
    auto fail = [&](const QString &why) -> std::optional<EngineUri> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(shown, why);
        return std::nullopt;
    };
    EngineUri uri;
    const int sep = text.indexOf(QLatin1String("://"));
    if (sep < 0)
        return fail(QStringLiteral("not an engine URI (expected postgresql:// or clickhouse://)"));
    const QString scheme = text.left(sep).toLower();
    if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres"))
        uri.kind = EngineUri::Kind::PostgreSql;
    else if (scheme == QLatin1String("clickhouse"))
        uri.kind = EngineUri::Kind::ClickHouse;
    else
        return fail(
            QStringLiteral("unknown scheme \"%1\": expected postgresql or clickhouse").arg(scheme));
    QString rest = text.mid(sep + 3);
    QString query;
    if (const int q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        query = rest.mid(q + 1);
        rest.truncate(q);
    }
    QString path;
    // The authority ends at the first '/' after the last '@' (a raw password may hold '/').
    const int at = rest.lastIndexOf(QLatin1Char('@'));
    if (const int slash = rest.indexOf(QLatin1Char('/'), at + 1); slash >= 0) {
        path = rest.mid(slash + 1);
        rest.truncate(slash);
    }
    QString hostPort = rest;
    if (at >= 0) {
        const QString userinfo = rest.left(at);
        hostPort = rest.mid(at + 1);
        const int colon = userinfo.indexOf(QLatin1Char(':'));
        uri.user = decode(colon < 0 ? userinfo : userinfo.left(colon));
        if (colon >= 0) {
            uri.password = decode(userinfo.mid(colon + 1));
            uri.hasPassword = true;
        }
    }
    if (hostPort.startsWith(QLatin1Char('['))) {
        const int close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("the host \"%1\" lacks its closing ']'").arg(hostPort));
        uri.host = hostPort.mid(1, close - 1);
        hostPort = hostPort.mid(close + 1);
        if (!hostPort.isEmpty() && !hostPort.startsWith(QLatin1Char(':')))
            return fail(QStringLiteral("unexpected \"%1\" after the host").arg(hostPort));
    } else {
        const int colon = hostPort.lastIndexOf(QLatin1Char(':'));
        uri.host = decode(colon < 0 ? hostPort : hostPort.left(colon));
        hostPort = colon < 0 ? QString() : hostPort.mid(colon);
    }
    if (uri.host.isEmpty())
        return fail(QStringLiteral("no host (postgresql://[user@]host[:port]/db?table=T)"));
    if (hostPort.startsWith(QLatin1Char(':'))) {
        bool ok = false;
        const int port = hostPort.mid(1).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return fail(
                QStringLiteral("invalid port \"%1\": expected 1 to 65535").arg(hostPort.mid(1)));
        uri.port = port;
    }
    path = decode(path);
    if (uri.kind == EngineUri::Kind::PostgreSql) {
        if (path.isEmpty())
            return fail(QStringLiteral("no database: postgresql://host/DATABASE?table=T"));
        if (path.contains(QLatin1Char('/')))
            return fail(QStringLiteral("invalid database \"%1\"").arg(path));
        uri.database = path;
    } else {
        if (path.isEmpty())
            return fail(QStringLiteral("no table: clickhouse://host:8123/DATABASE.TABLE"));
        const int dot = path.indexOf(QLatin1Char('.'));
        uri.database = dot < 0 ? QStringLiteral("default") : path.left(dot);
        uri.table = dot < 0 ? path : path.mid(dot + 1);
        if (uri.database.isEmpty() || uri.table.isEmpty() || path.contains(QLatin1Char('/')))
            return fail(QStringLiteral("invalid table \"%1\": expected DATABASE.TABLE").arg(path));
    }
    if (!query.isEmpty()) {
        for (const QString &pair : query.split(QLatin1Char('&'))) {
            if (pair.isEmpty())
                continue;
            const int eq = pair.indexOf(QLatin1Char('='));
            const QString key = decode(eq < 0 ? pair : pair.left(eq));
            const QString value = eq < 0 ? QString() : decode(pair.mid(eq + 1));
            if (value.isEmpty())
                return fail(QStringLiteral("the parameter \"%1\" has no value").arg(key));
            if (key == QLatin1String("table") && uri.kind == EngineUri::Kind::PostgreSql)
                uri.table = value;
            else if (key == QLatin1String("profile"))
                uri.profile = value;
            else if (key == QLatin1String("password"))
                return fail(QStringLiteral("a password is not taken from the query: use "
                                           "~/.pgpass, PGPASSWORD or user:password@"));
            else
                uri.options.insert(key, value);
        }
    }
    if (uri.kind == EngineUri::Kind::PostgreSql && uri.table.isEmpty())
        return fail(QStringLiteral("no table: add ?table=NAME"));
    static const QRegularExpression tableName(
        QStringLiteral("^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?$"));
    if (!tableName.match(uri.table).hasMatch())
        return fail(QStringLiteral("invalid table name \"%1\": letters, digits, _ and $, "
                                   "optionally SCHEMA.TABLE")
                        .arg(uri.table));
    return uri;
}

std::optional<QMap<QString, QString>> parseColumnMap(const QString &text, QString *error)
{
    QMap<QString, QString> map;
    const QStringList known = profileFieldNames();
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString p = part.trimmed();
        if (p.isEmpty())
            continue;
        const int eq = p.indexOf(QLatin1Char('='));
        const QString field = (eq < 0 ? p : p.left(eq)).trimmed();
        const QString column = eq < 0 ? QString() : p.mid(eq + 1).trimmed();
        if (!known.contains(field)) {
            if (error)
                *error = QStringLiteral("--map: unknown field \"%1\" (known: %2)")
                             .arg(field, known.join(QStringLiteral(", ")));
            return std::nullopt;
        }
        if (column.isEmpty()) {
            if (error)
                *error = QStringLiteral("--map: no column for \"%1\" (FIELD=COLUMN)").arg(field);
            return std::nullopt;
        }
        if (map.contains(field)) {
            if (error)
                *error = QStringLiteral("--map: \"%1\" given twice").arg(field);
            return std::nullopt;
        }
        map.insert(field, column);
    }
    if (!map.contains(QStringLiteral("time"))) {
        if (error)
            *error = QStringLiteral("--map needs time=COLUMN (every request has a time)");
        return std::nullopt;
    }
    return map;
}
