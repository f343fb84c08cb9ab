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

std::vector<NamedCount> top(
    const EventStore &store, const std::unordered_map<std::uint32_t, std::int64_t> &counts)
{
    std::vector<NamedCount> all;
    all.reserve(counts.size());
    for (const auto &[s, c] : counts)
        all.push_back({ std::string(store.strings().view(s)), c });
    return topCounts(std::move(all), 5);
}

// What one more rejection (later than the incident's others) adds.
void addRejection(const EventStore &store, Incident &inc, IncidentTally &tally, std::uint32_t e)
{
    inc.events.push_back(e);
    countRejection(store, inc, e);
    const EventDetail d = store.detail(e);
    if (const std::uint32_t t = store.toolId(e))
        ++tally.tools[t];
    if (const std::uint32_t p = store.providerId(e))
        ++tally.providers[p];
    if (d.messageId)
        ++tally.messages[d.messageId];
}

} // namespace

void countRejection(const EventStore &store, Incident &inc, std::uint32_t e)
{
    inc.endMs = store.timeMs(e);
    ++inc.rejected[std::size_t(sourceIndex(store.source(e)))];
    inc.quota = inc.quota || (store.flags(e) & FlagQuota);
    const std::int32_t retryAfterMs = store.retryAfterMs(e);
    if (retryAfterMs >= 0 && (!inc.maxRetryAfterS || retryAfterMs / 1000.0 > *inc.maxRetryAfterS))
        inc.maxRetryAfterS = retryAfterMs / 1000.0;
}

void countRequests(const std::vector<BucketCounts> &minutes, Incident &inc)
{
    inc.requests = 0;
    inc.peakRpm = 0;
    const std::int64_t from = floorTo(inc.startMs, 60000), to = floorTo(inc.endMs, 60000) + 60000;
    auto it = std::lower_bound(minutes.begin(), minutes.end(), from,
        [](const BucketCounts &b, std::int64_t t) { return b.startMs < t; });
    for (; it != minutes.end() && it->startMs < to; ++it) {
        inc.requests += it->requests;
        inc.peakRpm = std::max<std::int64_t>(inc.peakRpm, it->requests);
    }
}

RejectionSource dominantSource(const std::array<std::int64_t, kRejectionSourceCount> &rejected)
{
    // ties: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED (the order of the array)
    int best = 0;
    for (int s = 1; s < kRejectionSourceCount; ++s) {
        if (rejected[std::size_t(s)] > rejected[std::size_t(best)])
            best = s;
    }
    return sourceFromIndex(best);
}

namespace {

// Dominant source and top lists, from the counts.
void describe(const EventStore &store, Incident &inc, std::shared_ptr<const IncidentTally> tally)
{
    inc.dominant = dominantSource(inc.rejected);
    inc.topTools = top(store, tally->tools);
    inc.topProviders = top(store, tally->providers);
    inc.messages = top(store, tally->messages);
    inc.tally = std::move(tally);
}

// Rejections by time (ties: by index, as they were appended) into incidents after `out`'s:
// the last of those goes on if the first rejection is close enough to its end.
void gather(const EventStore &store, const std::vector<BucketCounts> &minutes,
    double mergeGapMinutes, const std::vector<std::uint32_t> &rejections,
    std::vector<Incident> &out)
{
    // a gap of exactly merge-gap still merges; times are whole ms, so compare in ms
    const double gapMs = mergeGapMinutes * 60000.0;
    std::shared_ptr<IncidentTally> tally; // of out.back() while it grows
    auto finishLast = [&] {
        if (tally) {
            countRequests(minutes, out.back());
            describe(store, out.back(), std::move(tally));
        }
        tally.reset();
    };
    for (std::uint32_t e : rejections) {
        const std::int64_t t = store.timeMs(e);
        if (out.empty() || double(t - out.back().endMs) > gapMs) {
            finishLast();
            Incident inc;
            inc.startMs = t;
            out.push_back(std::move(inc));
            tally = std::make_shared<IncidentTally>();
        } else if (!tally) {
            // an incident found before goes on: from its counts so far (copied, the earlier
            // view still shows them)
            tally = std::make_shared<IncidentTally>(*out.back().tally);
        }
        addRejection(store, out.back(), *tally, e);
    }
    finishLast();
}

// The rejections among the events (all of them: nullptr), by time; ties keep their order.
std::vector<std::uint32_t> rejectionsByTime(const EventStore &store, const EventSubset *subset)
{
    std::vector<std::uint32_t> rejections;
    forEachEvent(store, subset, [&](std::size_t i) {
        if (store.isRejection(i))
            rejections.push_back(std::uint32_t(i));
    });
    std::stable_sort(rejections.begin(), rejections.end(),
        [&](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); });
    return rejections;
}

} // namespace

std::vector<Incident> findIncidents(const EventStore &store,
    const std::vector<BucketCounts> &minutes, double mergeGapMinutes, const EventSubset *subset)
{
    std::vector<Incident> out;
    gather(store, minutes, mergeGapMinutes, rejectionsByTime(store, subset), out);
    return out;
}

std::optional<std::vector<Incident>> growIncidents(const EventStore &store,
    const std::vector<BucketCounts> &minutes, double mergeGapMinutes,
    const std::vector<Incident> &previous, const EventSubset &addedEvents)
{
    const std::vector<std::uint32_t> added = rejectionsByTime(store, &addedEvents);
    if (!added.empty() && !previous.empty()) {
        // an incident found before may only go on at its end
        if (store.timeMs(added.front()) < previous.back().endMs)
            return std::nullopt;
        for (const Incident &inc : previous) {
            if (!inc.tally)
                return std::nullopt;
        }
    }
    std::vector<Incident> out = previous;
    for (Incident &inc : out)
        countRequests(minutes, inc); // new requests may fall in any incident's minutes
    gather(store, minutes, mergeGapMinutes, added, out);
    return out;
}
