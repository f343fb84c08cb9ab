#include "incidents/retryanalysis.h"

#include "decode/timestamp.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <thread>
#include <unordered_map>
#include <utility>

namespace {

bool idLike(std::string_view seg)
{
    if (seg.size() < 6)
        return std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; })
            && !seg.empty();
    int digits = 0, hex = 0;
    for (char c : seg) {
        digits += c >= '0' && c <= '9';
        hex += (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
            || c == '-';
    }
    return digits > 0
        && (digits * 3 >= int(seg.size()) || hex == int(seg.size())
            || seg.find('_') != std::string_view::npos);
}

// The element at position size / 2 of v sorted (v is copied into scratch, which is reused).
template <typename T> T median(const std::vector<T> &v, std::vector<T> &scratch)
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

// Each delay the fixed-delay check counts after the 429 at times[k] of a group in time order:
// to every later request of the group within a minute, from 0.5 s on (sooner is an immediate
// retry, which the Retry-After check judges).
template <typename F>
void forEachRetryDelay(const std::int64_t *times, std::size_t size, std::size_t k, F &&f)
{
    for (std::size_t n = k + 1; n < size && times[n] - times[k] <= 60000; ++n) {
        if (const std::int64_t d = times[n] - times[k]; d >= 500)
            f(d);
    }
}

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
        return std::tie(client, tool, method, endpoint)
            < std::tie(o.client, o.tool, o.method, o.endpoint);
    }
};

// Event ids (actor and method, endpoint) -> group: open addressing with linear probing in
// one flat array, grown at half full. A million lookups, most of them hits in a small table.
class GroupTable
{
public:
    static constexpr std::uint32_t kNone = UINT32_MAX;
    // The group stored for these ids, or a new slot holding kNone (set it before the next call).
    std::uint32_t &slot(std::uint64_t actorMethod, std::uint32_t endpoint)
    {
        if ((m_used + 1) * 2 > m_slots.size())
            grow();
        std::size_t at = home(actorMethod, endpoint);
        for (;; at = (at + 1) & (m_slots.size() - 1)) {
            Slot &s = m_slots[at];
            if (s.group == kNone) {
                ++m_used;
                s.actorMethod = actorMethod;
                s.endpoint = endpoint;
                return s.group;
            }
            if (s.actorMethod == actorMethod && s.endpoint == endpoint)
                return s.group;
        }
    }

private:
    struct Slot
    {
        std::uint64_t actorMethod = 0;
        std::uint32_t endpoint = 0;
        std::uint32_t group = kNone;
    };
    std::size_t home(std::uint64_t actorMethod, std::uint32_t endpoint) const
    {
        const std::uint64_t h
            = (actorMethod ^ (std::uint64_t(endpoint) << 40 | endpoint)) * 0x9E3779B97F4A7C15ull;
        return std::size_t(h >> 32) & (m_slots.size() - 1);
    }
    void grow()
    {
        std::vector<Slot> old(std::max<std::size_t>(1024, m_slots.size() * 2));
        old.swap(m_slots);
        m_used = 0;
        for (const Slot &s : old) {
            if (s.group != kNone)
                slot(s.actorMethod, s.endpoint) = s.group;
        }
    }
    std::vector<Slot> m_slots;
    std::size_t m_used = 0;
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
    const std::string who
        = "`" + client + "`" + (target.empty() || target == client ? "" : " on `" + target + "`");
    const std::string when = " (" + formatUtcMs(firstMs) + " – " + formatUtcMs(lastMs) + ")";
    switch (kind) {
    case Kind::IgnoredRetryAfter: {
        char extra[32];
        std::snprintf(extra, sizeof extra, "%.1f", seconds);
        return who + " got " + std::to_string(total) + " 429s with a Retry-After (median "
            + fmt(retryAfterS) + ") and sent " + std::to_string(count)
            + " requests inside those windows, against " + std::to_string(baseline)
            + " in the same length of time before them: about " + extra
            + " extra requests per 429 that did not wait" + when + ".";
    }
    case Kind::SynchronizedRetries:
        return who + " sent " + std::to_string(count) + " requests exactly " + fmt(seconds)
            + " after one of its " + std::to_string(total)
            + " 429s (±0.1 s), far more than at any other delay" + when + ".";
    case Kind::Polling:
        return who + " was called " + std::to_string(count) + " times at a fixed interval of "
            + fmt(seconds) + " (" + std::to_string(rejected) + " of them rejected"
            + (total > 0 ? "; it polled again inside the Retry-After after "
                        + std::to_string(std::int64_t(retryAfterS)) + " of " + std::to_string(total)
                        + " 429s"
                         : std::string())
            + ")" + when + ".";
    }
    return {};
}

