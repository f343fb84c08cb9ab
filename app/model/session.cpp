#include "model/session.h"

#include "model/threadpriority.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace {

// A view of the events of [fromMs, toMs) as a store of every event would hold them, for a
// view whose window let go of older ones: those read back from the capture, and those held.
struct Recalled
{
    std::shared_ptr<const FilteredView> view;
    QString error; // why not (a segment rotated away); no view then
};

Recalled recalledView(const FilteredView &view, const RuleSet &rules,
    const std::vector<LimitEntry> &limits, std::int64_t fromMs, std::int64_t toMs)
{
    lowerThreadPriority();
    Recalled r;
    CaptureReadBack back = eventsOfRange(*view.history, *view.store, rules, fromMs, toMs);
    r.error = std::move(back.error);
    if (back.events)
        r.view = buildFilteredView(
            std::move(back.events), view.filter, view.mergeGapMinutes, 0, {}, nullptr, 0, limits);
    return r;
}

} // namespace

Session::Session(RuleSet rules, QObject *parent)
    : QObject(parent)
    , m_rules(std::make_shared<const RuleSet>(std::move(rules)))
    , m_loader(m_rules)
    , m_details(m_rules)
    , m_exporter(m_rules)
    , m_live(m_rules)
{
    connect(&m_loader, &LoadJob::finished, this, [this](std::shared_ptr<const LoadResult> r) {
        m_result = r;
        m_events.setDrillDown(DrillDown {});
        m_details.clear();
        m_rawLines.clear();
        m_problems.setReports(r->reports, true);
        // the scope shown before stays when the new data has it
        FilterState state = m_filter.state();
        state.scope = chooseScope(r->scopes, state.scope);
        m_filter.setStore(r->store, state);
        announceLimit();
        Q_EMIT loaded(r);
    });
    connect(&m_live, &LiveFeed::started, this, [this] { m_liveFresh = true; });
    connect(&m_live, &LiveFeed::snapshotReady, this, [this](std::shared_ptr<const LoadResult> r) {
        m_result = r;
        m_problems.setReports(r->reports, false); // lines of a stream: not read back
        // snapshots of one session only grow: the filter counts what is new
        if (m_liveFresh)
            m_filter.setStore(r->store);
        else
            m_filter.growStore(r->store, r->history);
        m_liveFresh = false;
        announceLimit(); // the first scope seen can make limitScope() that scope
        Q_EMIT liveUpdated(r);
    });
    connect(&m_filter, &FilterController::viewReady, &m_live, &LiveFeed::viewShown);
    connect(&m_filter, &FilterController::changed, this, &Session::announceLimit);
    connect(&m_events, &EventTableModel::complete, this, &Session::finishApply);
    connect(&m_events, &EventTableModel::drillDownChanged, this, &Session::recall);
    connect(&m_filter, &FilterController::viewReady, this,
        [this](std::shared_ptr<const FilteredView> view) {
            m_applyPending = true;
            // A timer, not a posted event: the event loop handles input and paints the
            // chart in between. (Watching live, every view reaches the table too: it lists
            // the first rows at once and the rest in batches that the next view cancels, so
            // it costs little. Applying only one view a second was measured worse: its
            // batches then ran to the end, a million rows a second.)
            QTimer::singleShot(1, this, [this, view] {
                if (view != m_filter.view())
                    return; // a newer view came meanwhile; its own call applies it
                m_events.setView(view);
                m_incidents.setView(view);
                finishApply(); // at once, or when the table's last batch is shown
            });
        });
}

void Session::finishApply()
{
    if (!m_applyPending || !m_events.isComplete() || m_events.view() != m_filter.view())
        return;
    m_applyPending = false;
    Q_EMIT viewApplied(m_events.view());
}

void Session::open(const QStringList &paths)
{
    m_live.close();
    m_loader.start(paths);
}

bool Session::watch(LiveOptions options, QString *error)
{
    // the window's limit and incident gap, unless the caller chose others
    // the window's limits, each scope its own, unless the caller chose others
    if (!options.limit && options.scopeLimits.empty())
        options.scopeLimits = m_limits;
    options.mergeGapMinutes = m_filter.mergeGapMinutes();
    // batches twice as often as `monitor`: the chart's latency budget is 100 ms in all
    options.ingest.batchMs = std::min(options.ingest.batchMs, 25);
    m_loader.cancel();
    m_events.setDrillDown(DrillDown {});
    m_details.clear();
    return m_live.start(options, error);
}

std::optional<LimitSpec> Session::limitFor(const QString &scope, LimitAxis axis) const
{
    return configuredLimit(m_limits, scope.toStdString(), axis);
}

