#pragma once

#include "aggregate/buckets.h"
#include "model/filterstate.h"
#include "store/eventstore.h"

#include <functional>

// The events that pass a filter, sorted by time (ties keep store order).
struct FilterResult
{
    EventSubset rows;
    bool all = false; // every event passed: aggregations may take nullptr instead of rows
    bool cancelled = false; // stopped early; rows are incomplete

    const EventSubset *subset() const { return all ? nullptr : &rows; }
};

// Applies filter to every event of store. cancelled is polled now and then to stop early.
// Names (tool, provider) and the text are matched on the string pool once, then per event
// by id, so a million events take a few milliseconds. The provider is the event's, a gateway
// rule's pick included (limits.md §7); the text also finds an event by its category's name and
// by the rules that fired on it.
// Events from `first` on (a live store that grew: only the new ones).
FilterResult applyFilter(const EventStore &store, const FilterState &filter,
    const std::function<bool()> &cancelled = {}, std::size_t first = 0);

// Rows of a time-sorted subset within [fromMs, toMs): the half-open index range.
std::pair<std::size_t, std::size_t> timeRange(
    const EventStore &store, const EventSubset &rows, qint64 fromMs, qint64 toMs);
