#pragma once

#include "export/redactor.h"
#include "model/filteredview.h"
#include "model/filterstate.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

// The events of the filtered view (optionally narrowed by a drill-down), one row each, by
// time. Cells are formatted when asked for, so a million rows cost only their indices.
// A new scope shows its first kFirstRows rows at once and the rest in batches of kBatchRows,
// one per event-loop pass: a view allocates per row (QHeaderView), and a million rows in one
// go would hold the GUI thread for tens of milliseconds.
// Every text that came from the input (tool, provider, message, method, endpoint, file) goes
// through the redactor before it is shown, as a tool tip or copied.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The provider's message comes early: it is what explains a 429. Category: QUOTA,
    // OVERLOADED or HIDDEN_THROTTLE (limits.md §7); Rule: the rules that fired, the category's
    // then the gateway's (both carried by a copied row).
    enum Column {
        TimeColumn,
        SourceColumn,
        CategoryColumn,
        StatusColumn,
        ToolColumn,
        ProviderColumn,
        MessageColumn,
        RetryAfterColumn,
        MethodColumn,
        EndpointColumn,
        RuleColumn,
        LocationColumn,
        ColumnCount
    };
    enum Role {
        EventIndexRole = Qt::UserRole + 1, // int: index in the store
        SourceRole, // int: RejectionSource of the event
        TimeMsRole, // qint64
        FlagsRole, // int: the event's EventFlag bits (no zone, no response, quota)
    };

    static constexpr int kFirstRows = 100'000;
    static constexpr int kBatchRows = 200'000;

    explicit EventTableModel(QObject *parent = nullptr);

    void setView(std::shared_ptr<const FilteredView> view);
    // The last view given by setView.
    std::shared_ptr<const FilteredView> view() const { return m_given; }
    // The view whose rows are listed: view(), or the recalled one.
    std::shared_ptr<const FilteredView> shownView() const { return m_view; }
    // Watching live with a window (issue 22): the events of the drill-down's range that the
    // window let go of, read back from the capture (Session). Listed instead of view()'s rows
    // while that drill-down lasts (live views then change nothing here); ignored when the
    // drill-down changed meanwhile.
    void setRecalled(std::shared_ptr<const FilteredView> recalled, const DrillDown &drill);
    bool isRecalled() const { return m_recalled; }
    void setDrillDown(const DrillDown &drill);
    const DrillDown &drillDown() const { return m_drill; }
    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }

    // Every row of the scope is shown (no batch is pending).
    bool isComplete() const { return m_shown == scopeSize(); }
    // Shows the remaining rows now.
    void showAll();

    // Store index of the event in row, -1 when out of range.
    int eventAt(int row) const;
    // Row of a store event in the scope (showAll() before using a row >= rowCount()), or -1.
    int rowOfEvent(int event) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void drillDownChanged(const DrillDown &drill);
    // The last batch of the scope is shown.
    void complete();

private:
    void rebuildRows();
    int scopeSize() const { return int(m_usePicked ? m_picked.size() : m_end - m_begin); }
    void startBatches();
    void showMore(int rows);
    QString cellText(std::size_t event, int column) const;

    std::shared_ptr<const FilteredView> m_view; // listed
    std::shared_ptr<const FilteredView> m_given; // by setView
    bool m_recalled = false; // m_view holds events read back for m_drill
    DrillDown m_drill;
    bool m_utc = true;
    // rows shown: m_view->rows[m_begin, m_end), or m_picked when the drill-down picks sources
    std::size_t m_begin = 0, m_end = 0;
    std::vector<std::uint32_t> m_picked;
    bool m_usePicked = false;
    int m_shown = 0; // rows exposed so far (the first m_shown of the scope)
    quint64 m_scopeGeneration = 0; // a pending batch of an older scope does nothing
    QStringList m_fileNames; // redacted (a URL input may carry a token)
    Redactor m_redactor = Redactor::builtIn();
};
