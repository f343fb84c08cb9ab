#pragma once

// What the window lets go of while it watches (issue 22). Its live snapshots hold the raw
// events of a recent window only (--keep, 2 h by default); an older event leaves the snapshot
// store and is kept here as counts: the 1-second buckets of every API scope (what the chart
// draws at any zoom, exactly) and its incidents (what the incidents panel lists). Its raw
// record stays in the capture file, where a drill-down reads it back (CaptureSpan).
//
// An incident may span the window's edge. Its part let go keeps every count and every name
// (tools, providers, messages: SpillTally, bounded memory) so that the view joins it with its
// part held and the whole has the counts and top lists it would have with every event held.
//
// Counts of all events are kept per scope, not per tool or provider: a view filtered by
// scope (or not at all) is exact for all time; any other filter is applied to the events held
// (FilteredView::historyCounted says which).

#include "aggregate/buckets.h"
#include "incidents/incidentfinder.h"
#include "incidents/spilltally.h"
#include "live/capturereadback.h"
#include "store/eventstore.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// The part let go of a scope's last incident let go: it may go on among the events held.
struct LetGoIncident
{
    Incident incident; // start, end, rejections, quota, Retry-After so far; no events
    SpillTally tools, providers, messages; // every name, by count
    std::int64_t edgeMs = 0; // requests and peak below are of the minutes before it
    // The part as an incident of its own (when nothing held goes on with it), described when
    // it was let go: a view never reads the tallies' runs for it.
    Incident described;
};

struct LiveHistory
{
    // Events older than this were let go (a record later than the reorder window may still be
    // held before it). INT64_MIN: nothing let go.
    std::int64_t heldFromMs = INT64_MIN;
    std::int64_t events = 0; // let go so far
    // Per API scope (host, as ScopeIndex names them): the 1-second buckets of the events let
    // go, sorted (BucketPyramid's level 0).
    std::map<std::string, std::vector<BucketCounts>> seconds;
    // The incidents let go and over, by start: found per scope over the unfiltered events
    // with the merge gap of the time and described in full; no `events` (not held), no tally.
    std::vector<Incident> incidents;
    // Per scope, its last incident let go (which may go on among the events held).
    std::map<std::string, LetGoIncident> open;
    // Where the lines of the events let go are in the capture, per minute and segment, and
    // where the duplicates the ingest dropped are (sorted): what read-back needs.
    std::vector<CaptureSpan> spans;
    std::vector<CaptureDuplicate> duplicates;

    bool empty() const { return events == 0; }
};

// Where a window of keepMs starts for `store`: the minute of (newest event - keepMs); INT64_MIN
// when nothing is older (keep everything).
std::int64_t windowEdge(const EventStore &store, std::int64_t keepMs);

// A scope's requests in [fromMs, toMs) and the most of one minute there, from its 1-second
// buckets (minute-aligned bounds).
std::pair<std::int64_t, std::int64_t> requestsAndPeak(
    const std::vector<BucketCounts> &seconds, std::int64_t fromMs, std::int64_t toMs);

// The incident whose first part was let go (part) and whose rest is held (held: found over
// the events held, its tally in store's string ids): counts, requests and top lists of the
// whole, as if every event were held. heldMinutes: the minutes of the scope's events held.
// topsFrom: an earlier joined incident whose top lists are taken instead of merging the
// names again (merging reads the part's spilled runs: a live view does it at most every few
// seconds, FilteredView::joinsStale).
Incident joined(const LiveHistory &history, const LetGoIncident &part, const Incident &held,
    const EventStore &store, const std::vector<BucketCounts> &heldMinutes,
    const Incident *topsFrom = nullptr);

// The events of [fromMs, toMs) as a store of every event would give them: those let go, read
// back from the capture (readBackCapture), then those of `held` (the window's store) in the
// range. The error says why they cannot be (a segment rotated away), and then none are given.
CaptureReadBack eventsOfRange(const LiveHistory &history, const EventStore &held,
    const RuleSet &rules, std::int64_t fromMs, std::int64_t toMs);

// The history after letting go of the events of `store` older than edgeMs: `before`'s (null:
// none) with theirs added. skip[i] is set for each event let go (EventStore::appendShard's
// skip: the rest make the new window).
LiveHistory letGo(const EventStore &store, std::int64_t edgeMs, double mergeGapMinutes,
    const LiveHistory *before, std::vector<bool> &skip);
