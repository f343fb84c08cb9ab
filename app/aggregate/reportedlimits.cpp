#include "aggregate/reportedlimits.h"

#include <algorithm>

void ReportedLimits::add(const EventStore &store, std::size_t i)
{
    std::int64_t limit = 0;
    std::int32_t w = -1;
    bool byReset = false;
    if (m_axis == LimitAxis::Requests) {
        limit = store.serverLimit(i);
        w = store.serverWindowS(i);
        byReset = (store.flags(i) & FlagWindowByReset) != 0;
    } else if (m_axis != LimitAxis::Concurrency) {
        const std::size_t a = std::size_t(m_axis) - std::size_t(LimitAxis::Tokens);
        const ReportedTokenLimits &set = store.reportedTokens(i);
        limit = set.limit[a];
        w = set.windowS[a];
        byReset = (set.windowByReset >> a) & 1u;
    }
    if (limit <= 0)
        return;
    std::int64_t key = w > 0 ? w : kUnknown;
    if (byReset) {
        if (w <= 0)
            m_longReset = true;
        key = kByReset;
    }
    const auto it = std::find_if(
        m_windows.begin(), m_windows.end(), [key](const Window &x) { return x.key == key; });
    if (it == m_windows.end()) {
        m_windows.push_back({ key, limit, limit });
        return;
    }
    it->smallest = std::min(it->smallest, limit);
    if (it->last == limit)
        return;
    if (m_changes.size() < kMaxDriftChanges) {
        LimitDrift d;
        d.timeMs = store.timeMs(i);
        d.from = it->last;
        d.to = limit;
        m_changes.emplace_back(key, d);
    } else {
        ++m_omitted;
    }
    it->last = limit;
}

std::optional<std::int64_t> ReportedLimits::resolve(std::int64_t key) const
{
    if (key == kByReset)
        return m_longReset ? std::nullopt : std::optional<std::int64_t>(60);
    return key > 0 ? std::optional<std::int64_t>(key) : std::nullopt;
}

ReportedHistory ReportedLimits::history() const
{
    ReportedHistory h;
    for (const Window &w : m_windows) {
        const std::optional<std::int64_t> window = resolve(w.key);
        const auto same = std::find_if(h.byWindow.begin(), h.byWindow.end(),
            [&window](const LimitSpec &l) { return l.windowS == window; });
        if (same != h.byWindow.end()) {
            same->requests = std::min(same->requests, w.smallest);
            continue;
        }
        LimitSpec spec;
        spec.requests = w.smallest;
        spec.windowS = window;
        spec.fromHeaders = true;
        h.byWindow.push_back(spec);
    }
    std::sort(h.byWindow.begin(), h.byWindow.end(), [](const LimitSpec &a, const LimitSpec &b) {
        if (a.windowS.has_value() != b.windowS.has_value())
            return a.windowS.has_value(); // a known window before an unknown one
        return a.windowS < b.windowS;
    });
    for (const auto &[key, change] : m_changes) {
        h.changes.push_back(change);
        h.changes.back().windowS = resolve(key);
        h.changes.back().axis = m_axis;
    }
    h.omitted = m_omitted;
    return h;
}

std::optional<LimitSpec> ReportedLimits::tightest() const
{
    std::optional<LimitSpec> best;
    for (const LimitSpec &l : history().byWindow) {
        // requests per minute compared without division: a/wa < b/wb  <=>  a*wb < b*wa
        if (l.windowS && *l.windowS > 0
            && (!best || l.requests * *best->windowS < best->requests * *l.windowS))
            best = l;
    }
    return best;
}

ReportedHistory reportedHistory(const EventStore &store, const EventSubset *events, LimitAxis axis)
{
    // no header reports concurrency; no pass over the events for token limits nobody reported
    if (axis == LimitAxis::Concurrency
        || (axis != LimitAxis::Requests && !store.hasReportedTokens()))
        return {};
    // (time, index) of every event that reported a limit, in time order
    std::vector<std::pair<std::int64_t, std::uint32_t>> reporting;
    const std::size_t a = std::size_t(axis) - std::size_t(LimitAxis::Tokens);
    forEachEvent(store, events, [&](std::size_t i) {
        if (axis == LimitAxis::Requests ? store.serverLimit(i) > 0
                                        : store.reportedTokens(i).limit[a] > 0)
            reporting.emplace_back(store.timeMs(i), std::uint32_t(i));
    });
    std::stable_sort(reporting.begin(), reporting.end(),
        [](const auto &a, const auto &b) { return a.first < b.first; });
    ReportedLimits limits(axis);
    for (const auto &[t, i] : reporting)
        limits.add(store, i);
    return limits.history();
}
