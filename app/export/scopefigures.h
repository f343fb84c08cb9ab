#pragma once

// A scope's figures, axis by axis (limits.md §8 `scopes[]`), from what can be read of its
// events: a store of them (buildSummary) or the rollups of a run that did not keep them
// (summaryFromRollup, issue 22). One rule for both, so that they cannot drift apart.

#include "aggregate/axisseries.h"
#include "aggregate/reportedlimits.h"
#include "export/scopesummary.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// What the figures read of one scope's events.
struct ScopeReader
{
    // The values per minute of a token axis or of concurrency (axisPerMinute).
    std::function<AxisSeries(LimitAxis)> perMinute;
    // The limits the scope's responses reported on an axis, and their changes, over every
    // event of the scope (reportedHistory).
    std::function<ReportedHistory(LimitAxis)> reported;
    // minutesOverRollingSum on a summed axis for a window other than a minute; nullopt when
    // it cannot be told exactly.
    std::function<std::optional<std::vector<std::int64_t>>(
        LimitAxis, std::int64_t limit, std::int64_t windowMs)>
        overRolling;
    bool hasTokens = false; // the store (or run) has token counts at all
};

// The figures of one scope: its minutes' totals, every limit in force on each axis (given,
// else reported) with the minutes over it, the peak per axis, the requests axis also without
// a limit, and the tokens a scope used too (for the limit to ask for). The limits go to
// `limits`, the drift (configured against reported, then the reported changes) to `drift`.
// A rolling count that cannot be told exactly is named in `inexact`.
ScopeSummary summarizeScope(std::string name, std::vector<BucketCounts> minutes,
    const ScopeReader &reader, const std::vector<LimitEntry> &entries,
    std::vector<ScopeLimit> &limits, std::vector<LimitDrift> &drift,
    std::vector<std::string> &inexact);
