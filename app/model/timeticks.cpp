#include "model/timeticks.h"

#include <QDateTime>
#include <QTimeZone>

#include <array>
#include <cmath>

namespace {

constexpr qint64 kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;
constexpr std::array<qint64, 24> kSteps {
    kSecond,
    2 * kSecond,
    5 * kSecond,
    10 * kSecond,
    15 * kSecond,
    30 * kSecond,
    kMinute,
    2 * kMinute,
    5 * kMinute,
    10 * kMinute,
    15 * kMinute,
    30 * kMinute,
    kHour,
    2 * kHour,
    3 * kHour,
    6 * kHour,
    12 * kHour,
    kDay,
    2 * kDay,
    7 * kDay,
    14 * kDay,
    30 * kDay,
    91 * kDay,
    365 * kDay,
};

QDateTime toDateTime(qint64 ms, bool utc)
{
    return utc ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
               : QDateTime::fromMSecsSinceEpoch(ms);
}

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b) < 0 ? q - 1 : q;
}

} // namespace

std::vector<TimeTick> timeTicks(qint64 fromMs, qint64 toMs, int maxTicks, bool utc)
{
    std::vector<TimeTick> ticks;
    if (toMs <= fromMs || maxTicks < 1)
        return ticks;
    const qint64 span = toMs - fromMs;
    qint64 step = kSteps.back();
    for (qint64 s : kSteps) {
        if (span / s <= maxTicks) {
            step = s;
            break;
        }
    }
    while (span / step > maxTicks)
        step *= 2;
    // align on the wall clock of the zone shown (offset taken at the start of the range)
    const qint64 offset = utc ? 0 : qint64(toDateTime(fromMs, false).offsetFromUtc()) * kSecond;
    const QDateTime firstDt = toDateTime(fromMs, utc), lastDt = toDateTime(toMs, utc);
    const bool spansDays = firstDt.date() != lastDt.date();
    const bool spansYears = firstDt.date().year() != lastDt.date().year();
    const QString dayFormat = spansYears ? QStringLiteral("yyyy-MM-dd") : QStringLiteral("MMM d");
    const QString timeFormat
        = step < kMinute ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");

    qint64 wall = (floorDiv(fromMs + offset, step) + 1) * step;
    if (wall - step >= fromMs + offset)
        wall -= step;
    QDate previous;
    for (; wall - offset <= toMs; wall += step) {
        TimeTick tick;
        tick.ms = wall - offset;
        const QDateTime dt = toDateTime(tick.ms, utc);
        if (step >= kDay) {
            tick.label = dt.toString(dayFormat);
            tick.showsDate = true;
        } else if (spansDays && (!previous.isValid() || dt.date() != previous)) {
            tick.label = dt.toString(timeFormat) + QLatin1Char('\n') + dt.toString(dayFormat);
            tick.showsDate = true;
        } else {
            tick.label = dt.toString(timeFormat);
        }
        previous = dt.date();
        ticks.push_back(tick);
    }
    return ticks;
}

QString timeAxisTitle(qint64 atMs, bool utc)
{
    if (utc)
        return QStringLiteral("Time (UTC)");
    const int offset = toDateTime(atMs, false).offsetFromUtc();
    const int minutes = std::abs(offset) / 60;
    return QStringLiteral("Time (local, UTC%1%2:%3)")
        .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QString formatEventTime(qint64 ms, bool utc)
{
    return toDateTime(ms, utc).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString formatDuration(qint64 ms)
{
    if (ms % kHour == 0 && ms >= kHour)
        return QStringLiteral("%1 h").arg(ms / kHour);
    if (ms % kMinute == 0 && ms >= kMinute)
        return QStringLiteral("%1 min").arg(ms / kMinute);
    if (ms % kSecond == 0)
        return QStringLiteral("%1 s").arg(ms / kSecond);
    return QStringLiteral("%1 ms").arg(ms);
}
