#pragma once

// `ratescope monitor postgresql://…` and `monitor clickhouse://…` (issue 21): the table polled
// every --poll seconds for the rows added since the last poll, by time (engine/pollcursor.h: no
// row missed or counted twice across polls, rows with the last poll's time included), by the
// same reader as `summarize` (readEngineTable); a line per poll on standard error; at the end
// (--duration, Ctrl-C or SIGTERM) the summary of every row read, as `summarize` of the table
// would give it.

#include "export/report.h"
#include "export/reportwriter.h"
#include "rules/ruleset.h"

#include <QString>

struct EngineMonitorSettings
{
    QString uri;
    double pollSeconds = 5;
    double durationSeconds = -1; // < 0: until a signal
    ReportOptions report;
    QString target = QStringLiteral("-");
    QString format = QStringLiteral("md");
};

// The exit status: 0, or 1 when the table could not be read at the first poll or the report
// not written.
int runEngineMonitor(
    const EngineMonitorSettings &settings, const RuleSet &rules, const ChartDrawing *drawing);
