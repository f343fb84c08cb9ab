#include "incidents/binding.h"

#include "aggregate/axisseries.h"
#include "aggregate/reportedlimits.h"
#include "decode/limitwords.h"
#include "incidents/incidentfinder.h"

#include <algorithm>
#include <array>
#include <unordered_map>

const char *bindingEvidenceName(Binding::Evidence e)
{
    switch (e) {
    case Binding::Evidence::Message:
        return "message";
    case Binding::Evidence::Headers:
        return "headers";
    case Binding::Evidence::Counts:
        return "counts";
    case Binding::Evidence::Unknown:
        break;
    }
    return "unknown";
}

namespace {

constexpr std::size_t kAxes = 5;

std::optional<Binding> fromMessages(const EventStore &store, const Incident &incident)
{
    // one reading per distinct message: an incident repeats a few texts many times
    std::unordered_map<std::uint32_t, LimitWords> read;
    std::array<std::int64_t, kAxes> votes {};
    std::array<LimitWords, kAxes> example {};
    for (std::uint32_t i : incident.events) {
        const std::uint32_t id = store.messageId(i);
        if (id == 0)
            continue;
        auto it = read.find(id);
        if (it == read.end())
            it = read.emplace(id, readLimitWords(store.message(i))).first;
        const LimitWords &w = it->second;
        if (!w.axis)
            continue;
        const std::size_t a = std::size_t(*w.axis);
        if (votes[a]++ == 0)
            example[a] = w;
    }
    std::size_t best = kAxes;
    for (std::size_t a = 0; a < kAxes; ++a) {
        if (votes[a] > 0 && (best == kAxes || votes[a] > votes[best]))
            best = a;
    }
    if (best == kAxes)
        return std::nullopt;
    Binding b;
    b.axis = LimitAxis(best);
    b.windowS = example[best].windowS;
    if (b.axis == LimitAxis::Concurrency)
        b.windowS.reset();
    b.evidence = Binding::Evidence::Message;
    b.rule = example[best].rule;
    return b;
}

constexpr std::size_t kHeaderAxes = 4; // requests, tokens, input_tokens, output_tokens

// Step 2: the axis whose remaining was 0 at the first rejection; when several were, the one
// most of the incident's rejections report 0 on (ties: the order of LimitAxis).
std::optional<LimitAxis> fromHeaders(const EventStore &store, const Incident &incident)
{
    if (incident.events.empty())
        return std::nullopt;
    const std::uint8_t first = store.remainingZeroAxes(incident.events.front());
    if (first == 0)
        return std::nullopt;
    std::size_t best = kHeaderAxes;
    if ((first & (first - 1)) == 0) { // one axis: nothing to break
        for (std::size_t a = 0; a < kHeaderAxes; ++a)
            best = (first >> a) & 1u ? a : best;
        return LimitAxis(best);
    }
    std::array<std::int64_t, kHeaderAxes> votes {};
    for (std::uint32_t i : incident.events) {
        const std::uint8_t zero = store.remainingZeroAxes(i) & first;
        for (std::size_t a = 0; a < kHeaderAxes; ++a)
            votes[a] += (zero >> a) & 1u;
    }
    for (std::size_t a = 0; a < kHeaderAxes; ++a) {
        if (((first >> a) & 1u) && (best == kHeaderAxes || votes[a] > votes[best]))
            best = a;
    }
    return LimitAxis(best);
}

// The window event i's response reported for its limit on `axis` (requests or a token axis), as
// the record alone judges it; -1: no limit or no window.
std::int64_t reportedWindowAt(const EventStore &store, std::size_t i, LimitAxis axis)
{
    if (axis == LimitAxis::Requests)
        return store.serverLimit(i) > 0 ? store.serverWindowS(i) : -1;
    const std::size_t a = std::size_t(axis) - std::size_t(LimitAxis::Tokens);
    const ReportedTokenLimits &t = store.reportedTokens(i);
    return t.limit[a] > 0 ? t.windowS[a] : -1;
}

// The window of a headers binding: that of the limit the first rejection's response reported on
// the axis, when the scope's reported limits (limits.md §3, judged over the whole scope: one long
// reset makes a by-reset window unknown for all) know that window too; else not known. Never a
// window of another bucket of the same axis.
std::optional<std::int64_t> reportedWindow(
    const std::vector<LimitSpec> &reported, std::int64_t atFirst)
{
    if (atFirst <= 0)
        return std::nullopt;
    for (const LimitSpec &l : reported) {
        if (l.windowS == atFirst)
            return atFirst;
    }
    return std::nullopt;
}

// The use of one limit's axis at each instant of `t0s` (sorted): the sum of the values of the
// events in (t0 - W, t0]; for concurrency, the requests in flight at t0 ([start, end)). One pass
// over the scope's events with a difference array over the few instants: no copy of the events.
std::vector<std::int64_t> useAt(const EventStore &store, const AxisLimit &l,
    const std::vector<std::int64_t> &t0s, const EventSubset *events)
{
    std::vector<std::int64_t> diff(t0s.size() + 1, 0);
    const bool concurrency = l.axis == LimitAxis::Concurrency;
    const std::int64_t windowMs = l.spec.windowS.value_or(0) * 1000;
    forEachEvent(store, events, [&](std::size_t i) {
        const std::int64_t t = store.timeMs(i);
        std::int64_t to = 0, v = 1;
        if (concurrency) {
            const std::optional<std::int64_t> d = inFlightMs(store, i);
            if (!d)
                return;
            to = t + *d;
        } else {
            v = axisValue(store, i, l.axis);
            if (v <= 0)
                return;
            to = t + windowMs; // t in (t0 - W, t0]  <=>  t0 in [t, t + W)
        }
        const auto lo = std::lower_bound(t0s.begin(), t0s.end(), t);
        const auto hi = std::lower_bound(lo, t0s.end(), to);
        if (lo != hi) {
            diff[std::size_t(lo - t0s.begin())] += v;
            diff[std::size_t(hi - t0s.begin())] -= v;
        }
    });
    std::vector<std::int64_t> use(t0s.size());
    std::int64_t running = 0;
    for (std::size_t k = 0; k < t0s.size(); ++k)
        use[k] = running += diff[k];
    return use;
}

} // namespace

