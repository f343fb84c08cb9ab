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

constexpr std::size_t kAxes = BindingEvidence::kAxes;
constexpr std::size_t kHeaderAxes = BindingEvidence::kHeaderAxes;

// Step 1: the axis most of the rejections' words name (ties: the order of LimitAxis).
std::optional<Binding> fromMessages(const BindingEvidence &e)
{
    std::size_t best = kAxes;
    for (std::size_t a = 0; a < kAxes; ++a) {
        if (e.wordVotes[a] > 0 && (best == kAxes || e.wordVotes[a] > e.wordVotes[best]))
            best = a;
    }
    if (best == kAxes)
        return std::nullopt;
    Binding b;
    b.axis = LimitAxis(best);
    b.windowS = e.wordExample[best].windowS;
    if (b.axis == LimitAxis::Concurrency)
        b.windowS.reset();
    b.evidence = Binding::Evidence::Message;
    b.rule = e.wordExample[best].rule;
    return b;
}

// Step 2: the axis whose remaining was 0 at the first rejection; when several were, the one
// most of the incident's rejections report 0 on (ties: the order of LimitAxis).
std::optional<LimitAxis> fromHeaders(const BindingEvidence &e)
{
    const std::uint8_t first = e.firstZero;
    if (first == 0)
        return std::nullopt;
    std::size_t best = kHeaderAxes;
    for (std::size_t a = 0; a < kHeaderAxes; ++a) {
        if (((first >> a) & 1u) && (best == kHeaderAxes || e.zeroVotes[a] > e.zeroVotes[best]))
            best = a;
    }
    return LimitAxis(best);
}

// The evidence of the incident's rejections from `from` on, added to `e`.
BindingEvidence evidenceOf(const EventStore &store, const Incident &incident,
    std::unordered_map<std::uint32_t, LimitWords> &read, BindingEvidence e = {},
    std::size_t from = 0)
{
    // one reading per distinct message: an incident repeats a few texts many times
    for (std::size_t k = from; k < incident.events.size(); ++k) {
        const std::uint32_t i = incident.events[k];
        const std::uint32_t id = store.messageId(i);
        const LimitWords *w = nullptr;
        static const LimitWords none;
        if (id != 0) {
            auto it = read.find(id);
            if (it == read.end())
                it = read.emplace(id, readLimitWords(store.message(i))).first;
            w = &it->second;
        }
        e.addRejection(store, i, w ? *w : none);
    }
    return e;
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
    const std::vector<AxisLimit> &limits, const EventSubset *scopeEvents,
    const std::vector<const Incident *> *grownFrom)
{
    std::unordered_map<std::uint32_t, LimitWords> read;
    std::vector<BindingEvidence> evidence;
    evidence.reserve(incidents.size());
    for (std::size_t k = 0; k < incidents.size(); ++k) {
        Incident &inc = incidents[k];
        const Incident *was = grownFrom ? (*grownFrom)[k] : nullptr;
        // the same rejections first, in the same order: the evidence so far, then the new ones
        // (evidence adds up in event order, so this is what reading all of them gives)
        const bool grew = was && was->evidence && was->events.size() <= inc.events.size()
            && std::equal(was->events.begin(), was->events.end(), inc.events.begin());
        if (grew)
            evidence.push_back(evidenceOf(store, inc, read, *was->evidence, was->events.size()));
        else
            evidence.push_back(evidenceOf(store, inc, read));
        inc.evidence = std::make_shared<const BindingEvidence>(evidence.back());
    }
    BindingSources sources;
    sources.reportedOf
        = [&](LimitAxis axis) { return reportedHistory(store, scopeEvents, axis).byWindow; };
    sources.useAt = [&](const AxisLimit &l, const std::vector<std::int64_t> &t0s) {
        const std::vector<std::int64_t> use = useAt(store, l, t0s, scopeEvents);
        return std::vector<std::optional<std::int64_t>>(use.begin(), use.end());
    };
    addBindings(incidents, evidence, limits, sources);
}

std::size_t addBindings(std::vector<Incident> &incidents,
    const std::vector<BindingEvidence> &evidence, const std::vector<AxisLimit> &limits,
    const BindingSources &sources)
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
                *r = sources.reportedOf(axis);
        }
        return *r;
    };
    std::vector<std::size_t> byCounts; // judged by counts, below
    for (std::size_t k = 0; k < incidents.size(); ++k) {
        Incident &inc = incidents[k];
        const BindingEvidence &e = evidence[k];
        inc.binding = Binding {};
        if (auto b = fromMessages(e)) {
            inc.binding = *b;
            continue;
        }
        // the scope's limits and headers say nothing of an upstream provider's (TOOL_ERROR),
        // nor of a quota that ran out (insufficient_quota: billing, not a rate)
        if (inc.dominant == RejectionSource::ToolError || inc.quota)
            continue;
        if (const std::optional<LimitAxis> axis = fromHeaders(e)) {
            Binding &b = inc.binding;
            b.axis = axis;
            b.windowS = reportedWindow(reportedOf(*axis), e.firstWindowS[std::size_t(*axis)]);
            b.evidence = Binding::Evidence::Headers;
            b.rule = "remaining 0";
            continue;
        }
        // counts judge only an incident the scope itself rejected
        if (inc.dominant == RejectionSource::RateLimited && !usable.empty())
            byCounts.push_back(k);
    }
    if (byCounts.empty())
        return 0;
    std::vector<std::int64_t> t0s;
    for (std::size_t k : byCounts)
        t0s.push_back(incidents[k].startMs);
    std::sort(t0s.begin(), t0s.end());
    t0s.erase(std::unique(t0s.begin(), t0s.end()), t0s.end());
    std::vector<double> bestRatio(byCounts.size(), -1);
    std::vector<bool> unknown(byCounts.size(), false);
    for (const AxisLimit *l : usable) {
        const std::vector<std::optional<std::int64_t>> use = sources.useAt(*l, t0s);
        for (std::size_t k = 0; k < byCounts.size(); ++k) {
            Incident &inc = incidents[byCounts[k]];
            const auto at = std::lower_bound(t0s.begin(), t0s.end(), inc.startMs) - t0s.begin();
            const std::optional<std::int64_t> u = use[std::size_t(at)];
            if (!u) {
                unknown[k] = true;
                continue;
            }
            const double ratio = double(*u) / double(l->spec.requests);
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
    std::size_t undecided = 0;
    for (std::size_t k = 0; k < byCounts.size(); ++k) {
        if (unknown[k]) {
            incidents[byCounts[k]].binding = Binding {}; // not decided on part of the counts
            ++undecided;
        }
    }
    return undecided;
}
