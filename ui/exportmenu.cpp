#include "exportmenu.h"

#include "incidentspanel.h"
#include "ratechart.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QTimeZone>

namespace {

// "2026-01-05T1005Z": a time for a file name (no colons)
QString fileTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHHmm'Z'"));
}

} // namespace

ExportMenu::ExportMenu(RateChart *chart, IncidentsPanel *incidents, QWidget *parent)
    : QMenu(tr("E&xport"), parent)
    , m_chart(chart)
    , m_incidents(incidents)
{
    addAction(tr("&Report of what is shown…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), this,
        [this] {
            const QString path = askReportPath(
                parentWidget(), tr("Export a report of what is shown"), QStringLiteral("ratescope-report"));
            if (!path.isEmpty())
                Q_EMIT exportRequested(path, std::nullopt);
        });
    addAction(tr("&Visible range…"), QKeySequence(QStringLiteral("Ctrl+Shift+V")), this, [this] {
        exportRange(m_chart->visibleFromMs(), m_chart->visibleToMs(),
            tr("Export a report of the visible range"),
            QStringLiteral("ratescope-%1").arg(fileTime(m_chart->visibleFromMs())));
    });
    m_incident = addAction(tr("&Incident…"), QKeySequence(QStringLiteral("Ctrl+Shift+I")), this,
        [this] {
            const auto range = m_incidents->selectedRange();
            if (!range) {
                Q_EMIT message(tr("Select an incident first (or right-click one)"));
                return;
            }
            exportIncident(range->first, range->second);
        });
    connect(this, &QMenu::aboutToShow, this,
        [this] { m_incident->setEnabled(m_incidents->selectedRange().has_value()); });
}

QString ExportMenu::askReportPath(QWidget *parent, const QString &title, const QString &baseName)
{
    static const QList<std::pair<QString, QString>> types {
        { QObject::tr("Markdown, chart as a PNG beside it (*.md)"), QStringLiteral("md") },
        { QObject::tr("HTML, one self-contained file (*.html)"), QStringLiteral("html") },
        { QObject::tr("PDF (*.pdf)"), QStringLiteral("pdf") },
        { QObject::tr("JSON, summary.md schema (*.json)"), QStringLiteral("json") },
        { QObject::tr("CSV, one row per minute (*.csv)"), QStringLiteral("csv") },
    };
    QStringList filters;
    for (const auto &[filter, suffix] : types)
        filters << filter;
    QString chosen;
    QString path = QFileDialog::getSaveFileName(parent, title, baseName + QStringLiteral(".md"),
        filters.join(QStringLiteral(";;")), &chosen);
    if (path.isEmpty())
        return path;
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool known = false;
    for (const auto &[filter, s] : types)
        known = known || s == suffix || (suffix == QLatin1String("markdown") && s == QLatin1String("md"));
    if (!known) { // no (or another) suffix: the chosen type decides
        for (const auto &[filter, s] : types) {
            if (filter == chosen)
                path += QLatin1Char('.') + s;
        }
    }
    return path;
}

void ExportMenu::exportRange(qint64 fromMs, qint64 toMs, const QString &title, const QString &baseName)
{
    const QString path = askReportPath(parentWidget(), title, baseName);
    if (path.isEmpty())
        return;
    TimeRange range;
    range.fromMs = fromMs;
    range.toMs = toMs;
    Q_EMIT exportRequested(path, range);
}

void ExportMenu::exportIncident(qint64 fromMs, qint64 toMs)
{
    exportRange(fromMs, toMs, tr("Export a report of the incident"),
        QStringLiteral("incident-%1").arg(fileTime(fromMs)));
}
