#pragma once

#include "aggregate/buckets.h"
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

// A difference between the limit configured and the one reported, or a change of the reported
// limit during the log (limits.md §6).
struct LimitDrift
{
    enum class Kind { Configured, Changed };
    std::string scope;
    LimitAxis axis = LimitAxis::Requests;
    Kind kind = Kind::Changed;
    std::optional<std::int64_t> windowS;
    std::optional<std::int64_t> timeMs; // Changed: the first response that reported `to`
    std::int64_t from = 0; // Configured: the configured limit; Changed: the reported one before
    std::int64_t to = 0; // Configured: the reported limit; Changed: the reported one after
};

// Everything reported per scope (limits.md §1, §8 `scopes[]`).
struct ScopeSummary
{
    std::string name;
    std::int64_t requests = 0;
    std::array<std::int64_t, kRejectionSourceCount> rejected {};
    std::vector<AxisFigures> axes; // the requests axis first
    std::vector<BucketCounts> minutes; // per-minute counts of this scope, sparse, sorted
    std::vector<LimitSpec> reported; // the request limits its responses reported, per window
    std::size_t driftOmitted = 0; // changes past kMaxDriftChanges, counted only

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// At most this many changes of a reported limit are listed per scope and axis: a host that
// serves several models with their own limits alternates between them on every request.
inline constexpr std::size_t kMaxDriftChanges = 20;

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

// The request limits reported by the events of one scope: the smallest for each window (the
// same rule as the loader's ReportedLimit), shortest window first and an unknown window last,
// and the changes of each in time order.
struct ReportedHistory
{
    std::vector<LimitSpec> byWindow;
    std::vector<LimitDrift> changes; // kind Changed, scope and axis unset
    std::size_t omitted = 0;
};
ReportedHistory reportedHistory(const EventStore &store, const EventSubset *events);

// The scope of a summary that the top-level `limit`, `minutes_over_limit` and `limit_to_ask`
// describe: the most rejections, then the most requests, then the name.
std::size_t topScopeIndex(const std::vector<ScopeSummary> &scopes);
