#pragma once

#include "decode/rawrecord.h"

#include <cstdint>
#include <functional>
#include <string_view>

class RecordDecoder;

// ReqLLM JSON fixtures (Elixir; formats.md §1.5): one exchange per file,
// {request: {method, url, headers, body}, response: {status, headers, body}}. Header values
// are strings or arrays of strings; the body is JSON, text, or {"b64": …}. The time is
// `captured_at` (top level, or in request/response/meta) when present, else the response Date
// header. A pretty-printed document whose first key is "request".
bool looksLikeReqLlm(std::string_view text);

void readReqLlmFixture(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t line, std::uint64_t offset)> &onRecord,
    const std::function<void(std::uint64_t line, std::string_view reason)> &onError);
