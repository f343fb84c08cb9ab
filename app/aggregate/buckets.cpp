#include "aggregate/buckets.h"

#include <algorithm>
#include <unordered_map>

namespace {

// Calls f(i, category) for every event of the subset (or all) that a category rule gave one:
// a pass over the store's few rule hits, not over the events.
template <typename F>
void forEachCategorized(const EventStore &store, const EventSubset *subset, F &&f)
{
    const auto &hits = store.ruleHits();
    if (std::none_of(hits.begin(), hits.end(),
            [](const auto &h) { return h.second.category != ThrottleCategory::None; }))
        return;
    // a subset is in time order, not index order: mark its events (a bit each)
    std::vector<bool> in;
    if (subset) {
        in.resize(store.size());
        for (std::uint32_t i : *subset)
            in[i] = true;
    }
    for (const auto &[i, hit] : hits) {
        if (hit.category != ThrottleCategory::None && (!subset || in[i]))
            f(std::size_t(i), hit.category);
    }
}

} // namespace

std::vector<BucketCounts> countBuckets(
    const EventStore &store, std::int64_t bucketMs, const EventSubset *subset)
{
    std::vector<BucketCounts> out;
    if (store.empty() || bucketMs <= 0)
        return out;
    // Dense array over the span when it is reasonable (the common case), else a hash map.
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    forEachEvent(store, subset, [&](std::size_t i) {
        lo = std::min(lo, store.timeMs(i));
        hi = std::max(hi, store.timeMs(i));
    });
    if (lo > hi)
        return out;
    const std::int64_t first = floorTo(lo, bucketMs);
    const std::int64_t span = floorTo(hi, bucketMs) - first;
    auto add = [&](BucketCounts &b, std::size_t i) {
        ++b.requests;
        const RejectionSource s = store.source(i);
        if (s != RejectionSource::None)
            ++b.rejected[std::size_t(sourceIndex(s))];
        b.noteServerLimit(store.serverLimit(i));
    };
    if (span / bucketMs < 4'000'000) {
        std::vector<BucketCounts> dense(std::size_t(span / bucketMs + 1));
        forEachEvent(store, subset, [&](std::size_t i) {
            add(dense[std::size_t((floorTo(store.timeMs(i), bucketMs) - first) / bucketMs)], i);
        });
        forEachCategorized(store, subset, [&](std::size_t i, ThrottleCategory c) {
            ++dense[std::size_t((floorTo(store.timeMs(i), bucketMs) - first) / bucketMs)]
                  .throttled[std::size_t(categoryIndex(c))];
        });
        for (std::size_t k = 0; k < dense.size(); ++k) {
            if (dense[k].requests) {
                dense[k].startMs = first + std::int64_t(k) * bucketMs;
                out.push_back(dense[k]);
            }
        }
        return out;
    }
    std::unordered_map<std::int64_t, BucketCounts> map;
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t start = floorTo(store.timeMs(i), bucketMs);
        BucketCounts &b = map[start];
        b.startMs = start;
        add(b, i);
    });
    forEachCategorized(store, subset, [&](std::size_t i, ThrottleCategory c) {
        ++map[floorTo(store.timeMs(i), bucketMs)].throttled[std::size_t(categoryIndex(c))];
    });
    out.reserve(map.size());
    for (auto &kv : map)
        out.push_back(kv.second);
    std::sort(out.begin(), out.end(),
        [](const BucketCounts &a, const BucketCounts &b) { return a.startMs < b.startMs; });
    return out;
}

std::vector<BucketCounts> densify(
    const std::vector<BucketCounts> &sparse, std::int64_t bucketMs, std::size_t maxBuckets)
{
    if (sparse.empty())
        return {};
    const std::int64_t first = sparse.front().startMs, last = sparse.back().startMs;
    if ((last - first) / bucketMs + 1 > std::int64_t(maxBuckets))
        return sparse;
    std::vector<BucketCounts> out;
    out.reserve(std::size_t((last - first) / bucketMs + 1));
    std::size_t k = 0;
    for (std::int64_t t = first; t <= last; t += bucketMs) {
        if (k < sparse.size() && sparse[k].startMs == t) {
            out.push_back(sparse[k++]);
        } else {
            BucketCounts empty;
            empty.startMs = t;
            out.push_back(empty);
        }
    }
    return out;
}

std::vector<std::int64_t> minutesOverRollingLimit(
    const EventStore &store, std::int64_t limit, std::int64_t windowMs, const EventSubset *subset)
{
    std::vector<std::int64_t> times;
    times.reserve(subset ? subset->size() : store.size());
    forEachEvent(store, subset, [&](std::size_t i) { times.push_back(store.timeMs(i)); });
    std::sort(times.begin(), times.end());
    std::vector<std::int64_t> minutes;
    // for each t: count of requests in (t - W, t], itself and equal times included
    std::size_t lo = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
        std::size_t hiEnd = i; // last index with the same time as times[i]
        while (hiEnd + 1 < times.size() && times[hiEnd + 1] == times[i])
            ++hiEnd;
        while (times[lo] <= times[i] - windowMs)
            ++lo;
        const std::int64_t count = std::int64_t(hiEnd - lo + 1);
        if (count > limit) {
            const std::int64_t m = floorTo(times[i], 60000);
            if (minutes.empty() || minutes.back() != m)
                minutes.push_back(m);
        }
    }
    return minutes;
}

std::vector<BucketCounts> mergeBuckets(
    const std::vector<BucketCounts> &a, const std::vector<BucketCounts> &b)
{
    std::vector<BucketCounts> merged;
    merged.reserve(a.size() + b.size());
    auto x = a.begin(), y = b.begin();
    while (x != a.end() || y != b.end()) {
        if (y == b.end() || (x != a.end() && x->startMs < y->startMs)) {
            merged.push_back(*x++);
        } else if (x == a.end() || y->startMs < x->startMs) {
            merged.push_back(*y++);
        } else { // the same bucket: add the counts
            merged.push_back(*x++);
            merged.back().add(*y++);
        }
    }
    return merged;
}
