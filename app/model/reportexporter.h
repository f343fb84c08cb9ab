#pragma once

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
    // limitPerMinute 0: the limit the responses reported, as `summarize` without --limit.
    // With a range, only the view's events of [fromMs, toMs) (an incident, the visible range).
    void start(const QString &path, std::shared_ptr<const LoadResult> load,
        std::shared_ptr<const FilteredView> view, qint64 limitPerMinute, double mergeGap,
        std::optional<TimeRange> range = std::nullopt);

Q_SIGNALS:
    void finished(const QString &path, const QString &error); // error empty: written

private:
    std::shared_ptr<const RuleSet> m_rules;
    const ChartDrawing *m_drawing = nullptr;
    QThreadPool m_pool;
};

struct Summary;

// The worker's part, callable from tests: the redacted summary of the filtered events.
Summary exportSummary(
    const LoadResult &load, const FilteredView &view, qint64 limitPerMinute, double mergeGap);
