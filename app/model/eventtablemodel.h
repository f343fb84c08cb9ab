#pragma once

#include "model/filteredview.h"
#include "model/filterstate.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

// The events of the filtered view (optionally narrowed by a drill-down), one row each, by
// time. Cells are formatted when asked for, so a million rows cost only their indices.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The provider's message comes early: it is what explains a 429.
    enum Column {
        TimeColumn,
        SourceColumn,
        StatusColumn,
        ToolColumn,
        ProviderColumn,
        MessageColumn,
        RetryAfterColumn,
        MethodColumn,
        EndpointColumn,
        LocationColumn,
        ColumnCount
    };
    enum Role {
        EventIndexRole = Qt::UserRole + 1, // int: index in the store
        SourceRole, // int: Source of the event
        TimeMsRole, // qint64
    };

    explicit EventTableModel(QObject *parent = nullptr);

    void setView(std::shared_ptr<const FilteredView> view);
    std::shared_ptr<const FilteredView> view() const { return m_view; }
    void setDrillDown(const DrillDown &drill);
    const DrillDown &drillDown() const { return m_drill; }
    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }

    // Store index of the event in row, -1 when out of range.
    int eventAt(int row) const;
    // Row of a store event, -1 when it is not shown.
    int rowOfEvent(int event) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void drillDownChanged(const DrillDown &drill);

private:
    void rebuildRows();
    QString cellText(std::size_t event, int column) const;

    std::shared_ptr<const FilteredView> m_view;
    DrillDown m_drill;
    bool m_utc = true;
    // rows shown: m_view->rows[m_begin, m_end), or m_picked when the drill-down picks sources
    std::size_t m_begin = 0, m_end = 0;
    std::vector<std::uint32_t> m_picked;
    bool m_usePicked = false;
    QStringList m_fileNames;
};
