#include "incidents/scopedwarning.h"

#include "aggregate/scopes.h"

#include <algorithm>

ScopedEarlyWarning::ScopedEarlyWarning(double share, double mergeGapMinutes)
    : m_share(share)
    , m_gapMinutes(mergeGapMinutes)
{
}

std::optional<LimitSpec> ScopedEarlyWarning::limitFor(
    const std::string &name, const Scope &scope) const
{
    const std::optional<LimitSpec> given = configuredRequestLimit(m_limits, name);
    return given ? given : scope.reported.tightest();
}

void ScopedEarlyWarning::setLimits(std::vector<LimitEntry> limits)
{
    m_limits = std::move(limits);
    for (auto &[name, scope] : m_scopes)
        scope.warning.setLimit(limitFor(name, scope));
}

std::vector<std::string> ScopedEarlyWarning::scopes() const
{
    std::vector<std::string> out;
    for (const auto &[name, scope] : m_scopes)
        out.push_back(name);
    return out;
}

std::vector<ScopeStatus> ScopedEarlyWarning::status(std::int64_t minuteMs) const
{
    std::vector<ScopeStatus> out;
    for (const auto &[name, scope] : m_scopes)
        out.push_back({ name, scope.warning.minuteCount(minuteMs), scope.warning.limit() });
    std::stable_sort(out.begin(), out.end(), [](const ScopeStatus &a, const ScopeStatus &b) {
        return a.minuteRequests > b.minuteRequests;
    });
    return out;
}

std::vector<LiveWarning> ScopedEarlyWarning::add(const EventStore &events)
{
    // the events of each scope, as the summary and the window split them
    const ScopeIndex index = ScopeIndex::build(events, ScopeBy::Host);
    const std::vector<EventSubset> byScope = index.eventsByScope(events);
    std::vector<LiveWarning> out;
    for (std::size_t k = 0; k < index.size(); ++k) {
        const std::string &name = index.names()[k];
        const EventSubset &indices = byScope[k];
        if (indices.empty())
            continue;
        auto it = m_scopes.find(name);
        if (it == m_scopes.end())
            it = m_scopes
                     .emplace(name, Scope { EarlyWarning(m_share, m_gapMinutes), ReportedLimits() })
                     .first;
        Scope &scope = it->second;
        for (std::uint32_t i : indices)
            scope.reported.add(events, i);
        scope.warning.setLimit(limitFor(name, scope));
        for (LiveWarning &w : scope.warning.add(events, &indices)) {
            w.scope = QString::fromStdString(name);
            w.text = QStringLiteral("%1: %2").arg(w.scope, w.text);
            out.push_back(std::move(w));
        }
    }
    std::stable_sort(out.begin(), out.end(),
        [](const LiveWarning &a, const LiveWarning &b) { return a.timeMs < b.timeMs; });
    return out;
}
