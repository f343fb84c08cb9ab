#include "export/retryanalysis.h"

#include "decode/timestamp.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <utility>

namespace {

bool idLike(std::string_view seg)
{
    if (seg.size() < 6)
        return std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; }) && !seg.empty();
    int digits = 0, hex = 0;
    for (char c : seg) {
        digits += c >= '0' && c <= '9';
        hex += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
    }
    return digits > 0 && (digits * 3 >= int(seg.size()) || hex == int(seg.size()) || seg.find('_') != std::string_view::npos);
}

// The element at position size / 2 of v sorted (v is copied into scratch, which is reused).
double median(const std::vector<double> &v, std::vector<double> &scratch)
{
    if (v.empty())
        return 0;
    scratch.assign(v.begin(), v.end());
    const auto mid = scratch.begin() + std::ptrdiff_t(scratch.size() / 2);
    std::nth_element(scratch.begin(), mid, scratch.end());
    return *mid;
}

// 100 ms bins of the delays after a 429, the last one from 59.9 s on
std::size_t binOf(std::int64_t delayMs)
{
    return std::min<std::size_t>(599, std::size_t(delayMs / 100));
}

// A group's events: a piece of one array shared by all groups
struct Events
{
    std::uint32_t *first;
    std::size_t count;
    std::uint32_t *begin() const { return first; }
    std::uint32_t *end() const { return first + count; }
    std::size_t size() const { return count; }
    std::uint32_t operator[](std::size_t k) const { return first[k]; }
};

std::string fmt(double s)
{
    char b[32];
    if (s >= 10)
        std::snprintf(b, sizeof b, "%.0f s", s);
    else
        std::snprintf(b, sizeof b, "%.1f s", s);
    return b;
}

struct Key
{
    std::uint32_t client, tool, method, endpoint;
    bool operator<(const Key &o) const
    {
        return std::tie(client, tool, method, endpoint) < std::tie(o.client, o.tool, o.method, o.endpoint);
    }
};

// What decides an event's group, as ids: actor (client, tool, provider) with method, endpoint.
struct EventIds
{
    std::uint64_t actorMethod;
    std::uint32_t endpoint;
    bool operator==(const EventIds &o) const { return actorMethod == o.actorMethod && endpoint == o.endpoint; }
};
struct EventIdsHash
{
    std::size_t operator()(const EventIds &k) const
    {
        return std::hash<std::uint64_t>()(k.actorMethod * 0x9E3779B97F4A7C15ull ^ k.endpoint);
    }
};

} // namespace

std::string endpointTemplate(std::string_view endpoint)
{
    std::string out;
    std::size_t pos = 0;
    while (pos <= endpoint.size()) {
        std::size_t slash = endpoint.find('/', pos);
        if (slash == std::string_view::npos)
            slash = endpoint.size();
        const std::string_view seg = endpoint.substr(pos, slash - pos);
        out += pos > 0 && idLike(seg) ? std::string("{id}") : std::string(seg);
        if (slash == endpoint.size())
            break;
        out += '/';
        pos = slash + 1;
    }
    return out;
}

const char *RetryFinding::kindName(Kind k)
{
    switch (k) {
    case Kind::IgnoredRetryAfter:
        return "ignored_retry_after";
    case Kind::SynchronizedRetries:
        return "synchronized_retries";
    case Kind::Polling:
        return "polling";
    }
    return "";
}

std::string RetryFinding::evidence() const
{
    const std::string who = "`" + client + "`" + (target.empty() || target == client ? "" : " on `" + target + "`");
    const std::string when = " (" + formatUtcMs(firstMs) + " – " + formatUtcMs(lastMs) + ")";
    switch (kind) {
    case Kind::IgnoredRetryAfter: {
        char extra[32];
        std::snprintf(extra, sizeof extra, "%.1f", seconds);
        return who + " got " + std::to_string(total) + " 429s with a Retry-After (median " + fmt(retryAfterS)
                + ") and sent " + std::to_string(count) + " requests inside those windows, against "
                + std::to_string(baseline) + " in the same length of time before them: about " + extra
                + " extra requests per 429 that did not wait" + when + ".";
    }
    case Kind::SynchronizedRetries:
        return who + " sent " + std::to_string(count) + " requests exactly " + fmt(seconds) + " after one of its "
                + std::to_string(total) + " 429s (±0.1 s), far more than at any other delay" + when + ".";
    case Kind::Polling:
        return who + " was called " + std::to_string(count) + " times at a fixed interval of " + fmt(seconds) + " ("
                + std::to_string(rejected) + " of them rejected"
                + (total > 0 ? "; it polled again inside the Retry-After after " + std::to_string(std::int64_t(retryAfterS))
                                       + " of " + std::to_string(total) + " 429s"
                             : std::string())
                + ")" + when + ".";
    }
    return {};
}

