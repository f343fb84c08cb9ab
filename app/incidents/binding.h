#pragma once

#include "aggregate/bindingevidence.h"
#include "aggregate/buckets.h"
#include "base/limitspec.h"
#include "store/eventstore.h"

#include <array>
#include <climits>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct Incident;

// Which limit bit first in an incident (limits.md §5): its axis and window, and what says so.
struct Binding
{
    enum class Evidence { Message, Headers, Counts, Unknown };
    std::optional<LimitAxis> axis;
    std::optional<std::int64_t> windowS; // nullopt: not known (concurrency has none)
    Evidence evidence = Evidence::Unknown;
    std::string rule; // Message: the form of the words (decode/limitwords); Headers:
                      // "remaining 0"; Counts: "use/limit"
};

// "message", "headers", "counts", "unknown" (the JSON names)
const char *bindingEvidenceName(Binding::Evidence e);

// A limit in force for the incident's scope on one axis (configured or reported).
struct AxisLimit
{
    LimitAxis axis = LimitAxis::Requests;
    LimitSpec spec;
};

// limits.md §5, in its order:
//   1. `message`: the rejections' own words name the axis (readLimitWords); the axis most of
//      them name decides (ties: the order of LimitAxis);
//   2. `headers` (not for an incident of an upstream provider, dominant TOOL_ERROR, nor of a
//      quota that ran out: the scope's headers speak of neither): the axis whose reported
//      remaining was 0 at the first rejection (EventStore::remainingZeroAxes); when several
//      were, the one most of its rejections report 0 on (ties: the order of LimitAxis). Its
//      window is that of the limit the first rejection's response reported on the axis, when
//      the scope's reported limits of the axis (those of `limits` when they are the reported
//      ones, else read from the scope's events) have that window too (a by-reset window one
//      long reset made unknown stays unknown); nullopt otherwise, never another bucket's
//      window. `rule` is "remaining 0";
//   3. `counts` (for an incident the scope's own limit made, dominant RATE_LIMITED: its limits
//      say nothing of an upstream provider's, TOOL_ERROR, nor of a quota that ran out): of the
//      axes with a known limit, the one
//      with the highest use/limit in the window before the first rejection (its own window, up to
//      and with the first rejection; for concurrency, whose limit has no window, the requests in
//      flight at that instant);
//   4. else `unknown`.
// Sets `binding` of every incident of one scope. `scopeEvents`: that scope's events (nullptr:
// every event of the store).
// grownFrom (optional, one per incident, null where none): the incident of an earlier view
// that this one grew from; when its events are the first of this one's and it kept its
// evidence, only the words of the rejections added since are read (a live view re-judges its
// open incident at every snapshot).
void addBindings(const EventStore &store, std::vector<Incident> &incidents,
    const std::vector<AxisLimit> &limits, const EventSubset *scopeEvents,
    const std::vector<const Incident *> *grownFrom = nullptr);

// The same rule over evidence gathered without the events: `evidence[k]` is incident k's;
// reportedOf(axis) the scope's reported limits on an axis; useAt(limit, t0s) the use of the
// limit's axis at each instant (step 3), nullopt where it is not known. Returns how many
// incidents a use that was not known left undecided (their binding stays unknown).
struct BindingSources
{
    std::function<std::vector<LimitSpec>(LimitAxis)> reportedOf;
    std::function<std::vector<std::optional<std::int64_t>>(
        const AxisLimit &, const std::vector<std::int64_t> &t0s)>
        useAt;
};
std::size_t addBindings(std::vector<Incident> &incidents,
    const std::vector<BindingEvidence> &evidence, const std::vector<AxisLimit> &limits,
    const BindingSources &sources);
