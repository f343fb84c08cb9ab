#include "model/seriesframe.h"

#include <algorithm>
#include <cmath>

namespace {

using Level = std::vector<BucketCounts>;

Level::const_iterator firstAtOrAfter(const Level &level, std::int64_t t)
{
    return std::lower_bound(level.begin(), level.end(), t,
        [](const BucketCounts &b, std::int64_t v) { return b.startMs < v; });
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

SeriesFrame buildFrame(const BucketPyramid &pyramid, const FrameRequest &request)
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
    const Level &level = pyramid.level(std::size_t(BucketPyramid::levelOf(bucket)));
    const std::int64_t first = floorTo(frame.fromMs, bucket);
    const std::int64_t count = (frame.toMs - first + bucket - 1) / bucket;
    auto it = firstAtOrAfter(level, first);

    if (count <= std::int64_t(columns)) {
        frame.slots.reserve(std::size_t(count));
        for (std::int64_t k = 0; k < count; ++k) {
            FrameSlot slot;
            slot.startMs = first + k * bucket;
            slot.endMs = slot.startMs + bucket;
            if (it != level.end() && it->startMs == slot.startMs) {
                slot.requestsMin = slot.requestsMax = it->requests;
                slot.rejected = it->rejected;
                slot.serverLimit = it->serverLimit;
                ++it;
            }
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
        std::int64_t seen = 0;
        std::uint32_t minReq = UINT32_MAX, maxReq = 0, bestRejected = 0;
        while (it != level.end() && it->startMs < hi) {
            if (it->startMs >= lo) {
                ++seen;
                minReq = std::min(minReq, it->requests);
                maxReq = std::max(maxReq, it->requests);
                if (seen == 1 || it->rejectedTotal() > bestRejected) {
                    bestRejected = it->rejectedTotal();
                    slot.rejected = it->rejected;
                }
                if (it->serverLimit >= 0
                    && (slot.serverLimit < 0 || it->serverLimit < slot.serverLimit))
                    slot.serverLimit = it->serverLimit;
            }
            ++it;
        }
        slot.requestsMin = seen < positions || seen == 0 ? 0 : minReq;
        slot.requestsMax = maxReq;
        slot.overLimit = overlapsOverLimit(request.overLimitMinutes, slot.startMs, slot.endMs);
        addSlot(frame, slot);
    }
    return frame;
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
