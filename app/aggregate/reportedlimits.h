#pragma once

#include "aggregate/buckets.h"
#include "base/limitspec.h"
#include "store/eventstore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// A difference between the limit configured and the one reported, or a change of the reported
// limit during the log (limits.md §6).
struct LimitDrift
{
    enum class Kind { Configured, Changed };
    std::string scope;
    LimitAxis axis = LimitAxis::Requests;
    Kind kind = Kind::Changed;
    std::optional<std::int64_t> windowS;
    std::optional<std::int64_t> timeMs; // Changed: the first response that reported `to`
    std::int64_t from = 0; // Configured: the configured limit; Changed: the reported one before
    std::int64_t to = 0; // Configured: the reported limit; Changed: the reported one after
};

// At most this many changes of a reported limit are listed per scope and axis: a host that
// serves several models with their own limits alternates between them on every request.
inline constexpr std::size_t kMaxDriftChanges = 20;

// The request limits reported by the events of one scope: the smallest for each window,
// shortest window first and an unknown window last, and the changes of each in time order.
struct ReportedHistory
{
    std::vector<LimitSpec> byWindow;
    std::vector<LimitDrift> changes; // kind Changed, scope and axis unset
    std::size_t omitted = 0;
};

// The request limits one scope's responses reported (limits.md §3, §6), gathered event by event
// (in time order, for the changes), so that a live view adds only its new events. The one rule
// for "the limit a scope reported" in the summary, the window and the live warnings.
//
// A window the dialect table judges by the record's reset alone (OpenAI's: a minute while the
// reset is at most 60 s) is judged here across every record of the scope, as §3 says: one
// longer reset makes that limit's window unknown for all of them, also for the records whose
// own reset was short (a daily bucket reports "0s" on its first request of the day).
class ReportedLimits
{
public:
    // the limits of one axis: requests, or a token axis (limits.md §3)
    explicit ReportedLimits(LimitAxis axis = LimitAxis::Requests)
        : m_axis(axis)
    {
    }
    void add(const EventStore &store, std::size_t i);
    ReportedHistory history() const;
    // The limit the scope is watched against when the user gave none: of the known windows,
    // the one with the lowest rate per minute. nullopt: no known window.
    std::optional<LimitSpec> tightest() const;

private:
    // a window in seconds, or one of these
    static constexpr std::int64_t kUnknown = -1;
    static constexpr std::int64_t kByReset = -2;
    struct Window
    {
        std::int64_t key = kUnknown;
        std::int64_t smallest = 0;
        std::int64_t last = 0;
    };
    std::optional<std::int64_t> resolve(std::int64_t key) const;

    LimitAxis m_axis;
    std::vector<Window> m_windows;
    std::vector<std::pair<std::int64_t, LimitDrift>> m_changes; // (window key, change)
    std::size_t m_omitted = 0;
    bool m_longReset = false; // a by-reset window was unknown for one record
};

// The history of the events of `events` (every event when null) on one axis, in time order.
ReportedHistory reportedHistory(
    const EventStore &store, const EventSubset *events, LimitAxis axis = LimitAxis::Requests);
