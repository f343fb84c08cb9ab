#include "model/livehistory.h"

#include "aggregate/scopes.h"

#include <algorithm>

namespace {

constexpr std::size_t kTallyBudget = std::size_t(2) << 20; // per tally in memory

// Counts and names of one rejection into the part of an incident let go.
void addLetGo(const EventStore &store, LetGoIncident &part, std::uint32_t e)
{
    countRejection(store, part.incident, e);
    if (store.toolId(e))
        part.tools.add(store.tool(e));
    if (store.providerId(e))
        part.providers.add(store.provider(e));
    if (store.messageId(e))
        part.messages.add(store.message(e));
}

// The incident as far as it was let go: its counts, requests and top lists.
Incident described(const LetGoIncident &part, const std::vector<BucketCounts> &seconds)
{
    Incident inc = part.incident;
    inc.dominant = dominantSource(inc.rejected);
    std::tie(inc.requests, inc.peakRpm)
        = requestsAndPeak(seconds, floorTo(inc.startMs, 60000), floorTo(inc.endMs, 60000) + 60000);
    inc.topTools = part.tools.top(5);
    inc.topProviders = part.providers.top(5);
    inc.messages = part.messages.top(5);
    return inc;
}

} // namespace

std::int64_t windowEdge(const EventStore &store, std::int64_t keepMs)
{
    if (store.empty() || keepMs <= 0)
        return INT64_MIN;
    std::int64_t newest = INT64_MIN, oldest = INT64_MAX;
    for (std::size_t i = 0; i < store.size(); ++i) {
        newest = std::max(newest, store.timeMs(i));
        oldest = std::min(oldest, store.timeMs(i));
    }
    const std::int64_t edge = floorTo(newest - keepMs, 60000);
    return edge <= oldest ? INT64_MIN : edge;
}

std::pair<std::int64_t, std::int64_t> requestsAndPeak(
    const std::vector<BucketCounts> &seconds, std::int64_t fromMs, std::int64_t toMs)
{
    std::int64_t requests = 0, peak = 0, minute = INT64_MIN, inMinute = 0;
    auto it = std::lower_bound(seconds.begin(), seconds.end(), fromMs,
        [](const BucketCounts &b, std::int64_t t) { return b.startMs < t; });
    for (; it != seconds.end() && it->startMs < toMs; ++it) {
        const std::int64_t m = floorTo(it->startMs, 60000);
        if (m != minute) {
            minute = m;
            inMinute = 0;
        }
        inMinute += it->requests;
        requests += it->requests;
        peak = std::max(peak, inMinute);
    }
    return { requests, peak };
}

LiveHistory letGo(const EventStore &store, std::int64_t edgeMs, double mergeGapMinutes,
    const LiveHistory *before, std::vector<bool> &skip)
{
    LiveHistory h = before ? *before : LiveHistory {};
    skip.assign(store.size(), false);
    EventSubset gone;
    for (std::size_t i = 0; i < store.size(); ++i) {
        if (store.timeMs(i) < edgeMs) {
            skip[i] = true;
            gone.push_back(std::uint32_t(i));
        }
    }
    if (gone.empty())
        return h;
    // as the incident finder merges: a gap of exactly merge-gap still merges
    const double gapMs = mergeGapMinutes * 60000.0;
    const ScopeIndex scopes = ScopeIndex::build(store, ScopeBy::Host, &gone);
    const std::vector<EventSubset> byScope = scopes.eventsByScope(store, &gone);
    for (std::size_t k = 0; k < byScope.size(); ++k) {
        const EventSubset &events = byScope[k];
        if (events.empty())
            continue;
        const std::string &name = scopes.names()[k];
        std::vector<BucketCounts> &seconds = h.seconds[name];
        seconds = mergeBuckets(seconds, countBuckets(store, 1000, &events));
        std::vector<std::uint32_t> rejections;
        for (std::uint32_t i : events) {
            if (store.isRejection(i))
                rejections.push_back(i);
        }
        std::stable_sort(
            rejections.begin(), rejections.end(), [&store](std::uint32_t a, std::uint32_t b) {
                return store.timeMs(a) < store.timeMs(b);
            });
        for (std::uint32_t e : rejections) {
            const std::int64_t t = store.timeMs(e);
            auto open = h.open.find(name);
            if (open == h.open.end() || double(t - open->second.incident.endMs) > gapMs) {
                if (open != h.open.end()) { // over: described for good
                    h.incidents.push_back(described(open->second, seconds));
                    h.open.erase(open);
                }
                LetGoIncident part { {}, SpillTally(kTallyBudget), SpillTally(kTallyBudget),
                    SpillTally(kTallyBudget), edgeMs, {} };
                part.incident.scope = name;
                part.incident.startMs = t;
                open = h.open.emplace(name, std::move(part)).first;
            }
            addLetGo(store, open->second, e);
        }
    }
    for (auto &[scope, part] : h.open) {
        part.edgeMs = edgeMs;
        part.described = described(part, h.seconds[scope]);
    }
    std::stable_sort(h.incidents.begin(), h.incidents.end(),
        [](const Incident &a, const Incident &b) { return a.startMs < b.startMs; });
    addCaptureSpans(h.spans, store, gone);
    h.events += std::int64_t(gone.size());
    h.heldFromMs = std::max(h.heldFromMs, edgeMs);
    return h;
}

