#include "engine/pgscope.h"

#include "aggregate/scopes.h"
#include "engine/pgconnection.h"

QString pgEndpointSql(const QString &url)
{
    // endpointOf(): a "://" whose ':' is one of the first 16 characters ends the scheme (the
    // first such one: a non-greedy match); the rest up to '?' or '#'; the userinfo is what
    // comes before the last '@' ahead of the first '/'.
    const QString noScheme = QStringLiteral("regexp_replace(%1, '^.{0,15}?://', '')").arg(url);
    const QString noQuery = QStringLiteral("substring(%1 from '^[^?#]*')").arg(noScheme);
    return QStringLiteral("regexp_replace(%1, '^[^/]*@', '')").arg(noQuery);
}

QString pgScopeHostSql(const QString &endpoint)
{
    // scopeHostOf(): the host before the first '/'; a port after the last ':' dropped when it
    // is 443, 80 or empty (a bracketed IPv6 literal without one ends in ']': never matched);
    // ASCII letters lower-cased, as in C++ (lower() would follow the database's locale)
    const QString host = QStringLiteral("substring(%1 from '^[^/]*')").arg(endpoint);
    const QString noPort = QStringLiteral("regexp_replace(%1, ':(443|80)?$', '')").arg(host);
    const QString lower = QStringLiteral("translate(%1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                                         "'abcdefghijklmnopqrstuvwxyz')")
                              .arg(noPort);
    return QStringLiteral("coalesce(nullif(%1, ''), %2)")
        .arg(lower, pgLiteral(QString::fromLatin1(kToolCallsScope.data(), kToolCallsScope.size())));
}