std::string RetryFinding::advice() const
{
    switch (kind) {
    case Kind::IgnoredRetryAfter:
        return "Wait at least the Retry-After the response gives before retrying; retrying earlier is rejected again and "
               "keeps the limit spent.";
    case Kind::SynchronizedRetries:
        return "Add random jitter to the retry delay (exponential backoff with full jitter), so retries after a burst of 429s "
               "do not arrive together and cause the next burst.";
    case Kind::Polling:
        return "Poll less often and back off when the status has not changed (or use a webhook/callback if the API offers "
               "one); treat 429 on the status endpoint as a signal to slow down.";
    }
    return {};
}

std::vector<RetryFinding> analyzeRetries(const EventStore &store, const EventSubset *subset,
                                         const RetryAnalysisOptions &o)
{
    // group events by (client, tool, method, endpoint template), each group in time order
    std::unordered_map<std::uint32_t, std::uint32_t> templateOf; // endpoint id -> template id
    std::map<std::string, std::uint32_t> templateIds;
    std::vector<std::string> templates;
    std::map<std::string, std::uint32_t> methodIds;
    std::map<Key, std::uint32_t> groups; // -> group number
    // Memory: this runs beside the summary after loading, where every fresh 4 KiB page costs
    // a page fault (~7.5 us on a VM) and vectors grown by doubling were half its time. So the
    // events of all groups share one array (a counting sort by group, in visiting order) and
    // the per-group buffers below are reused.
    std::vector<std::uint32_t> groupSize;
    Column<std::uint32_t> groupOfEvent; // visiting order
    groupOfEvent.reserve(subset ? subset->size() : store.size());
    // The group of an event depends only on its actor, endpoint and method ids: a hash lookup
    // of those three ids finds it, instead of three map lookups (a string key among them) per
    // event; a million events took ~45 ms the long way.
    std::unordered_map<EventIds, std::uint32_t, EventIdsHash> groupOf;
    forEachEvent(store, subset, [&](std::size_t i) {
        const EventIds ids { std::uint64_t(store.actorId(i)) << 8 | store.methodId(i), store.endpointId(i) };
        auto known = groupOf.find(ids);
        if (known != groupOf.end()) {
            groupOfEvent.push_back(known->second);
            ++groupSize[known->second];
            return;
        }
        const std::uint32_t ep = store.endpointId(i);
        auto it = templateOf.find(ep);
        if (it == templateOf.end()) {
            const std::string t = endpointTemplate(store.endpoint(i));
            auto [tid, inserted] = templateIds.try_emplace(t, std::uint32_t(templates.size()));
            if (inserted)
                templates.push_back(t);
            it = templateOf.emplace(ep, tid->second).first;
        }
        const auto [mid, ins] = methodIds.try_emplace(std::string(store.method(i)), std::uint32_t(methodIds.size()));
        (void)ins;
        const auto [group, isNew] = groups.try_emplace({ store.clientId(i), store.toolId(i), mid->second, it->second },
                                                       std::uint32_t(groupSize.size()));
        if (isNew)
            groupSize.push_back(0);
        groupOfEvent.push_back(group->second);
        ++groupSize[group->second];
        groupOf.emplace(ids, group->second);
    });
    // each group's events, in the order visited, at groupStart[g]
    std::vector<std::size_t> groupStart(groupSize.size() + 1, 0);
    for (std::size_t g = 0; g < groupSize.size(); ++g)
        groupStart[g + 1] = groupStart[g] + groupSize[g];
    Column<std::uint32_t> grouped(groupOfEvent.size());
    {
        std::vector<std::size_t> next(groupStart.begin(), groupStart.end() - 1);
        std::size_t n = 0;
        forEachEvent(store, subset, [&](std::size_t i) { grouped[next[groupOfEvent[n++]]++] = std::uint32_t(i); });
    }
    groupOfEvent = {};
    std::vector<std::string> methodNames(methodIds.size());
    for (const auto &[name, id] : methodIds)
        methodNames[id] = name;

    // Per client (connection or client name; else the tool or endpoint), around each 429:
    // requests inside its Retry-After window against the same length of time before it (fresh
    // traffic goes on either way; retries that do not wait add to the window), and the delays
    // of every later request within a minute (a fixed-delay retry is a spike among them).
    struct ClientStats
    {
        std::int64_t withRetryAfter = 0, inside = 0, before = 0;
        std::vector<double> retryAfters;
        std::vector<std::int64_t> earlyTimes;
        std::int64_t firstMs = INT64_MAX, lastMs = INT64_MIN;
        std::int64_t rejections = 0;
        std::vector<std::uint32_t> delayBins = std::vector<std::uint32_t>(600, 0); // 100 ms bins
        std::vector<std::uint32_t> delaysMs; // every delay counted in delayBins (its bin: binOf)
        std::int64_t delayFirstMs = INT64_MAX, delayLastMs = INT64_MIN;
        std::string target;
    };
    std::map<std::string, ClientStats> perClient;
    std::vector<RetryFinding> out;

    std::vector<std::int64_t> times; // of the group's events, reused
    std::vector<double> gaps, dev, scratch;
    for (const auto &[key, group] : groups) {
        const Events events { grouped.data() + groupStart[group], groupSize[group] };
        // logs are mostly written in time order: the check is cheaper than sorting sorted events
        const auto byTime = [&](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); };
        if (!std::is_sorted(events.begin(), events.end(), byTime))
            std::stable_sort(events.begin(), events.end(), byTime);
        times.resize(events.size());
        for (std::size_t k = 0; k < events.size(); ++k)
            times[k] = store.timeMs(events[k]);
        const std::string clientName(store.strings().view(key.client));
        const std::string toolName(store.strings().view(key.tool));
        const std::string endpointName = methodNames[key.method] + (methodNames[key.method].empty() ? "" : " ")
                + templates[key.endpoint];
        const std::string target = toolName.empty() ? endpointName : toolName;
        const std::string who = clientName.empty() ? target : clientName;
        auto countIn = [&](std::int64_t from, std::int64_t to) { // requests with from < t < to
            return std::int64_t(std::lower_bound(times.begin(), times.end(), to)
                                - std::upper_bound(times.begin(), times.end(), from));
        };

        ClientStats &cs = perClient[who];
        if (cs.target.empty())
            cs.target = clientName.empty() ? target : std::string();
        std::int64_t pollRejectedEarly = 0, pollRejected = 0;
        for (std::size_t k = 0; k < events.size(); ++k) {
            const std::uint32_t e = events[k];
            if (!store.isRejection(e))
                continue;
            ++cs.rejections;
            const std::int64_t t = times[k];
            const std::int32_t ra = store.retryAfterMs(e);
            if (ra > 0) {
                ++cs.withRetryAfter;
                cs.retryAfters.push_back(ra / 1000.0);
                const std::int64_t in = countIn(t, t + ra);
                cs.inside += in;
                cs.before += std::int64_t(std::lower_bound(times.begin(), times.end(), t) - times.begin())
                        - std::int64_t(std::lower_bound(times.begin(), times.end(), t - ra) - times.begin());
                ++pollRejected;
                if (in > 0) {
                    ++pollRejectedEarly;
                    if (cs.earlyTimes.size() < 3)
                        cs.earlyTimes.push_back(t);
                    cs.firstMs = std::min(cs.firstMs, t);
                    cs.lastMs = std::max(cs.lastMs, t);
                }
            }
            for (std::size_t n = k + 1; n < events.size() && times[n] - t <= 60000; ++n) {
                const std::int64_t d = times[n] - t;
                if (d < 500)
                    continue;
                ++cs.delayBins[binOf(d)];
                cs.delaysMs.push_back(std::uint32_t(d));
                cs.delayFirstMs = std::min(cs.delayFirstMs, t);
                cs.delayLastMs = std::max(cs.delayLastMs, t);
            }
        }

        // polling: many requests at a fixed short interval
        if (std::int64_t(events.size()) >= o.minPolls) {
            gaps.clear();
            for (std::size_t k = 1; k < events.size(); ++k)
                gaps.push_back(double(times[k] - times[k - 1]) / 1000.0);
            const double m = median(gaps, scratch);
            dev.clear();
            for (double g : gaps)
                dev.push_back(std::fabs(g - m));
            if (m > 0.05 && m <= o.maxPollIntervalS && median(dev, scratch) <= o.maxPollSpread * m) {
                RetryFinding f;
                f.kind = RetryFinding::Kind::Polling;
                f.client = who;
                f.target = endpointName;
                f.count = std::int64_t(events.size());
                f.total = pollRejected; // 429s with a Retry-After among the polls
                f.retryAfterS = double(pollRejectedEarly); // of which the loop polled again inside
                f.seconds = m;
                for (std::uint32_t e : events)
                    f.rejected += store.isRejection(e);
                f.firstMs = times.front();
                f.lastMs = times.back();
                for (std::size_t k = 0; k < events.size() && f.examplesMs.size() < 3; k += events.size() / 3 + 1)
                    f.examplesMs.push_back(times[k]);
                out.push_back(f);
            }
        }
    }

    for (auto &[who, cs] : perClient) {
        const double excess = cs.withRetryAfter ? double(cs.inside - cs.before) / double(cs.withRetryAfter) : 0;
        if (cs.withRetryAfter >= o.minEarly && excess >= o.minExcessPerRejection) {
            RetryFinding f;
            f.kind = RetryFinding::Kind::IgnoredRetryAfter;
            f.client = who;
            f.target = cs.target;
            f.count = cs.inside;
            f.total = cs.withRetryAfter;
            f.baseline = cs.before;
            f.seconds = excess;
            f.retryAfterS = median(cs.retryAfters, scratch);
            f.firstMs = cs.firstMs;
            f.lastMs = cs.lastMs;
            f.examplesMs = cs.earlyTimes;
            out.push_back(f);
        }
        // a fixed delay: one 100 ms bin (with its neighbour) far above the others
        std::int64_t total = 0;
        for (std::uint32_t c : cs.delayBins)
            total += c;
        if (cs.rejections >= o.minRetries && total > 0) {
            std::size_t best = 0;
            for (std::size_t b = 1; b < cs.delayBins.size(); ++b) {
                if (cs.delayBins[b] > cs.delayBins[best])
                    best = b;
            }
            const std::int64_t peak = cs.delayBins[best];
            const double density = double(total) / double(cs.delayBins.size() - 5);
            if (double(peak) >= o.minFixedShare * double(cs.rejections) && double(peak) >= o.spikeFactor * density
                && double(best) / 10.0 >= o.minFixedDelayS) {
                RetryFinding f;
                f.kind = RetryFinding::Kind::SynchronizedRetries;
                f.client = who;
                f.target = cs.target;
                f.count = peak;
                f.total = cs.rejections;
                std::vector<double> &inBest = gaps; // the delays of the peak bin, in seconds
                inBest.clear();
                for (const std::uint32_t d : cs.delaysMs) {
                    if (binOf(d) == best)
                        inBest.push_back(double(d) / 1000.0);
                }
                f.seconds = median(inBest, scratch);
                f.firstMs = cs.delayFirstMs;
                f.lastMs = cs.delayLastMs;
                out.push_back(f);
            }
        }
    }
    // the findings that show the most first; stable ties by kind, client
    std::stable_sort(out.begin(), out.end(), [](const RetryFinding &a, const RetryFinding &b) {
        if (a.kind != b.kind)
            return int(a.kind) < int(b.kind);
        if (a.count != b.count)
            return a.count > b.count;
        return a.client < b.client;
    });
    return out;
}
