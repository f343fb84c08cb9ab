#include "incidents/retryfold.h"

#include "io/unnamedfile.h"

#include <algorithm>
#include <cstring>

struct RetryFold::Log
{
    explicit Log(const QString &dir)
        : file(dir)
    {
    }
    UnnamedFile file;
};

namespace {

constexpr std::int64_t kMinHistoryMs = 5 * 60 * 1000;
constexpr std::size_t kLogRecord = sizeof(std::uint32_t) + sizeof(std::int64_t);
constexpr std::size_t kSeenCap = 50000; // raw keys cached (polling of many ids: one each)

// 100 ms bins of the delays after a 429, the last one from 59.9 s on (retryanalysis.cpp)
std::size_t binOf(std::int64_t delayMs)
{
    return std::min<std::size_t>(599, std::size_t(delayMs / 100));
}

// The element at position `at` of the values of a histogram (value -> how many) sorted.
template <typename Map> typename Map::key_type elementAt(const Map &histogram, std::int64_t at)
{
    std::int64_t seen = 0;
    for (const auto &[value, n] : histogram) {
        seen += std::int64_t(n);
        if (seen > at)
            return value;
    }
    return {};
}

} // namespace

RetryFold::RetryFold(QString spillDir, RetryAnalysisOptions options, std::size_t logChunkBytes)
    : m_options(options)
    , m_dir(std::move(spillDir))
    , m_logChunk(std::max<std::size_t>(kLogRecord, logChunkBytes))
{
}

std::uint32_t RetryFold::groupOf(const EventStore &store, std::size_t i)
{
    const std::string_view client = store.client(i), tool = store.tool(i), method = store.method(i),
                           endpoint = store.endpoint(i);
    m_key.clear();
    for (const std::string_view part : { client, tool, method, endpoint }) {
        m_key.append(part.data(), part.size());
        m_key.push_back('\x1f');
    }
    if (const auto it = m_seen.find(m_key); it != m_seen.end())
        return it->second;
    const std::string raw = m_key;
    const std::string templ = endpointTemplate(endpoint);
    m_key.resize(m_key.size() - endpoint.size() - 1);
    m_key += templ;
    auto [at, isNew] = m_groupIds.try_emplace(m_key, std::uint32_t(m_groups.size()));
    if (isNew) {
        Group g;
        g.endpointName = std::string(method) + (method.empty() ? "" : " ") + templ;
        const std::string target = tool.empty() ? g.endpointName : std::string(tool);
        const std::string who = client.empty() ? target : std::string(client);
        auto [c, newClient] = m_clientIds.try_emplace(who, std::uint32_t(m_clients.size()));
        if (newClient) {
            m_clients.emplace_back();
            m_clients.back().who = who;
        }
        g.client = c->second;
        if (client.empty()) // analyzeRetries reads groups without a client name first
            m_clients[g.client].target = who;
        m_groups.push_back(std::move(g));
    }
    if (m_seen.size() >= kSeenCap)
        m_seen.clear();
    m_seen.emplace(raw, at->second);
    return at->second;
}

// A 429's Retry-After window has passed: the requests inside it are known.
void RetryFold::close(Group &g, const Pending &p, std::int64_t lessThanEnd)
{
    Client &cs = m_clients[p.client];
    const std::int64_t inside = lessThanEnd - p.atOrBefore;
    cs.inside += inside;
    if (inside > 0) {
        ++g.pollRejectedEarly;
        auto &e = cs.earliestEarly;
        e.insert(std::upper_bound(e.begin(), e.end(), p.t), p.t);
        if (e.size() > 3)
            e.pop_back();
        cs.firstMs = std::min(cs.firstMs, p.t);
        cs.lastMs = std::max(cs.lastMs, p.t);
    }
}

// A heap of pending 429s with the earliest end on top.
struct RetryFold::LaterEnd
{
    bool operator()(const Pending &a, const Pending &b) const { return a.endMs > b.endMs; }
};

