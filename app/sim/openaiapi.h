#pragma once

#include "sim/ndjsonlinewriter.h"
#include "sim/prng.h"

#include <cstdint>
#include <vector>

// The OpenAI chat completions API (POST https://api.openai.com/v1/chat/completions) as the
// traffic simulator answers it (sim/simulator.h): one organization's requests-per-minute and
// tokens-per-minute limits for one model, and the text of each answer. Which client asks
// when, and how it retries, is the simulator's.
//
// Each limit is a bucket that refills continuously at the limit per minute and holds at most
// one minute's worth, as OpenAI describes its limits ("reset" is the time until the bucket is
// full again: x-ratelimit-reset-tokens "1.2s", reset-requests "120ms" after one request of
// 500/min). A request is served when the requests bucket holds one request and the tokens
// bucket holds what it asks for (prompt + completion tokens); only served requests take from
// the buckets. So a calendar minute can serve up to twice the limit after a quiet spell: the
// summary's tokens axis then shows minutes over the limit before the first rejection.
//
// Shapes, from real recordings and public issue threads (nothing is copied, only the form):
// - 200 bodies: chat.completion with `usage` {prompt_tokens, completion_tokens, total_tokens,
//   prompt_tokens_details, completion_tokens_details}, `service_tier`, `system_fingerprint`
//   (tests/fixtures/llm/tidyverse__ellmer__openai_429_insufficient_quota.yml, its 200s);
// - headers: x-ratelimit-{limit,remaining,reset}-{requests,tokens}, openai-organization,
//   openai-processing-ms, x-request-id (the same file; DataDog__dd-trace-py__openai_429_rpm_
//   batch.yaml), reset values as Go durations ("115ms", "9.24s", "6m0s");
// - 429 bodies: {"error":{"message","type","param":null,"code":"rate_limit_exceeded"}} with
//   retry-after (s) and retry-after-ms headers (DataDog__dd-trace-py__openai_429_rpm_batch.yaml,
//   "type": "requests" there); the TPM text "Rate limit reached for gpt-4 in organization org-…
//   on tokens per min (TPM): Limit 10000, Used 8554, Requested 3082. Please try again in
//   9.816s. Visit https://platform.openai.com/account/rate-limits to learn more." (public
//   issue FoundationAgents/MetaGPT#523; "type": "tokens" in the SDK's print of it,
//   shared/samples issue_captures openai_429_python-repr_gpt-newspaper-10.txt).
class OpenAiApi
{
public:
    struct Call
    {
        std::uint32_t promptTokens;
        std::uint32_t completionTokens;
        std::uint8_t answer; // which canned assistant text
    };

    // Why a request was not served (limits.md §4: the three numbers of the message).
    struct Rejection
    {
        bool tokens = true; // false: the requests bucket was empty
        std::int64_t used = 0;
        std::int64_t requested = 0;
        std::int64_t waitMs = 0; // until the bucket holds what was asked
    };

    OpenAiApi(int limitRequests, int limitTokens);

    std::uint32_t create(const Call &call);
    const Call &call(std::uint32_t slot) const { return m_calls[slot]; }
    void release(std::uint32_t slot) { m_free.push_back(slot); }

    // True when a request at t is served (both buckets are debited); otherwise *rejection is
    // filled in. Times must not go backwards.
    bool admit(std::int64_t t, const Call &call, Rejection *rejection);

    // The record from the URL on: `","url":"…","request":{…},"status":`.
    void writeTarget(NdjsonLineWriter &w) const;
    // The rest of the record, from the status to the closing brace; each draws the duration.
    void writeRejected(NdjsonLineWriter &w, Xoshiro256 &rng, const Rejection &r) const;
    void writeCompleted(
        NdjsonLineWriter &w, Xoshiro256 &rng, const Call &call, std::int64_t t) const;

    static constexpr std::string_view model() { return "gpt-4o-mini"; }

private:
    struct Bucket
    {
        std::int64_t limit; // per minute
        std::int64_t level; // in 1/60000 units: a full bucket holds limit * 60000
        std::int64_t remaining() const { return level / 60000; }
        std::int64_t msUntil(std::int64_t amount) const; // until it holds amount
        std::int64_t msUntilFull() const { return msUntil(limit); }
    };

    void writeHeaders(NdjsonLineWriter &w, Xoshiro256 &rng) const;

    Bucket m_requests;
    Bucket m_tokens;
    std::int64_t m_lastMs = INT64_MIN;
    std::vector<Call> m_calls;
    std::vector<std::uint32_t> m_free;
};
