#include "sim/skytellsapi.h"

#include <algorithm>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 3> kModels
    = { "truefusion-pro", "truefusion", "truefusion-edge" };

void uuid(NdjsonLineWriter &w, const SkytellsApi::Prediction &p)
{
    w.lit(std::string_view(p.uuid.data(), p.uuid.size()));
}

} // namespace

SkytellsApi::SkytellsApi(int limit, int windowS)
    : m_limit(limit)
    , m_windowS(windowS)
{
}

std::uint32_t SkytellsApi::create(Xoshiro256 &rng, int model, std::int64_t completeMs)
{
    Prediction pr;
    static constexpr char kHex[] = "0123456789abcdef";
    const std::uint64_t a = rng.next();
    const std::uint64_t b = rng.next();
    int bit = 0;
    for (int i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            pr.uuid[std::size_t(i)] = '-';
            continue;
        }
        const std::uint64_t src = bit < 64 ? a : b;
        int nibble = int((src >> (bit % 64)) & 0xf);
        bit += 4;
        if (i == 14)
            nibble = 4; // version 4
        else if (i == 19)
            nibble = 8 | (nibble & 3); // variant 10xx
        pr.uuid[std::size_t(i)] = kHex[nibble];
    }
    pr.completeMs = completeMs;
    pr.model = std::uint8_t(model);
    if (!m_free.empty()) {
        const std::uint32_t slot = m_free.back();
        m_free.pop_back();
        m_predictions[slot] = pr;
        return slot;
    }
    m_predictions.push_back(pr);
    return std::uint32_t(m_predictions.size() - 1);
}

bool SkytellsApi::admit(std::int64_t t, int *retryAfterS)
{
    const std::int64_t windowMs = std::int64_t(m_windowS) * 1000;
    while (!m_served.empty() && m_served.front() <= t - windowMs)
        m_served.pop_front();
    if (int(m_served.size()) < m_limit) {
        m_served.push_back(t);
        return true;
    }
    const std::int64_t wait = m_served.front() + windowMs - t; // > 0
    *retryAfterS = int(std::max<std::int64_t>(1, (wait + 999) / 1000));
    return false;
}

void SkytellsApi::writeTarget(NdjsonLineWriter &w, const Prediction *poll) const
{
    w.lit(R"(","url":"https://api.skytells.ai/v1/predictions)");
    if (poll) {
        w.ch('/');
        uuid(w, *poll);
    }
    w.lit(R"(","status":)");
}

void SkytellsApi::writeRejected(NdjsonLineWriter &w, Xoshiro256 &rng, int retryAfterS) const
{
    // Retry-After only on 429; the limit headers only on 2xx (Skytells' documentation).
    w.lit(R"(429,"headers":{"Content-Type":"application/json","Retry-After":")");
    w.uint(std::uint64_t(retryAfterS));
    w.lit(R"("},"body":{"error_id":"RATE_LIMIT_EXCEEDED",)"
          R"("message":"Too many requests. Please wait before retrying."},"duration_ms":)");
    w.uint(2 + rng.below(10));
    w.ch('}');
}

void SkytellsApi::writeLimitHeaders(NdjsonLineWriter &w) const
{
    w.lit(R"(,"headers":{"x-skytells-ratelimit-limit-requests":")");
    w.uint(std::uint64_t(m_limit));
    w.lit(R"(","x-skytells-ratelimit-remaining-requests":")");
    w.uint(std::uint64_t(m_limit - int(m_served.size())));
    w.lit(R"(","x-skytells-ratelimit-window":")");
    w.uint(std::uint64_t(m_windowS));
    w.lit(R"("})");
}

void SkytellsApi::writeCreated(NdjsonLineWriter &w, Xoshiro256 &rng, const Prediction &p) const
{
    w.lit("201");
    writeLimitHeaders(w);
    w.lit(R"(,"body":{"id":")");
    uuid(w, p);
    w.lit(R"(","status":"starting","model":")");
    w.lit(kModels[p.model]);
    w.lit(R"("},"duration_ms":)");
    w.uint(150 + rng.below(350));
    w.ch('}');
}

void SkytellsApi::writeSucceeded(NdjsonLineWriter &w, Xoshiro256 &rng, const Prediction &p) const
{
    w.lit("200");
    writeLimitHeaders(w);
    w.lit(R"(,"body":{"id":")");
    uuid(w, p);
    w.lit(R"(","status":"succeeded","model":")");
    w.lit(kModels[p.model]);
    w.lit(R"(","output":["https://cdn.skytells.ai/outputs/)");
    uuid(w, p);
    w.lit(R"(/output.png"]},"duration_ms":)");
    w.uint(35 + rng.below(120));
    w.ch('}');
}

void SkytellsApi::writeProcessing(NdjsonLineWriter &w, Xoshiro256 &rng) const
{
    w.lit("200");
    writeLimitHeaders(w);
    w.lit(R"(,"body":{"status":"processing"},"duration_ms":)");
    w.uint(35 + rng.below(120));
    w.ch('}');
}
