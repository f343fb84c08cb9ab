#include "model/bucketpyramid.h"

#include <algorithm>

std::vector<BucketCounts> coarsen(const std::vector<BucketCounts> &fine, std::int64_t bucketMs)
{
    std::vector<BucketCounts> out;
    out.reserve(fine.size() / 2 + 1);
    for (const BucketCounts &b : fine) {
        const std::int64_t start = floorTo(b.startMs, bucketMs);
        if (out.empty() || out.back().startMs != start) {
            BucketCounts c;
            c.startMs = start;
            out.push_back(c);
        }
        BucketCounts &c = out.back();
        c.requests += b.requests;
        for (std::size_t s = 0; s < c.rejected.size(); ++s)
            c.rejected[s] += b.rejected[s];
        if (b.serverLimit >= 0 && (c.serverLimit < 0 || b.serverLimit < c.serverLimit))
            c.serverLimit = b.serverLimit;
    }
    return out;
}

BucketPyramid BucketPyramid::build(
    const EventStore &store, const EventSubset *subset, const std::function<bool()> &cancelled)
{
    BucketPyramid p;
    p.m_levels[0] = countBuckets(store, kSizes[0], subset);
    for (std::size_t k = 1; k < kSizes.size(); ++k) {
        if (cancelled && cancelled())
            return BucketPyramid();
        // from the coarsest finer level that divides this size: fewer buckets to merge
        std::size_t from = 0;
        for (std::size_t j = k; j-- > 0;) {
            if (kSizes[k] % kSizes[j] == 0) {
                from = j;
                break;
            }
        }
        p.m_levels[k] = coarsen(p.m_levels[from], kSizes[k]);
    }
    return p;
}

int BucketPyramid::levelOf(std::int64_t bucketMs)
{
    const auto it = std::find(kSizes.begin(), kSizes.end(), bucketMs);
    return it == kSizes.end() ? -1 : int(it - kSizes.begin());
}

std::vector<std::int64_t> BucketPyramid::minutesOver(std::int64_t limit) const
{
    std::vector<std::int64_t> out;
    if (limit <= 0)
        return out;
    for (const BucketCounts &b : m_levels[kMinuteLevel]) {
        if (b.requests > limit)
            out.push_back(b.startMs);
    }
    return out;
}
