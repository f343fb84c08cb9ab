#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The rate-limit header dialects of limits.md §3, as data: resources/rules/ratelimit-dialects.json
// (docs/rules.md, "The rate-limit dialect table"). Compiled once into an immutable lookup keyed
// by lower-cased header name; decode/ratelimitheaders.cpp reads headers through it.
class RateLimitDialects
{
public:
    enum class Axis : std::uint8_t { Requests, Tokens, InputTokens, OutputTokens, Images };

    // What a header is to the reader.
    enum class Role : std::uint8_t {
        None, // read only for remainingZero
        Limit,
        Remaining,
        Reset,
        WindowSource, // named by a window rule ("header")
        RetryAfter, // formats.md §3, not a dialect
        IetfLimit, // RateLimit-Limit
        IetfRemaining,
        IetfReset,
        IetfPolicy, // RateLimit-Policy (structured field)
        IetfCombined, // RateLimit (structured field, or the draft 05/06 dictionary)
    };

    struct Slot
    {
        std::string name; // lower case
        Role role = Role::Limit;
        std::int16_t dialect = -1; // Limit, Remaining, Reset: the request dialect it belongs to
        std::int16_t window = -1; // WindowSource: its index among window sources
        bool remainingZero = false; // x-ratelimit-remaining (formats.md §2 rule 2)
    };

    // One rule of a dialect's window list; the first that gives a window decides.
    struct WindowRule
    {
        enum class Kind : std::uint8_t {
            Fixed, // `seconds` (unknown when resetAtMostS and the reset is further away)
            Header, // the source header's value in seconds or a Go duration
            HeaderValues, // the source header's value looked up in `values` (any case)
            Host, // `seconds` when the request host is `host`
        };
        Kind kind = Kind::Fixed;
        std::int64_t seconds = 0;
        std::int64_t resetAtMostS = 0; // Fixed: 0 = no condition
        std::int16_t window = -1; // Header, HeaderValues: the window source index
        std::string host; // Host: lower case
        std::vector<std::pair<std::string, std::int64_t>> values; // lower-case keys
    };

    // A compiled dialect (an entry with {window} names gives one per window name).
    struct Dialect
    {
        std::string name;
        Axis axis = Axis::Requests;
        bool ietf = false;
        std::vector<WindowRule> window;
    };

    struct Sample
    {
        std::string dialect;
        std::string name;
        std::string host;
        std::int64_t timeMs = 0;
        std::vector<std::pair<std::string, std::string>> headers; // as written
        std::optional<std::int64_t> limit, windowS, remaining, resetMs;
    };

    // The compiled-in table, built on first use and never changed after (thread-safe).
    static const RateLimitDialects &builtIn();
    // A table from JSON text; on failure returns nullopt and sets *error (with the JSON path).
    static std::optional<RateLimitDialects> fromJson(const QByteArray &json, QString *error);

    // The slot of a header name (any case, surrounding blanks ignored); nullptr for the rest.
    const Slot *find(std::string_view name) const;

    const std::vector<Dialect> &dialects() const { return m_dialects; }
    const std::vector<Sample> &samples() const { return m_samples; }
    std::size_t windowSourceCount() const { return m_windowSources; }

private:
    std::vector<Dialect> m_dialects; // every dialect, in the file's order
    std::vector<Slot> m_slots;
    std::vector<std::int16_t> m_buckets; // open addressing over m_slots; -1 empty; size 2^k
    std::size_t m_windowSources = 0;
    std::vector<Sample> m_samples;
};

std::string_view dialectAxisName(RateLimitDialects::Axis axis);