std::string RetryFinding::advice() const
{
    switch (kind) {
    case Kind::IgnoredRetryAfter:
        return "Wait at least the Retry-After the response gives before retrying; retrying earlier "
               "is rejected again and "
               "keeps the limit spent.";
    case Kind::SynchronizedRetries:
        return "Add random jitter to the retry delay (exponential backoff with full jitter), so "
               "retries after a burst of 429s "
               "do not arrive together and cause the next burst.";
    case Kind::Polling:
        return "Poll less often and back off when the status has not changed (or use a "
               "webhook/callback if the API offers "
               "one); treat 429 on the status endpoint as a signal to slow down.";
    }
    return {};
}

std::optional<std::size_t> fixedDelayBin(const std::uint32_t *bins, std::size_t n,
    std::int64_t rejections, const RetryAnalysisOptions &o)
{
    std::int64_t total = 0;
    for (std::size_t b = 0; b < n; ++b)
        total += bins[b];
    if (rejections < o.minRetries || total == 0)
        return std::nullopt;
    std::size_t best = 0;
    for (std::size_t b = 1; b < n; ++b) {
        if (bins[b] > bins[best])
            best = b;
    }
    const std::int64_t peak = bins[best];
    const double density = double(total) / double(n - 5);
    if (double(peak) >= o.minFixedShare * double(rejections)
        && double(peak) >= o.spikeFactor * density && double(best) / 10.0 >= o.minFixedDelayS)
        return best;
    return std::nullopt;
}

void sortFindings(std::vector<RetryFinding> &findings)
{
    std::stable_sort(
        findings.begin(), findings.end(), [](const RetryFinding &a, const RetryFinding &b) {
            if (a.kind != b.kind)
                return int(a.kind) < int(b.kind);
            if (a.count != b.count)
                return a.count > b.count;
            return std::tie(a.client, a.target, a.firstMs)
                < std::tie(b.client, b.target, b.firstMs);
        });
}

