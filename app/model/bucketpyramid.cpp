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
        out.back().add(b);
    }
    return out;
}

BucketPyramid BucketPyramid::build(
    const EventStore &store, const EventSubset *subset, const std::function<bool()> &cancelled)
{
    BucketPyramid p;
    p.m_levels[0] = countBuckets(store, kSizes[0], subset);
    if (cancelled && cancelled())
        return BucketPyramid();
    p.coarsenLevels();
    return p;
}

void BucketPyramid::coarsenLevels()
{
    for (std::size_t k = 1; k < kSizes.size(); ++k) {
        // from the coarsest finer level that divides this size: fewer buckets to merge
        std::size_t from = 0;
        for (std::size_t j = k; j-- > 0;) {
            if (kSizes[k] % kSizes[j] == 0) {
                from = j;
                break;
            }
        }
        m_levels[k] = coarsen(m_levels[from], kSizes[k]);
    }
}

BucketPyramid BucketPyramid::plus(const EventStore &store, const EventSubset &added) const
{
    return plusBuckets(countBuckets(store, kSizes[0], &added));
}

BucketPyramid BucketPyramid::plusBuckets(const std::vector<BucketCounts> &seconds) const
{
    BucketPyramid p;
    p.m_levels[0] = mergeBuckets(m_levels[0], seconds);
    p.coarsenLevels();
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
