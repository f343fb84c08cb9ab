#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Timestamps in every form formats.md §1.1 lists, as UTC milliseconds (truncated, never
// rounded up). All functions are pure, allocation-free on the parse path, and never throw.

struct ParsedTime
{
    std::int64_t ms = 0;
    bool hadZone = true; // false: no zone was given, read as UTC
};

// RFC 3339 / ISO 8601 ("2026-01-05T10:42:07.120Z", "+05:30" offsets, 0..9 fraction digits,
// ' ' instead of 'T', no zone = UTC), HTTP-dates (IMF-fixdate, RFC 850, asctime), and epoch
// numbers written as text ("1700000000", "1700000000.5", ms/us/ns by magnitude).
std::optional<ParsedTime> parseTimestamp(std::string_view text);

// Epoch number given as a JSON number. Unit by magnitude: |v| < 1e11 seconds, < 1e14 ms,
// < 1e17 us, else ns.
std::optional<std::int64_t> timestampFromEpoch(double v);
std::optional<std::int64_t> timestampFromEpoch(std::int64_t v);

// HTTP-date only (Retry-After, Date headers).
std::optional<std::int64_t> parseHttpDate(std::string_view text);

// "2026-01-05T10:42:07.120Z". Years outside 0000..9999 are written as a sign and at least six
// digits ("+010000-01-01T00:00:00.000Z", "-000001-12-31T23:59:59.999Z"), as ECMAScript's
// Date.prototype.toISOString does; parseTimestamp does not read them back.
std::string formatUtcMs(std::int64_t ms);
// "2026-01-05T10:42:00Z" (the minute containing ms)
std::string formatUtcMinute(std::int64_t ms);

// floor(ms / 60000) * 60000, correct for negative times.
constexpr std::int64_t floorToMinute(std::int64_t ms)
{
    const std::int64_t m = ms / 60000;
    return (m - ((ms % 60000) < 0 ? 1 : 0)) * 60000;
}
