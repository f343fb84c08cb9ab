#pragma once

#include "model/axispyramid.h"
#include "model/bucketpyramid.h"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

// One drawn step of the chart: a bucket, or (decimated) one pixel column of several buckets.
struct FrameSlot
{
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::uint32_t requestsMin = 0; // equal to requestsMax unless decimated
    std::uint32_t requestsMax = 0;
    // The value on the chart's axis (requests: the request counts; tokens; requests in flight).
    std::int64_t valueMin = 0; // equal to valueMax unless decimated
    std::int64_t valueMax = 0;
    // Of the slot's requests (decimated: of all its buckets), those with a value on the axis.
    std::uint32_t known = 0;
    std::uint32_t counted = 0;
    // Rejections by source; decimated: those of the bucket with the highest stack (stackedTotal).
    std::array<std::uint32_t, kRejectionSourceCount> rejected {};
    // Events by category (limits.md §7), of the same bucket as `rejected` when decimated.
    std::array<std::uint32_t, kThrottleCategoryCount> throttled {};
    std::int64_t serverLimit = -1; // smallest limit on the axis reported in the slot, -1: none
    bool overLimit = false; // overlaps a minute over the configured limit

    std::uint32_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
    // What the chart stacks: the rejections, then the overloaded and hidden-throttle answers
    // (never rejections) on top of them.
    std::uint32_t stackedTotal() const
    {
        return rejectedTotal() + throttled[std::size_t(categoryIndex(ThrottleCategory::Overloaded))]
            + throttled[std::size_t(categoryIndex(ThrottleCategory::HiddenThrottle))];
    }
};

// What the chart draws for one visible range: at most about two points per pixel column.
struct SeriesFrame
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::int64_t bucketMs = 0;
    bool decimated = false; // slots are pixel columns, not buckets (more buckets than columns)
    std::vector<FrameSlot> slots;
    std::uint32_t maxRequests = 0;
    std::int64_t maxValue = 0;
    std::uint32_t maxRejected = 0; // of stackedTotal()
    std::int64_t maxServerLimit = -1;
};

struct FrameRequest
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::int64_t bucketMs = 0; // 0: follow the zoom (autoBucketMs)
    int columns = 1000; // plot width in pixels
    int minPixelsPerBucket = 4; // auto bucket size: buckets at least this wide
    const std::vector<std::int64_t> *overLimitMinutes = nullptr; // sorted minute starts
};

// The smallest pyramid size giving buckets at least minPixels wide over the span.
std::int64_t autoBucketMs(std::int64_t spanMs, int columns, int minPixels);

// The slots of the visible range. Buckets with no events are slots with zero counts; when
// there would be more buckets than pixel columns, one slot per column (min/max).
// axis: the values and reported limits of another axis than requests (nullptr: requests).
SeriesFrame buildFrame(
    const BucketPyramid &pyramid, const FrameRequest &request, const AxisPyramid *axis = nullptr);

// Counts per second (start, count; sorted) summed into the frame's buckets, one value per slot:
// the bucket's sum, or when decimated the largest bucket's of the slot (as `rejected` is; a
// bucket across a column's edge counts in each column for its seconds there).
// What the What-if panel's predicted refusals draw.
std::vector<std::int64_t> perSlot(
    const SeriesFrame &frame, const std::vector<std::pair<std::int64_t, std::int64_t>> &perSecond);

// The bucket of the given level containing t, or nullptr (no events there).
const BucketCounts *findBucket(const BucketPyramid &pyramid, std::int64_t bucketMs, std::int64_t t);
