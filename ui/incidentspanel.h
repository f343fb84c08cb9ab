#pragma once

#include <QWidget>

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

Q_SIGNALS:
    void incidentActivated(qint64 startMs, qint64 endMs);

private:
    void updateTitle();

    IncidentModel *m_model;
    QTableView *m_view;
    QLabel *m_title;
};
