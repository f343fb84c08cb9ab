#pragma once

#include "aggregate/buckets.h"
#include "base/limitspec.h"
#include "store/eventstore.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

// One bucket (a minute, or the chart's second) of an axis (limits.md §2): the sum of its values
// (requests, tokens) or, for concurrency, the most requests in flight at once during it.
struct AxisBucket
{
    std::int64_t startMs = 0;
    std::int64_t value = 0;
};

// The per-bucket values of one axis over some events, sparse and sorted, and how many of the
// events had a value for it. Requests without one add nothing (limits.md §4: nothing is
// estimated); their share is shown beside every figure.
struct AxisSeries
{
    std::vector<AxisBucket> buckets;
    std::int64_t known = 0; // events with a value on this axis
    std::int64_t unknown = 0; // events without (no usage, no duration)

    double unknownShare() const
    {
        return known + unknown > 0 ? double(unknown) / double(known + unknown) : 0.0;
    }
};

// How long event i was in flight, in ms, for the concurrency axis; nullopt when its duration is
// not known, or longer than a day: no rate limit counts a request in flight for days, and such a
// duration is a broken record (it would fill a minute for each of its days of "flight").
std::optional<std::int64_t> inFlightMs(const EventStore &store, std::size_t i);

// The sweep behind the concurrency axis, over `events` (sorted by time) from index `from` on:
// the starts in time order with the ends of the requests in flight in a min-heap, O(n log k)
// for k requests in flight at once (not a sort of 2n edges). At equal times ends come first (a
// request that ends when another starts does not overlap it). Calls
//   start(i, known) for each event, before its own edge (known: it has a duration);
//   note(bucketStart, inFlight) at every edge, and for each bucket the requests in flight
//   carry into before the next edge or start (a bucket may get several: keep the most).
// Both come in time order of their buckets.
template <typename Note, typename Start>
void sweepInFlight(const EventStore &store, const EventSubset &events, std::size_t from,
    std::int64_t bucketMs, Note &&note, Start &&start)
{
    std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> ends;
    std::int64_t inFlight = 0;
    std::int64_t bucket = 0;
    bool open = false;
    // the requests still in flight carry over into every bucket up to t's
    const auto advance = [&](std::int64_t t) {
        const std::int64_t b = floorTo(t, bucketMs);
        if (open && inFlight > 0) {
            for (std::int64_t k = bucket + bucketMs; k <= b; k += bucketMs)
                note(k, inFlight);
        }
        bucket = b;
        open = true;
    };
    const auto edge = [&](std::int64_t t, int delta) {
        advance(t);
        inFlight += delta;
        note(bucket, inFlight);
    };
    for (std::size_t r = from; r < events.size(); ++r) {
        const std::uint32_t i = events[r];
        const std::int64_t t = store.timeMs(i);
        while (!ends.empty() && ends.top() <= t) {
            edge(ends.top(), -1);
            ends.pop();
        }
        advance(t);
        const std::optional<std::int64_t> d = inFlightMs(store, i);
        start(std::size_t(i), d.has_value());
        if (!d)
            continue;
        edge(t, +1);
        ends.push(t + *d);
    }
    while (!ends.empty()) {
        edge(ends.top(), -1);
        ends.pop();
    }
}

// The value of event i on a summed axis (requests: 1; tokens: the response's), -1 when unknown.
std::int64_t axisValue(const EventStore &store, std::size_t i, LimitAxis axis);

// Requests and the token axes: sums per bucket of bucketMs (UTC-aligned). Concurrency: a request
// is in flight over [start, start + duration] (limits.md §4); each bucket gets the peak count in
// flight at any instant within it, from every request overlapping it (also one that started
// earlier); buckets where it is 0 are left out.
AxisSeries axisPerBucket(
    const EventStore &store, LimitAxis axis, const EventSubset *subset, std::int64_t bucketMs);
inline AxisSeries axisPerMinute(const EventStore &store, LimitAxis axis, const EventSubset *subset)
{
    return axisPerBucket(store, axis, subset, 60000);
}

// summary.md minutes_over_limit on a summed axis over a window other than a minute: the minutes
// that hold an event at time t with a sum of more than `limit` over (t - W, t]. For requests
// this is minutesOverRollingLimit.
std::vector<std::int64_t> minutesOverRollingSum(const EventStore &store, LimitAxis axis,
    std::int64_t limit, std::int64_t windowMs, const EventSubset *subset);
