#include "aggregate/limiters.h"

#include "aggregate/buckets.h"

#include <algorithm>
#include <cmath>

bool FixedWindowLimiter::admit(std::int64_t t)
{
    const std::int64_t start = floorTo(t, m_window);
    if (start != m_windowStart) {
        m_windowStart = start;
        m_count = 0;
    }
    if (m_count < m_limit) {
        ++m_count;
        return true;
    }
    m_retryAt = start + m_window;
    return false;
}

bool SlidingLogLimiter::admit(std::int64_t t)
{
    while (!m_log.empty() && m_log.front() <= t - m_window)
        m_log.pop_front();
    if (std::int64_t(m_log.size()) < m_limit) {
        m_log.push_back(t);
        return true;
    }
    // the oldest request in the window leaves it at front + W
    m_retryAt = m_log.front() + m_window;
    return false;
}

bool TokenBucketLimiter::admit(std::int64_t t)
{
    if (m_last != INT64_MIN)
        m_units = std::min(m_capacity, m_units + (t - m_last) * m_rate);
    m_last = t;
    if (m_units >= m_cost) {
        m_units -= m_cost;
        return true;
    }
    m_retryAt = t + (m_cost - m_units + m_rate - 1) / m_rate;
    return false;
}

bool GcraLimiter::admit(std::int64_t t)
{
    const std::int64_t now = t * m_rate;
    const std::int64_t tat = m_tat == INT64_MIN ? now : std::max(m_tat, now);
    const std::int64_t allowAt = tat + m_interval - m_tolerance;
    if (now < allowAt) {
        m_retryAt = (allowAt + m_rate - 1) / m_rate; // allowAt > now >= 0 here for log times
        return false;
    }
    m_tat = tat + m_interval;
    return true;
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

std::int64_t limiterRetryAt(const Limiter &limiter)
{
    return std::visit([](const auto &l) { return l.retryAtMs(); }, limiter);
}