void Session::setLimitAxis(LimitAxis axis)
{
    if (axis == m_limitAxis)
        return;
    m_limitAxis = axis;
    m_announced.reset();
    Q_EMIT limitChanged(limit()); // the box shows the new axis's limit, also an equal one
    m_announced = limit();
}

QString Session::limitScope() const
{
    if (!m_filter.state().scope.isEmpty())
        return m_filter.state().scope;
    if (m_result && m_result->scopes.size() == 1)
        return m_result->scopes.front().name;
    return QString();
}

void Session::setLimit(std::optional<LimitSpec> limit)
{
    if (limit && limit->requests <= 0)
        limit.reset();
    const QString scope = limitScope();
    std::vector<LimitEntry> limits = m_limits;
    // replaces the scope's own limit on the axis (a scope matches without regard to case)
    limits.erase(std::remove_if(limits.begin(), limits.end(),
                     [&scope, this](const LimitEntry &e) {
                         return e.axis == m_limitAxis
                             && e.scope.compare(scope, Qt::CaseInsensitive) == 0;
                     }),
        limits.end());
    if (limit)
        limits.push_back({ scope, m_limitAxis, *limit });
    setLimits(std::move(limits));
}

void Session::setLimits(std::vector<LimitEntry> limits)
{
    if (limits == m_limits)
        return;
    m_limits = std::move(limits);
    m_live.setLimits(m_limits);
    m_filter.setLimits(m_limits); // the incidents' bindings
    Q_EMIT limitsChanged(m_limits);
    announceLimit();
}

void Session::announceLimit()
{
    const std::optional<LimitSpec> now = limit();
    if (now == m_announced)
        return;
    m_announced = now;
    Q_EMIT limitChanged(now);
}

void Session::setLimitPerMinute(qint64 limit)
{
    LimitSpec spec;
    spec.requests = limit;
    spec.windowS = 60;
    setLimit(limit > 0 ? std::optional<LimitSpec>(spec) : std::nullopt);
}

void Session::setUtc(bool utc)
{
    m_events.setUtc(utc);
    m_incidents.setUtc(utc);
}

void Session::selectRow(int row)
{
    const int event = m_events.eventAt(row);
    if (event < 0) {
        m_details.clear();
        return;
    }
    std::optional<Binding> binding; // of the incident it belongs to, in what the table shows
    const auto view = m_events.shownView(); // its store: the live one, or events read back
    if (view) {
        if (const Incident *inc = incidentOf(*view, std::size_t(event)))
            binding = inc->binding;
    }
    m_details.request(view ? view->store : store(), event, binding);
}

void Session::recall(const DrillDown &drill)
{
    const quint64 generation = ++m_recallGeneration;
    const auto view = m_filter.view();
    if (!drill.active || !view || !view->history || view->history->empty()
        || drill.fromMs >= view->heldFromMs())
        return;
    Q_EMIT recallChanged(true, QString());
    QtConcurrent::run([view, rules = m_rules, limits = m_filter.limits(), drill] {
        return recalledView(*view, *rules, limits, drill.fromMs, drill.toMs);
    }).then(this, [this, generation, drill](Recalled r) {
        if (generation != m_recallGeneration)
            return; // another drill-down since
        if (r.view) // else the table keeps the live rows of the range (none of those let go)
            m_events.setRecalled(std::move(r.view), drill);
        Q_EMIT recallChanged(false, r.error);
    });
}

void Session::exportReport(
    const QString &path, std::optional<TimeRange> range, ExportChoices choices)
{
    ReportOptions options;
    options.scoping.limits = m_limits; // each scope its own (the summary's limits[])
    options.mergeGapMinutes = choices.mergeGapMinutes.value_or(m_filter.mergeGapMinutes());
    options.headroomPercent = choices.headroomPercent;
    const auto view = m_filter.view();
    if (!m_result || !view || !view->history || view->history->empty()
        || (range && range->fromMs && *range->fromMs >= view->heldFromMs())) {
        m_exporter.start(path, m_result, view, options, range);
        return;
    }
    // The window let go of older events: the report is made of every one, the older ones
    // read back from the capture (as drill-down does), never of the events held alone.
    QtConcurrent::run([view, rules = m_rules, limits = m_filter.limits(), range] {
        return recalledView(*view, *rules, limits,
            range && range->fromMs ? *range->fromMs : INT64_MIN,
            range && range->toMs ? *range->toMs : INT64_MAX);
    }).then(this, [this, path, options, range, load = m_result](Recalled r) {
        if (!r.view) {
            Q_EMIT m_exporter.finished(path,
                QStringLiteral("the records the window let go of cannot be read back: %1")
                    .arg(r.error));
            return;
        }
        auto all = std::make_shared<LoadResult>(*load);
        all->store = r.view->store;
        all->history.reset();
        m_exporter.start(path, all, r.view, options, range);
    });
}
