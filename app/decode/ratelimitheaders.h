#pragma once

#include "decode/rawrecord.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// Rate-limit headers (formats.md §3), read from a record's response headers.
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
    // RateLimit-Policy w=) or the provider documents it (OpenAI, Anthropic: 60).
    std::optional<std::int64_t> windowS;
    // When the window resets, UTC ms, if a header says (epoch seconds, seconds-until, date).
    std::optional<std::int64_t> resetMs;
    // formats.md §2 rule 2: x-ratelimit-remaining equal to 0 as a number ("0", "0.0").
    bool remainingZero = false;
};

RateLimitInfo readRateLimitHeaders(
    const std::vector<HeaderField> &headers, std::optional<std::int64_t> recordTimeMs);

// Retry-After value: delta-seconds (integer or fractional) or an HTTP-date (relative to
// nowMs). Returns nullopt for garbage, negative values, or a date without nowMs.
std::optional<double> parseRetryAfter(std::string_view value, std::optional<std::int64_t> nowMs);

// "6m0s", "1h2m3.5s", "20ms", "0.5s" (OpenAI reset durations) in seconds.
std::optional<double> parseGoDuration(std::string_view text);

// A decimal number with optional sign, fraction and exponent, surrounding spaces allowed.
std::optional<double> parseNumber(std::string_view text);
