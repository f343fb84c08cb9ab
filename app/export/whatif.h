#pragma once

#include "aggregate/limiters.h"
#include "aggregate/scopes.h"
#include "base/limitspec.h"
#include "store/eventstore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// `ratescope whatif` (issue 20): the recorded requests of each scope replayed against another
// limit or algorithm. The model predicts the scope's own limit (RATE_LIMITED): it is compared
// with the recorded RATE_LIMITED rejections, never with an upstream provider's (TOOL_ERROR).
//
// Retries: `as-recorded` replays every record at its own time, the log's own retries
// included, and adds no retry of its own (the only mode so far; `honour`, `none` and `backoff`
// need the log's retries told apart from fresh requests, which is not done yet).
struct WhatIfOptions
{
    LimiterSpec limiter;
    double mergeGapMinutes = 5; // predicted incidents: minutes with refusals at most this apart
    std::vector<LimitEntry> configured; // the validation replay's limits (--limit, --limits)
    std::string scope; // "": every scope
    ScopeBy scopeBy = ScopeBy::Host;
};

struct WhatIfPrediction
{
    std::int64_t rejected = 0;
    std::int64_t minutesOverLimit = 0; // minutes in which the model refused a request
    std::int64_t incidents = 0;
};

// How far the model reproduces the log: the log replayed against its own limit, per minute.
struct WhatIfValidation
{
    LimitSpec limit;
    bool reported = false; // the limit the responses reported (none was configured)
    std::int64_t predicted = 0;
    std::int64_t recorded = 0;
    std::int64_t minutes = 0; // minutes compared (every minute with a request)
    std::optional<double> correlation; // Pearson, per minute; nullopt when either is constant
    double meanAbsoluteError = 0; // rejections per minute
};

struct WhatIfScope
{
    std::string name;
    std::int64_t requests = 0;
    std::int64_t recordedRejected = 0; // RATE_LIMITED
    WhatIfPrediction predicted;
    std::optional<std::int64_t> smallestLimit; // N with no refusal; bisection
    std::optional<WhatIfValidation> validation; // nullopt: no limit known for the scope
};

struct WhatIfReport
{
    WhatIfOptions options;
    std::vector<WhatIfScope> scopes;
};

WhatIfReport runWhatIf(const EventStore &store, const WhatIfOptions &options);

// "fixed", "sliding", "token-bucket:RATE/W,BURST", "gcra:RATE/W,BURST"; the first two take
// --limit N/W. nullopt + *error when invalid.
std::optional<LimiterSpec> parseAlgorithm(
    const QString &text, const std::optional<LimitSpec> &limit, QString *error);
QString algorithmText(const LimiterSpec &spec);

std::string whatIfJson(const WhatIfReport &report);
std::string whatIfMarkdown(const WhatIfReport &report);
std::string whatIfCsv(const WhatIfReport &report);
