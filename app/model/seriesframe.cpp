#include "model/seriesframe.h"

#include <algorithm>
#include <cmath>

namespace {

using Level = std::vector<BucketCounts>;

template <typename Bucket>
typename std::vector<Bucket>::const_iterator firstAtOrAfter(
    const std::vector<Bucket> &level, std::int64_t t)
{
    return std::lower_bound(level.begin(), level.end(), t,
        [](const Bucket &b, std::int64_t v) { return b.startMs < v; });
}

// The chart's values of one bucket: its requests, or the axis's bucket at the same start.
struct Values
{
    std::int64_t value = 0;
    std::uint32_t known = 0;
    std::uint32_t counted = 0;
    std::int64_t serverLimit = -1;
};

Values requestValues(const BucketCounts &b)
{
    return { b.requests, b.requests, b.requests, b.serverLimit };
}

Values axisValues(const AxisCounts &b) { return { b.value, b.known, b.requests, b.serverLimit }; }

void noteLimit(std::int64_t &into, std::int64_t limit)
{
    if (limit >= 0 && (into < 0 || limit < into))
        into = limit;
}

bool overlapsOverLimit(const std::vector<std::int64_t> *minutes, std::int64_t from, std::int64_t to)
{
    if (!minutes || minutes->empty())
        return false;
    // a minute [m, m + 60 s) overlaps [from, to) when m < to and m + 60 s > from
    const auto it = std::lower_bound(minutes->begin(), minutes->end(), from - 60000 + 1);
    return it != minutes->end() && *it < to;
}

void addSlot(SeriesFrame &frame, const FrameSlot &slot)
{
    frame.maxRequests = std::max(frame.maxRequests, slot.requestsMax);
    frame.maxValue = std::max(frame.maxValue, slot.valueMax);
    frame.maxRejected = std::max(frame.maxRejected, slot.stackedTotal());
    frame.maxServerLimit = std::max(frame.maxServerLimit, slot.serverLimit);
    frame.slots.push_back(slot);
}

} // namespace

std::int64_t autoBucketMs(std::int64_t spanMs, int columns, int minPixels)
{
    const double maxBuckets = std::max(1.0, double(columns) / std::max(1, minPixels));
    for (std::int64_t size : BucketPyramid::kSizes) {
        if (double(spanMs) / double(size) <= maxBuckets)
            return size;
    }
    return BucketPyramid::kSizes.back();
}

