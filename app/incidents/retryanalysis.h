#pragma once

#include "aggregate/buckets.h"
#include "store/eventstore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// How clients behave around rate limits, the causes both platforms name:
// retries that do not wait the Retry-After they were given, retries at a fixed delay after
// 429s (missing jitter), and polling one endpoint at a fixed short interval.
struct RetryFinding
{
    enum class Kind { IgnoredRetryAfter, SynchronizedRetries, Polling };
    Kind kind = Kind::Polling;
    std::string client; // connection/client name; the tool when the log names no client
    std::string target; // "tool" or "METHOD host/path/{id}"
    std::int64_t count = 0; // the events that show it (early requests, fixed-delay retries, polls)
    std::int64_t total = 0; // out of how many (429s with Retry-After, retries, requests)
    double seconds = 0; // the fixed delay, the polling interval, or extra requests per 429
    double retryAfterS = 0; // median Retry-After given (IgnoredRetryAfter)
    std::int64_t rejected = 0; // 429s among the events (Polling)
    std::int64_t baseline = 0; // requests in equal windows before the 429s (IgnoredRetryAfter)
    std::int64_t firstMs = 0, lastMs = 0;
    std::vector<std::int64_t> examplesMs; // a few times to look at

    static const char *kindName(Kind k);
    std::string evidence() const; // one sentence with the numbers
    std::string advice() const; // what to change
};

struct LimitAsk
{
    std::int64_t peakRpm = 0;
    std::int64_t minuteMs = 0;
    int headroomPercent = 30;
    std::int64_t requestsPerMinute = 0; // ceil(peak * (1 + headroom))
};

struct RetryAnalysisOptions
{
    std::int64_t minEarly = 5; // 429s with a Retry-After before a client is judged
    double minExcessPerRejection = 0.3; // extra requests per 429 inside the window
    std::int64_t minRetries = 10; // 429s before a fixed delay is judged
    double minFixedShare = 0.5; // requests at the fixed delay, per 429
    double spikeFactor = 8; // the delay's 100 ms bin against the average bin
    double minFixedDelayS = 0.5; // below this it is an immediate retry (IgnoredRetryAfter)
    std::int64_t minPolls = 30;
    double maxPollIntervalS = 5.0;
    double maxPollSpread = 0.15; // median absolute deviation / median interval
};

// A fixed retry delay: the 100 ms bin of delays after 429s (n bins, the last open-ended) that
// stands far above the others for a client with `rejections` 429s, or nullopt.
std::optional<std::size_t> fixedDelayBin(const std::uint32_t *bins, std::size_t n,
    std::int64_t rejections, const RetryAnalysisOptions &options);

// Findings in the order a summary lists them: by kind, then those that show the most first,
// then by client, target and first time (a total order: none depends on how events were read).
void sortFindings(std::vector<RetryFinding> &findings);

std::vector<RetryFinding> analyzeRetries(const EventStore &store,
    const EventSubset *subset = nullptr, const RetryAnalysisOptions &options = {});

// "/v1/predictions/8f3a2c9e41" -> "/v1/predictions/{id}": path segments that hold digits and
// are long, hex strings and UUIDs become {id}, so polling of many ids is one endpoint.
std::string endpointTemplate(std::string_view endpoint);
