#pragma once

#include "aggregate/buckets.h"
#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

// Bucket counts of one filtered event set at every chart bucket size (1 s ... 1 h), sparse
// and sorted. Built once per filter in a worker; zooming then only reads a slice of a level,
// so a redraw never touches the events.
class BucketPyramid
{
public:
    static constexpr std::array<std::int64_t, 13> kSizes { 1000, 2000, 5000, 10000, 15000, 30000,
        60000, 120000, 300000, 600000, 900000, 1800000, 3600000 };
    static constexpr std::size_t kMinuteLevel = 6;

    BucketPyramid() = default;
    // subset == nullptr: every event. Returns an empty pyramid when cancelled() says so.
    static BucketPyramid build(const EventStore &store, const EventSubset *subset,
        const std::function<bool()> &cancelled = {});

    // This pyramid with the given events added (their counts merged into level 0, the
    // coarser levels made again from it): a live view that grew costs its new events only.
    BucketPyramid plus(const EventStore &store, const EventSubset &added) const;
    // This pyramid with the counts of more 1-second buckets (sorted) added: the counts of
    // events not held any more (LiveHistory).
    BucketPyramid plusBuckets(const std::vector<BucketCounts> &seconds) const;

    bool empty() const { return m_levels[0].empty(); }
    static constexpr std::size_t levelCount() { return kSizes.size(); }
    static std::int64_t bucketMs(std::size_t level) { return kSizes[level]; }
    // Level of a bucket size, or -1 when it is not one of kSizes.
    static int levelOf(std::int64_t bucketMs);
    const std::vector<BucketCounts> &level(std::size_t k) const { return m_levels[k]; }

    // First and last event time (ms precision lost: the 1 s buckets hold them).
    std::int64_t firstMs() const { return empty() ? 0 : m_levels[0].front().startMs; }
    std::int64_t endMs() const { return empty() ? 0 : m_levels[0].back().startMs + 1000; }

    // Starts of the UTC minutes with more than limit requests (sorted).
    std::vector<std::int64_t> minutesOver(std::int64_t limit) const;

private:
    void coarsenLevels();

    std::array<std::vector<BucketCounts>, kSizes.size()> m_levels;
};

// Merges sparse sorted buckets into buckets of a coarser size (a multiple of the input's).
std::vector<BucketCounts> coarsen(const std::vector<BucketCounts> &fine, std::int64_t bucketMs);
