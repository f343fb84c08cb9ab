#include "model/filteredview.h"

#include "aggregate/reportedlimits.h"
#include "aggregate/scopes.h"
#include "incidents/binding.h"
#include "model/eventfilter.h"

#include <QDateTime>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <unordered_map>

namespace {

bool sameLimits(const std::vector<AxisLimit> &a, const std::vector<AxisLimit> &b)
{
    return std::equal(
        a.begin(), a.end(), b.begin(), b.end(), [](const AxisLimit &x, const AxisLimit &y) {
            return x.axis == y.axis && x.spec == y.spec;
        });
}

// The limits limits.md §5 compares for one scope, in the summary's order: its configured ones on
// every axis, and on an axis without one the ones its responses reported (requests: `reported`,
// which the view keeps).
std::vector<AxisLimit> limitsOfScope(const std::vector<LimitEntry> &entries,
    const std::string &scope, const std::vector<LimitSpec> &reported, const EventStore &store,
    const EventSubset *events)
{
    std::vector<AxisLimit> out;
    for (LimitAxis axis : { LimitAxis::Requests, LimitAxis::Tokens, LimitAxis::InputTokens,
             LimitAxis::OutputTokens, LimitAxis::Concurrency }) {
        std::vector<LimitSpec> specs = configuredLimits(entries, scope, axis);
        if (specs.empty())
            specs = axis == LimitAxis::Requests ? reported
                                                : reportedHistory(store, events, axis).byWindow;
        for (const LimitSpec &spec : specs)
            out.push_back({ axis, spec });
    }
    return out;
}

// Judges the incidents at `which` (indices into `incidents`) with addBindings, in one call.
void bindSome(const EventStore &store, std::vector<Incident> &incidents,
    const std::vector<std::size_t> &which, const std::vector<AxisLimit> &limits,
    const EventSubset *scopeEvents, const std::vector<const Incident *> *grownFrom = nullptr)
{
    if (which.empty())
        return;
    std::vector<Incident> some;
    some.reserve(which.size());
    for (std::size_t k : which)
        some.push_back(std::move(incidents[k]));
    addBindings(store, some, limits, scopeEvents, grownFrom);
    for (std::size_t j = 0; j < which.size(); ++j)
        incidents[which[j]] = std::move(some[j]);
}

// Sets `binding` of the view's incidents of one scope (limits.md §5). `previous`: that scope's
// incidents of the view this one grew from (by first rejection), judged with the same limits, or
// null. From it an incident with the same rejections keeps its binding, and one that got more
// reads their words again and otherwise keeps it: its counts are those before its first
// rejection, which a store that grew in time order does not change. The rest (new incidents,
// or all when the limits changed) are judged in full. Either way only the words of the
// rejections added since `previous` are read (Incident::evidence keeps what was read before).
void bindScope(const EventStore &store, std::vector<Incident> &incidents, const std::string &scope,
    const std::vector<AxisLimit> &limits, const EventSubset *scopeEvents,
    const std::unordered_map<std::int64_t, const Incident *> *previous)
{
    std::vector<std::size_t> full, words;
    std::vector<const Incident *> fullWas, wordsWas;
    for (std::size_t k = 0; k < incidents.size(); ++k) {
        Incident &inc = incidents[k];
        if (inc.scope != scope)
            continue;
        const Incident *was = nullptr;
        if (previous) {
            const auto it = previous->find(inc.startMs);
            if (it != previous->end() && it->second->dominant == inc.dominant)
                was = it->second;
        }
        if (was && was->events.size() == inc.events.size()) {
            inc.binding = was->binding;
            inc.evidence = was->evidence;
        } else if (was && was->binding.evidence != Binding::Evidence::Message) {
            words.push_back(k);
            wordsWas.push_back(was);
        } else {
            full.push_back(k);
            fullWas.push_back(was); // judged again, from its evidence and the new rejections'
        }
    }
    bindSome(store, incidents, full, limits, scopeEvents, &fullWas);
    // no limits: the words only, and of the rejections added since only (Incident::evidence)
    bindSome(store, incidents, words, {}, scopeEvents, &wordsWas);
    for (std::size_t j = 0; j < words.size(); ++j) {
        Incident &inc = incidents[words[j]];
        if (inc.binding.evidence != Binding::Evidence::Message)
            inc.binding = wordsWas[j]->binding;
    }
}

// The token limits the events reported (FilteredView::reportedTokenLimits). grown: the previous
// view of the same lineage, whose rows are a prefix of this one's; added: the rows that are new.
void addReportedTokens(FilteredView &view, const EventStore &store, const FilteredView *grown,
    const EventSubset &added)
{
    if (!store.hasReportedTokens())
        return;
    for (std::size_t k = 0; k < 3; ++k) {
        ReportedLimits &limits = view.reportedTokenLimits[k];
        if (grown)
            limits = grown->reportedTokenLimits[k];
        for (std::uint32_t i : grown ? added : view.rows)
            limits.add(store, i);
    }
}

// Which axes besides requests the view gets a pyramid of (FilteredView::axes, in its order):
// tokens when the store holds usage; input and output tokens only for one scope with a limit
// on them (configured or reported; the chart offers them only then); requests in flight always
// (an empty pyramid when no record has a duration).
std::array<bool, 4> axesToBuild(
    const FilteredView &view, const EventStore &store, const std::vector<LimitEntry> &limits)
{
    std::array<bool, 4> build { store.hasTokens(), false, false, true };
    for (std::size_t k = 1; k <= 2 && store.hasTokens() && view.scopes.size() == 1; ++k) {
        const LimitAxis axis = LimitAxis(k + 1);
        build[k] = !view.reportedTokenLimits[k].history().byWindow.empty()
            || configuredLimit(limits, view.scopes.front(), axis);
    }
    return build;
}

// The pyramids of FilteredView::axes. Runs beside the incidents and bindings (another core),
// so it reads only the rows and the previous view and writes only view.axes.
void buildAxes(FilteredView &view, const EventStore &store, const FilteredView *grown,
    const EventSubset &added, std::array<bool, 4> which, const std::function<bool()> &cancelled)
{
    std::int64_t firstNew = INT64_MAX;
    for (std::uint32_t i : added)
        firstNew = std::min(firstNew, store.timeMs(i));
    for (std::size_t k = 0; k < which.size(); ++k) {
        if (!which[k] || (cancelled && cancelled()))
            continue;
        const LimitAxis axis = LimitAxis(k + 1);
        const AxisPyramid *was = grown ? &grown->axes[k] : nullptr;
        // a previous view that had no pyramid of the axis (the store had no usage yet, or
        // another scope) has none to grow from
        if (was && was->axis() == axis && was->requests() == std::int64_t(grown->rows.size()))
            view.axes[k] = added.empty() ? *was : was->grown(store, view.rows, firstNew);
        else
            view.axes[k] = AxisPyramid::build(store, axis, view.rows, cancelled);
    }
}

// Whether a scope of a LiveHistory is one the filter keeps.
bool keepsScope(const FilterState &filter, const std::string &scope)
{
    return filter.scope.isEmpty()
        || QString::fromStdString(scope).compare(filter.scope, Qt::CaseInsensitive) == 0;
}

// The counts of the events let go, of the scopes the filter keeps, into the view's pyramid.
void addHistoryCounts(FilteredView &view, const LiveHistory &history)
{
    std::vector<BucketCounts> seconds;
    for (const auto &[scope, buckets] : history.seconds) {
        if (keepsScope(view.filter, scope))
            seconds = mergeBuckets(seconds, buckets);
    }
    for (const BucketCounts &b : seconds)
        view.historyRequests += b.requests;
    view.pyramid = view.pyramid.plusBuckets(seconds);
    view.historyCounted = true;
}

// The incidents as the view lists them with what was let go (the view's own, found over the
// events held, are in heldIncidents): those let go and over, those whose first part was let
// go joined with their part held (or on their own), and the rest held. minutesOf(scope): the
// minutes of the scope's events held.
void addHistoryIncidents(FilteredView &view, const LiveHistory &history, const EventStore &store,
    const std::function<std::vector<BucketCounts>(const std::string &)> &minutesOf,
    const FilteredView *grownFrom)
{
    // the previous view's joined top lists are kept for a while (merging reads spilled runs)
    constexpr qint64 kMergeEveryMs = 2000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool reuse = grownFrom && grownFrom->history.get() == &history
        && now - grownFrom->joinedAtMs < kMergeEveryMs;
    view.joinedAtMs = reuse ? grownFrom->joinedAtMs : now;
    view.heldIncidents = view.incidents;
    std::vector<Incident> all;
    for (const Incident &inc : history.incidents) {
        if (keepsScope(view.filter, inc.scope))
            all.push_back(inc);
    }
    const double gapMs = view.mergeGapMinutes * 60000.0;
    std::vector<bool> used(view.incidents.size(), false);
    for (const auto &[scope, part] : history.open) {
        if (!keepsScope(view.filter, scope))
            continue;
        // the scope's first incident held goes on from the part let go when close enough
        std::size_t k = 0;
        while (k < view.incidents.size() && view.incidents[k].scope != scope)
            ++k;
        if (k < view.incidents.size()
            && double(view.incidents[k].startMs - part.incident.endMs) <= gapMs) {
            const Incident *tops = nullptr; // the previous view's joined incident
            if (reuse) {
                for (const Incident &was : grownFrom->incidents) {
                    if (was.scope == scope && was.startMs == part.incident.startMs
                        && !was.events.empty())
                        tops = &was;
                }
            }
            const Incident *heldWas = nullptr; // its part held then
            if (tops) {
                for (const Incident &was : grownFrom->heldIncidents) {
                    if (was.scope == scope && was.startMs == view.incidents[k].startMs)
                        heldWas = &was;
                }
            }
            // names came since the merge: merged again shortly
            if (tops
                && (grownFrom->joinsStale || !heldWas
                    || heldWas->events.size() != view.incidents[k].events.size()))
                view.joinsStale = true;
            all.push_back(joined(history, part, view.incidents[k], store, minutesOf(scope), tops));
            used[k] = true;
        } else {
            all.push_back(part.described);
        }
    }
    for (std::size_t k = 0; k < view.incidents.size(); ++k) {
        if (!used[k])
            all.push_back(std::move(view.incidents[k]));
    }
    std::stable_sort(all.begin(), all.end(),
        [](const Incident &a, const Incident &b) { return a.startMs < b.startMs; });
    view.incidents = std::move(all);
}

} // namespace

