#include "model/reportexporter.h"

#include "export/atomicwrite.h"
#include "export/chartimage.h"
#include "export/redactor.h"
#include "export/reportformats.h"
#include "export/summary.h"
#include "model/threadpriority.h"

#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

namespace {
constexpr int kHeadroomPercent = 30; // as `summarize` by default
}

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

Summary exportSummary(
    const LoadResult &load, const FilteredView &view, qint64 limitPerMinute, double mergeGap)
{
    std::optional<LimitSpec> limit;
    if (limitPerMinute > 0) {
        LimitSpec spec;
        spec.requests = limitPerMinute;
        spec.windowS = 60;
        limit = spec;
    }
    const EventStore &store = *view.store;
    Summary full
        = buildSummary(store, load.reports, limit, load.reportedLimit, mergeGap, view.subset());
    addFindings(full, store, kHeadroomPercent, view.subset());
    return redactSummary(std::move(full), Redactor::builtIn());
}

QByteArray renderReport(const QString &format, const Summary &summary, const RuleSet &rules,
    const QString &chartFileName)
{
    if (format == QLatin1String("json"))
        return summaryToJson(summary);
    if (format == QLatin1String("csv"))
        return summaryToCsv(summary);
    if (format == QLatin1String("html"))
        return summaryToHtml(summary, rules, chartPng(summary));
    if (format == QLatin1String("pdf"))
        return summaryToPdf(summary, rules, chartPng(summary));
    return summaryToMarkdown(summary, rules, chartFileName);
}

void ReportExporter::start(const QString &path, std::shared_ptr<const LoadResult> load,
    std::shared_ptr<const FilteredView> view, qint64 limitPerMinute, double mergeGap)
{
    const QString format = formatOf(path);
    if (format.isEmpty() || !load || !view || !view->store) {
        Q_EMIT finished(path,
            format.isEmpty() ? tr("unknown report format: use .md, .json, .csv, .html or .pdf")
                             : tr("nothing loaded"));
        return;
    }
    QtConcurrent::run(&m_pool, [=, rules = m_rules] {
        lowerThreadPriority();
        QString error;
        QString chartName;
        const Summary summary = exportSummary(*load, *view, limitPerMinute, mergeGap);
        if (format == QLatin1String("md")) { // the chart goes beside the report, as `summarize -o`
            const QFileInfo info(path);
            chartName = info.completeBaseName() + QStringLiteral(".png");
            if (!writeFileAtomically(info.dir().filePath(chartName), chartPng(summary), &error))
                return error;
        }
        const QByteArray bytes = renderReport(format, summary, *rules, chartName);
        writeFileAtomically(path, bytes, &error);
        return error;
    }).then(this, [this, path](const QString &error) { Q_EMIT finished(path, error); });
}
