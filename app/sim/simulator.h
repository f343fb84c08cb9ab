#pragma once

#include "sim/simcatalog.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Deterministic traffic simulator: NDJSON response-log records (formats.md §1.1) of an agent
// fleet calling Scalekit tools (POST https://<env>.scalekit.dev/api/v1/execute_tool), the
// Skytells prediction API (POST /v1/predictions, GET /v1/predictions/<id> polling) and, when
// openaiRpm > 0, OpenAI chat completions (POST https://api.openai.com/v1/chat/completions).
// The providers, their tools and answers are data: resources/sim/catalog.json
// (sim/simcatalog.h).
//
// The model, minute by minute (UTC minutes, the start is truncated to a whole minute):
// - Fresh Scalekit demand = meanRpm x daily shape (hourly table, interpolated) x noise
//   (+-20 %), split over five agent clients, plus the extra calls of a batch job during
//   "platform bursts".
// - The platform limit is a fixed window per UTC minute: the first limitRpm execute_tool
//   requests of a minute are served, every later one gets 429 RATE_LIMITED with
//   Retry-After = seconds to the end of the minute. The demand of a minute is every
//   execute_tool request whose time falls in it (first attempts and retries alike), so
//   rateLimited(m) == max(0, toolCalls(m) - limitRpm) exactly.
// - Served calls succeed (200 with execution_id and data), except: during a provider incident
//   a share of that provider's calls get 429 TOOL_ERROR with the provider's own message; a
//   few calls fail with 502 TOOL_ERROR (tool failure, not a rate limit) or 500.
// - Skytells: a rolling-window account limit (skytellsLimit requests per skytellsWindowS,
//   only served requests count); over it, 429 {"error_id":"RATE_LIMIT_EXCEEDED"} with
//   Retry-After until the oldest served request leaves the window. 2xx responses carry
//   x-skytells-ratelimit-{limit,remaining}-requests and x-skytells-ratelimit-window.
// - OpenAI (openaiRpm > 0; sim/openaiapi.h): fresh chat completions = openaiRpm x daily
//   shape x noise (+-10 %) from "summarizer" (prompts 150..750 tokens, answers 20..180),
//   plus "rag-indexer" bursts of 25..35 large prompts a minute (3000..6000 tokens, answers
//   100..400) for 4..6 minutes, the first 30..45 minutes in, then every 35..55 minutes
//   after the last ended. The organization's limits (openaiLimitRequests per minute,
//   openaiLimitTokens per minute) are refilling buckets; over the tokens one, 429
//   rate_limit_exceeded "... on tokens per min (TPM): Limit L, Used U, Requested R. Please
//   try again in 720ms. ..." with retry-after and retry-after-ms. Every response carries
//   x-ratelimit-{limit,remaining,reset}-{requests,tokens}; 200s carry `usage`. The OpenAI
//   traffic has its own generators: with it, the Scalekit and Skytells records are the same
//   except their ids and execution ids (numbered in output order) and their place.
// - Incidents are scheduled from the seed, in the cycle platform burst, provider incident,
//   Skytells polling storm, provider incident; the first starts 20..35 minutes in.
//
// Records: "id" ("req_" + 12 hex, unique within a run), "timestamp" (RFC 3339, ms, Z),
// "method", "url", "status", "headers" (an object; Scalekit 2xx responses log none),
// "body", "duration_ms". Scalekit records add tool_name, provider and connection_name; a
// Scalekit client is told apart by its connections, connection_name = "<client>-<provider>"
// ("sales-hubspot"). Skytells and OpenAI records carry a top-level "client" instead; OpenAI
// records also carry "request": {"body": {"model": "gpt-4o-mini"}}.
//
// Clients and their retry behaviour, the ground truth for the retry-behaviour findings:
//   support       honours Retry-After (+0..1 s jitter; 2^n s backoff without one), 4 retries
//   sales         retries immediately (50..300 ms later), 2 retries
//   inbox         exponential backoff with full jitter, ignores Retry-After, 3 retries
//   cal           never retries
//   sync          fires in waves every 10 s (within 400 ms) and retries after exactly 5 s,
//                 no jitter (synchronized retries), 3 retries
//   image-studio  Skytells; polls its prediction every 1000 ms exactly and keeps that pace
//                 through 429s (polling hot spot)
//   thumbnailer   Skytells; polls every 3.0..3.4 s, honours Retry-After
//   summarizer    OpenAI; honours retry-after (whole seconds; +0..250 ms jitter), 3 retries
//   rag-indexer   OpenAI; exponential backoff with full jitter (1, 2, 4 s), ignores the
//                 headers, 3 retries
// A retry repeats the same tool on the same connection (Skytells: the same URL).
// Only integer arithmetic and an own PRNG: identical output on every platform.

struct SimulatorOptions
{
    std::uint64_t seed = 1;
    std::int64_t startMs = 1767603600000; // 2026-01-05T09:00:00Z
    std::int64_t minutes = 0; // stop after this many minutes; 0: no bound
    std::int64_t records = 0; // stop after this many records; 0: no bound
    int meanRpm = 360; // mean fresh Scalekit demand per minute
    int limitRpm = 600; // Scalekit platform limit per minute
    int skytellsLimit = 120; // Skytells requests per rolling window
    int skytellsWindowS = 60;
    int openaiRpm = 0; // mean fresh OpenAI chat completions per minute; 0: no OpenAI traffic
    int openaiLimitRequests = 500; // the organization's limits per minute
    int openaiLimitTokens = 200000;
    bool incidents = true; // scheduled bursts, provider incidents, polling storms
    std::string environment = "acme"; // https://<environment>.scalekit.dev
};

// What the model did in one UTC minute.
struct SimMinuteStats
{
    std::int64_t minuteMs = 0;
    int toolCalls = 0; // execute_tool requests in this minute (the platform's demand)
    int freshToolCalls = 0; // of those, first attempts
    int rateLimited = 0; // 429 RATE_LIMITED from the platform limit
    int toolError429 = 0; // 429 TOOL_ERROR (a provider limited the tool call)
    int skytellsRequests = 0;
    int skytellsRejected = 0; // 429 RATE_LIMIT_EXCEEDED
    int openaiRequests = 0;
    int openaiRejected = 0; // 429 rate_limit_exceeded
    std::int64_t openaiTokens = 0; // total_tokens of the served chat completions
    int records = 0;
    bool complete = true; // false: the record bound cut this minute short
};

struct SimRecord
{
    std::string_view line; // one JSON object, no newline; valid until the next call
    std::int64_t timeMs = 0;
};

class TrafficSimulator
{
public:
    // With the compiled-in catalog (kBuiltInSimCatalog); a broken one stops the program with
    // the loader's message (tst_simulator loads it).
    explicit TrafficSimulator(const SimulatorOptions &options);
    TrafficSimulator(const SimulatorOptions &options, SimCatalog catalog);
    // A catalog (sim/simcatalog.h) checked against this model's Scalekit clients.
    static std::optional<SimCatalog> loadCatalog(const QString &path, QString *error);
    ~TrafficSimulator();
    TrafficSimulator(const TrafficSimulator &) = delete;
    TrafficSimulator &operator=(const TrafficSimulator &) = delete;

    // The next record in time order; false when the minute or record bound is reached.
    bool next(SimRecord &record);
    // Called once per simulated minute when it is over (also for a last, partial minute).
    void setMinuteObserver(std::function<void(const SimMinuteStats &)> observer);

    std::uint64_t recordsEmitted() const;
    const SimulatorOptions &options() const;

    // Client names in the order of the table above.
    static std::vector<std::string> clientNames();

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};
