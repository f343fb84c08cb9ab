#pragma once

#include "aggregate/reportedlimits.h"
#include "incidents/earlywarning.h"

#include <map>
#include <string>
#include <vector>

// One scope of a live session now (the monitor's status line).
struct ScopeStatus
{
    std::string name;
    std::int64_t minuteRequests = 0; // in the minute asked about
    std::optional<LimitSpec> limit; // what it is watched against: given, else reported
};

// The early warnings of a live session per API scope (limits.md §1): each scope (by host) is
// watched against its own limit, the one given for it (`--limit SCOPE:N`), else the one given
// for every scope, else the tightest its own responses reported over a known window
// (ReportedLimits); a new incident is one scope's. A warning says its scope. Pure, like
// EarlyWarning.
class ScopedEarlyWarning
{
public:
    explicit ScopedEarlyWarning(double share = 0.9, double mergeGapMinutes = 5.0);

    // The configured request limits (entries on other axes are not watched yet).
    void setLimits(std::vector<LimitEntry> limits);
    std::vector<std::string> scopes() const; // every scope seen, sorted

    std::vector<LiveWarning> add(const EventStore &events);
    // Every scope's requests in the minute starting at minuteMs, most first (then by name).
    std::vector<ScopeStatus> status(std::int64_t minuteMs) const;

private:
    struct Scope
    {
        EarlyWarning warning;
        ReportedLimits reported; // what its responses reported
    };
    std::optional<LimitSpec> limitFor(const std::string &name, const Scope &scope) const;

    double m_share;
    double m_gapMinutes;
    std::vector<LimitEntry> m_limits;
    std::map<std::string, Scope> m_scopes;
};
