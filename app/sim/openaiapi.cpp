#include "sim/openaiapi.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace {

constexpr std::int64_t kMinuteMs = 60000;

// Made-up values in the real shapes (the fixtures' organization and fingerprint are not ours).
constexpr std::string_view kOrganization = "org-demo";
constexpr std::string_view kResponseModel = "gpt-4o-mini-2024-07-18";
constexpr std::string_view kFingerprint = "fp_7d0b4e1c25";

// Assistant texts, short: the traffic is about the usage, not the words.
constexpr std::array<std::string_view, 4> kAnswers = {
    "The customer asks for a refund of the March invoice; the order shipped late.",
    "Three action items: send the revised quote, book the demo, update the CRM stage.",
    R"({\"entities\":[\"Acme Corp\",\"Q3 renewal\"],\"sentiment\":\"neutral\"})", // JSON answers,
                                                                                  // escaped
    R"({\"chunks\":12,\"keywords\":[\"rate limits\",\"retry\",\"backoff\"]})",
};

// A Go time.Duration as OpenAI writes it in x-ratelimit-reset-*: "0s", "120ms", "1.2s",
// "9.816s", "1m0s" (milliseconds are the finest unit OpenAI sends).
void goDuration(NdjsonLineWriter &w, std::int64_t ms)
{
    if (ms <= 0) {
        w.lit("0s");
        return;
    }
    if (ms < 1000) {
        w.uint(std::uint64_t(ms));
        w.lit("ms");
        return;
    }
    if (ms >= kMinuteMs) {
        w.uint(std::uint64_t(ms / kMinuteMs));
        w.ch('m');
        ms %= kMinuteMs;
    }
    w.uint(std::uint64_t(ms / 1000));
    int frac = int(ms % 1000);
    if (frac != 0) {
        w.ch('.');
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            --digits;
        }
        for (int d = digits - 1; d >= 0; --d) {
            int p = 1;
            for (int i = 0; i < d; ++i)
                p *= 10;
            w.ch(char('0' + frac / p % 10));
        }
    }
    w.ch('s');
}

void alnum(NdjsonLineWriter &w, Xoshiro256 &rng, int count)
{
    static constexpr char kChars[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < count; ++i)
        w.ch(kChars[rng.below(62)]);
}

} // namespace

std::int64_t OpenAiApi::Bucket::msUntil(std::int64_t amount) const
{
    const std::int64_t missing = amount * kMinuteMs - level;
    return missing <= 0 ? 0 : (missing + limit - 1) / limit;
}

OpenAiApi::OpenAiApi(int limitRequests, int limitTokens)
    : m_requests { limitRequests, std::int64_t(limitRequests) * kMinuteMs }
    , m_tokens { limitTokens, std::int64_t(limitTokens) * kMinuteMs }
{
}

std::uint32_t OpenAiApi::create(const Call &call)
{
    if (!m_free.empty()) {
        const std::uint32_t slot = m_free.back();
        m_free.pop_back();
        m_calls[slot] = call;
        return slot;
    }
    m_calls.push_back(call);
    return std::uint32_t(m_calls.size() - 1);
}

bool OpenAiApi::admit(std::int64_t t, const Call &call, Rejection *rejection)
{
    if (m_lastMs != INT64_MIN && t > m_lastMs) {
        for (Bucket *b : { &m_requests, &m_tokens })
            b->level = std::min(b->limit * kMinuteMs, b->level + (t - m_lastMs) * b->limit);
    }
    m_lastMs = std::max(m_lastMs, t);
    const std::int64_t asked = std::int64_t(call.promptTokens) + call.completionTokens;
    if (m_requests.remaining() < 1) {
        *rejection = { false, m_requests.limit - m_requests.remaining(), 1, m_requests.msUntil(1) };
        return false;
    }
    if (m_tokens.remaining() < asked) {
        *rejection
            = { true, m_tokens.limit - m_tokens.remaining(), asked, m_tokens.msUntil(asked) };
        return false;
    }
    m_requests.level -= kMinuteMs;
    m_tokens.level -= asked * kMinuteMs;
    return true;
}

void OpenAiApi::writeTarget(NdjsonLineWriter &w) const
{
    w.lit(R"(","url":"https://api.openai.com/v1/chat/completions","request":{"body":{"model":")");
    w.lit(model());
    w.lit(R"("}},"status":)");
}

