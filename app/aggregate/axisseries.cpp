#include "aggregate/axisseries.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

std::optional<std::int64_t> inFlightMs(const EventStore &store, std::size_t i)
{
    constexpr double kMaxInFlightMs = 24.0 * 3600 * 1000;
    const float d = store.durationMs(i);
    if (!(d >= 0) || double(d) > kMaxInFlightMs)
        return std::nullopt;
    return std::int64_t(std::llround(double(d)));
}

std::int64_t axisValue(const EventStore &store, std::size_t i, LimitAxis axis)
{
    switch (axis) {
    case LimitAxis::Requests:
        return 1;
    case LimitAxis::Tokens:
        return store.totalTokens(i);
    case LimitAxis::InputTokens:
        return store.inputTokens(i);
    case LimitAxis::OutputTokens:
        return store.outputTokens(i);
    case LimitAxis::Concurrency:
        break;
    }
    return -1;
}

namespace {

AxisSeries concurrencyPerMinute(const EventStore &store, const EventSubset *subset)
{
    AxisSeries out;
    // +1 at the start, -1 at the end; at equal times ends first (a request that ends when
    // another starts does not overlap it)
    std::vector<std::pair<std::int64_t, int>> edges;
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::optional<std::int64_t> d = inFlightMs(store, i);
        if (!d) {
            ++out.unknown;
            return;
        }
        ++out.known;
        const std::int64_t start = store.timeMs(i);
        edges.emplace_back(start, +1);
        edges.emplace_back(start + *d, -1);
    });
    std::sort(edges.begin(), edges.end());
    std::int64_t inFlight = 0;
    std::int64_t minute = 0;
    bool open = false;
    const auto note = [&](std::int64_t m, std::int64_t value) {
        if (!out.minutes.empty() && out.minutes.back().startMs == m)
            out.minutes.back().value = std::max(out.minutes.back().value, value);
        else
            out.minutes.push_back({ m, value });
    };
    for (const auto &[t, delta] : edges) {
        const std::int64_t m = floorTo(t, 60000);
        // the requests still in flight carry over into every minute up to this one
        if (open && inFlight > 0) {
            for (std::int64_t k = minute + 60000; k <= m; k += 60000)
                note(k, inFlight);
        }
        minute = m;
        open = true;
        inFlight += delta;
        note(m, inFlight);
    }
    // minutes where only ends happened, at zero, are no peak: drop zeros
    out.minutes.erase(std::remove_if(out.minutes.begin(), out.minutes.end(),
                          [](const AxisMinute &a) { return a.value <= 0; }),
        out.minutes.end());
    return out;
}

} // namespace

AxisSeries axisPerMinute(const EventStore &store, LimitAxis axis, const EventSubset *subset)
{
    if (axis == LimitAxis::Concurrency)
        return concurrencyPerMinute(store, subset);
    AxisSeries out;
    std::map<std::int64_t, std::int64_t> sums; // few minutes per scope against events
    std::int64_t lastMinute = INT64_MIN;
    std::int64_t *last = nullptr;
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t v = axisValue(store, i, axis);
        if (v < 0) {
            ++out.unknown;
            return;
        }
        ++out.known;
        const std::int64_t m = floorTo(store.timeMs(i), 60000);
        if (m != lastMinute || !last) {
            last = &sums[m];
            lastMinute = m;
        }
        *last += v;
    });
    out.minutes.reserve(sums.size());
    for (const auto &[m, v] : sums)
        out.minutes.push_back({ m, v });
    return out;
}

std::vector<std::int64_t> minutesOverRollingSum(const EventStore &store, LimitAxis axis,
    std::int64_t limit, std::int64_t windowMs, const EventSubset *subset)
{
    if (axis == LimitAxis::Requests)
        return minutesOverRollingLimit(store, limit, windowMs, subset);
    std::vector<std::pair<std::int64_t, std::int64_t>> points; // (time, value)
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t v = axisValue(store, i, axis);
        if (v > 0)
            points.emplace_back(store.timeMs(i), v);
    });
    std::sort(points.begin(), points.end());
    std::vector<std::int64_t> minutes;
    std::size_t lo = 0;
    std::int64_t sum = 0; // over (times[i] - W, times[hiEnd]]
    std::size_t next = 0; // first point not yet in sum
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::int64_t t = points[i].first;
        while (next < points.size() && points[next].first <= t)
            sum += points[next++].second; // equal times included
        while (points[lo].first <= t - windowMs)
            sum -= points[lo++].second;
        if (sum > limit) {
            const std::int64_t m = floorTo(t, 60000);
            if (minutes.empty() || minutes.back() != m)
                minutes.push_back(m);
        }
    }
    return minutes;
}
