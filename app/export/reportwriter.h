#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class RuleSet;
struct Summary;

// md, json, csv, html or pdf
const QStringList &reportFormats();

// How a report draws its chart and lays out a PDF. That needs QtGui (fonts, QPainter), which
// the command-line program does not load: QtGui and the ~40 libraries it pulls in cost ~25 ms
// of start-up, 5 % of summarizing a million records. render/chartdrawing.h has the QtGui one.
struct ChartDrawing
{
    QByteArray (*png)(const Summary &summary);
    QByteArray (*pdf)(const Summary &summary, const RuleSet &rules, const QByteArray &chartPng);
};

// Whether writing `format` to `target` draws a chart: Markdown to a file (its chart goes
// beside it), HTML and PDF. JSON, CSV and Markdown on standard output ("-") do not.
bool reportDrawsChart(const QString &target, const QString &format);

// Writes one report of a (redacted) summary in a format: md, json, csv, html or pdf — the
// one place `summarize -o`, the window's exports and `monitor -o` agree on. Markdown written
// to a file gets its chart beside it (REPORT.png, referenced from the text); to standard
// output ("-") it has none. Every file is written atomically. False + *error on failure,
// which includes a report that draws a chart when `drawing` is null.
bool writeReport(const QString &target, const QString &format, const Summary &summary,
    const RuleSet &rules, QString *error, const ChartDrawing *drawing);