// What a request at time t, later than every request of g so far, tells the 429s waiting.
void RetryFold::resolveBefore(Group &g, std::int64_t t)
{
    while (!g.waitingAbove.empty() && t > g.waitingAbove.front().t) {
        Pending p = g.waitingAbove.front();
        g.waitingAbove.pop_front();
        p.atOrBefore = g.size; // none later than p.t came before this one
        g.open.push_back(p);
        std::push_heap(g.open.begin(), g.open.end(), LaterEnd {});
    }
    while (!g.open.empty() && g.open.front().endMs <= t) {
        std::pop_heap(g.open.begin(), g.open.end(), LaterEnd {});
        const Pending p = g.open.back();
        g.open.pop_back();
        close(g, p, g.size); // every request so far is before p's end
    }
}

void RetryFold::add(const EventStore &store, std::size_t i)
{
    const std::uint32_t gi = groupOf(store, i);
    Group &g = m_groups[gi];
    Client &cs = m_clients[g.client];
    std::int64_t t = store.timeMs(i);
    if (g.size > 0 && t < g.lastMs) { // out of time order: taken as at the group's last time
        ++m_lateEvents;
        t = g.lastMs;
    }
    // requests before t, and what this request tells the 429s waiting
    std::int64_t lessThanT = 0;
    if (g.size > 0) {
        lessThanT = t > g.lastMs ? g.size : g.lessThanLast;
        if (t > g.lastMs)
            resolveBefore(g, t);
        ++g.gaps[t - g.lastMs];
    }
    if (g.history.empty() || g.history.back().first < t)
        g.history.emplace_back(t, lessThanT);

    // retry delays: from each 429 of the last minute before this request
    // retry delays: from each 429 of the last minute, 0.5 s or more before this request
    // (the hot loop of a busy client's run: contiguous times, no branch but the last)
    auto &recent = g.recent429;
    while (g.recentHead < recent.size() && t - recent[g.recentHead] > 60000)
        ++g.recentHead;
    g.recentDelayed = std::max(g.recentDelayed, g.recentHead);
    if (g.recentHead > 4096 && g.recentHead * 2 > recent.size()) {
        recent.erase(recent.begin(), recent.begin() + std::ptrdiff_t(g.recentHead));
        g.recentDelayed -= g.recentHead;
        g.recentHead = 0;
    }
    if (g.recentHead < recent.size() && t - recent[g.recentHead] >= 500) {
        if (cs.delayMs.empty())
            cs.delayMs.assign(60001, 0);
        std::uint32_t *const bins = cs.delayBins.data();
        std::uint32_t *const perMs = cs.delayMs.data();
        for (std::size_t k = g.recentHead; k < recent.size(); ++k) {
            const std::int64_t d = t - recent[k];
            if (d < 500)
                break;
            ++bins[binOf(d)];
            ++perMs[d];
        }
        for (; g.recentDelayed < recent.size() && t - recent[g.recentDelayed] >= 500;
             ++g.recentDelayed) {
            cs.delayFirstMs = std::min(cs.delayFirstMs, recent[g.recentDelayed]);
            cs.delayLastMs = std::max(cs.delayLastMs, recent[g.recentDelayed]);
        }
    }

    if (store.isRejection(i)) {
        ++g.rejections;
        ++cs.rejections;
        if (const std::int32_t ra = store.retryAfterMs(i); ra > 0) {
            ++cs.withRetryAfter;
            ++cs.retryAfters[ra];
            ++g.pollRejected;
            g.longestRetryAfterMs = std::max<std::int64_t>(g.longestRetryAfterMs, ra);
            // requests in [t - ra, t): the first kept time at or after t - ra says how many
            // came before it
            const std::int64_t from = t - ra;
            if (from <= g.droppedUpTo)
                ++m_shortHistory;
            const auto at = std::lower_bound(g.history.begin(), g.history.end(), from,
                [](const auto &h, std::int64_t x) { return h.first < x; });
            cs.before += lessThanT - at->second;
            g.waitingAbove.push_back({ t, t + ra, -1, g.client });
        }
        g.recent429.push_back(t);
    }

    if (g.size == 0)
        g.firstMs = t;
    if (g.size == 0 || t > g.lastMs)
        g.lessThanLast = g.size;
    g.lastMs = t;
    ++g.size;
    // times kept: as far back as the longest Retry-After, at least 5 minutes
    const std::int64_t keep = std::max(kMinHistoryMs, g.longestRetryAfterMs);
    while (g.history.size() > 1 && g.history.front().first < t - keep) {
        g.droppedUpTo = g.history.front().first;
        g.history.pop_front();
    }
    append(gi, t);
}

