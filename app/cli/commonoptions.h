#pragma once

#include <QCommandLineOption>
#include <QList>

// The options of `summarize` and `monitor`, each list in its command's --help order. The
// options both commands take (--limit, --merge-gap, --headroom, --format, -o/--output,
// --rules) are defined once, in commonoptions.cpp. summarizeDrawsChart (chartneed.h) reads
// summarize's list to know which options take a value.
QList<QCommandLineOption> summarizeOptions();
QList<QCommandLineOption> monitorOptions();
