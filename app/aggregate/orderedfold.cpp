#include "aggregate/orderedfold.h"

#include <algorithm>

namespace {

constexpr std::size_t kTokenAxes = 3; // Tokens, InputTokens, OutputTokens, in LimitAxis order

LimitAxis tokenAxis(std::size_t a) { return LimitAxis(std::size_t(LimitAxis::Tokens) + a); }

// The most requests in flight per bucket, from InFlightSweep's notes.
auto noteInto(std::vector<AxisBucket> &buckets)
{
    return [&buckets](std::int64_t b, std::int64_t value) {
        if (!buckets.empty() && buckets.back().startMs == b)
            buckets.back().value = std::max(buckets.back().value, value);
        else
            buckets.push_back({ b, value });
    };
}

} // namespace

std::vector<OrderedFold::Window> OrderedFold::windowsOf(const std::vector<LimitEntry> &limits)
{
    std::vector<Window> out;
    for (const LimitEntry &e : limits) {
        if (e.axis != LimitAxis::Concurrency && e.spec.windowS && *e.spec.windowS > 0
            && !e.spec.perMinute())
            out.push_back({ e.axis, *e.spec.windowS * 1000 });
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end(),
                  [](const Window &a, const Window &b) { return !(a < b) && !(b < a); }),
        out.end());
    return out;
}

OrderedFold::OrderedFold(ScopeBy by, std::vector<Window> windows)
    : m_by(by)
    , m_windows(std::move(windows))
{
}

void OrderedFold::Rolling::add(std::int64_t t, std::int64_t value, std::int64_t windowMs)
{
    points.emplace_back(t, value);
    sum += value;
    while (points.front().first <= t - windowMs) {
        sum -= points.front().second;
        points.pop_front();
    }
    // at equal times the last one's sum holds them all: the largest is exact
    const std::int64_t minute = floorTo(t, 60000);
    if (maxima.empty() || maxima.back().first != minute)
        maxima.emplace_back(minute, sum);
    else
        maxima.back().second = std::max(maxima.back().second, sum);
}

void OrderedFold::follow(Scope &scope, LimitAxis axis, std::int64_t windowS)
{
    const Window w { axis, windowS * 1000 };
    if (scope.rolling.count(w))
        return;
    Rolling &r = scope.rolling[w];
    // reported after the scope's first events: followed from them when they are still kept
    r.fromStart = scope.preludeWhole;
    if (!r.fromStart)
        return;
    const std::size_t a = std::size_t(axis) - std::size_t(LimitAxis::Requests);
    for (const auto &[t, values] : scope.prelude) {
        if (values[a] > 0)
            r.add(t, values[a], w.ms);
    }
}

void OrderedFold::addEvent(Scope &scope, const EventStore &events, std::size_t i)
{
    const std::int64_t t = events.timeMs(i);
    if (!scope.seen) {
        for (const Window &w : m_windows)
            scope.rolling[w];
        // a minute's window on every summed axis, for the use at an incident's start
        for (std::size_t a = 0; a <= kTokenAxes; ++a)
            scope.rolling[{ LimitAxis(std::size_t(LimitAxis::Requests) + a), 60000 }];
    }
    if (scope.pendingT0 && t > *scope.pendingT0) {
        // every event at the first rejection's time is in: its use is final
        scope.sweep.advanceTo(*scope.pendingT0, noteInto(scope.inFlight));
        scope.uses.push_back(useNow(scope, *scope.pendingT0));
        scope.pendingT0.reset();
    }
    // the limits reported, and the rolling windows they start following
    if (events.serverLimit(i) > 0) {
        scope.reported[0].add(events, i);
        const std::int32_t w = events.serverWindowS(i);
        if (w > 0 && w != 60 && !(events.flags(i) & FlagWindowByReset))
            follow(scope, LimitAxis::Requests, w);
    }
    if (events.hasReportedTokens()) {
        const ReportedTokenLimits &set = events.reportedTokens(i);
        for (std::size_t a = 0; a < kTokenAxes; ++a) {
            if (set.limit[a] <= 0)
                continue;
            scope.reported[a + 1].add(events, i);
            const std::int32_t w = set.windowS[a];
            if (w > 0 && w != 60 && !((set.windowByReset >> a) & 1u))
                follow(scope, tokenAxis(a), w);
        }
    }
    scope.seen = true;
    if (scope.preludeWhole) {
        if (scope.prelude.size() < kPreludeEvents) {
            std::array<std::int64_t, 4> values {};
            for (std::size_t a = 0; a < values.size(); ++a)
                values[a] = axisValue(events, i, LimitAxis(std::size_t(LimitAxis::Requests) + a));
            scope.prelude.emplace_back(t, values);
        } else {
            scope.preludeWhole = false;
            scope.prelude = {};
        }
    }

    // requests in flight
    const auto note = noteInto(scope.inFlight);
    scope.sweep.advanceTo(t, note);
    const std::optional<std::int64_t> d = inFlightMs(events, i);
    ++(d ? scope.known : scope.unknown);
    if (d)
        scope.sweep.start(t, *d, note);

    for (auto &[w, r] : scope.rolling) {
        const std::int64_t v = axisValue(events, i, w.axis);
        if (v > 0)
            r.add(t, v, w.ms);
    }

    // the first rejection of a minute: where an incident can start
    if (events.source(i) != RejectionSource::None) {
        const std::int64_t minute = floorTo(t, 60000);
        if (minute != scope.lastRejectionMinute) {
            scope.lastRejectionMinute = minute;
            scope.pendingT0 = t;
        }
    }
}

