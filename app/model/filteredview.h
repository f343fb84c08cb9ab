#pragma once

#include "base/limitspec.h"
#include "export/scopesummary.h"
#include "incidents/binding.h"
#include "incidents/incidentfinder.h"
#include "model/axispyramid.h"
#include "model/bucketpyramid.h"
#include "model/filterstate.h"
#include "model/livehistory.h"
#include "store/eventstore.h"

#include <QtGlobal>

#include <array>
#include <map>
#include <memory>

// Everything the views show for one filter, computed once in a worker and then shared,
// read-only, by the chart, the table and the incidents panel.
struct FilteredView
{
    std::shared_ptr<const EventStore> store;
    FilterState filter;
    quint64 generation = 0;
    quint64 lineage = 0; // views of one lineage see stores that only grew (a live session)
    double mergeGapMinutes = 0; // of the incidents
    EventSubset rows; // events that pass, sorted by time
    bool all = false; // every event passes
    BucketPyramid pyramid;
    // The other axes of a limit per bucket (limits.md §2), for the chart's axis switch: tokens,
    // input and output tokens (when the store holds usage) and requests in flight (when the
    // records have durations). empty(): no event of the view has a value on that axis.
    std::array<AxisPyramid, 4> axes;
    std::vector<Incident> incidents;
    std::array<qint64, kRejectionSourceCount> rejected {};
    std::array<qint64, kThrottleCategoryCount> throttled {}; // events by category (limits.md §7)
    // The API scopes (by host) of the events that pass, sorted. The chart draws a limit only
    // over one scope: the total of several APIs has no single limit (limits.md §1).
    std::vector<std::string> scopes;
    // With one scope: the request limits its responses reported, per window, and their changes
    // (the chart's dashed line and the drift banner).
    ReportedHistory reported;
    // What every event of the view reported, so that a grown live view adds only its new
    // events (their changes in the order they came, which is time order for live records).
    ReportedLimits reportedLimits;
    // The same for the token axes (tokens, input, output), when a response reported one.
    std::array<ReportedHistory, 3> reportedTokens;
    std::array<ReportedLimits, 3> reportedTokenLimits { ReportedLimits(LimitAxis::Tokens),
        ReportedLimits(LimitAxis::InputTokens), ReportedLimits(LimitAxis::OutputTokens) };
    // The configured limits (Session::limits) the incidents' `binding` was judged with
    // (limits.md §5), and per scope the limits compared: its configured ones on every axis, and
    // the request limits its responses reported where it has no configured request limit (as
    // the summary does).
    std::vector<LimitEntry> limits;
    std::map<std::string, std::vector<AxisLimit>> bindingLimits;

    // Watching live with a window (issue 22): what the window let go of. When the filter keeps
    // whole scopes (none, or a scope), its counts are in pyramid, rejected, throttled and
    // requests(), and its incidents (no events: not held) in incidents: historyCounted. Any
    // other filter applies to the events held only, from history->heldFromMs on.
    std::shared_ptr<const LiveHistory> history;
    bool historyCounted = false;
    // historyCounted: the incidents found over the events held alone (what a grown view goes
    // on from); `incidents` lists them with those let go.
    std::vector<Incident> heldIncidents;
    // When the top lists of the incidents joined across the window's edge were merged (wall
    // clock, ms). A view grown within a few seconds of that keeps them (their counts are new):
    // joinsStale then, and FilterController builds the view again a moment later, so that a
    // view at rest is exact.
    qint64 joinedAtMs = 0;
    bool joinsStale = false;
    const std::vector<Incident> &incidentsHeld() const
    {
        return historyCounted ? heldIncidents : incidents;
    }
    qint64 historyRequests = 0; // requests let go that the view counts

    const EventSubset *subset() const { return all ? nullptr : &rows; }
    // The pyramid of an axis other than requests (nullptr for requests: `pyramid` counts them).
    const AxisPyramid *axisPyramid(LimitAxis axis) const;
    // The history of the limits the view's one scope reported on an axis.
    const ReportedHistory &reportedOn(LimitAxis axis) const;
    qint64 requests() const { return qint64(rows.size()) + historyRequests; }
    // Events before this time may have been let go (LiveHistory); INT64_MIN: every event is held.
    qint64 heldFromMs() const { return history ? history->heldFromMs : INT64_MIN; }
    qint64 rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// Builds the view in the calling thread (a worker). cancelled is polled; a cancelled build
// returns nullptr.
// With a previous view of the same filter whose store is a prefix of this one (the same
// lineage: a live snapshot and an earlier one), only the events after that prefix are
// filtered and counted, and only incidents that get new rejections are described again (and
// have their binding judged again; all of a scope's when its limits changed).
// `limits`: the configured limits per scope (Session::limits), for the incidents' bindings.
std::shared_ptr<const FilteredView> buildFilteredView(std::shared_ptr<const EventStore> store,
    const FilterState &filter, double mergeGapMinutes, quint64 generation,
    const std::function<bool()> &cancelled, std::shared_ptr<const FilteredView> previous = nullptr,
    quint64 lineage = 0, const std::vector<LimitEntry> &limits = {},
    std::shared_ptr<const LiveHistory> history = nullptr);

// Whether a filter keeps whole scopes (none, or only a scope): the counts a LiveHistory keeps
// per scope are then the filter's.
bool filterKeepsWholeScopes(const FilterState &filter);

// The incident of the view that holds the rejection `event` (a store index); null: none.
const Incident *incidentOf(const FilteredView &view, std::size_t event);

Q_DECLARE_METATYPE(std::shared_ptr<const FilteredView>)
