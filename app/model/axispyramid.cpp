#include "model/axispyramid.h"

#include "aggregate/axisseries.h"
#include "model/bucketpyramid.h"

#include <algorithm>

namespace {

constexpr std::int64_t kSecond = 1000;

std::int32_t reportedLimit(const EventStore &store, std::size_t i, LimitAxis axis)
{
    switch (axis) {
    case LimitAxis::Tokens:
        return store.reportedTokens(i).limit[0];
    case LimitAxis::InputTokens:
        return store.reportedTokens(i).limit[1];
    case LimitAxis::OutputTokens:
        return store.reportedTokens(i).limit[2];
    case LimitAxis::Requests:
    case LimitAxis::Concurrency: // no API reports a concurrency limit in its headers
        break;
    }
    return -1;
}

// First row at or after t (rows sorted by time).
std::size_t firstAt(const EventStore &store, const EventSubset &rows, std::int64_t t)
{
    return std::size_t(
        std::lower_bound(rows.begin(), rows.end(), t,
            [&store](std::uint32_t i, std::int64_t v) { return store.timeMs(i) < v; })
        - rows.begin());
}

void noteLimit(AxisCounts &b, std::int32_t limit)
{
    if (limit >= 0 && (b.serverLimit < 0 || limit < b.serverLimit))
        b.serverLimit = limit;
}

} // namespace

std::vector<AxisCounts> AxisPyramid::seconds(
    const EventStore &store, LimitAxis axis, const EventSubset &rows, std::size_t from)
{
    std::vector<AxisCounts> out;
    const auto at = [&out](std::int64_t b) -> AxisCounts & {
        if (out.empty() || out.back().startMs != b)
            out.push_back({ b, 0, 0, 0, -1 });
        return out.back();
    };
    if (axis == LimitAxis::Concurrency) {
        // one sweep gives the peaks in flight and the requests starting in each second
        sweepInFlight(
            store, rows, from, kSecond,
            [&](std::int64_t b, std::int64_t inFlight) {
                AxisCounts &c = at(b);
                c.value = std::max(c.value, inFlight);
            },
            [&](std::size_t i, bool known) {
                AxisCounts &c = at(floorTo(store.timeMs(i), kSecond));
                ++c.requests;
                c.known += known;
            });
        return out;
    }
    for (std::size_t r = from; r < rows.size(); ++r) {
        const std::uint32_t i = rows[r];
        AxisCounts &c = at(floorTo(store.timeMs(i), kSecond));
        ++c.requests;
        const std::int64_t v = axisValue(store, i, axis);
        if (v >= 0) {
            ++c.known;
            c.value += v;
        }
        noteLimit(c, reportedLimit(store, i, axis));
    }
    return out;
}

AxisPyramid AxisPyramid::build(const EventStore &store, LimitAxis axis, const EventSubset &rows,
    const std::function<bool()> &cancelled)
{
    AxisPyramid p;
    p.m_axis = axis;
    if (axis == LimitAxis::Requests)
        return p; // BucketPyramid counts the requests
    if (axis == LimitAxis::Concurrency) {
        for (std::uint32_t i : rows) {
            if (const auto d = inFlightMs(store, i))
                p.m_longestFlightMs = std::max(p.m_longestFlightMs, *d);
        }
    }
    p.m_levels[0] = seconds(store, axis, rows, 0);
    if (cancelled && cancelled())
        return AxisPyramid();
    p.finish();
    return p;
}

AxisPyramid AxisPyramid::grown(
    const EventStore &store, const EventSubset &rows, std::int64_t fromMs) const
{
    AxisPyramid p;
    p.m_axis = m_axis;
    p.m_longestFlightMs = m_longestFlightMs;
    const std::int64_t from = floorTo(fromMs, kSecond);
    const std::size_t firstNew = firstAt(store, rows, from);
    if (m_axis == LimitAxis::Concurrency) {
        for (std::size_t r = firstNew; r < rows.size(); ++r) {
            if (const auto d = inFlightMs(store, rows[r]))
                p.m_longestFlightMs = std::max(p.m_longestFlightMs, *d);
        }
    }
    // the seconds before `from` stay; from there on they are made again
    const std::vector<AxisCounts> &old = m_levels[0];
    const auto keep = std::lower_bound(old.begin(), old.end(), from,
        [](const AxisCounts &b, std::int64_t t) { return b.startMs < t; });
    std::vector<AxisCounts> &level = p.m_levels[0];
    level.assign(old.begin(), keep);
    std::vector<AxisCounts> tail;
    if (m_axis == LimitAxis::Concurrency) {
        // also the requests that started up to the longest flight before and may still fly
        const std::size_t flying = firstAt(store, rows, from - p.m_longestFlightMs);
        tail = seconds(store, m_axis, rows, flying);
        // their own seconds before `from` were counted already
        tail.erase(tail.begin(),
            std::lower_bound(tail.begin(), tail.end(), from,
                [](const AxisCounts &b, std::int64_t t) { return b.startMs < t; }));
    } else {
        tail = seconds(store, m_axis, rows, firstNew);
    }
    level.insert(level.end(), tail.begin(), tail.end());
    p.finish();
    return p;
}

void AxisPyramid::finish()
{
    const bool peak = m_axis == LimitAxis::Concurrency;
    for (std::size_t k = 1; k < m_levels.size(); ++k) {
        const std::int64_t size = BucketPyramid::kSizes[k];
        std::size_t from = 0;
        for (std::size_t j = k; j-- > 0;) {
            if (size % BucketPyramid::kSizes[j] == 0) {
                from = j;
                break;
            }
        }
        std::vector<AxisCounts> &out = m_levels[k];
        out.clear();
        out.reserve(m_levels[from].size() / 2 + 1);
        for (const AxisCounts &b : m_levels[from]) {
            const std::int64_t start = floorTo(b.startMs, size);
            if (out.empty() || out.back().startMs != start)
                out.push_back({ start, 0, 0, 0, -1 });
            AxisCounts &c = out.back();
            c.value = peak ? std::max(c.value, b.value) : c.value + b.value;
            c.known += b.known;
            c.requests += b.requests;
            noteLimit(c, b.serverLimit);
        }
    }
    m_known = m_requests = 0;
    for (const AxisCounts &b : m_levels[0]) {
        m_known += b.known;
        m_requests += b.requests;
    }
}

std::vector<std::int64_t> AxisPyramid::minutesOver(std::int64_t limit) const
{
    std::vector<std::int64_t> out;
    if (limit <= 0)
        return out;
    for (const AxisCounts &b : m_levels[BucketPyramid::kMinuteLevel]) {
        if (b.value > limit)
            out.push_back(b.startMs);
    }
    return out;
}
