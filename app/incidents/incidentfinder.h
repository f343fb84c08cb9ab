#pragma once

#include "aggregate/buckets.h"
#include "incidents/binding.h"
#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

struct NamedCount
{
    std::string name;
    std::int64_t count = 0;
};

// Every count behind an incident's top lists (string id -> rejections), kept so that an
// incident of a live view that grew adds its new rejections instead of counting all again.
struct IncidentTally
{
    std::unordered_map<std::uint32_t, std::int64_t> tools, providers, messages;
};

// summary.md "incident": rejections no more than merge-gap apart, with what they say.
struct Incident
{
    std::string scope; // the API scope it happened in (limits.md §1); never spans two
    std::int64_t startMs = 0; // first rejection
    std::int64_t endMs = 0; // last rejection
    std::int64_t requests = 0; // requests in the minutes [floor(start), floor(end) + 1 min)
    std::array<std::int64_t, kRejectionSourceCount> rejected {};
    RejectionSource dominant = RejectionSource::None;
    std::int64_t peakRpm = 0;
    std::vector<NamedCount> topTools; // up to 5
    std::vector<NamedCount> topProviders; // up to 5
    std::vector<NamedCount> messages; // up to 5
    std::optional<double> maxRetryAfterS;
    bool quota = false; // some rejection was insufficient_quota
    std::vector<std::uint32_t> events; // indices of its rejections, by time
    Binding binding; // which limit bit first (limits.md §5; set by addBindings)
    // What addBindings read of its rejections (all of `events`): a view that grows reads the
    // words of the new ones only (bindScope).
    std::shared_ptr<const BindingEvidence> evidence;
    std::shared_ptr<const IncidentTally> tally; // ids of the store it was found in

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// minutes: per-minute counts of the same events (countBuckets(store, 60000, subset)).
std::vector<Incident> findIncidents(const EventStore &store,
    const std::vector<BucketCounts> &minutes, double mergeGapMinutes,
    const EventSubset *subset = nullptr);

// The incidents of a store that grew (a live snapshot): `previous` are those of an earlier
// state of the same store (same filter, same merge gap), `addedEvents` the events appended
// since that pass the filter (its rejections are taken from them). Only incidents that get new
// rejections are described again, from their tallies; requests and peaks are taken again from
// `minutes` (late records land in any minute). The same result as findIncidents on the whole store,
// or nullopt when a new rejection is older than the last incident's end (out of order: call
// findIncidents).
std::optional<std::vector<Incident>> growIncidents(const EventStore &store,
    const std::vector<BucketCounts> &minutes, double mergeGapMinutes,
    const std::vector<Incident> &previous, const EventSubset &addedEvents);

// What rejection e (later than the incident's others) adds to its counts: its end, the
// rejections by source, quota and the longest Retry-After (not its events or tallies).
void countRejection(const EventStore &store, Incident &inc, std::uint32_t e);

// An incident's requests and peak requests per minute: those of the minutes it spans,
// [floor(start), floor(end) + 1 min).
void countRequests(const std::vector<BucketCounts> &minutes, Incident &inc);
// The source with the most rejections (ties: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED).
RejectionSource dominantSource(const std::array<std::int64_t, kRejectionSourceCount> &rejected);

// Top n of a count map, by count descending, ties by name ascending.
std::vector<NamedCount> topCounts(std::vector<NamedCount> all, std::size_t n);
