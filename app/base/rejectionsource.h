#pragma once

#include <cstdint>
#include <string_view>

// Who rejected a request (formats.md §2). None means "not a rejection".
enum class RejectionSource : std::uint8_t {
    None = 0,
    RateLimited = 1,
    ToolError = 2,
    Unclassified = 3
};

constexpr int kRejectionSourceCount = 3; // RateLimited, ToolError, Unclassified

// Index 0..2 for the three rejection sources, in the contract's tie-break order.
constexpr int sourceIndex(RejectionSource s) { return int(s) - 1; }
constexpr RejectionSource sourceFromIndex(int i) { return RejectionSource(i + 1); }

constexpr std::string_view sourceName(RejectionSource s)
{
    switch (s) {
    case RejectionSource::RateLimited:
        return "RATE_LIMITED";
    case RejectionSource::ToolError:
        return "TOOL_ERROR";
    case RejectionSource::Unclassified:
        return "UNCLASSIFIED";
    case RejectionSource::None:
        break;
    }
    return "NONE";
}

// Per-event flags.
enum EventFlag : std::uint8_t {
    FlagQuota = 1 << 0, // insufficient_quota: a rejection that billing fixes, not backoff
    FlagNoResponse = 1 << 1, // status 0 / failed request (HAR _error)
    FlagTimeNoZone = 1 << 2, // the timestamp had no zone; read as UTC
    FlagWindowByReset = 1 << 3, // the reported limit's window was judged by its reset alone
    // The response reported a remaining count of 0 (limits.md §5 step 2) on the axis: bit
    // kFlagRemainingZeroShift + k for axis k of requests, tokens, input_tokens, output_tokens
    // (LimitAxis's order). The store keeps them in the flags' spare bits: no byte more per event.
    FlagRemainingZeroRequests = 1 << 4,
    FlagRemainingZeroTokens = 1 << 5,
    FlagRemainingZeroInputTokens = 1 << 6,
    FlagRemainingZeroOutputTokens = 1 << 7,
};
constexpr int kFlagRemainingZeroShift = 4;

// What a response says beside (or instead of) a rejection (limits.md §7): the account ran out
// of quota or credit, the service is overloaded, or a rate limit hides behind another status.
// Only QUOTA can come with a rejection; the other two never count in `rejected`.
enum class ThrottleCategory : std::uint8_t {
    None = 0,
    Quota = 1,
    Overloaded = 2,
    HiddenThrottle = 3
};

constexpr int kThrottleCategoryCount = 3; // Quota, Overloaded, HiddenThrottle

constexpr int categoryIndex(ThrottleCategory c) { return int(c) - 1; }
constexpr ThrottleCategory categoryFromIndex(int i) { return ThrottleCategory(i + 1); }

constexpr std::string_view categoryName(ThrottleCategory c)
{
    switch (c) {
    case ThrottleCategory::Quota:
        return "QUOTA";
    case ThrottleCategory::Overloaded:
        return "OVERLOADED";
    case ThrottleCategory::HiddenThrottle:
        return "HIDDEN_THROTTLE";
    case ThrottleCategory::None:
        break;
    }
    return "NONE";
}