OrderedFold::Scope::Use OrderedFold::useNow(const Scope &scope, std::int64_t t0)
{
    Scope::Use use;
    use.t0 = t0;
    for (const auto &[w, r] : scope.rolling) {
        if (!r.fromStart)
            continue;
        std::int64_t sum = r.sum; // without the points the window has left by t0
        for (auto p = r.points.begin(); p != r.points.end() && p->first <= t0 - w.ms; ++p)
            sum -= p->second;
        use.sums.emplace_back(w, sum);
    }
    InFlightSweep sweep = scope.sweep; // the ends up to t0 leave
    sweep.advanceTo(t0, [](std::int64_t, std::int64_t) {});
    use.inFlight = sweep.inFlight();
    return use;
}

std::optional<std::int64_t> OrderedFold::useAt(
    const std::string &scope, LimitAxis axis, std::int64_t windowMs, std::int64_t t0) const
{
    const auto it = m_scopes.find(scope);
    if (it == m_scopes.end())
        return std::nullopt;
    const Scope &s = it->second;
    const auto u = std::lower_bound(s.uses.begin(), s.uses.end(), t0,
        [](const Scope::Use &x, std::int64_t t) { return x.t0 < t; });
    Scope::Use pending;
    const Scope::Use *use = nullptr;
    if (u != s.uses.end() && u->t0 == t0) {
        use = &*u;
    } else if (s.pendingT0 == t0) {
        pending = useNow(s, t0);
        use = &pending;
    } else {
        return std::nullopt;
    }
    if (axis == LimitAxis::Concurrency)
        return use->inFlight;
    for (const auto &[w, sum] : use->sums) {
        if (w.axis == axis && w.ms == windowMs)
            return sum;
    }
    return std::nullopt;
}

void OrderedFold::add(const EventStore &events, const EventSubset &ordered)
{
    if (ordered.empty())
        return;
    const ScopeIndex index = ScopeIndex::build(events, m_by, &ordered);
    std::vector<Scope *> scopeOf(index.size());
    for (std::size_t k = 0; k < index.size(); ++k)
        scopeOf[k] = &m_scopes[index.names()[k]];
    for (const std::uint32_t i : ordered) {
        const std::int64_t t = events.timeMs(i);
        if (t < m_lastMs)
            ++m_late;
        else
            m_lastMs = t;
        addEvent(*scopeOf[index.scopeOf(i)], events, i);
    }
}

void OrderedFold::add(const EventStore &events, std::size_t i, const std::string &scope)
{
    const std::int64_t t = events.timeMs(i);
    if (t < m_lastMs)
        ++m_late;
    else
        m_lastMs = t;
    addEvent(m_scopes[scope], events, i);
}

ReportedHistory OrderedFold::reported(const std::string &scope, LimitAxis axis) const
{
    const auto it = m_scopes.find(scope);
    if (it == m_scopes.end() || axis == LimitAxis::Concurrency)
        return {};
    return it->second.reported[std::size_t(axis) - std::size_t(LimitAxis::Requests)].history();
}

AxisSeries OrderedFold::concurrency(const std::string &scope) const
{
    AxisSeries out;
    const auto it = m_scopes.find(scope);
    if (it == m_scopes.end())
        return out;
    const Scope &s = it->second;
    out.known = s.known;
    out.unknown = s.unknown;
    out.buckets = s.inFlight;
    InFlightSweep rest = s.sweep; // the requests still in flight end on a copy
    rest.finish(noteInto(out.buckets));
    // buckets where only ends happened, at zero, are no peak
    out.buckets.erase(std::remove_if(out.buckets.begin(), out.buckets.end(),
                          [](const AxisBucket &a) { return a.value <= 0; }),
        out.buckets.end());
    return out;
}

std::optional<std::vector<std::int64_t>> OrderedFold::minutesOver(
    const std::string &scope, LimitAxis axis, std::int64_t limit, std::int64_t windowMs) const
{
    const auto it = m_scopes.find(scope);
    if (it == m_scopes.end())
        return std::vector<std::int64_t> {};
    const auto r = it->second.rolling.find({ axis, windowMs });
    if (r == it->second.rolling.end() || !r->second.fromStart)
        return std::nullopt;
    std::vector<std::int64_t> minutes;
    for (const auto &[minute, largest] : r->second.maxima) {
        if (largest > limit)
            minutes.push_back(minute);
    }
    return minutes;
}
