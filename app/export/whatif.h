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
// Retries (`--retry`):
// - as-recorded: every record at its own time, the log's own retries included; no retry added;
// - none, honour, backoff: the log's own retries are taken out first (a guess, see
//   logRetries()), then a request the model refuses is dropped (none), offered again when the
//   limiter would let it through, as a client honouring Retry-After does (honour), or after
//   an exponential backoff, min(cap, base * 2^attempt), with full jitter when asked (a uniform
//   draw below it, seed 1).
struct RetryPolicy
{
    enum class Mode { AsRecorded, None, Honour, Backoff } mode = Mode::AsRecorded;
    std::int64_t baseMs = 1000;
    std::int64_t capMs = 60000;
    bool jitter = false;
    static constexpr int kMaxAttempts = 20; // then the request is given up (dropped)
};
// "as-recorded", "none", "honour", "backoff:BASE,CAP[,jitter]" (BASE and CAP in seconds,
// decimals allowed). nullopt + *error when invalid.
std::optional<RetryPolicy> parseRetryPolicy(const QString &text, QString *error);
QString retryPolicyText(const RetryPolicy &policy);

// Which events of `events` (one scope's, sorted by time) are the log's own retries: a request is
// a retry when the previous request of the same client, tool, method and endpoint template
// (the groups of the retry analysis) was a rejection at most 5 minutes earlier. A guess: logs
// name no retry; a fresh request right after a 429 of the same client and endpoint is taken
// for a retry too.
std::vector<bool> logRetries(const EventStore &store, const EventSubset &events);

struct WhatIfOptions
{
    LimiterSpec limiter;
    RetryPolicy retry;
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
    std::int64_t logRetries = 0; // taken out of the arrivals (every mode but as-recorded)
    std::int64_t dropped = 0; // refused and not offered again (none; given up after 20 tries)
    // The extra delay retries added to the requests they got through, in seconds.
    std::optional<double> retryDelayP50S, retryDelayP99S;
    std::int64_t recordedRejected = 0; // RATE_LIMITED
    WhatIfPrediction predicted;
    std::optional<std::int64_t> smallestLimit; // N with no refusal; bisection
    std::optional<WhatIfValidation> validation; // nullopt: no limit known for the scope
    // The predicted refusals per second (start, count), sorted: what the window draws.
    std::vector<std::pair<std::int64_t, std::int64_t>> refusedPerSecond;
};

struct WhatIfReport
{
    WhatIfOptions options;
    std::vector<WhatIfScope> scopes;
};

WhatIfReport runWhatIf(const EventStore &store, const WhatIfOptions &options);
// One scope's replay: `events` are its requests sorted by time (the window passes the ones in
// view); options.scope is not looked at.
WhatIfScope runWhatIfScope(const EventStore &store, const EventSubset &events,
    const std::string &name, const WhatIfOptions &options);

// "fixed", "sliding", "token-bucket:RATE/W,BURST", "gcra:RATE/W,BURST"; the first two take
// --limit N/W. nullopt + *error when invalid.
std::optional<LimiterSpec> parseAlgorithm(
    const QString &text, const std::optional<LimitSpec> &limit, QString *error);
QString algorithmText(const LimiterSpec &spec);

std::string whatIfJson(const WhatIfReport &report);
std::string whatIfMarkdown(const WhatIfReport &report);
std::string whatIfCsv(const WhatIfReport &report);
