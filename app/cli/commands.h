#pragma once

#include <QStringList>

// Headless subcommands. Each takes the arguments after the subcommand name and returns the
// process exit status (0 ok, 1 an input failed, 2 usage error). They run on QCoreApplication.
int runSummarize(const QStringList &args);
int runSimulate(const QStringList &args);
// Live sources until --duration, SIGINT or SIGTERM, then the summary (summary.md `monitor`).
int runMonitor(const QStringList &args);