bool filterKeepsWholeScopes(const FilterState &filter)
{
    FilterState rest = filter;
    rest.scope.clear();
    return rest.passesAll();
}

const AxisPyramid *FilteredView::axisPyramid(LimitAxis axis) const
{
    return axis == LimitAxis::Requests ? nullptr : &axes[std::size_t(axis) - 1];
}

const ReportedHistory &FilteredView::reportedOn(LimitAxis axis) const
{
    static const ReportedHistory none;
    switch (axis) {
    case LimitAxis::Requests:
        return reported;
    case LimitAxis::Tokens:
    case LimitAxis::InputTokens:
    case LimitAxis::OutputTokens:
        return reportedTokens[std::size_t(axis) - 1];
    case LimitAxis::Concurrency:
        break;
    }
    return none;
}

std::shared_ptr<const FilteredView> buildFilteredView(std::shared_ptr<const EventStore> store,
    const FilterState &filter, double mergeGapMinutes, quint64 generation,
    const std::function<bool()> &cancelled, std::shared_ptr<const FilteredView> previous,
    quint64 lineage, const std::vector<LimitEntry> &limits,
    std::shared_ptr<const LiveHistory> history)
{
    auto view = std::make_shared<FilteredView>();
    view->history = history;
    view->filter = filter;
    view->generation = generation;
    view->lineage = lineage;
    const bool grows = store && previous && previous->store && lineage != 0
        && previous->lineage == lineage && previous->filter == filter
        && previous->store->size() <= store->size() && previous->history == history;
    view->mergeGapMinutes = mergeGapMinutes;
    const bool incidentsGrow = grows && previous->mergeGapMinutes == mergeGapMinutes;
    FilterResult added; // when grown: the new events that pass
    if (grows) {
        const std::size_t first = previous->store->size();
        added = applyFilter(*store, filter, cancelled, first);
        if (added.cancelled)
            return nullptr;
        view->all = added.all;
        view->rows.reserve(previous->rows.size() + added.rows.size());
        view->rows = previous->rows;
        view->rows.insert(view->rows.end(), added.rows.begin(), added.rows.end());
        const auto byTime = [&store](std::uint32_t a, std::uint32_t b) {
            return store->timeMs(a) < store->timeMs(b);
        };
        // live records mostly come in time order: then the new rows simply follow
        const auto middle = view->rows.begin() + std::ptrdiff_t(previous->rows.size());
        if (!std::is_sorted(middle, view->rows.end(), byTime))
            std::stable_sort(middle, view->rows.end(), byTime);
        if (middle != view->rows.begin() && middle != view->rows.end()
            && byTime(*middle, *(middle - 1)))
            std::inplace_merge(view->rows.begin(), middle, view->rows.end(), byTime);
        view->pyramid = previous->pyramid.plus(*store, added.rows);
        view->historyCounted = previous->historyCounted;
        view->historyRequests = previous->historyRequests;
        view->reportedLimits = previous->reportedLimits;
        for (std::uint32_t i : added.rows)
            view->reportedLimits.add(*store, i);
    } else if (store) {
        FilterResult result = applyFilter(*store, filter, cancelled);
        if (result.cancelled)
            return nullptr;
        view->rows = std::move(result.rows);
        view->all = result.all;
        view->pyramid = BucketPyramid::build(*store, view->subset(), cancelled);
        if (history && !history->empty() && filterKeepsWholeScopes(filter))
            addHistoryCounts(*view, *history);
        // in time order: the rows are
        for (std::uint32_t i : view->rows)
            view->reportedLimits.add(*store, i);
    }
    if (store) {
        if (cancelled && cancelled())
            return nullptr;
        for (const BucketCounts &b : view->pyramid.level(0)) {
            for (std::size_t s = 0; s < b.rejected.size(); ++s)
                view->rejected[s] += b.rejected[s];
            for (std::size_t c = 0; c < b.throttled.size(); ++c)
                view->throttled[c] += b.throttled[c];
        }
        const auto &minutes = view->pyramid.level(BucketPyramid::kMinuteLevel);
        // An incident never spans two APIs (limits.md §1): with several scopes, each scope's
        // incidents are found over its own events and minutes (found again when live data grows;
        // one scope grows its incidents).
        // A live view of one API that grows by events of the same API keeps its one scope:
        // only the new events are looked at, not every event of the view again.
        const bool sameOneScope = grows && previous->scopes.size() == 1 && [&] {
            const auto names = ScopeIndex::namesOf(*store, ScopeBy::Host, added.rows);
            return names.empty() || names == previous->scopes;
        }();
        const ScopeIndex scopes = sameOneScope
            ? ScopeIndex()
            : ScopeIndex::build(*store, ScopeBy::Host, view->subset());
        view->scopes = sameOneScope ? previous->scopes : scopes.names();
        // the other axes' pyramids, on another core while the incidents are found and bound
        const FilteredView *grownFrom = grows ? previous.get() : nullptr;
        addReportedTokens(*view, *store, grownFrom, added.rows);
        const std::array<bool, 4> which = axesToBuild(*view, *store, limits);
        struct Join // waits for the task on every return: it reads the view and the store
        {
            QFuture<void> future;
            ~Join() { future.waitForFinished(); }
        } axes { QtConcurrent::run([&view, &store, grownFrom, &added, which, &cancelled] {
            buildAxes(*view, *store, grownFrom, added.rows, which, cancelled);
        }) };
        std::vector<EventSubset> byScope; // with several scopes: the events of each
        if (view->scopes.size() > 1) {
            byScope = scopes.eventsByScope(*store, view->subset());
            for (std::size_t k = 0; k < byScope.size(); ++k) {
                if (byScope[k].empty())
                    continue;
                std::vector<Incident> found = findIncidents(
                    *store, countBuckets(*store, 60000, &byScope[k]), mergeGapMinutes, &byScope[k]);
                for (Incident &inc : found) {
                    inc.scope = scopes.names()[k];
                    view->incidents.push_back(std::move(inc));
                }
            }
            std::stable_sort(view->incidents.begin(), view->incidents.end(),
                [](const Incident &a, const Incident &b) { return a.startMs < b.startMs; });
        } else {
            std::optional<std::vector<Incident>> grown;
            if (incidentsGrow)
                grown = growIncidents(
                    *store, minutes, mergeGapMinutes, previous->incidentsHeld(), added.rows);
            view->incidents = grown
                ? std::move(*grown)
                : findIncidents(*store, minutes, mergeGapMinutes, view->subset());
            for (Incident &inc : view->incidents)
                inc.scope = view->scopes.front();
        }
        if (view->scopes.size() == 1) {
            view->reported = view->reportedLimits.history();
            for (std::size_t k = 0; k < 3; ++k)
                view->reportedTokens[k] = view->reportedTokenLimits[k].history();
        }
        if (cancelled && cancelled())
            return nullptr;
        // which limit bit first, per scope, with the scope's limits (as buildSummary)
        view->limits = limits;
        for (std::size_t k = 0; k < view->scopes.size(); ++k) {
            const std::string &scope = view->scopes[k];
            const EventSubset *events = byScope.empty() ? view->subset() : &byScope[k];
            const std::vector<LimitSpec> reported = byScope.empty()
                ? view->reported.byWindow
                : reportedHistory(*store, events).byWindow;
            std::vector<AxisLimit> scopeLimits
                = limitsOfScope(limits, scope, reported, *store, events);
            std::unordered_map<std::int64_t, const Incident *> was;
            const bool carry = incidentsGrow && [&] {
                const auto it = previous->bindingLimits.find(scope);
                return it != previous->bindingLimits.end() && sameLimits(it->second, scopeLimits);
            }();
            if (carry) {
                for (const Incident &inc : previous->incidentsHeld()) {
                    if (inc.scope == scope)
                        was.emplace(inc.startMs, &inc);
                }
            }
            bindScope(*store, view->incidents, scope, scopeLimits, events, carry ? &was : nullptr);
            view->bindingLimits.emplace(scope, std::move(scopeLimits));
        }
        axes.future.waitForFinished();
        if (cancelled && cancelled())
            return nullptr;
        if (view->historyCounted)
            addHistoryIncidents(
                *view, *history, *store,
                [&](const std::string &scope) {
                    if (byScope.empty())
                        return minutes; // one scope: the view's (let go ones are before the edge)
                    const auto k = std::find(view->scopes.begin(), view->scopes.end(), scope)
                        - view->scopes.begin();
                    return std::size_t(k) < byScope.size()
                        ? countBuckets(*store, 60000, &byScope[std::size_t(k)])
                        : std::vector<BucketCounts> {};
                },
                grownFrom);
    }
    view->store = std::move(store);
    return view;
}

const Incident *incidentOf(const FilteredView &view, std::size_t event)
{
    if (!view.store || event >= view.store->size())
        return nullptr;
    const EventStore &store = *view.store;
    const std::int64_t t = store.timeMs(event);
    for (const Incident &inc : view.incidents) {
        if (t < inc.startMs || t > inc.endMs)
            continue;
        // its rejections are in time order: only those at the event's time are looked at
        auto it = std::lower_bound(inc.events.begin(), inc.events.end(), t,
            [&store](std::uint32_t i, std::int64_t time) { return store.timeMs(i) < time; });
        for (; it != inc.events.end() && store.timeMs(*it) == t; ++it) {
            if (*it == event)
                return &inc;
        }
    }
    return nullptr;
}
