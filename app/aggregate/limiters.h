#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// The rate-limit algorithms `whatif` replays a log against (issue 20), each as its reference
// describes it (the citation is at each class). Times are in ms; every admit() call comes in
// time order. admit() says whether the request at t is let through; when it is not,
// retryAtMs() says when the same request would be let through (the limiter's reset, for a
// client that honours Retry-After).

// Fixed window: windows aligned to the epoch (per UTC minute for W = 60 s), at most N requests
// in each; the count starts again at the next window. Redis documentation, INCR, "Pattern:
// Rate limiter 1" (a counter per window key that expires with its window).
class FixedWindowLimiter
{
public:
    FixedWindowLimiter(std::int64_t limit, std::int64_t windowMs)
        : m_limit(limit)
        , m_window(windowMs)
    {
    }
    bool admit(std::int64_t t) { return admitMany(t, 1) == 1; }
    // n requests at the same t: how many pass, as n admit(t) calls would say.
    std::int64_t admitMany(std::int64_t t, std::int64_t n);
    std::int64_t retryAtMs() const { return m_retryAt; }

private:
    std::int64_t m_limit, m_window;
    std::int64_t m_windowStart = INT64_MIN;
    std::int64_t m_count = 0;
    std::int64_t m_retryAt = 0;
};

// Sliding log: the times of the requests let through in the last W are kept; a request is let
// through when fewer than N are in (t - W, t]. Figma Engineering, "An alternative approach to
// rate limiting" (2017), the sliding window log.
class SlidingLogLimiter
{
public:
    SlidingLogLimiter(std::int64_t limit, std::int64_t windowMs)
        : m_limit(limit)
        , m_window(windowMs)
    {
    }
    bool admit(std::int64_t t) { return admitMany(t, 1) == 1; }
    std::int64_t admitMany(std::int64_t t, std::int64_t n);
    std::int64_t retryAtMs() const { return m_retryAt; }

private:
    std::int64_t m_limit, m_window;
    // the log as runs of equal times (time, requests): a batch is one entry
    std::deque<std::pair<std::int64_t, std::int64_t>> m_log;
    std::int64_t m_logged = 0; // requests in m_log
    std::int64_t m_retryAt = 0;
};

// Token bucket: the bucket holds at most `burst` tokens and gains `rate` tokens per W; a
// request takes one token and is refused when less than one is left. Envoy, HTTP local rate
// limit filter, `token_bucket` (max_tokens, tokens_per_fill, fill_interval), filled
// continuously here rather than in whole fills.
class TokenBucketLimiter
{
public:
    TokenBucketLimiter(std::int64_t rate, std::int64_t windowMs, std::int64_t burst)
        : m_rate(rate)
        , m_cost(windowMs)
        , m_capacity(burst * windowMs)
        , m_units(burst * windowMs)
    {
    }
    bool admit(std::int64_t t) { return admitMany(t, 1) == 1; }
    std::int64_t admitMany(std::int64_t t, std::int64_t n);
    std::int64_t retryAtMs() const { return m_retryAt; }

private:
    // exact: a token is W units and the bucket gains `rate` units per ms
    std::int64_t m_rate, m_cost, m_capacity, m_units;
    std::int64_t m_last = INT64_MIN;
    std::int64_t m_retryAt = 0;
};

// GCRA, the generic cell rate algorithm (ITU-T I.371's virtual scheduling form) as redis-cell
// implements it (brandur/redis-cell, src/throttle/mod.rs): emission interval T = W / rate,
// delay variation tolerance tau = T * (burst + 1); a request at t is let through unless
// t < max(TAT, t) + T - tau, and then TAT = max(TAT, t) + T. At most burst + 1 requests pass at
// once, then one every T.
class GcraLimiter
{
public:
    GcraLimiter(std::int64_t rate, std::int64_t windowMs, std::int64_t burst)
        : m_rate(rate)
        , m_interval(windowMs)
        , m_tolerance(windowMs * (burst + 1))
    {
    }
    bool admit(std::int64_t t) { return admitMany(t, 1) == 1; }
    std::int64_t admitMany(std::int64_t t, std::int64_t n);
    std::int64_t retryAtMs() const { return m_retryAt; }

private:
    // exact: times in units of 1/rate ms, so that T = W / rate is W units
    std::int64_t m_rate, m_interval, m_tolerance;
    std::int64_t m_tat = INT64_MIN; // theoretical arrival time, in units
    std::int64_t m_retryAt = 0;
};

// One of them, chosen by `--algorithm`.
using Limiter
    = std::variant<FixedWindowLimiter, SlidingLogLimiter, TokenBucketLimiter, GcraLimiter>;

// "fixed", "sliding", "token-bucket:RATE/W,BURST", "gcra:RATE/W,BURST" with the limit N/W of
// --limit for the first two. An empty *error on success.
struct LimiterSpec
{
    enum class Kind { Fixed, Sliding, TokenBucket, Gcra } kind = Kind::Fixed;
    std::int64_t limit = 0; // N (fixed, sliding) or RATE (token bucket, GCRA)
    std::int64_t windowMs = 60000;
    std::int64_t burst = 0;

    Limiter make() const;
    // The same algorithm with another N (the bisection for the smallest limit without
    // rejections moves N; the burst keeps its ratio to the rate).
    LimiterSpec withLimit(std::int64_t n) const;
};
bool limiterAdmit(Limiter &limiter, std::int64_t t);
std::int64_t limiterAdmitMany(Limiter &limiter, std::int64_t t, std::int64_t n);

// The What-if panel's replay (issue 20): requests counted per second, the counts[i] requests of
// a second taken as arriving together at times[i] (sorted, distinct). Returns how many of each
// batch the limiter refuses: exactly what counts[i] admit(times[i]) calls would refuse, in
// O(batches), whatever the counts.
std::vector<std::uint32_t> refusedPerBatch(const LimiterSpec &spec,
    const std::vector<std::int64_t> &times, const std::vector<std::uint32_t> &counts);
std::int64_t limiterRetryAt(const Limiter &limiter);