void OpenAiApi::writeHeaders(NdjsonLineWriter &w, Xoshiro256 &rng) const
{
    w.lit(R"(,"x-ratelimit-limit-requests":")");
    w.uint(std::uint64_t(m_requests.limit));
    w.lit(R"(","x-ratelimit-limit-tokens":")");
    w.uint(std::uint64_t(m_tokens.limit));
    w.lit(R"(","x-ratelimit-remaining-requests":")");
    w.uint(std::uint64_t(m_requests.remaining()));
    w.lit(R"(","x-ratelimit-remaining-tokens":")");
    w.uint(std::uint64_t(m_tokens.remaining()));
    w.lit(R"(","x-ratelimit-reset-requests":")");
    goDuration(w, m_requests.msUntilFull());
    w.lit(R"(","x-ratelimit-reset-tokens":")");
    goDuration(w, m_tokens.msUntilFull());
    w.lit(R"(","x-request-id":"req_)");
    w.hex(rng.next(), 16);
    w.hex(rng.next(), 16);
    w.lit(R"("})");
}

void OpenAiApi::writeRejected(NdjsonLineWriter &w, Xoshiro256 &rng, const Rejection &r) const
{
    w.lit(R"(429,"headers":{"content-type":"application/json; charset=utf-8","retry-after":")");
    w.uint(std::uint64_t(std::max<std::int64_t>(1, (r.waitMs + 999) / 1000)));
    w.lit(R"(","retry-after-ms":")");
    w.uint(std::uint64_t(r.waitMs));
    w.ch('"');
    writeHeaders(w, rng);
    w.lit(R"(,"body":{"error":{"message":"Rate limit reached for )");
    w.lit(model());
    w.lit(" in organization ");
    w.lit(kOrganization);
    w.lit(r.tokens ? " on tokens per min (TPM): Limit " : " on requests per min (RPM): Limit ");
    w.uint(std::uint64_t(r.tokens ? m_tokens.limit : m_requests.limit));
    w.lit(", Used ");
    w.uint(std::uint64_t(r.used));
    w.lit(", Requested ");
    w.uint(std::uint64_t(r.requested));
    w.lit(". Please try again in ");
    goDuration(w, r.waitMs);
    w.lit(R"(. Visit https://platform.openai.com/account/rate-limits to learn more.",)");
    w.lit(r.tokens ? R"("type":"tokens",)" : R"("type":"requests",)");
    w.lit(R"("param":null,"code":"rate_limit_exceeded"}},"duration_ms":)");
    w.uint(8 + rng.below(40));
    w.ch('}');
}

void OpenAiApi::writeCompleted(
    NdjsonLineWriter &w, Xoshiro256 &rng, const Call &call, std::int64_t t) const
{
    // gpt-4o-mini writes roughly 80..120 tokens a second after a short first-token delay.
    const std::uint64_t duration
        = 180 + rng.below(400) + std::uint64_t(call.completionTokens) * (8 + rng.below(5));
    w.lit(R"(200,"headers":{"content-type":"application/json","openai-organization":")");
    w.lit(kOrganization);
    w.lit(R"(","openai-processing-ms":")");
    w.uint(duration - 20);
    w.ch('"');
    writeHeaders(w, rng);
    w.lit(R"(,"body":{"id":"chatcmpl-)");
    alnum(w, rng, 29);
    w.lit(R"(","object":"chat.completion","created":)");
    w.uint(std::uint64_t(t / 1000));
    w.lit(R"(,"model":")");
    w.lit(kResponseModel);
    w.lit(R"(","choices":[{"index":0,"message":{"role":"assistant","content":")");
    w.lit(kAnswers[call.answer % kAnswers.size()]);
    w.lit(R"(","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],)"
          R"("usage":{"prompt_tokens":)");
    w.uint(call.promptTokens);
    w.lit(R"(,"completion_tokens":)");
    w.uint(call.completionTokens);
    w.lit(R"(,"total_tokens":)");
    w.uint(std::uint64_t(call.promptTokens) + call.completionTokens);
    w.lit(R"(,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},)"
          R"("completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,)"
          R"("accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},)"
          R"("service_tier":"default","system_fingerprint":")");
    w.lit(kFingerprint);
    w.lit(R"("},"duration_ms":)");
    w.uint(duration);
    w.ch('}');
}
