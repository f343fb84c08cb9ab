#pragma once

#include "decode/rawrecord.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// Rate-limit headers (formats.md §3), read from a record's response headers.
// One token axis a response reported (limits.md §3).
struct AxisReading
{
    std::optional<std::int64_t> limit; // the smallest, when several dialects name the axis
    std::optional<std::int64_t> windowS;
    bool windowByReset = false; // as RateLimitInfo::windowByReset
    std::optional<std::int64_t> remaining;
};

struct RateLimitInfo
{
    // Retry-After in seconds (fractional allowed). An HTTP-date counts from the record's
    // own time. The largest of repeated headers. Negative values are ignored.
    std::optional<double> retryAfterS;
    bool hasRetryAfter = false; // a Retry-After header is present (even if unparsable)
    // The request limit the server reported (smallest if several request limits appear).
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> remaining;
    // Window of `limit` in seconds, only where a header names it (Skytells -window,
    // RateLimit-Policy w=, Azure's renewal period, GitHub's resource, Mistral's names) or the
    // provider documents it (OpenAI, Anthropic: 60; Groq requests: a day), by the dialect table.
    std::optional<std::int64_t> windowS;
    // windowS was judged by this record's reset (OpenAI: a minute while the reset is at most
    // 60 s, unknown after a longer one). limits.md §3 judges it across every record of the
    // scope: one long reset makes the window unknown for all (aggregate/reportedlimits).
    bool windowByReset = false;
    // When the window resets, UTC ms, if a header says: seconds-until, a Go duration, epoch
    // seconds or ms, RFC 3339 or HTTP-date (ratelimitheaders.cpp says how they are told apart).
    std::optional<std::int64_t> resetMs;
    // formats.md §2 rule 2: x-ratelimit-remaining equal to 0 as a number ("0", "0.0").
    bool remainingZero = false;
    // The token limits: tokens, input_tokens, output_tokens (OpenAI and Groq -tokens, Anthropic
    // tokens / input / output, Mistral tokens-{window}). `limit`, `windowS`, `remaining` and
    // `resetMs` above are the requests axis only.
    std::array<AxisReading, 3> tokenAxes;
};

class RateLimitDialects;

// `url` is the request URL (or an endpoint), read only when a window rule names a host
// (Groq); an empty one matches no host. The first form reads with the compiled-in dialect
// table (RateLimitDialects::builtIn()), the second with the one given.
RateLimitInfo readRateLimitHeaders(const std::vector<HeaderField> &headers,
    std::optional<std::int64_t> recordTimeMs, std::string_view url = {});
RateLimitInfo readRateLimitHeaders(const std::vector<HeaderField> &headers,
    std::optional<std::int64_t> recordTimeMs, std::string_view url,
    const RateLimitDialects &dialects);

// Retry-After value: delta-seconds (integer or fractional) or an HTTP-date (relative to
// nowMs). Returns nullopt for garbage, negative values, or a date without nowMs.
std::optional<double> parseRetryAfter(std::string_view value, std::optional<std::int64_t> nowMs);

// "6m0s", "1h2m3.5s", "20ms", "0.5s" (OpenAI reset durations) in seconds.
std::optional<double> parseGoDuration(std::string_view text);

// A decimal number with optional sign, fraction and exponent, surrounding spaces allowed.
std::optional<double> parseNumber(std::string_view text);
