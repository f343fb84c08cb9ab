#include "model/reportexporter.h"

#include "export/reportwriter.h"
#include "model/threadpriority.h"

#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

ReportExporter::ReportExporter(std::shared_ptr<const RuleSet> rules, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
{
    m_pool.setMaxThreadCount(1);
}

ReportExporter::~ReportExporter() { m_pool.waitForDone(); }

QString ReportExporter::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown"))
        return QStringLiteral("md");
    for (const char *f : { "json", "csv", "html", "pdf" }) {
        if (suffix == QLatin1String(f))
            return suffix;
    }
    return QString();
}

Summary exportSummary(const LoadResult &load, const FilteredView &view, ReportOptions options)
{
    options.subset = view.subset();
    return makeReport(*view.store, load.reports, options);
}

void ReportExporter::start(const QString &path, std::shared_ptr<const LoadResult> load,
    std::shared_ptr<const FilteredView> view, ReportOptions options, std::optional<TimeRange> range)
{
    const QString format = formatOf(path);
    if (format.isEmpty() || !load || !view || !view->store) {
        Q_EMIT finished(path,
            format.isEmpty() ? tr("unknown report format: use .md, .json, .csv, .html or .pdf")
                             : tr("nothing loaded"));
        return;
    }
    QtConcurrent::run(&m_pool, [=, rules = m_rules, drawing = m_drawing] {
        lowerThreadPriority();
        std::shared_ptr<const FilteredView> shown = view;
        if (range) { // the same filter, narrowed to the range
            FilterState narrowed = view->filter;
            if (range->fromMs)
                narrowed.fromMs
                    = std::max<qint64>(narrowed.fromMs.value_or(INT64_MIN), *range->fromMs);
            if (range->toMs)
                narrowed.toMs = std::min<qint64>(narrowed.toMs.value_or(INT64_MAX), *range->toMs);
            shown = buildFilteredView(view->store, narrowed, options.mergeGapMinutes, 0, {});
        }
        QString error;
        writeReport(path, format, exportSummary(*load, *shown, options), *rules, &error, drawing);
        return error;
    }).then(this, [this, path](const QString &error) { Q_EMIT finished(path, error); });
}
