#pragma once

#include "model/filteredview.h"
#include "model/filterstate.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

// The one filter (style.md rule 6). apply() announces the new state at once (changed) and
// recomputes the filtered view in a worker; only the newest request's result is delivered
// (viewReady), older ones stop early or are dropped.
class FilterController : public QObject
{
    Q_OBJECT
public:
    explicit FilterController(QObject *parent = nullptr);
    ~FilterController() override;

    const FilterState &state() const { return m_state; }
    // The newest finished view (never null: an empty view before any data).
    std::shared_ptr<const FilteredView> view() const { return m_view; }
    std::shared_ptr<const EventStore> store() const { return m_store; }
    bool isBusy() const { return m_busy; }
    quint64 generation() const { return m_latest->load(); }

    // New data: keeps the filter, recomputes.
    void setStore(std::shared_ptr<const EventStore> store);
    // New data shown with another filter (one computation, not two).
    void setStore(std::shared_ptr<const EventStore> store, const FilterState &state);
    // The same data grown (a live snapshot: the current store is a prefix of this one):
    // only the new events are filtered and counted.
    void growStore(std::shared_ptr<const EventStore> store,
        std::shared_ptr<const LiveHistory> history = nullptr);
    double mergeGapMinutes() const { return m_mergeGap; }
    // The configured limits (Session::limits): the incidents' bindings are judged with them.
    // A change recomputes the view; the rows stay, only the bindings are judged again.
    void setLimits(std::vector<LimitEntry> limits);
    const std::vector<LimitEntry> &limits() const { return m_limits; }

public Q_SLOTS:
    void apply(const FilterState &state);
    // RejectionSource toggles (legend) without touching the rest of the filter.
    void setSourceEnabled(RejectionSource source, bool enabled);
    // One API scope ("": every scope) without touching the rest of the filter.
    void setScope(const QString &scope);

Q_SIGNALS:
    void changed(const FilterState &state);
    void busyChanged(bool busy);
    void viewReady(std::shared_ptr<const FilteredView> view);

private:
    void recompute();

    FilterState m_state;
    std::shared_ptr<const EventStore> m_store;
    std::shared_ptr<const FilteredView> m_view;
    std::shared_ptr<const LiveHistory> m_history; // what a live window let go of
    std::shared_ptr<std::atomic<quint64>> m_latest;
    QThreadPool m_pool; // below the GUI thread's priority
    double m_mergeGap = 5.0;
    std::vector<LimitEntry> m_limits;
    quint64 m_lineage = 0; // changes with setStore, not with growStore
    bool m_busy = false;
};
