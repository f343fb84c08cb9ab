#include "incidents/incidentfinder.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

std::vector<NamedCount> topCounts(std::vector<NamedCount> all, std::size_t n)
{
    std::sort(all.begin(), all.end(), [](const NamedCount &a, const NamedCount &b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    if (all.size() > n)
        all.resize(n);
    return all;
}

namespace {

std::vector<NamedCount> tally(const EventStore &store, const std::vector<std::uint32_t> &events,
                              std::uint32_t (EventStore::*id)(std::size_t) const)
{
    std::unordered_map<std::uint32_t, std::int64_t> counts;
    for (std::uint32_t e : events) {
        const std::uint32_t s = (store.*id)(e);
        if (s != 0)
            ++counts[s];
    }
    std::vector<NamedCount> all;
    all.reserve(counts.size());
    for (const auto &[s, c] : counts)
        all.push_back({ std::string(store.strings().view(s)), c });
    return topCounts(std::move(all), 5);
}

void describe(const EventStore &store, const std::vector<BucketCounts> &minutes, Incident &inc)
{
    for (std::uint32_t e : inc.events) {
        ++inc.rejected[std::size_t(sourceIndex(store.source(e)))];
        inc.quota = inc.quota || (store.flags(e) & FlagQuota);
        const std::int32_t ra = store.retryAfterMs(e);
        if (ra >= 0 && (!inc.maxRetryAfterS || ra / 1000.0 > *inc.maxRetryAfterS))
            inc.maxRetryAfterS = ra / 1000.0;
    }
    // ties: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED (the order of the array)
    int best = 0;
    for (int s = 1; s < kRejectionSourceCount; ++s) {
        if (inc.rejected[std::size_t(s)] > inc.rejected[std::size_t(best)])
            best = s;
    }
    inc.dominant = sourceFromIndex(best);

    const std::int64_t from = floorTo(inc.startMs, 60000), to = floorTo(inc.endMs, 60000) + 60000;
    auto it = std::lower_bound(minutes.begin(), minutes.end(), from,
                               [](const BucketCounts &b, std::int64_t t) { return b.startMs < t; });
    for (; it != minutes.end() && it->startMs < to; ++it) {
        inc.requests += it->requests;
        inc.peakRpm = std::max<std::int64_t>(inc.peakRpm, it->requests);
    }
    inc.topTools = tally(store, inc.events, &EventStore::toolId);
    inc.topProviders = tally(store, inc.events, &EventStore::providerId);
    inc.messages = tally(store, inc.events, &EventStore::messageId);
}

} // namespace

std::vector<Incident> findIncidents(const EventStore &store, const std::vector<BucketCounts> &minutes,
                                    double mergeGapMinutes, const EventSubset *subset)
{
    std::vector<std::uint32_t> rejections;
    forEachEvent(store, subset, [&](std::size_t i) {
        if (store.isRejection(i))
            rejections.push_back(std::uint32_t(i));
    });
    std::stable_sort(rejections.begin(), rejections.end(), [&](std::uint32_t a, std::uint32_t b) {
        return store.timeMs(a) < store.timeMs(b);
    });
    // a gap of exactly merge-gap still merges; times are whole ms, so compare in ms
    const double gapMs = mergeGapMinutes * 60000.0;
    std::vector<Incident> out;
    for (std::uint32_t e : rejections) {
        const std::int64_t t = store.timeMs(e);
        if (out.empty() || double(t - out.back().endMs) > gapMs) {
            Incident inc;
            inc.startMs = t;
            out.push_back(std::move(inc));
        }
        out.back().endMs = t;
        out.back().events.push_back(e);
    }
    for (Incident &inc : out)
        describe(store, minutes, inc);
    return out;
}
