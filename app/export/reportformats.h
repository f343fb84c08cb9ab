#pragma once

#include "export/summary.h"
#include "rules/ruleset.h"

#include <QByteArray>
#include <QString>

// summary.md --format json: the stable interface, keys in the contract's order.
QByteArray summaryToJson(const Summary &s);

// summary.md --format csv: one row per minute from the first to the last, empty ones included.
QByteArray summaryToCsv(const Summary &s);

// summary.md --format md: the incident report people paste into tickets. chartFile, when not
// empty, is linked as an image beside the report.
QByteArray summaryToMarkdown(const Summary &s, const RuleSet &rules, const QString &chartFile = {});

// "12", "1.5" (seconds, at most ms precision, no trailing zeros).
std::string formatSeconds(double s);
