#pragma once

#include "model/reportexporter.h" // ExportChoices
#include "store/eventbuilder.h" // TimeRange

#include <QMenu>

#include <optional>

class IncidentsPanel;
class RateChart;

// Export ▸ Report of what is shown…, Visible range…, Incident… (and the incidents panel's
// right-click): asks where to write (the format follows the chosen type or the file name's
// suffix), the incident gap and the headroom of the limit to ask for (as summarize's
// --merge-gap and --headroom; the last choice is offered again), and says what to export.
// The report itself is the session's business.
class ExportMenu : public QMenu
{
    Q_OBJECT
public:
    ExportMenu(RateChart *chart, IncidentsPanel *incidents, QWidget *parent);

    // A file name for a report, or empty when the user cancelled (suffix added when missing);
    // *choices is what the dialog's incident gap and headroom boxes said.
    static QString askReportPath(
        QWidget *parent, const QString &title, const QString &baseName, ExportChoices *choices);

public Q_SLOTS:
    void exportRange(qint64 fromMs, qint64 toMs, const QString &title, const QString &baseName);
    void exportIncident(qint64 fromMs, qint64 toMs);

Q_SIGNALS:
    void exportRequested(
        const QString &path, std::optional<TimeRange> range, const ExportChoices &choices);
    void message(const QString &text);

private:
    RateChart *m_chart;
    IncidentsPanel *m_incidents;
    QAction *m_incident;
    ExportChoices m_choices;
};
