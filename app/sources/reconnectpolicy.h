#pragma once

#include <cstdint>
#include <optional>

// When to reconnect a stream URL (formats.md §4): first after the reconnection delay
// (default 3 s, an SSE retry: field changes it), then with exponential backoff and full
// jitter, uniform(0, min(cap, delay * 2^n)) for the n-th further attempt, back to the delay
// once an event (a record) has arrived. A server's Retry-After is a floor: the wait is never
// shorter. Pure: the caller passes the random number, so tests choose it.
class ReconnectPolicy
{
public:
    static constexpr std::int64_t kDefaultDelayMs = 3000;
    static constexpr std::int64_t kCapMs = 60000;

    void setDelayMs(std::int64_t ms) { m_delayMs = ms < 0 ? 0 : ms; }
    std::int64_t delayMs() const { return m_delayMs; }
    // Attempts since the last event (0: the next wait is the plain delay).
    int failures() const { return m_failures; }

    // An event arrived: the next reconnect waits the plain delay again.
    void eventArrived() { m_failures = 0; }
    // The wait before the next attempt; random01 in [0, 1). Counts one attempt.
    std::int64_t nextWaitMs(
        double random01, std::optional<std::int64_t> retryAfterMs = std::nullopt);

private:
    std::int64_t m_delayMs = kDefaultDelayMs;
    int m_failures = 0;
};
