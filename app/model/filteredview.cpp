#include "model/filteredview.h"

#include "aggregate/scopes.h"
#include "model/eventfilter.h"

#include <algorithm>

std::shared_ptr<const FilteredView> buildFilteredView(std::shared_ptr<const EventStore> store,
    const FilterState &filter, double mergeGapMinutes, quint64 generation,
    const std::function<bool()> &cancelled, std::shared_ptr<const FilteredView> previous,
    quint64 lineage)
{
    auto view = std::make_shared<FilteredView>();
    view->filter = filter;
    view->generation = generation;
    view->lineage = lineage;
    const bool grows = store && previous && previous->store && lineage != 0
        && previous->lineage == lineage && previous->filter == filter
        && previous->store->size() <= store->size();
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
        if (view->scopes.size() > 1) {
            const std::vector<EventSubset> byScope = scopes.eventsByScope(*store, view->subset());
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
                    *store, minutes, mergeGapMinutes, previous->incidents, added.rows);
            view->incidents = grown
                ? std::move(*grown)
                : findIncidents(*store, minutes, mergeGapMinutes, view->subset());
            for (Incident &inc : view->incidents)
                inc.scope = view->scopes.front();
        }
        if (view->scopes.size() == 1)
            view->reported = view->reportedLimits.history();
        if (cancelled && cancelled())
            return nullptr;
    }
    view->store = std::move(store);
    return view;
}
