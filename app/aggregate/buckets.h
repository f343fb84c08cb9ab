#pragma once

#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

// Counts of one time bucket: every request, rejections by source, and the events of each
// category of limits.md §7 (QUOTA ones are rejections too; OVERLOADED and HIDDEN_THROTTLE never).
struct BucketCounts
{
    std::int64_t startMs = 0;
    std::uint32_t requests = 0;
    std::array<std::uint32_t, kRejectionSourceCount> rejected {};
    std::array<std::uint32_t, kThrottleCategoryCount> throttled {}; // by categoryIndex
    std::int32_t serverLimit = -1; // smallest request limit reported in this bucket, -1: none

    std::uint32_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }

    // Keeps the smaller of the limits (-1: none).
    void noteServerLimit(std::int32_t limit)
    {
        if (limit >= 0 && (serverLimit < 0 || limit < serverLimit))
            serverLimit = limit;
    }
    // Adds another bucket's counts (the same time, or a finer bucket inside this one).
    void add(const BucketCounts &o)
    {
        requests += o.requests;
        for (std::size_t s = 0; s < rejected.size(); ++s)
            rejected[s] += o.rejected[s];
        for (std::size_t c = 0; c < throttled.size(); ++c)
            throttled[c] += o.throttled[c];
        noteServerLimit(o.serverLimit);
    }
};

// Which events take part (the one filter of chart, table and exports). Empty: all of them.
using EventSubset = std::vector<std::uint32_t>;

// floor(t / size) * size for any sign.
constexpr std::int64_t floorTo(std::int64_t t, std::int64_t size)
{
    const std::int64_t q = t / size;
    return (q - ((t % size) < 0 ? 1 : 0)) * size;
}

// Buckets of bucketMs that hold at least one event, sorted by start. Sparse, so far-apart
// times (1970 and 2100 in one file) cost nothing. subset == nullptr: every event.
std::vector<BucketCounts> countBuckets(
    const EventStore &store, std::int64_t bucketMs, const EventSubset *subset = nullptr);

// Sorted buckets of one size, a and b, as one sorted list: the counts of equal starts added.
std::vector<BucketCounts> mergeBuckets(
    const std::vector<BucketCounts> &a, const std::vector<BucketCounts> &b);

// The same buckets, with empty ones filled in between first and last (for charts and CSV).
// Refuses (returns the sparse input) when that would exceed maxBuckets.
std::vector<BucketCounts> densify(const std::vector<BucketCounts> &sparse, std::int64_t bucketMs,
    std::size_t maxBuckets = 10'000'000);

// summary.md minutes_over_limit for a limit of N requests over a window other than a minute:
// the minutes that contain a request at time t with more than N requests in (t - W, t].
std::vector<std::int64_t> minutesOverRollingLimit(const EventStore &store, std::int64_t limit,
    std::int64_t windowMs, const EventSubset *subset = nullptr);

// Calls f(i) for every event index of the subset (or all).
template <typename F> void forEachEvent(const EventStore &store, const EventSubset *subset, F &&f)
{
    if (subset) {
        for (std::uint32_t i : *subset)
            f(std::size_t(i));
    } else {
        for (std::size_t i = 0, n = store.size(); i < n; ++i)
            f(i);
    }
}
