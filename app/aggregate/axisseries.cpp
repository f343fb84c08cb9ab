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

// The events of subset (or all) in time order: the subset itself when it is (a view's rows are).
std::vector<std::uint32_t> inTimeOrder(
    const EventStore &store, const EventSubset *subset, const EventSubset *&ordered)
{
    const auto byTime
        = [&store](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); };
    if (subset && std::is_sorted(subset->begin(), subset->end(), byTime)) {
        ordered = subset;
        return {};
    }
    std::vector<std::uint32_t> out;
    if (subset) {
        out = *subset;
    } else {
        out.resize(store.size());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = std::uint32_t(i);
    }
    if (!std::is_sorted(out.begin(), out.end(), byTime))
        std::stable_sort(out.begin(), out.end(), byTime);
    return out;
}

AxisSeries concurrencyPerBucket(
    const EventStore &store, const EventSubset *subset, std::int64_t bucketMs)
{
    AxisSeries out;
    const EventSubset *ordered = nullptr;
    const std::vector<std::uint32_t> sorted = inTimeOrder(store, subset, ordered);
    sweepInFlight(
        store, ordered ? *ordered : sorted, 0, bucketMs,
        [&](std::int64_t b, std::int64_t value) {
            if (!out.buckets.empty() && out.buckets.back().startMs == b)
                out.buckets.back().value = std::max(out.buckets.back().value, value);
            else
                out.buckets.push_back({ b, value });
        },
        [&](std::size_t, bool known) { ++(known ? out.known : out.unknown); });
    // buckets where only ends happened, at zero, are no peak: drop zeros
    out.buckets.erase(std::remove_if(out.buckets.begin(), out.buckets.end(),
                          [](const AxisBucket &a) { return a.value <= 0; }),
        out.buckets.end());
    return out;
}

} // namespace

AxisSeries axisPerBucket(
    const EventStore &store, LimitAxis axis, const EventSubset *subset, std::int64_t bucketMs)
{
    if (axis == LimitAxis::Concurrency)
        return concurrencyPerBucket(store, subset, bucketMs);
    AxisSeries out;
    std::map<std::int64_t, std::int64_t> sums; // few buckets per scope against events
    std::int64_t lastBucket = INT64_MIN;
    std::int64_t *last = nullptr;
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t v = axisValue(store, i, axis);
        if (v < 0) {
            ++out.unknown;
            return;
        }
        ++out.known;
        const std::int64_t b = floorTo(store.timeMs(i), bucketMs);
        if (b != lastBucket || !last) {
            last = &sums[b];
            lastBucket = b;
        }
        *last += v;
    });
    out.buckets.reserve(sums.size());
    for (const auto &[b, v] : sums)
        out.buckets.push_back({ b, v });
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
