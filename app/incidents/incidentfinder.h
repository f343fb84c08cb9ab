#pragma once

#include "aggregate/buckets.h"
#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct NamedCount
{
    std::string name;
    std::int64_t count = 0;
};

// summary.md "incident": rejections no more than merge-gap apart, with what they say.
struct Incident
{
    std::int64_t startMs = 0; // first rejection
    std::int64_t endMs = 0; // last rejection
    std::int64_t requests = 0; // requests in the minutes [floor(start), floor(end) + 1 min)
    std::array<std::int64_t, kRejectionSourceCount> rejected {};
    Source dominant = Source::None;
    std::int64_t peakRpm = 0;
    std::vector<NamedCount> topTools; // up to 5
    std::vector<NamedCount> topProviders; // up to 5
    std::vector<NamedCount> messages; // up to 5
    std::optional<double> maxRetryAfterS;
    bool quota = false; // some rejection was insufficient_quota
    std::vector<std::uint32_t> events; // indices of its rejections, by time

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// minutes: per-minute counts of the same events (countBuckets(store, 60000, subset)).
std::vector<Incident> findIncidents(const EventStore &store, const std::vector<BucketCounts> &minutes,
                                    double mergeGapMinutes, const EventSubset *subset = nullptr);

// Top n of a count map, by count descending, ties by name ascending.
std::vector<NamedCount> topCounts(std::vector<NamedCount> all, std::size_t n);
