#pragma once

#include "incidents/earlywarning.h"

#include <map>
#include <string>
#include <vector>

// The early warnings of a live session per API scope (limits.md §1): each scope (by host) is
// watched against its own limit, the one given for it (`--limit SCOPE:N`), else the one given
// for every scope, else the smallest its own responses reported over a known window; a new
// incident is one scope's. A warning says its scope. Pure, like EarlyWarning.
class ScopedEarlyWarning
{
public:
    explicit ScopedEarlyWarning(double share = 0.9, double mergeGapMinutes = 5.0);

    // The configured request limits (entries on other axes are not watched yet).
    void setLimits(std::vector<LimitEntry> limits);
    std::vector<std::string> scopes() const; // every scope seen, sorted

    std::vector<LiveWarning> add(const EventStore &events);

private:
    struct Scope
    {
        EarlyWarning warning;
        std::optional<LimitSpec> reported; // the smallest reported over a known window
    };
    std::optional<LimitSpec> limitFor(const std::string &name, const Scope &scope) const;

    double m_share;
    double m_gapMinutes;
    std::vector<LimitEntry> m_limits;
    std::map<std::string, Scope> m_scopes;
};
