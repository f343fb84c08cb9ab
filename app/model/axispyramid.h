#pragma once

#include "aggregate/buckets.h"
#include "base/limitspec.h"
#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

// One bucket of an axis other than requests: its value (tokens summed, or the peak of requests
// in flight), how many of its requests had a value (limits.md §4: the rest are not estimated),
// and the smallest limit on the axis its responses reported.
struct AxisCounts
{
    std::int64_t startMs = 0;
    std::int64_t value = 0;
    std::uint32_t known = 0; // requests starting in the bucket with a value on the axis
    std::uint32_t requests = 0; // requests starting in the bucket
    std::int32_t serverLimit = -1; // -1: none reported
};

// The values of one axis at every chart bucket size, as BucketPyramid holds the request counts:
// built once per view in a worker, so that switching the chart to the axis, zooming and panning
// read a slice of a level and never touch the events. Tokens are summed from level to level,
// requests in flight take the peak (the most at once in an hour is the most of its seconds).
class AxisPyramid
{
public:
    AxisPyramid() = default;
    // rows: the view's events, sorted by time. Returns an empty pyramid when cancelled() says
    // so or no event has a value on the axis.
    static AxisPyramid build(const EventStore &store, LimitAxis axis, const EventSubset &rows,
        const std::function<bool()> &cancelled = {});
    // This pyramid of `rows` (sorted by time), of which the ones at or after fromMs are new or
    // changed: only the seconds from there on are made again (a live view that grew), with the
    // requests still in flight then.
    AxisPyramid grown(const EventStore &store, const EventSubset &rows, std::int64_t fromMs) const;

    LimitAxis axis() const { return m_axis; }
    bool empty() const { return m_known == 0; } // no request has a value on the axis
    const std::vector<AxisCounts> &level(std::size_t k) const { return m_levels[k]; }
    // Requests with and without a value on the axis, over every bucket.
    std::int64_t requests() const { return m_requests; }
    std::int64_t known() const { return m_known; }
    std::int64_t unknown() const { return m_requests - m_known; }
    double unknownShare() const
    {
        return m_requests > 0 ? double(m_requests - m_known) / double(m_requests) : 0.0;
    }
    // Starts of the UTC minutes whose value is over limit (sorted).
    std::vector<std::int64_t> minutesOver(std::int64_t limit) const;

private:
    static std::vector<AxisCounts> seconds(
        const EventStore &store, LimitAxis axis, const EventSubset &rows, std::size_t from);
    void finish();

    LimitAxis m_axis = LimitAxis::Tokens;
    std::array<std::vector<AxisCounts>, 13> m_levels;
    std::int64_t m_known = 0;
    std::int64_t m_requests = 0;
    std::int64_t m_longestFlightMs = 0; // concurrency: to find the requests in flight at fromMs
};