std::vector<RetryFinding> analyzeRetries(
    const EventStore &store, const EventSubset *subset, const RetryAnalysisOptions &o)
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
    // The group of an event depends only on its actor, endpoint and method ids: a lookup of
    // those ids finds it, instead of three map lookups (a string key among them) per event.
    GroupTable groupOf;
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::uint64_t actorMethod = std::uint64_t(store.actorId(i)) << 8 | store.methodId(i);
        std::uint32_t &slot = groupOf.slot(actorMethod, store.endpointId(i));
        if (slot != GroupTable::kNone) {
            groupOfEvent.push_back(slot);
            ++groupSize[slot];
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
        const auto [mid, ins]
            = methodIds.try_emplace(std::string(store.method(i)), std::uint32_t(methodIds.size()));
        (void)ins;
        const auto [group, isNew]
            = groups.try_emplace({ store.clientId(i), store.toolId(i), mid->second, it->second },
                std::uint32_t(groupSize.size()));
        if (isNew)
            groupSize.push_back(0);
        groupOfEvent.push_back(group->second);
        ++groupSize[group->second];
        slot = group->second; // the table did not grow since slot() (inserts happen there)
    });
    // each group's events, in the order visited, at groupStart[g]; their times and whether
    // each is a 429 beside them, so that the pass over a group reads memory in order instead
    // of gathering from the store's columns
    std::vector<std::size_t> groupStart(groupSize.size() + 1, 0);
    for (std::size_t g = 0; g < groupSize.size(); ++g)
        groupStart[g + 1] = groupStart[g] + groupSize[g];
    Column<std::uint32_t> grouped(groupOfEvent.size());
    Column<std::int64_t> groupedTimes(groupOfEvent.size());
    Column<std::uint8_t> groupedRejected(groupOfEvent.size());
    {
        std::vector<std::size_t> next(groupStart.begin(), groupStart.end() - 1);
        std::size_t n = 0;
        forEachEvent(store, subset, [&](std::size_t i) {
            const std::size_t at = next[groupOfEvent[n++]]++;
            grouped[at] = std::uint32_t(i);
            groupedTimes[at] = store.timeMs(i);
            groupedRejected[at] = store.isRejection(i);
        });
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
        std::int64_t delayFirstMs = INT64_MAX, delayLastMs = INT64_MIN;
        std::string target;
        std::vector<std::uint32_t> groups; // to find the delays of one bin again

        // What a later run of groups added (groups are read in order, in parts; this puts
        // the parts together as if one pass had read them all).
        void absorb(ClientStats &&later)
        {
            withRetryAfter += later.withRetryAfter;
            inside += later.inside;
            before += later.before;
            retryAfters.insert(
                retryAfters.end(), later.retryAfters.begin(), later.retryAfters.end());
            earlyTimes.insert(earlyTimes.end(), later.earlyTimes.begin(), later.earlyTimes.end());
            firstMs = std::min(firstMs, later.firstMs);
            lastMs = std::max(lastMs, later.lastMs);
            rejections += later.rejections;
            for (std::size_t b = 0; b < delayBins.size(); ++b)
                delayBins[b] += later.delayBins[b];
            delayFirstMs = std::min(delayFirstMs, later.delayFirstMs);
            delayLastMs = std::max(delayLastMs, later.delayLastMs);
            if (target.empty())
                target = std::move(later.target);
            groups.insert(groups.end(), later.groups.begin(), later.groups.end());
        }
    };
    // A run of consecutive groups, read by one thread.
    struct Part
    {
        std::size_t begin = 0, end = 0; // in `ordered`
        std::map<std::string, ClientStats> clients;
        std::vector<RetryFinding> polling; // in group order
    };
    const std::vector<std::pair<Key, std::uint32_t>> ordered(groups.begin(), groups.end());

    const auto readGroup = [&](const Key &key, std::uint32_t group, Part &part,
                               std::vector<std::pair<std::int64_t, std::uint32_t>> &order,
                               std::vector<std::int64_t> &gaps,
                               std::vector<std::int64_t> &scratch) {
        const std::size_t size = groupSize[group];
        std::uint32_t *const events = grouped.data() + groupStart[group];
        std::int64_t *const times = groupedTimes.data() + groupStart[group];
        std::uint8_t *const rejected = groupedRejected.data() + groupStart[group];
        // logs are mostly written in time order: the check is cheaper than sorting sorted events
        if (!std::is_sorted(times, times + size)) {
            order.resize(size);
            for (std::size_t k = 0; k < size; ++k)
                order[k] = { times[k], std::uint32_t(k) };
            std::stable_sort(order.begin(), order.end(),
                [](const auto &a, const auto &b) { return a.first < b.first; });
            std::vector<std::uint32_t> e(events, events + size);
            std::vector<std::uint8_t> r(rejected, rejected + size);
            for (std::size_t k = 0; k < size; ++k) {
                times[k] = order[k].first;
                events[k] = e[order[k].second];
                rejected[k] = r[order[k].second];
            }
        }
        const std::string clientName(store.strings().view(key.client));
        const std::string toolName(store.strings().view(key.tool));
        const std::string endpointName = methodNames[key.method]
            + (methodNames[key.method].empty() ? "" : " ") + templates[key.endpoint];
        const std::string target = toolName.empty() ? endpointName : toolName;
        const std::string who = clientName.empty() ? target : clientName;
        const auto firstAtOrAfter
            = [&](std::int64_t t) { return std::lower_bound(times, times + size, t) - times; };

        ClientStats &cs = part.clients[who];
        if (cs.target.empty())
            cs.target = clientName.empty() ? target : std::string();
        cs.groups.push_back(group);
        std::int64_t pollRejectedEarly = 0, pollRejected = 0, rejections = 0;
        int groupEarly = 0;
        for (std::size_t k = 0; k < size; ++k) {
            if (!rejected[k])
                continue;
            ++rejections;
            const std::int64_t t = times[k];
            const std::int32_t ra = store.retryAfterMs(events[k]);
            if (ra > 0) {
                ++cs.withRetryAfter;
                cs.retryAfters.push_back(ra / 1000.0);
                // requests with t < time < t + ra
                const std::int64_t in
                    = firstAtOrAfter(t + ra) - (std::upper_bound(times, times + size, t) - times);
                cs.inside += in;
                cs.before += firstAtOrAfter(t) - firstAtOrAfter(t - ra);
                ++pollRejected;
                if (in > 0) {
                    ++pollRejectedEarly;
                    // a group's first three (its earliest: times are sorted); the client's
                    // examples are the earliest three of all its groups', whatever the order
                    // the groups are read in (string ids order them, and those follow the
                    // order the strings were first seen in)
                    if (groupEarly < 3) {
                        cs.earlyTimes.push_back(t);
                        ++groupEarly;
                    }
                    cs.firstMs = std::min(cs.firstMs, t);
                    cs.lastMs = std::max(cs.lastMs, t);
                }
            }
            bool delayed = false;
            forEachRetryDelay(times, size, k, [&](std::int64_t d) {
                ++cs.delayBins[binOf(d)];
                delayed = true;
            });
            if (delayed) {
                cs.delayFirstMs = std::min(cs.delayFirstMs, t);
                cs.delayLastMs = std::max(cs.delayLastMs, t);
            }
        }
        cs.rejections += rejections;

        // polling: many requests at a fixed short interval. The median gap in whole
        // milliseconds (the element a median picks is the same), and whether the median
        // deviation from it is small: sorted[n / 2] <= x exactly when n / 2 + 1 elements are.
        if (std::int64_t(size) < o.minPolls)
            return;
        gaps.clear();
        for (std::size_t k = 1; k < size; ++k)
            gaps.push_back(times[k] - times[k - 1]);
        const std::int64_t mMs = median(gaps, scratch);
        const double m = double(mMs) / 1000.0;
        if (!(m > 0.05 && m <= o.maxPollIntervalS))
            return;
        const double maxDeviation = o.maxPollSpread * m;
        std::size_t close = 0;
        for (const std::int64_t g : gaps)
            close += double(g > mMs ? g - mMs : mMs - g) / 1000.0 <= maxDeviation;
        if (close < gaps.size() / 2 + 1)
            return;
        RetryFinding f;
        f.kind = RetryFinding::Kind::Polling;
        f.client = who;
        f.target = endpointName;
        f.count = std::int64_t(size);
        f.total = pollRejected; // 429s with a Retry-After among the polls
        f.retryAfterS = double(pollRejectedEarly); // of which the loop polled again inside
        f.seconds = m;
        f.rejected = rejections;
        f.firstMs = times[0];
        f.lastMs = times[size - 1];
        for (std::size_t k = 0; k < size && f.examplesMs.size() < 3; k += size / 3 + 1)
            f.examplesMs.push_back(times[k]);
        part.polling.push_back(std::move(f));
    };

    // The groups in parts of about equal events, read by this thread and, for big stores,
    // one more (the pass over the groups was most of this analysis's time).
    std::vector<Part> parts;
    {
        const std::size_t total = grouped.size();
        const std::size_t want = std::clamp<std::size_t>(total / 32768, 1, 16);
        std::size_t done = 0, at = 0;
        for (std::size_t p = 1; p <= want && at < ordered.size(); ++p) {
            Part part;
            part.begin = at;
            while (at < ordered.size()) { // at least one group; up to about p / want of the events
                done += groupSize[ordered[at++].second];
                if (p < want && done >= total * p / want)
                    break;
            }
            part.end = at;
            parts.push_back(std::move(part));
        }
    }
    std::atomic<std::size_t> nextPart { 0 };
    const auto readParts = [&] {
        std::vector<std::pair<std::int64_t, std::uint32_t>> order;
        std::vector<std::int64_t> gaps, scratch;
        for (std::size_t p; (p = nextPart++) < parts.size();) {
            for (std::size_t g = parts[p].begin; g < parts[p].end; ++g)
                readGroup(ordered[g].first, ordered[g].second, parts[p], order, gaps, scratch);
        }
    };
    if (parts.size() > 1) {
        std::thread helper(readParts);
        readParts();
        helper.join();
    } else {
        readParts();
    }
    std::map<std::string, ClientStats> perClient;
    std::vector<RetryFinding> out;
    for (Part &part : parts) {
        for (auto &[who, stats] : part.clients) {
            auto [it, isNew] = perClient.try_emplace(who);
            if (isNew)
                it->second = std::move(stats);
            else
                it->second.absorb(std::move(stats));
        }
        for (RetryFinding &f : part.polling)
            out.push_back(std::move(f));
    }
    std::vector<std::int64_t> gaps, scratch;
    std::vector<double> scratchD;

    for (auto &[who, cs] : perClient) {
        const double excess
            = cs.withRetryAfter ? double(cs.inside - cs.before) / double(cs.withRetryAfter) : 0;
        if (cs.withRetryAfter >= o.minEarly && excess >= o.minExcessPerRejection) {
            RetryFinding f;
            f.kind = RetryFinding::Kind::IgnoredRetryAfter;
            f.client = who;
            f.target = cs.target;
            f.count = cs.inside;
            f.total = cs.withRetryAfter;
            f.baseline = cs.before;
            f.seconds = excess;
            f.retryAfterS = median(cs.retryAfters, scratchD);
            f.firstMs = cs.firstMs;
            f.lastMs = cs.lastMs;
            f.examplesMs = cs.earlyTimes;
            std::sort(f.examplesMs.begin(), f.examplesMs.end());
            if (f.examplesMs.size() > 3)
                f.examplesMs.resize(3);
            out.push_back(f);
        }
        // a fixed delay: one 100 ms bin (with its neighbour) far above the others
        if (const std::optional<std::size_t> fixed
            = fixedDelayBin(cs.delayBins.data(), cs.delayBins.size(), cs.rejections, o)) {
            const std::size_t best = *fixed;
            const std::int64_t peak = cs.delayBins[best];
            RetryFinding f;
            f.kind = RetryFinding::Kind::SynchronizedRetries;
            f.client = who;
            f.target = cs.target;
            f.count = peak;
            f.total = cs.rejections;
            // the delays of the peak bin, found again in this client's groups
            std::vector<std::int64_t> &inBest = gaps;
            inBest.clear();
            for (const std::uint32_t g : cs.groups) {
                const std::int64_t *times = groupedTimes.data() + groupStart[g];
                const std::uint8_t *rejected = groupedRejected.data() + groupStart[g];
                for (std::size_t k = 0; k < groupSize[g]; ++k) {
                    if (!rejected[k])
                        continue;
                    forEachRetryDelay(times, groupSize[g], k, [&](std::int64_t d) {
                        if (binOf(d) == best)
                            inBest.push_back(d);
                    });
                }
            }
            f.seconds = double(median(inBest, scratch)) / 1000.0;
            f.firstMs = cs.delayFirstMs;
            f.lastMs = cs.delayLastMs;
            out.push_back(f);
        }
    }
    sortFindings(out);
    return out;
}
