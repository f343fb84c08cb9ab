#pragma once

#include <QTableView>

class EventTableModel;

// The events table: fixed row heights and column widths (a million rows never get measured),
// source chips, the selected event reported by store index.
class EventTableView : public QTableView
{
    Q_OBJECT
public:
    explicit EventTableView(QWidget *parent = nullptr);

    void setEventModel(EventTableModel *model);
    // Selects (and scrolls to) a row.
    void selectRow(int row);

Q_SIGNALS:
    void rowSelected(int row); // -1: none

protected:
    // Ctrl+C copies the selected rows through tableCopyText (the model's redacted text).
    void keyPressEvent(QKeyEvent *event) override;

private:
    EventTableModel *m_model = nullptr;
};
