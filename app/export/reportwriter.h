#pragma once

#include <QString>
#include <QStringList>

class RuleSet;
struct Summary;

// md, json, csv, html, pdf
const QStringList &reportFormats();

// Writes one report of a (redacted) summary in a format: md, json, csv, html or pdf — the
// one place `summarize -o`, the window's exports and `monitor -o` agree on. Markdown written
// to a file gets its chart beside it (REPORT.png, referenced from the text); to standard
// output ("-") it has none. Every file is written atomically. False + *error on failure.

bool writeReport(const QString &target, const QString &format, const Summary &summary,
    const RuleSet &rules, QString *error);