SeriesFrame buildFrame(
    const BucketPyramid &pyramid, const FrameRequest &request, const AxisPyramid *axis)
{
    SeriesFrame frame;
    frame.fromMs = request.fromMs;
    frame.toMs = std::max(request.toMs, request.fromMs + 1);
    const std::int64_t span = frame.toMs - frame.fromMs;
    const int columns = std::max(1, request.columns);
    std::int64_t bucket = request.bucketMs;
    if (BucketPyramid::levelOf(bucket) < 0)
        bucket = autoBucketMs(span, columns, request.minPixelsPerBucket);
    frame.bucketMs = bucket;
    if (pyramid.empty())
        return frame;
    const std::size_t k = std::size_t(BucketPyramid::levelOf(bucket));
    const Level &level = pyramid.level(k);
    static const std::vector<AxisCounts> kNoAxis;
    const std::vector<AxisCounts> &axisLevel = axis ? axis->level(k) : kNoAxis;
    const std::int64_t first = floorTo(frame.fromMs, bucket);
    const std::int64_t count = (frame.toMs - first + bucket - 1) / bucket;
    auto it = firstAtOrAfter(level, first);
    auto at = firstAtOrAfter(axisLevel, first);

    if (count <= std::int64_t(columns)) {
        frame.slots.reserve(std::size_t(count));
        for (std::int64_t n = 0; n < count; ++n) {
            FrameSlot slot;
            slot.startMs = first + n * bucket;
            slot.endMs = slot.startMs + bucket;
            Values v;
            if (it != level.end() && it->startMs == slot.startMs) {
                slot.requestsMin = slot.requestsMax = it->requests;
                slot.rejected = it->rejected;
                slot.throttled = it->throttled;
                if (!axis)
                    v = requestValues(*it);
                ++it;
            }
            // requests in flight: an axis bucket may hold no start of a request
            if (axis && at != axisLevel.end() && at->startMs == slot.startMs)
                v = axisValues(*at++);
            slot.valueMin = slot.valueMax = v.value;
            slot.known = v.known;
            slot.counted = v.counted;
            slot.serverLimit = v.serverLimit;
            slot.overLimit = overlapsOverLimit(request.overLimitMinutes, slot.startMs, slot.endMs);
            addSlot(frame, slot);
        }
        return frame;
    }

    // Min/max decimation: one slot per pixel column.
    frame.decimated = true;
    frame.slots.reserve(std::size_t(columns));
    const double step = double(span) / columns;
    for (int c = 0; c < columns; ++c) {
        FrameSlot slot;
        slot.startMs = frame.fromMs + std::int64_t(std::floor(c * step));
        slot.endMs = c + 1 == columns ? frame.toMs
                                      : frame.fromMs + std::int64_t(std::floor((c + 1) * step));
        if (slot.endMs <= slot.startMs)
            continue;
        // bucket starts that begin inside this column (the first column also takes the one
        // it starts in), so every bucket belongs to exactly one column
        const std::int64_t lo = c == 0 ? first : floorTo(slot.startMs - 1, bucket) + bucket;
        const std::int64_t hi = floorTo(slot.endMs - 1, bucket) + bucket; // exclusive
        const std::int64_t positions = std::max<std::int64_t>(0, (hi - lo) / bucket);
        std::int64_t seen = 0, seenValues = 0;
        std::uint32_t minReq = UINT32_MAX, maxReq = 0, bestRejected = 0;
        std::int64_t minValue = INT64_MAX, maxValue = 0;
        const auto noteValues = [&](const Values &v) {
            ++seenValues;
            minValue = std::min(minValue, v.value);
            maxValue = std::max(maxValue, v.value);
            slot.known += v.known;
            slot.counted += v.counted;
            noteLimit(slot.serverLimit, v.serverLimit);
        };
        while (it != level.end() && it->startMs < hi) {
            if (it->startMs >= lo) {
                ++seen;
                minReq = std::min(minReq, it->requests);
                maxReq = std::max(maxReq, it->requests);
                FrameSlot counts; // the bucket's stack, to keep the highest
                counts.rejected = it->rejected;
                counts.throttled = it->throttled;
                if (seen == 1 || counts.stackedTotal() > bestRejected) {
                    bestRejected = counts.stackedTotal();
                    slot.rejected = it->rejected;
                    slot.throttled = it->throttled;
                }
                if (!axis)
                    noteValues(requestValues(*it));
            }
            ++it;
        }
        for (; axis && at != axisLevel.end() && at->startMs < hi; ++at) {
            if (at->startMs >= lo)
                noteValues(axisValues(*at));
        }
        slot.requestsMin = seen < positions || seen == 0 ? 0 : minReq;
        slot.requestsMax = maxReq;
        slot.valueMin = seenValues < positions || seenValues == 0 ? 0 : minValue;
        slot.valueMax = maxValue;
        slot.overLimit = overlapsOverLimit(request.overLimitMinutes, slot.startMs, slot.endMs);
        addSlot(frame, slot);
    }
    return frame;
}

std::vector<std::int64_t> perSlot(
    const SeriesFrame &frame, const std::vector<std::pair<std::int64_t, std::int64_t>> &perSecond)
{
    std::vector<std::int64_t> out(frame.slots.size());
    if (frame.bucketMs <= 0 || perSecond.empty())
        return out;
    auto it = std::lower_bound(perSecond.begin(), perSecond.end(),
        std::pair<std::int64_t, std::int64_t>(
            frame.slots.empty() ? 0 : frame.slots.front().startMs, INT64_MIN));
    for (std::size_t k = 0; k < frame.slots.size(); ++k) {
        const FrameSlot &slot = frame.slots[k];
        std::int64_t bucket = INT64_MIN, sum = 0, best = 0;
        for (; it != perSecond.end() && it->first < slot.endMs; ++it) {
            if (it->first < slot.startMs)
                continue;
            const std::int64_t b = floorTo(it->first, frame.bucketMs);
            sum = b == bucket ? sum + it->second : it->second;
            bucket = b;
            best = std::max(best, sum);
        }
        out[k] = best;
    }
    return out;
}

const BucketCounts *findBucket(const BucketPyramid &pyramid, std::int64_t bucketMs, std::int64_t t)
{
    const int k = BucketPyramid::levelOf(bucketMs);
    if (k < 0 || pyramid.empty())
        return nullptr;
    const Level &level = pyramid.level(std::size_t(k));
    const auto it = firstAtOrAfter(level, floorTo(t, bucketMs));
    return it != level.end() && it->startMs == floorTo(t, bucketMs) ? &*it : nullptr;
}
