#pragma once

// What a summary needs of a scope's events in time order, folded one event at a time (issue 22,
// step 3 of a summary in bounded memory, beside MinuteRollup): what MinuteRollup cannot add in
// any order because it looks at an event's neighbours in time.
//   - the limits the responses reported, and their changes (ReportedLimits, limits.md §3, §6);
//   - requests in flight per minute (the concurrency axis, InFlightSweep);
//   - per rolling window other than a minute, on the requests and token axes: for each minute
//     the largest sum over (t - W, t] at one of its events. A limit decided at the end (the
//     smallest reported) then gives minutes_over_limit exactly: the minutes whose largest sum
//     is over it. The windows are those given at construction (configured limits) and those
//     a scope's responses report: followed from the scope's first event when the report comes
//     within its first kPreludeEvents events (kept for that), else from the report on.
// Memory: per scope its first 10,000 events' times and values (400 KB), the reported windows and at
// most kMaxDriftChanges changes, the requests in flight, one entry per minute on each window and on
// concurrency, and per window the (time, value) of the events within it (a window of an hour at
// 1,000 requests/s: 3.6 M pairs, 58 MB; of a day, 86 M pairs: a day's window is exact at that
// cost).
//
// Events come in time order (equal times in any order), each after those added before: a live
// view folds an event when it leaves the reorder window. An event older than one before it is
// folded anyway and counted in lateEvents(): the figures are then not exact, and say so.

#include "aggregate/axisseries.h"
#include "aggregate/reportedlimits.h"
#include "aggregate/scopes.h"
#include "store/eventstore.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class OrderedFold
{
public:
    // A rolling window to follow on an axis (Requests or a token axis), in ms.
    struct Window
    {
        LimitAxis axis = LimitAxis::Requests;
        std::int64_t ms = 0;
        bool operator<(const Window &o) const { return axis != o.axis ? axis < o.axis : ms < o.ms; }
    };
    // The windows of limits other than per minute, as configured (for every scope).
    static std::vector<Window> windowsOf(const std::vector<LimitEntry> &limits);

    explicit OrderedFold(ScopeBy by = ScopeBy::Host, std::vector<Window> windows = {});

    // Adds the events `ordered` of a store, in time order, after every event added before.
    void add(const EventStore &events, const EventSubset &ordered);
    // Adds event i of a store, of scope `scope` (events of many small stores in time order).
    void add(const EventStore &events, std::size_t i, const std::string &scope);

    // reportedHistory() of a scope's events on an axis (empty for a name it has not seen).
    ReportedHistory reported(const std::string &scope, LimitAxis axis) const;
    // axisPerMinute(Concurrency) of a scope's events.
    AxisSeries concurrency(const std::string &scope) const;
    // minutesOverRollingSum() of a scope's events: the minutes with an event at time t whose
    // axis sums to more than `limit` over (t - windowMs, t]. nullopt when the window was not
    // followed from the scope's first event (one reported only later, or never seen).
    std::optional<std::vector<std::int64_t>> minutesOver(
        const std::string &scope, LimitAxis axis, std::int64_t limit, std::int64_t windowMs) const;
    // The use of a limit at t0, the time of the first rejection of one of the scope's minutes
    // (where incidents start; limits.md §5 step 3): the sum of the axis over
    // (t0 - windowMs, t0], or for Concurrency the requests in flight at t0. Every scope
    // follows a minute's window on requests and the token axes for this. nullopt: t0 is no
    // such time, or the window was not followed from the scope's first event.
    std::optional<std::int64_t> useAt(
        const std::string &scope, LimitAxis axis, std::int64_t windowMs, std::int64_t t0) const;
    // Events folded after a later one: not 0 means the figures above are not exact.
    std::int64_t lateEvents() const { return m_late; }

private:
    struct Rolling
    {
        std::deque<std::pair<std::int64_t, std::int64_t>> points; // (time, value) in the window
        std::int64_t sum = 0;
        std::vector<std::pair<std::int64_t, std::int64_t>> maxima; // (minute, largest sum)
        bool fromStart = true;
        void add(std::int64_t t, std::int64_t value, std::int64_t windowMs);
    };
    struct Scope
    {
        std::array<ReportedLimits, 4> reported { ReportedLimits(LimitAxis::Requests),
            ReportedLimits(LimitAxis::Tokens), ReportedLimits(LimitAxis::InputTokens),
            ReportedLimits(LimitAxis::OutputTokens) };
        InFlightSweep sweep { 60000 };
        std::vector<AxisBucket> inFlight; // the most per minute, zeros included
        std::int64_t known = 0, unknown = 0; // durations
        std::map<Window, Rolling> rolling;
        // The scope's first events (time, requests and token values), so that a window its
        // responses report after them is still followed from its first event.
        std::vector<std::pair<std::int64_t, std::array<std::int64_t, 4>>> prelude;
        bool preludeWhole = true; // false once past kPreludeEvents (then freed)
        bool seen = false;
        // the use at the first rejection of each minute with one, by time; the last one is
        // taken when a later event comes (the events at its time all count)
        struct Use
        {
            std::int64_t t0 = 0;
            std::vector<std::pair<Window, std::int64_t>> sums;
            std::int64_t inFlight = 0;
        };
        std::vector<Use> uses;
        std::optional<std::int64_t> pendingT0;
        std::int64_t lastRejectionMinute = INT64_MIN;
    };
    // The use at t0 after every event up to t0 and none after.
    static Scope::Use useNow(const Scope &scope, std::int64_t t0);
    static constexpr std::size_t kPreludeEvents = 10000;
    void addEvent(Scope &scope, const EventStore &events, std::size_t i);
    void follow(Scope &scope, LimitAxis axis, std::int64_t windowS);

    ScopeBy m_by;
    std::vector<Window> m_windows;
    std::map<std::string, Scope> m_scopes;
    std::int64_t m_lastMs = INT64_MIN;
    std::int64_t m_late = 0;
};
