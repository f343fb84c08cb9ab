#include "aggregate/limiters.h"

#include "aggregate/buckets.h"

#include <algorithm>
#include <cmath>

std::int64_t FixedWindowLimiter::admitMany(std::int64_t t, std::int64_t n)
{
    const std::int64_t start = floorTo(t, m_window);
    if (start != m_windowStart) {
        m_windowStart = start;
        m_count = 0;
    }
    const std::int64_t admitted = std::clamp<std::int64_t>(m_limit - m_count, 0, n);
    m_count += admitted;
    if (admitted < n)
        m_retryAt = start + m_window;
    return admitted;
}

std::int64_t SlidingLogLimiter::admitMany(std::int64_t t, std::int64_t n)
{
    while (!m_log.empty() && m_log.front().first <= t - m_window) {
        m_logged -= m_log.front().second;
        m_log.pop_front();
    }
    const std::int64_t admitted = std::clamp<std::int64_t>(m_limit - m_logged, 0, n);
    if (admitted > 0) {
        if (!m_log.empty() && m_log.back().first == t)
            m_log.back().second += admitted;
        else
            m_log.emplace_back(t, admitted);
        m_logged += admitted;
    }
    // the oldest request in the window leaves it at front + W
    if (admitted < n)
        m_retryAt = m_log.front().first + m_window;
    return admitted;
}

std::int64_t TokenBucketLimiter::admitMany(std::int64_t t, std::int64_t n)
{
    if (m_last != INT64_MIN)
        m_units = std::min(m_capacity, m_units + (t - m_last) * m_rate);
    m_last = t;
    const std::int64_t admitted = std::min(n, m_units / m_cost);
    m_units -= admitted * m_cost;
    if (admitted < n)
        m_retryAt = t + (m_cost - m_units + m_rate - 1) / m_rate;
    return admitted;
}

std::int64_t GcraLimiter::admitMany(std::int64_t t, std::int64_t n)
{
    // one request passes when now >= tat + T - tau, and moves tat on by T: at one instant,
    // floor((now + tau - T - tat) / T) + 1 of them pass
    const std::int64_t now = t * m_rate;
    const std::int64_t tat = m_tat == INT64_MIN ? now : std::max(m_tat, now);
    const std::int64_t room = now + m_tolerance - m_interval - tat;
    const std::int64_t admitted = room < 0 ? 0 : std::min(n, room / m_interval + 1);
    if (admitted > 0)
        m_tat = tat + admitted * m_interval;
    if (admitted < n) {
        const std::int64_t allowAt = (admitted > 0 ? m_tat : tat) + m_interval - m_tolerance;
        m_retryAt = (allowAt + m_rate - 1) / m_rate; // allowAt > now >= 0 here for log times
    }
    return admitted;
}

Limiter LimiterSpec::make() const
{
    switch (kind) {
    case Kind::Fixed:
        return FixedWindowLimiter(limit, windowMs);
    case Kind::Sliding:
        return SlidingLogLimiter(limit, windowMs);
    case Kind::TokenBucket:
        return TokenBucketLimiter(limit, windowMs, burst);
    case Kind::Gcra:
        break;
    }
    return GcraLimiter(limit, windowMs, burst);
}

LimiterSpec LimiterSpec::withLimit(std::int64_t n) const
{
    LimiterSpec s = *this;
    if (limit > 0)
        s.burst = std::max<std::int64_t>(
            0, std::int64_t(std::llround(double(burst) * double(n) / double(limit))));
    s.limit = n;
    return s;
}

bool limiterAdmit(Limiter &limiter, std::int64_t t)
{
    return std::visit([t](auto &l) { return l.admit(t); }, limiter);
}

std::int64_t limiterAdmitMany(Limiter &limiter, std::int64_t t, std::int64_t n)
{
    return std::visit([t, n](auto &l) { return l.admitMany(t, n); }, limiter);
}

std::vector<std::uint32_t> refusedPerBatch(const LimiterSpec &spec,
    const std::vector<std::int64_t> &times, const std::vector<std::uint32_t> &counts)
{
    std::vector<std::uint32_t> out(times.size());
    Limiter limiter = spec.make();
    std::visit(
        [&](auto &l) {
            for (std::size_t i = 0; i < times.size(); ++i)
                out[i] = std::uint32_t(counts[i] - l.admitMany(times[i], counts[i]));
        },
        limiter);
    return out;
}

std::int64_t limiterRetryAt(const Limiter &limiter)
{
    return std::visit([](const auto &l) { return l.retryAtMs(); }, limiter);
}
