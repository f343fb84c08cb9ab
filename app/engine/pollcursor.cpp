#include "engine/pollcursor.h"

QString PollCursor::condition(const QString &timeSql, const QString &idSql) const
{
    if (time.isEmpty())
        return {};
    if (idsAtTime.isEmpty())
        return QStringLiteral("%1 >= %2").arg(timeSql, time);
    return QStringLiteral("%1 >= %2 AND NOT (%1 = %2 AND %3 IN (%4))")
        .arg(timeSql, time, idSql, idsAtTime.join(QLatin1Char(',')));
}

void PollCursor::advance(const QString &timeLiteral, const QString &idLiteral)
{
    if (timeLiteral.isEmpty() || idLiteral.isEmpty())
        return;
    if (timeLiteral != time) {
        time = timeLiteral;
        idsAtTime.clear();
    }
    idsAtTime << idLiteral;
}
