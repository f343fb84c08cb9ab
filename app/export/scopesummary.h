#pragma once

#include "aggregate/buckets.h"
#include "aggregate/reportedlimits.h"
#include "aggregate/scopes.h"
#include "base/limitspec.h"
#include "incidents/retryanalysis.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// A limit in force for one scope and axis (limits.md §8 `limits[]`): given with --limit
// (spec.fromHeaders false) or reported by the scope's responses (true). A reported limit whose
// window is unknown has spec.windowS nullopt: it is shown, never compared as if per minute.
struct ScopeLimit
{
    std::string scope;
    LimitAxis axis = LimitAxis::Requests;
    LimitSpec spec;
};

// The figures of one scope on one axis and window (limits.md §8 `scopes[].axes[]`).
struct AxisFigures
{
    LimitAxis axis = LimitAxis::Requests;
    std::optional<LimitSpec> limit; // nullopt: no limit known for this axis
    std::optional<std::int64_t> peak, peakMinuteMs; // the busiest minute's count
    std::int64_t minutesOverLimit = 0;
    std::vector<std::int64_t> overLimitMinutes;
    std::optional<LimitAsk> limitAsk; // peak + headroom
    double unknownShare = 0; // requests whose value on this axis is not known (requests: 0)
};

// Everything reported per scope (limits.md §1, §8 `scopes[]`).
struct ScopeSummary
{
    std::string name;
    std::int64_t requests = 0;
    std::array<std::int64_t, kRejectionSourceCount> rejected {};
    // limits.md §7, §8: events per category (QUOTA, OVERLOADED, HIDDEN_THROTTLE)
    std::array<std::int64_t, kThrottleCategoryCount> throttles {};
    // The same per minute (the CSV's category columns): only the minutes with an event of a
    // category, by time; empty for a scope without any.
    struct ThrottleMinute
    {
        std::int64_t startMs = 0;
        std::array<std::int64_t, kThrottleCategoryCount> counts {};
    };
    std::vector<ThrottleMinute> throttleMinutes;
    std::vector<AxisFigures> axes; // the requests axis first
    std::vector<BucketCounts> minutes; // per-minute counts of this scope, sparse, sorted
    std::vector<LimitSpec> reported; // the request limits its responses reported, per window
    std::size_t driftOmitted = 0; // changes past kMaxDriftChanges, counted only

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// How a summary is split and which limits apply (--scope-by, --limit, --limits).
struct SummaryScoping
{
    ScopeBy by = ScopeBy::Host;
    std::vector<LimitEntry> limits; // empty: the limits each scope's responses reported
};

// The configured limits that differ from a reported limit of the same window by more than 1 %
// (limits.md §6): kind Configured, from = configured, to = reported; scope and axis unset.
std::vector<LimitDrift> configuredAgainstReported(
    const std::vector<LimitSpec> &configured, const std::vector<LimitSpec> &reported);

// The scope of a summary that the top-level `limit`, `minutes_over_limit` and `limit_to_ask`
// describe: the most rejections, then the most requests, then the name.
std::size_t topScopeIndex(const std::vector<ScopeSummary> &scopes);
