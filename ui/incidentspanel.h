#pragma once

#include <QWidget>

#include <optional>
#include <utility>

class IncidentModel;
class QLabel;
class QTableView;

// The incidents the engine found in the filtered data. Activating one asks to zoom the chart
// to it and to list its records.
class IncidentsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit IncidentsPanel(IncidentModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    void activateRow(int row);
    // The selected incident's minutes [floor(start), floor(end) + 1 min), if one is selected.
    std::optional<std::pair<qint64, qint64>> selectedRange() const;

Q_SIGNALS:
    // An incident chosen: its first and last rejection and its API scope.
    void incidentActivated(qint64 startMs, qint64 endMs, const QString &scope);
    // Right-click ▸ Export this incident…: its minutes, as selectedRange().
    void exportRequested(qint64 fromMs, qint64 toMs);

private:
    void updateTitle();
    std::optional<std::pair<qint64, qint64>> rangeOfRow(int row) const;

    IncidentModel *m_model;
    QTableView *m_view;
    QLabel *m_title;
};
