#pragma once

#include "base/limitspec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// What a rejection's own words say about the limit that rejected it (limits.md §4 last bullet,
// §5 item 1). Read from the message of a 429 (error.message), or from a whole body's text: the
// forms are looked for anywhere in it.
struct LimitWords
{
    // The axis of limits.md §2 the words name. Empty when no form matched, and also for a form
    // that names something no axis counts (OpenAI "images per min": `rule` still says it).
    std::optional<LimitAxis> axis;
    // 60 per minute, 86400 per day, 3600 per hour; 0 for concurrency (no window, as
    // LimitEntry); nullopt when the words do not say.
    std::optional<std::int64_t> windowS;
    // The numbers the words give: OpenAI "Limit 30000, Used 28500, Requested 2400"; LiteLLM's
    // current/limit pair of the axis that reached its limit (used = current); Anthropic and
    // Gemini give the limit only.
    std::optional<std::int64_t> limit, used, requested;
    // Short id of the form that matched ("openai-tpm", "anthropic-itpm", "litellm-crossed",
    // "gemini-quota-id", ...); "" when nothing matched (then every field above is empty).
    std::string rule;

    bool matched() const { return !rule.empty(); }
};

// Pure and thread-safe; never guesses: a text in none of the known forms gives an empty
// LimitWords. The forms and the decisions the spec leaves open are listed in limitwords.cpp.
LimitWords readLimitWords(std::string_view message);
