#include "exportmenu.h"

#include "incidentspanel.h"
#include "ratechart.h"

#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QSpinBox>
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
            const QString path
                = askReportPath(parentWidget(), tr("Export a report of what is shown"),
                    QStringLiteral("ratescope-report"), &m_choices);
            if (!path.isEmpty())
                Q_EMIT exportRequested(path, std::nullopt, m_choices);
        });
    addAction(tr("&Visible range…"), QKeySequence(QStringLiteral("Ctrl+Shift+V")), this, [this] {
        exportRange(m_chart->visibleFromMs(), m_chart->visibleToMs(),
            tr("Export a report of the visible range"),
            QStringLiteral("ratescope-%1").arg(fileTime(m_chart->visibleFromMs())));
    });
    m_incident
        = addAction(tr("&Incident…"), QKeySequence(QStringLiteral("Ctrl+Shift+I")), this, [this] {
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

QString ExportMenu::askReportPath(
    QWidget *parent, const QString &title, const QString &baseName, ExportChoices *choices)
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
    // Qt's own dialog (a native one takes no extra rows): the file, then the report's options
    QFileDialog dialog(parent, title, QString(), filters.join(QStringLiteral(";;")));
    dialog.setObjectName(QStringLiteral("exportDialog"));
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.selectFile(baseName + QStringLiteral(".md"));
    auto *gap = new QDoubleSpinBox(&dialog);
    gap->setObjectName(QStringLiteral("mergeGap"));
    gap->setRange(0, 1440);
    gap->setDecimals(1);
    gap->setSuffix(QObject::tr(" min"));
    gap->setValue(choices->mergeGapMinutes.value_or(5.0));
    gap->setToolTip(
        QObject::tr("Rejections at most this far apart form one incident (--merge-gap)"));
    auto *headroom = new QSpinBox(&dialog);
    headroom->setObjectName(QStringLiteral("headroom"));
    headroom->setRange(0, 1000);
    headroom->setSuffix(QObject::tr(" %"));
    headroom->setValue(choices->headroomPercent);
    headroom->setToolTip(
        QObject::tr("The limit to ask for: the peak requests per minute plus this (--headroom)"));
    if (auto *grid = qobject_cast<QGridLayout *>(dialog.layout())) {
        const int row = grid->rowCount();
        grid->addWidget(new QLabel(QObject::tr("Incident gap:"), &dialog), row, 0);
        grid->addWidget(gap, row, 1);
        grid->addWidget(new QLabel(QObject::tr("Headroom:"), &dialog), row + 1, 0);
        grid->addWidget(headroom, row + 1, 1);
    }
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return QString();
    choices->mergeGapMinutes = gap->value();
    choices->headroomPercent = headroom->value();
    const QString chosen = dialog.selectedNameFilter();
    QString path = dialog.selectedFiles().front();
    if (path.isEmpty())
        return path;
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool known = false;
    for (const auto &[filter, s] : types)
        known = known || s == suffix
            || (suffix == QLatin1String("markdown") && s == QLatin1String("md"));
    if (!known) { // no (or another) suffix: the chosen type decides
        for (const auto &[filter, s] : types) {
            if (filter == chosen)
                path += QLatin1Char('.') + s;
        }
    }
    return path;
}

void ExportMenu::exportRange(
    qint64 fromMs, qint64 toMs, const QString &title, const QString &baseName)
{
    const QString path = askReportPath(parentWidget(), title, baseName, &m_choices);
    if (path.isEmpty())
        return;
    TimeRange range;
    range.fromMs = fromMs;
    range.toMs = toMs;
    Q_EMIT exportRequested(path, range, m_choices);
}

void ExportMenu::exportIncident(qint64 fromMs, qint64 toMs)
{
    exportRange(fromMs, toMs, tr("Export a report of the incident"),
        QStringLiteral("incident-%1").arg(fileTime(fromMs)));
}
