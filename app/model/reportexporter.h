#pragma once

#include "export/report.h"
#include "export/reportwriter.h"
#include "model/filteredview.h"
#include "model/loadjob.h"
#include "rules/ruleset.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <optional>

// "Export what I see": the summary (summary.md) of the filtered events, in the format the
// file name asks for (.md with the chart beside it, .json, .csv, .html, .pdf), redacted and
// written atomically. Built and written in a worker.
class ReportExporter : public QObject
{
    Q_OBJECT
public:
    explicit ReportExporter(std::shared_ptr<const RuleSet> rules, QObject *parent = nullptr);
    ~ReportExporter() override;

    // How charts are drawn (QtGui's, render/chartdrawing.h); without it, only the formats
    // that draw none (.json, .csv) can be exported. Set before start().
    void setChartDrawing(const ChartDrawing *drawing) { m_drawing = drawing; }

    // md, json, csv, html or pdf from the file name; empty when it names none of them.
    static QString formatOf(const QString &path);

public Q_SLOTS:
    // options: the limit (none: the one the responses reported, as `summarize` without
    // --limit), incident gap and headroom; the reported limit and the subset come from load
    // and view. With a range, only the view's events of [fromMs, toMs) (an incident, the
    // visible range).
    void start(const QString &path, std::shared_ptr<const LoadResult> load,
        std::shared_ptr<const FilteredView> view, ReportOptions options,
        std::optional<TimeRange> range = std::nullopt);

Q_SIGNALS:
    void finished(const QString &path, const QString &error); // error empty: written

private:
    std::shared_ptr<const RuleSet> m_rules;
    const ChartDrawing *m_drawing = nullptr;
    QThreadPool m_pool;
};

// The worker's part, callable from tests: makeReport() of the filtered events (their
// inputs[].records counted for them, redacted).
Summary exportSummary(const LoadResult &load, const FilteredView &view, ReportOptions options);

// What the export dialog lets the user choose for one report.
struct ExportChoices
{
    std::optional<double> mergeGapMinutes; // nullopt: the window's (the filter's)
    int headroomPercent = kDefaultHeadroomPercent;
};
Q_DECLARE_METATYPE(ExportChoices)
