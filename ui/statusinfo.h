#pragma once

#include "model/filteredview.h"
#include "model/filterstate.h"
#include "model/loadjob.h"

#include <QLabel>

#include <memory>

// The status bar's counts: what is loaded, what the filter keeps, what the table lists.
class StatusInfo : public QLabel
{
    Q_OBJECT
public:
    explicit StatusInfo(QWidget *parent = nullptr);

public Q_SLOTS:
    void setLoadResult(std::shared_ptr<const LoadResult> result);
    void setView(std::shared_ptr<const FilteredView> view);
    void setTableRows(int rows, const DrillDown &drill);
    void setBusy(bool busy);
    void showMessage(const QString &message);

private:
    void render();

    std::shared_ptr<const LoadResult> m_result;
    std::shared_ptr<const FilteredView> m_view;
    int m_rows = 0;
    DrillDown m_drill;
    bool m_busy = false;
    QString m_message;
};