void addBindings(const EventStore &store, std::vector<Incident> &incidents,
    const std::vector<AxisLimit> &limits, const EventSubset *scopeEvents)
{
    // the limits that can be compared: a known window (limits.md §3), or concurrency
    std::vector<const AxisLimit *> usable;
    for (const AxisLimit &l : limits) {
        if (l.spec.requests > 0 && (l.axis == LimitAxis::Concurrency || l.spec.windowS))
            usable.push_back(&l);
    }
    // the reported limits of an axis, for a headers binding's window: those of `limits`
    // when they are the reported ones, else (a configured limit wins there) read from the
    // scope's events, once per axis and only when a binding needs them
    std::array<std::optional<std::vector<LimitSpec>>, kHeaderAxes> reported;
    const auto reportedOf = [&](LimitAxis axis) -> const std::vector<LimitSpec> & {
        std::optional<std::vector<LimitSpec>> &r = reported[std::size_t(axis)];
        if (!r) {
            r.emplace();
            bool configured = false;
            for (const AxisLimit &l : limits) {
                if (l.axis != axis)
                    continue;
                if (l.spec.fromHeaders)
                    r->push_back(l.spec);
                else
                    configured = true;
            }
            if (configured)
                *r = reportedHistory(store, scopeEvents, axis).byWindow;
        }
        return *r;
    };
    std::vector<Incident *> byCounts; // judged by counts, below
    for (Incident &inc : incidents) {
        inc.binding = Binding {};
        if (auto b = fromMessages(store, inc)) {
            inc.binding = *b;
            continue;
        }
        // the scope's limits and headers say nothing of an upstream provider's (TOOL_ERROR),
        // nor of a quota that ran out (insufficient_quota: billing, not a rate)
        if (inc.dominant == RejectionSource::ToolError || inc.quota)
            continue;
        if (const std::optional<LimitAxis> axis = fromHeaders(store, inc)) {
            Binding &b = inc.binding;
            b.axis = axis;
            b.windowS = reportedWindow(
                reportedOf(*axis), reportedWindowAt(store, inc.events.front(), *axis));
            b.evidence = Binding::Evidence::Headers;
            b.rule = "remaining 0";
            continue;
        }
        // counts judge only an incident the scope itself rejected
        if (inc.dominant == RejectionSource::RateLimited && !usable.empty())
            byCounts.push_back(&inc);
    }
    if (byCounts.empty())
        return;
    std::vector<std::int64_t> t0s;
    for (const Incident *inc : byCounts)
        t0s.push_back(inc->startMs);
    std::sort(t0s.begin(), t0s.end());
    t0s.erase(std::unique(t0s.begin(), t0s.end()), t0s.end());
    std::vector<double> bestRatio(byCounts.size(), -1);
    for (const AxisLimit *l : usable) {
        const std::vector<std::int64_t> use = useAt(store, *l, t0s, scopeEvents);
        for (std::size_t k = 0; k < byCounts.size(); ++k) {
            Incident &inc = *byCounts[k];
            const auto at = std::lower_bound(t0s.begin(), t0s.end(), inc.startMs) - t0s.begin();
            const double ratio = double(use[std::size_t(at)]) / double(l->spec.requests);
            if (ratio > bestRatio[k]) {
                bestRatio[k] = ratio;
                Binding &b = inc.binding;
                b.axis = l->axis;
                b.windowS = l->axis == LimitAxis::Concurrency ? std::nullopt : l->spec.windowS;
                b.evidence = Binding::Evidence::Counts;
                b.rule = "use/limit";
            }
        }
    }
}