Incident joined(const LiveHistory &history, const LetGoIncident &part, const Incident &held,
    const EventStore &store, const std::vector<BucketCounts> &heldMinutes, const Incident *topsFrom)
{
    Incident inc = held; // its events, tally and binding: what drill-down and growth use
    inc.startMs = part.incident.startMs;
    for (std::size_t s = 0; s < inc.rejected.size(); ++s)
        inc.rejected[s] += part.incident.rejected[s];
    inc.quota = inc.quota || part.incident.quota;
    if (part.incident.maxRetryAfterS
        && (!inc.maxRetryAfterS || *part.incident.maxRetryAfterS > *inc.maxRetryAfterS))
        inc.maxRetryAfterS = part.incident.maxRetryAfterS;
    inc.dominant = dominantSource(inc.rejected);
    // requests: the minutes let go from the history, those after the edge from the held ones
    const auto seconds = history.seconds.find(part.incident.scope);
    auto [requests, peak] = seconds == history.seconds.end()
        ? std::pair<std::int64_t, std::int64_t> { 0, 0 }
        : requestsAndPeak(seconds->second, floorTo(inc.startMs, 60000), part.edgeMs);
    const std::int64_t to = floorTo(inc.endMs, 60000) + 60000;
    auto it = std::lower_bound(heldMinutes.begin(), heldMinutes.end(), part.edgeMs,
        [](const BucketCounts &b, std::int64_t t) { return b.startMs < t; });
    for (; it != heldMinutes.end() && it->startMs < to; ++it) {
        requests += it->requests;
        peak = std::max<std::int64_t>(peak, it->requests);
    }
    inc.requests = requests;
    inc.peakRpm = peak;
    // the top lists of every name: those let go with the held ones'
    const auto names = [&store](const std::unordered_map<std::uint32_t, std::int64_t> &ids) {
        SpillTally::Counts out;
        for (const auto &[id, n] : ids)
            out.emplace(std::string(store.strings().view(id)), n);
        return out;
    };
    if (topsFrom) {
        inc.topTools = topsFrom->topTools;
        inc.topProviders = topsFrom->topProviders;
        inc.messages = topsFrom->messages;
    } else if (held.tally) {
        const SpillTally::Counts tools = names(held.tally->tools),
                                 providers = names(held.tally->providers),
                                 messages = names(held.tally->messages);
        inc.topTools = part.tools.top(5, nullptr, &tools);
        inc.topProviders = part.providers.top(5, nullptr, &providers);
        inc.messages = part.messages.top(5, nullptr, &messages);
    }
    return inc;
}

CaptureReadBack eventsOfRange(const LiveHistory &history, const EventStore &held,
    const RuleSet &rules, std::int64_t fromMs, std::int64_t toMs)
{
    CaptureReadBack out;
    if (fromMs < history.heldFromMs)
        out = readBackCapture(held, history.spans, history.duplicates, rules, fromMs, toMs);
    else
        out.events = std::make_shared<EventStore>();
    if (!out.error.isEmpty())
        return out;
    out.events->addFilesFrom(held);
    out.events->setRemovedFiles(held.removedFiles());
    std::vector<bool> skip(held.size());
    for (std::size_t i = 0; i < held.size(); ++i)
        skip[i] = held.timeMs(i) < fromMs || held.timeMs(i) >= toMs;
    out.events->appendShard(held, skip, 0, 0);
    return out;
}
