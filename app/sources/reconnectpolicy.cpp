#include "sources/reconnectpolicy.h"

#include <algorithm>

std::int64_t ReconnectPolicy::nextWaitMs(double random01, std::optional<std::int64_t> retryAfterMs)
{
    std::int64_t wait = m_delayMs;
    if (m_failures > 0) {
        // delay * 2^n, capped (and never overflowing)
        std::int64_t ceiling = m_delayMs;
        for (int i = 0; i < m_failures && ceiling < kCapMs; ++i)
            ceiling *= 2;
        ceiling = std::min(ceiling, kCapMs);
        const double r = std::clamp(random01, 0.0, 1.0);
        wait = std::min(ceiling, std::int64_t(r * double(ceiling)));
    }
    if (m_failures < 62)
        ++m_failures;
    if (retryAfterMs && *retryAfterMs > wait)
        wait = *retryAfterMs;
    return wait;
}