void RetryFold::append(std::uint32_t group, std::int64_t t)
{
    char rec[kLogRecord];
    std::memcpy(rec, &group, sizeof group);
    std::memcpy(rec + sizeof group, &t, sizeof t);
    m_logTail.append(rec, sizeof rec);
    if (!m_writes || m_logTail.size() < m_logChunk || !m_logError.isEmpty())
        return;
    if (!m_log)
        m_log = std::make_shared<Log>(m_dir);
    if (!m_log->file.append(m_logTail.data(), m_logTail.size())) {
        m_logError = m_log->file.error();
        return; // the tail stays in memory: examples stay exact, memory is no longer bounded
    }
    m_logBytes = m_log->file.size();
    m_logTail.clear();
}

RetryFold RetryFold::snapshot() const
{
    RetryFold copy = *this;
    copy.m_writes = false;
    return copy;
}

std::vector<std::vector<std::int64_t>> RetryFold::pollingExamples(
    const std::vector<std::pair<std::uint32_t, std::int64_t>> &want) const
{
    // positions 0, s, 2s of a group of n (s = n/3 + 1), as analyzeRetries takes them
    std::vector<std::int64_t> step(m_groups.size(), 0), seen(m_groups.size(), 0);
    std::vector<std::size_t> slot(m_groups.size(), SIZE_MAX);
    std::vector<std::vector<std::int64_t>> out(want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
        step[want[k].first] = want[k].second / 3 + 1;
        slot[want[k].first] = k;
    }
    const auto take = [&](const char *rec) {
        std::uint32_t g;
        std::int64_t t;
        std::memcpy(&g, rec, sizeof g);
        std::memcpy(&t, rec + sizeof g, sizeof t);
        if (g >= slot.size() || slot[g] == SIZE_MAX)
            return;
        const std::int64_t pos = seen[g]++;
        if (pos % step[g] == 0 && out[slot[g]].size() < 3)
            out[slot[g]].push_back(t);
    };
    if (m_log && m_logBytes > 0) {
        std::string buf(std::size_t(std::min<std::int64_t>(m_logBytes,
                            std::int64_t((std::size_t(1) << 20) / kLogRecord * kLogRecord))),
            '\0');
        for (std::int64_t at = 0; at < m_logBytes;) {
            const std::size_t want
                = std::size_t(std::min<std::int64_t>(std::int64_t(buf.size()), m_logBytes - at));
            if (m_log->file.readAt(buf.data(), want, at) != std::int64_t(want))
                break; // examples stay short; logError() is not set by a read
            for (std::size_t r = 0; r + kLogRecord <= want; r += kLogRecord)
                take(buf.data() + r);
            at += std::int64_t(want);
        }
    }
    for (std::size_t r = 0; r + kLogRecord <= m_logTail.size(); r += kLogRecord)
        take(m_logTail.data() + r);
    return out;
}

