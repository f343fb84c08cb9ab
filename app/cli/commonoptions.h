#pragma once

#include "rules/ruleset.h"

#include "export/scopesummary.h"
#include "live/capturefile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

#include <optional>

// The options of `summarize` and `monitor`, each list in its command's --help order. The
// options both commands take (--limit, --merge-gap, --headroom, --format, -o/--output,
// --rules) are defined once, in commonoptions.cpp. summarizeDrawsChart (chartneed.h) reads
// summarize's list to know which options take a value.
QList<QCommandLineOption> summarizeOptions();
QList<QCommandLineOption> monitorOptions();
QList<QCommandLineOption> checkOptions();
QList<QCommandLineOption> whatIfOptions();

// --limit [SCOPE:][AXIS=]N[/W] (repeatable) and --limits FILE: the window takes them too.
QCommandLineOption limitOption();
QCommandLineOption limitsOption();
// Every --limit and the entries of --limits FILE; nullopt + *error when one is invalid.
std::optional<std::vector<LimitEntry>> readLimits(const QCommandLineParser &p, QString *error);

// --capture-max SIZE and --capture-keep N: monitor and the window take them.
QCommandLineOption captureMaxOption();
QCommandLineOption captureKeepOption();
// Both read (no rotation when --capture-max is not given); nullopt + *error when one is
// invalid, or --capture-keep comes without --capture-max.
std::optional<CaptureRotation> readCaptureRotation(const QCommandLineParser &p, QString *error);

// --merge-gap in minutes (a decimal, 0 or more); nullopt + *error when invalid.
std::optional<double> readMergeGap(const QCommandLineParser &p, QString *error);
// --rules FILE, else the built-in rules; nullopt + *error when the file is not a rules file.
std::optional<RuleSet> readRules(const QCommandLineParser &p, QString *error);

// --scope-by, every --limit and --limits FILE (limits.md §1, §2); nullopt + *error when one is
// invalid (a usage error).
std::optional<SummaryScoping> readScoping(const QCommandLineParser &p, QString *error);
// The usage error for a --limit whose scope matches no scope of the data, naming the scopes
// seen; empty when every scope given exists.
QString unknownLimitScope(const SummaryScoping &scoping, const ScopeIndex &scopes);
