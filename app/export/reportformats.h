#pragma once

#include "export/summary.h"
#include "rules/ruleset.h"

#include <QByteArray>
#include <QString>

// summary.md --format json: the stable interface, keys in the contract's order.
QByteArray summaryToJson(const Summary &s);

// summary.md --format csv: one row per scope and minute from the first to the last, empty ones
// included; after the contract's columns the events of each category (limits.md §7: QUOTA,
// OVERLOADED, HIDDEN_THROTTLE) in that minute.
QByteArray summaryToCsv(const Summary &s);

// summary.md --format md: the incident report people paste into tickets. chartFile, when not
// empty, is linked as an image beside the report.
QByteArray summaryToMarkdown(const Summary &s, const RuleSet &rules, const QString &chartFile = {});

// --format html: the Markdown report's content as one self-contained page, the chart embedded
// as a data: URI; every text from the input is escaped.
QByteArray summaryToHtml(const Summary &s, const RuleSet &rules, const QByteArray &chartPng);

// The HTML report; chartSrc is the chart's image URL (a data: URI, or a resource name for the
// PDF, laid out with the image imgWidth pixels wide; 0: as wide as the page allows).
std::string reportHtml(
    const Summary &s, const RuleSet &rules, const std::string &chartSrc, int imgWidth = 0);

// CSV cell: quoted when needed; cells that start with =, +, -, @, tab, CR or LF are
// neutralised with a leading ' so spreadsheets do not run them as formulas.
std::string csvCell(std::string_view text);

// "12", "1.5" (seconds, at most ms precision, no trailing zeros).
std::string formatSeconds(double s);

// Text for HTML and XML (text and attribute values): & < > " ' as entities.
std::string escapeMarkup(std::string_view text);
