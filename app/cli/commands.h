#pragma once

#include <QStringList>

struct ChartDrawing;

// Headless subcommands. Each takes the arguments after the subcommand name and returns the
// process exit status (0 ok, 1 an input failed, 2 usage error). They run on QCoreApplication,
// or QGuiApplication on the offscreen platform when `drawing` is given (reports with a chart;
// without it those reports fail with a message, see export/reportwriter.h).
int runSummarize(const QStringList &args, const ChartDrawing *drawing);
int runSimulate(const QStringList &args);
// Thresholds on a log for CI: 0 every one holds, 1 one is broken (or an input failed), 2 usage.
int runCheck(const QStringList &args);
// The logs replayed against another limit or algorithm (export/whatif.h).
int runWhatIf(const QStringList &args);
// Live sources until --duration, SIGINT or SIGTERM, then the summary (summary.md `monitor`).
// Logs classified and loaded into a PostgreSQL table (engine/pgpush.h).
int runPush(const QStringList &args);
int runMonitor(const QStringList &args, const ChartDrawing *drawing);
