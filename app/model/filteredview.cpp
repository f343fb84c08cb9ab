#include "model/filteredview.h"

#include "model/eventfilter.h"

std::shared_ptr<const FilteredView> buildFilteredView(std::shared_ptr<const EventStore> store,
    const FilterState &filter, double mergeGapMinutes, quint64 generation,
    const std::function<bool()> &cancelled)
{
    auto view = std::make_shared<FilteredView>();
    view->filter = filter;
    view->generation = generation;
    if (store) {
        FilterResult result = applyFilter(*store, filter, cancelled);
        if (result.cancelled)
            return nullptr;
        view->rows = std::move(result.rows);
        view->all = result.all;
        view->pyramid = BucketPyramid::build(*store, view->subset(), cancelled);
        if (cancelled && cancelled())
            return nullptr;
        for (const BucketCounts &b : view->pyramid.level(0)) {
            for (std::size_t s = 0; s < b.rejected.size(); ++s)
                view->rejected[s] += b.rejected[s];
        }
        const auto &minutes = view->pyramid.level(BucketPyramid::kMinuteLevel);
        view->incidents = findIncidents(*store, minutes, mergeGapMinutes, view->subset());
        if (cancelled && cancelled())
            return nullptr;
    }
    view->store = std::move(store);
    return view;
}
