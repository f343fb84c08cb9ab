#include "model/filtercontroller.h"

#include <QFuture>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "model/threadpriority.h"

FilterController::FilterController(QObject *parent)
    : QObject(parent)
    , m_view(std::make_shared<FilteredView>())
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    m_pool.setMaxThreadCount(2); // a stale job may still be stopping when the next starts
}

FilterController::~FilterController()
{
    ++*m_latest; // running workers stop at their next poll
    m_pool.waitForDone();
}

void FilterController::setStore(std::shared_ptr<const EventStore> store)
{
    m_store = std::move(store);
    m_history.reset();
    ++m_lineage;
    recompute();
}

void FilterController::setStore(std::shared_ptr<const EventStore> store, const FilterState &state)
{
    m_store = std::move(store);
    m_history.reset();
    ++m_lineage;
    if (state != m_state) {
        m_state = state;
        Q_EMIT changed(m_state);
    }
    recompute();
}

void FilterController::growStore(
    std::shared_ptr<const EventStore> store, std::shared_ptr<const LiveHistory> history)
{
    m_store = std::move(store);
    m_history = std::move(history);
    recompute();
}

void FilterController::setLimits(std::vector<LimitEntry> limits)
{
    if (limits == m_limits)
        return;
    m_limits = std::move(limits);
    recompute();
}

void FilterController::apply(const FilterState &state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT changed(m_state);
    recompute();
}

void FilterController::setSourceEnabled(RejectionSource source, bool enabled)
{
    FilterState s = m_state;
    s.setSourceEnabled(source, enabled);
    apply(s);
}

void FilterController::setScope(const QString &scope)
{
    FilterState s = m_state;
    s.scope = scope;
    apply(s);
}

void FilterController::recompute()
{
    const quint64 gen = ++*m_latest;
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    auto latest = m_latest;
    QtConcurrent::run(&m_pool,
        [store = m_store, filter = m_state, gap = m_mergeGap, gen, latest, previous = m_view,
            lineage = m_lineage, limits = m_limits, history = m_history] {
            lowerThreadPriority();
            return buildFilteredView(
                store, filter, gap, gen, [&latest, gen] { return latest->load() != gen; }, previous,
                lineage, limits, history);
        })
        .then(this, [this, gen](std::shared_ptr<const FilteredView> view) {
            if (!view || gen != m_latest->load())
                return; // a newer request exists: drop this one
            m_view = std::move(view);
            m_busy = false;
            Q_EMIT busyChanged(false);
            Q_EMIT viewReady(m_view);
            // top lists kept from a moment ago: made again once the view has rested
            if (m_view->joinsStale)
                QTimer::singleShot(2500, this, [this, gen] {
                    if (gen == m_latest->load())
                        recompute();
                });
        });
}
