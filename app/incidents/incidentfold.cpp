#include "incidents/incidentfold.h"

#include <algorithm>

IncidentFold::IncidentFold(double mergeGapMinutes, std::size_t tallyBudgetBytes, QString spillDir)
    : m_gapMinutes(mergeGapMinutes)
    , m_budget(tallyBudgetBytes)
    , m_dir(std::move(spillDir))
{
}

IncidentFold IncidentFold::only(const std::string &scope) const
{
    IncidentFold f(m_gapMinutes, m_budget, m_dir);
    f.m_readBack = m_readBack;
    if (const auto it = m_scopes.find(scope); it != m_scopes.end())
        f.m_scopes.emplace(*it);
    return f;
}

void IncidentFold::addMinute(const std::string &name, const MinuteRejections &r)
{
    if (r.firstMs > r.lastMs)
        return; // no rejection
    Scope &scope = m_scopes[name];
    // the scope's last incident is the open one when there is one
    Incident *last = scope.open ? &scope.open->incident
        : scope.closed.empty()  ? nullptr
                                : &scope.closed.back().incident;
    const bool late = last && r.firstMs < last->endMs; // out of time order: into the last
    if (late && !scope.open) { // closed: its counts, not its top lists
        last->startMs = std::min(last->startMs, r.firstMs);
        last->quota = last->quota || r.quota;
        if (r.maxRetryAfterMs >= 0
            && (!last->maxRetryAfterS || r.maxRetryAfterMs / 1000.0 > *last->maxRetryAfterS))
            last->maxRetryAfterS = r.maxRetryAfterMs / 1000.0;
        return;
    }
    // a gap of exactly merge-gap still merges (findIncidents compares in whole ms)
    if (!late && (!scope.open || double(r.firstMs - last->endMs) > m_gapMinutes * 60000.0)) {
        if (scope.open)
            closeOpen(scope);
        scope.open.emplace(m_budget, m_dir);
        scope.open->incident.scope = name;
        scope.open->incident.startMs = r.firstMs;
        scope.open->incident.endMs = r.lastMs;
    }
    Open &o = *scope.open;
    o.incident.startMs = std::min(o.incident.startMs, r.firstMs);
    o.incident.endMs = std::max(o.incident.endMs, r.lastMs);
    o.incident.quota = o.incident.quota || r.quota;
    o.maxRetryAfterMs = std::max(o.maxRetryAfterMs, r.maxRetryAfterMs);
    for (const auto &[tool, n] : r.tools)
        o.tools.add(tool, n);
    for (const auto &[provider, n] : r.providers)
        o.providers.add(provider, n);
    for (const auto &[message, n] : r.messages)
        o.messages.add(message, n);
    o.binding.merge(r.binding);
}

IncidentFold::Closed IncidentFold::close(const Open &open, bool *readBack)
{
    Closed c;
    c.incident = open.incident;
    if (open.maxRetryAfterMs >= 0)
        c.incident.maxRetryAfterS = open.maxRetryAfterMs / 1000.0;
    bool a = true, b = true, m = true;
    c.incident.topTools = open.tools.top(5, &a);
    c.incident.topProviders = open.providers.top(5, &b);
    c.incident.messages = open.messages.top(5, &m);
    *readBack = a && b && m;
    c.binding = open.binding;
    return c;
}

void IncidentFold::closeOpen(Scope &scope)
{
    bool read = true;
    scope.closed.push_back(close(*scope.open, &read));
    m_readBack = m_readBack && read;
    for (const SpillTally *t :
        { &scope.open->tools, &scope.open->providers, &scope.open->messages })
        m_spills += t->spills();
    scope.open.reset();
}

void IncidentFold::closeBefore(std::int64_t watermarkMs)
{
    const double gapMs = m_gapMinutes * 60000.0;
    for (auto &[name, scope] : m_scopes) {
        if (scope.open && double(watermarkMs - scope.open->incident.endMs) > gapMs)
            closeOpen(scope);
    }
}

std::vector<Incident> IncidentFold::incidents(const std::string &name,
    const std::vector<BucketCounts> &minutes, std::vector<BindingEvidence> *evidence,
    bool *readBack) const
{
    std::vector<Incident> out;
    bool read = m_readBack;
    const auto it = m_scopes.find(name);
    if (it != m_scopes.end()) {
        const Scope &scope = it->second;
        out.reserve(scope.closed.size() + 1);
        for (const Closed &c : scope.closed) {
            out.push_back(c.incident);
            if (evidence)
                evidence->push_back(c.binding);
        }
        if (scope.open) {
            bool r = true;
            Closed c = close(*scope.open, &r);
            read = read && r;
            out.push_back(std::move(c.incident));
            if (evidence)
                evidence->push_back(std::move(c.binding));
        }
    }
    // Rejections by source, requests and peak: those of the minutes it spans. Exact: with a
    // merge gap of a minute or more no two incidents share a minute.
    for (Incident &inc : out) {
        inc.rejected = {};
        const std::int64_t from = floorTo(inc.startMs, 60000),
                           to = floorTo(inc.endMs, 60000) + 60000;
        auto m = std::lower_bound(minutes.begin(), minutes.end(), from,
            [](const BucketCounts &b, std::int64_t t) { return b.startMs < t; });
        for (; m != minutes.end() && m->startMs < to; ++m) {
            for (std::size_t s = 0; s < inc.rejected.size(); ++s)
                inc.rejected[s] += m->rejected[s];
        }
        countRequests(minutes, inc);
        inc.dominant = dominantSource(inc.rejected);
    }
    if (readBack)
        *readBack = read;
    return out;
}

IncidentFold::Held IncidentFold::held() const
{
    Held h;
    h.spills = m_spills;
    for (const auto &[name, scope] : m_scopes) {
        h.closed += scope.closed.size();
        if (scope.open) {
            for (const SpillTally *t :
                { &scope.open->tools, &scope.open->providers, &scope.open->messages }) {
                h.inMemory += t->inMemory();
                h.runs += t->runs();
                h.spills += t->spills();
            }
        }
    }
    return h;
}

QString IncidentFold::spillError() const
{
    for (const auto &[name, scope] : m_scopes) {
        if (scope.open) {
            for (const SpillTally *t :
                { &scope.open->tools, &scope.open->providers, &scope.open->messages }) {
                if (!t->spillError().isEmpty())
                    return t->spillError();
            }
        }
    }
    return {};
}
