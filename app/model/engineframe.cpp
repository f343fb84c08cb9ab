#include "model/engineframe.h"

#include <algorithm>
#include <map>

std::int64_t engineBucketMs(std::int64_t spanMs, int columns, int minPixels)
{
    const std::int64_t size = autoBucketMs(spanMs, columns, minPixels);
    const double maxBuckets = std::max(1.0, double(columns) / std::max(1, minPixels));
    if (double(spanMs) / double(size) <= maxBuckets)
        return size;
    const std::int64_t hours = std::int64_t(double(spanMs) / maxBuckets / 3600000.0) + 1;
    return hours * 3600000;
}

SeriesFrame engineFrame(const EngineSeries &series, std::int64_t fromMs, std::int64_t toMs)
{
    SeriesFrame f;
    f.fromMs = fromMs;
    f.toMs = toMs;
    f.bucketMs = std::max<std::int64_t>(1, series.bucketMs);
    std::map<std::int64_t, FrameSlot> byStart; // scopes summed
    for (const EngineBucket &b : series.buckets) {
        FrameSlot &s = byStart[b.startMs];
        s.requestsMax += std::uint32_t(b.requests);
        for (std::size_t k = 0; k < b.rejected.size(); ++k)
            s.rejected[k] += std::uint32_t(b.rejected[k]);
    }
    const std::int64_t first = fromMs - ((fromMs % f.bucketMs) + f.bucketMs) % f.bucketMs;
    for (std::int64_t t = first; t < toMs; t += f.bucketMs) {
        const auto it = byStart.find(t);
        FrameSlot s = it == byStart.end() ? FrameSlot {} : it->second;
        s.startMs = t;
        s.endMs = t + f.bucketMs;
        s.requestsMin = s.requestsMax;
        s.valueMin = s.valueMax = s.requestsMax;
        s.known = s.counted = s.requestsMax;
        f.maxRequests = std::max(f.maxRequests, s.requestsMax);
        f.maxValue = std::max<std::int64_t>(f.maxValue, s.valueMax);
        f.maxRejected = std::max(f.maxRejected, s.stackedTotal());
        f.slots.push_back(s);
    }
    return f;
}
