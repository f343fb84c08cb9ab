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

// The sweep behind the concurrency axis as a fold: requests added in time order, the ends of
// those in flight in a min-heap, O(n log k) for k requests in flight at once (not a sort of 2n
// edges). At equal times ends come first (a request that ends when another starts does not
// overlap it). Every call takes note(bucketStart, inFlight), called at every edge and, for each
// bucket the requests in flight carry into before the next edge or start (a bucket may get
// several: keep the most), in time order of the buckets. A copy is a snapshot: finish() on it
// gives the figures so far and leaves the original going on.
class InFlightSweep
{
public:
    explicit InFlightSweep(std::int64_t bucketMs)
        : m_bucketMs(bucketMs)
    {
    }
    // The ends up to t, then t's bucket: call before start(t, ...) of each request.
    template <typename Note> void advanceTo(std::int64_t t, Note &&note)
    {
        while (!m_ends.empty() && m_ends.top() <= t) {
            edge(m_ends.top(), -1, note);
            m_ends.pop();
        }
        advance(t, note);
    }
    // A request at t in flight for durationMs (after advanceTo(t)).
    template <typename Note> void start(std::int64_t t, std::int64_t durationMs, Note &&note)
    {
        edge(t, +1, note);
        m_ends.push(t + durationMs);
    }
    // The ends of the requests still in flight.
    template <typename Note> void finish(Note &&note)
    {
        while (!m_ends.empty()) {
            edge(m_ends.top(), -1, note);
            m_ends.pop();
        }
    }
    std::int64_t inFlight() const { return m_inFlight; }

private:
    // the requests still in flight carry over into every bucket up to t's
    template <typename Note> void advance(std::int64_t t, Note &note)
    {
        const std::int64_t b = floorTo(t, m_bucketMs);
        if (m_open && m_inFlight > 0) {
            for (std::int64_t k = m_bucket + m_bucketMs; k <= b; k += m_bucketMs)
                note(k, m_inFlight);
        }
        m_bucket = b;
        m_open = true;
    }
    template <typename Note> void edge(std::int64_t t, int delta, Note &note)
    {
        advance(t, note);
        m_inFlight += delta;
        note(m_bucket, m_inFlight);
    }

    std::int64_t m_bucketMs;
    std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> m_ends;
    std::int64_t m_inFlight = 0;
    std::int64_t m_bucket = 0;
    bool m_open = false;
};

// The sweep over `events` (sorted by time) from index `from` on. Calls
//   start(i, known) for each event, before its own edge (known: it has a duration);
//   note(bucketStart, inFlight) as InFlightSweep does.
template <typename Note, typename Start>
void sweepInFlight(const EventStore &store, const EventSubset &events, std::size_t from,
    std::int64_t bucketMs, Note &&note, Start &&start)
{
    InFlightSweep sweep(bucketMs);
    for (std::size_t r = from; r < events.size(); ++r) {
        const std::uint32_t i = events[r];
        const std::int64_t t = store.timeMs(i);
        sweep.advanceTo(t, note);
        const std::optional<std::int64_t> d = inFlightMs(store, i);
        start(std::size_t(i), d.has_value());
        if (d)
            sweep.start(t, *d, note);
    }
    sweep.finish(note);
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