std::vector<RetryFinding> RetryFold::findings() const
{
    // the 429s still waiting: every request is known now
    RetryFold end = snapshot();
    for (Group &g : end.m_groups) {
        for (Pending p : g.waitingAbove) {
            p.atOrBefore = g.size;
            end.close(g, p, g.size);
        }
        for (const Pending &p : g.open)
            end.close(g, p, g.size);
        g.waitingAbove.clear();
        g.open.clear();
    }
    const RetryAnalysisOptions &o = m_options;
    std::vector<RetryFinding> out;

    // polling: many requests at a fixed short interval (median gap, and most gaps near it)
    std::vector<std::pair<std::uint32_t, std::int64_t>> polling;
    for (std::uint32_t gi = 0; gi < end.m_groups.size(); ++gi) {
        const Group &g = end.m_groups[gi];
        if (g.size < o.minPolls)
            continue;
        const std::int64_t gaps = g.size - 1;
        const std::int64_t mMs = elementAt(g.gaps, gaps / 2);
        const double m = double(mMs) / 1000.0;
        if (!(m > 0.05 && m <= o.maxPollIntervalS))
            continue;
        const double maxDeviation = o.maxPollSpread * m;
        std::int64_t close = 0;
        for (const auto &[gap, n] : g.gaps) {
            if (double(gap > mMs ? gap - mMs : mMs - gap) / 1000.0 <= maxDeviation)
                close += n;
        }
        if (close < gaps / 2 + 1)
            continue;
        RetryFinding f;
        f.kind = RetryFinding::Kind::Polling;
        f.client = end.m_clients[g.client].who;
        f.target = g.endpointName;
        f.count = g.size;
        f.total = g.pollRejected;
        f.retryAfterS = double(g.pollRejectedEarly);
        f.seconds = m;
        f.rejected = g.rejections;
        f.firstMs = g.firstMs;
        f.lastMs = g.lastMs;
        polling.emplace_back(gi, g.size);
        out.push_back(std::move(f));
    }
    const std::vector<std::vector<std::int64_t>> examples = end.pollingExamples(polling);
    for (std::size_t k = 0; k < examples.size(); ++k)
        out[k].examplesMs = examples[k];

    for (const Client &cs : end.m_clients) {
        const double excess
            = cs.withRetryAfter ? double(cs.inside - cs.before) / double(cs.withRetryAfter) : 0;
        if (cs.withRetryAfter >= o.minEarly && excess >= o.minExcessPerRejection) {
            RetryFinding f;
            f.kind = RetryFinding::Kind::IgnoredRetryAfter;
            f.client = cs.who;
            f.target = cs.target;
            f.count = cs.inside;
            f.total = cs.withRetryAfter;
            f.baseline = cs.before;
            f.seconds = excess;
            f.retryAfterS = elementAt(cs.retryAfters, cs.withRetryAfter / 2) / 1000.0;
            f.firstMs = cs.firstMs;
            f.lastMs = cs.lastMs;
            f.examplesMs = cs.earliestEarly;
            out.push_back(f);
        }
        // a fixed delay: one 100 ms bin far above the others
        const std::optional<std::size_t> fixed
            = fixedDelayBin(cs.delayBins.data(), cs.delayBins.size(), cs.rejections, o);
        if (fixed) {
            const std::size_t best = *fixed;
            const std::int64_t peak = cs.delayBins[best];
            RetryFinding f;
            f.kind = RetryFinding::Kind::SynchronizedRetries;
            f.client = cs.who;
            f.target = cs.target;
            f.count = peak;
            f.total = cs.rejections;
            // the median of the delays in the peak bin
            const std::size_t lo = best * 100, hi = best == 599 ? 60000 : lo + 99;
            std::int64_t seen = 0, mid = 0;
            for (std::size_t d = lo; d <= hi; ++d) {
                seen += cs.delayMs[d];
                if (seen > peak / 2) {
                    mid = std::int64_t(d);
                    break;
                }
            }
            f.seconds = double(mid) / 1000.0;
            f.firstMs = cs.delayFirstMs;
            f.lastMs = cs.delayLastMs;
            out.push_back(f);
        }
    }
    sortFindings(out);
    return out;
}
