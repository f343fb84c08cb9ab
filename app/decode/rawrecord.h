#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct HeaderField
{
    std::string_view name; // as written; compare case-insensitively
    std::string_view value;
};

// What a record's body (or its own top level) says about an error (formats.md §1.3).
struct ErrorInfo
{
    static constexpr int kMaxCodes = 8;
    // Candidate codes in the order they decide (the record's top-level error_code first).
    std::array<std::string_view, kMaxCodes> codes {};
    int codeCount = 0;
    std::string_view toolErrorCode; // details[].tool_error_info.tool_error_code
    std::string_view toolErrorMessage; // details[].tool_error_info.tool_error_message
    std::string_view message; // message / error.message
    // A gateway's envelope (OpenRouter and relays of its shape, limits.md §7): the upstream
    // provider it names (error.metadata.provider_name) and that provider's own words
    // (error.metadata.raw); hasMetadata: the error had a metadata object at all.
    std::string_view providerName;
    std::string_view raw;
    bool hasMetadata = false;
    int httpStatus = -1; // error.http_status, raw_status_code
    double bodyRetryAfterS = NAN; // Discord's body retry_after
    bool hasBodyRetryAfter = false;

    void addCode(std::string_view c)
    {
        if (!c.empty() && codeCount < kMaxCodes)
            codes[codeCount++] = c;
    }
    // formats.md §1.3: tool_error_info.tool_error_message when present, else message.
    std::string_view providerMessage() const
    {
        return toolErrorMessage.empty() ? message : toolErrorMessage;
    }
};

// The tokens a response body reports (limits.md §4); -1 where it says nothing.
struct TokenUsage
{
    std::int64_t input = -1; // prompt_tokens, input_tokens, promptTokenCount
    std::int64_t output = -1; // completion_tokens, output_tokens, candidatesTokenCount
    std::int64_t total = -1; // total_tokens, totalTokenCount
    std::int64_t cacheRead = -1; // Anthropic cache_read_input_tokens (counted in input)
    std::int64_t cacheCreation = -1; // Anthropic cache_creation_input_tokens (counted in input)

    bool any() const { return input >= 0 || output >= 0 || total >= 0; }
    // Later values win field by field: a stream's last usage, Anthropic's message_start input
    // with its last message_delta output.
    void update(const TokenUsage &later)
    {
        for (auto [dst, src] :
            { std::pair { &input, later.input }, { &output, later.output }, { &total, later.total },
                { &cacheRead, later.cacheRead }, { &cacheCreation, later.cacheCreation } }) {
            if (src >= 0)
                *dst = src;
        }
    }
};

// One request/response as a reader decoded it, before classification. Views point into
// the reader's buffers (or into scratch) and are valid until the reader's next record.
struct RawRecord
{
    std::optional<std::int64_t> timeMs; // UTC ms
    bool timeHadNoZone = false;
    std::string_view timeError; // why there is no usable time ("" when there is)
    int status = -1; // HTTP status; -1: none (tool call logs), 0: no response
    bool noResponse = false; // HAR status 0 / _error
    std::string_view method;
    std::string_view url;
    std::string_view tool;
    std::string_view provider;
    std::string_view connection;
    // The model the request asked for (its body's or the record's own `model`), and the one
    // the response body names: limits.md §1 scopes by the first, else the second.
    std::string_view model;
    std::string_view responseModel;
    std::string_view id; // top-level string id, for duplicate detection
    double durationMs = NAN;
    TokenUsage usage; // from the response body (or the record's own usage)
    std::vector<HeaderField> headers;
    ErrorInfo error;

    // Strings a decoder had to build (decoded base64, unescaped text); addresses stay put.
    std::deque<std::string> scratch;
    std::string_view keep(std::string s)
    {
        scratch.push_back(std::move(s));
        return scratch.back();
    }

    void clear()
    {
        timeMs.reset();
        timeHadNoZone = false;
        timeError = {};
        status = -1;
        noResponse = false;
        method = url = tool = provider = connection = model = responseModel = id = {};
        durationMs = NAN;
        usage = TokenUsage {};
        headers.clear();
        error = ErrorInfo {};
        if (!scratch.empty()) // nearly always: clear() of an empty deque still costs
            scratch.clear();
    }

    // First header with this name (ASCII case-insensitive), or an empty view.
    std::string_view header(std::string_view name) const;
};

bool equalsIgnoreCase(std::string_view a, std::string_view b);
