#pragma once

#include <QString>
#include <QtGlobal>

#include <vector>

struct TimeTick
{
    qint64 ms = 0;
    QString label;
    bool showsDate = false;
};

// Round tick marks over [fromMs, toMs] (1 s ... 1 year apart), at most maxTicks of them,
// labelled in UTC or local time. When the range spans days the first tick and every tick on
// a new day carry the date too.
std::vector<TimeTick> timeTicks(qint64 fromMs, qint64 toMs, int maxTicks, bool utc);

// "Time (UTC)" / "Time (local, UTC+01:00)".
QString timeAxisTitle(qint64 atMs, bool utc);

// "2026-01-05 10:42:07.120", in UTC or local time (the table and the detail pane).
QString formatEventTime(qint64 ms, bool utc);

// "1 s", "30 s", "1 min", "1 h".
QString formatDuration(qint64 ms);
