#include "export/summary.h"

#include "aggregate/axisseries.h"
#include "export/redactor.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <map>

namespace {

// minutes_over_limit of one limit over the events of one scope (summary.md): per-minute values
// against a per-minute limit (a concurrency limit, which has no window, against each minute's
// peak in flight), the rolling rule for other windows, nothing for an unknown one.
void countOverLimit(
    const EventStore &store, const AxisSeries &values, const EventSubset *events, AxisFigures &axis)
{
    if (!axis.limit)
        return;
    if (axis.axis == LimitAxis::Concurrency || axis.limit->perMinute()) {
        for (const AxisBucket &m : values.buckets) {
            if (m.value > axis.limit->requests)
                axis.overLimitMinutes.push_back(m.startMs);
        }
    } else if (axis.limit->windowS && *axis.limit->windowS > 0) {
        axis.overLimitMinutes = minutesOverRollingSum(
            store, axis.axis, axis.limit->requests, *axis.limit->windowS * 1000, events);
    }
    axis.minutesOverLimit = std::int64_t(axis.overLimitMinutes.size());
}

// The figures of one scope, axis by axis (requests first): every limit in force on the axis
// (given, else reported) and its drift; the requests axis also without a limit, and the tokens
// a scope used too (for the limit to ask for).
ScopeSummary summarizeScope(const EventStore &store, std::string name,
    std::vector<BucketCounts> minutes, const EventSubset *events, const EventSubset *allEvents,
    const std::vector<LimitEntry> &entries, Summary &s)
{
    ScopeSummary sc;
    sc.name = std::move(name);
    sc.minutes = std::move(minutes);
    // each axis's minutes, made once when the axis is shown; the requests are the scope's own
    std::map<LimitAxis, AxisSeries> series;
    AxisSeries &requests = series[LimitAxis::Requests];
    for (const BucketCounts &m : sc.minutes) {
        sc.requests += m.requests;
        for (int k = 0; k < kRejectionSourceCount; ++k)
            sc.rejected[std::size_t(k)] += m.rejected[std::size_t(k)];
        requests.buckets.push_back({ m.startMs, std::int64_t(m.requests) });
    }
    requests.known = sc.requests;
    const auto seriesOf = [&](LimitAxis a) -> const AxisSeries & {
        auto it = series.find(a);
        if (it == series.end())
            it = series.emplace(a, axisPerMinute(store, a, events)).first;
        return it->second;
    };
    const auto addAxis = [&](LimitAxis axisKind, std::optional<LimitSpec> limit) {
        AxisFigures axis;
        axis.axis = axisKind;
        axis.limit = limit;
        const AxisSeries &values = seriesOf(axisKind);
        axis.unknownShare = values.unknownShare();
        for (const AxisBucket &m : values.buckets) {
            if (!axis.peak || m.value > *axis.peak) { // ties: earliest minute
                axis.peak = m.value;
                axis.peakMinuteMs = m.startMs;
            }
        }
        countOverLimit(store, values, events, axis);
        if (limit)
            s.limits.push_back({ sc.name, axisKind, *limit });
        sc.axes.push_back(std::move(axis));
    };
    for (LimitAxis axis : { LimitAxis::Requests, LimitAxis::Tokens, LimitAxis::InputTokens,
             LimitAxis::OutputTokens, LimitAxis::Concurrency }) {
        std::vector<LimitSpec> limits = configuredLimits(entries, sc.name, axis);
        // what the responses reported on this axis (limits.md §3), over every event of the
        // scope; configured against reported (§6) before the changes
        const ReportedHistory reported = reportedHistory(store, allEvents, axis);
        if (axis == LimitAxis::Requests) {
            sc.reported = reported.byWindow;
            sc.driftOmitted = reported.omitted;
        }
        std::vector<LimitDrift> drift = configuredAgainstReported(limits, reported.byWindow);
        for (LimitDrift &d : drift)
            d.axis = axis;
        drift.insert(drift.end(), reported.changes.begin(), reported.changes.end());
        for (LimitDrift &d : drift) {
            d.scope = sc.name;
            s.drift.push_back(std::move(d));
        }
        if (limits.empty())
            limits = reported.byWindow; // what the responses said, when the user said nothing
        for (const LimitSpec &l : limits)
            addAxis(axis, l);
        if (limits.empty()
            && (axis == LimitAxis::Requests
                || (axis == LimitAxis::Tokens && store.hasTokens() && seriesOf(axis).known > 0)))
            addAxis(axis, std::nullopt);
    }
    return sc;
}

// limits.md §7: the categories and gateway providers of the events (only events a rule of §7
// fired on have any: a store without one costs nothing).
// `perMinute` (a scope's): the counts per minute as well.
void countThrottles(const EventStore &store, const EventSubset *events,
    std::array<std::int64_t, kThrottleCategoryCount> &counts, Summary *s,
    std::vector<ScopeSummary::ThrottleMinute> *perMinute = nullptr)
{
    if (!store.hasRuleHits())
        return;
    std::map<std::pair<ThrottleCategory, std::string_view>, std::int64_t> rules;
    std::map<std::string_view, std::int64_t> providers;
    std::map<std::int64_t, std::array<std::int64_t, kThrottleCategoryCount>> minutes;
    forEachEvent(store, events, [&](std::size_t i) {
        const RuleHit hit = store.ruleHit(i);
        if (hit.category != ThrottleCategory::None) {
            ++counts[std::size_t(categoryIndex(hit.category))];
            if (s)
                ++rules[{ hit.category, store.strings().view(hit.categoryRuleId) }];
            if (perMinute)
                ++minutes[floorTo(store.timeMs(i), 60000)]
                         [std::size_t(categoryIndex(hit.category))];
        }
        if (s && hit.gatewayRuleId && !store.provider(i).empty())
            ++providers[store.provider(i)];
    });
    if (perMinute) {
        for (const auto &[startMs, n] : minutes)
            perMinute->push_back({ startMs, n });
    }
    if (!s)
        return;
    for (const auto &[key, n] : rules)
        s->throttleRules.push_back({ std::string(key.second), key.first, n });
    std::stable_sort(s->throttleRules.begin(), s->throttleRules.end(),
        [](const Summary::RuleCount &a, const Summary::RuleCount &b) {
            return a.category != b.category ? a.category < b.category : a.count > b.count;
        });
    for (const auto &[name, n] : providers)
        s->providersNamed.push_back({ std::string(name), n });
    std::stable_sort(s->providersNamed.begin(), s->providersNamed.end(),
        [](const NamedCount &a, const NamedCount &b) { return a.count > b.count; });
}

LimitAsk limitAskFor(std::int64_t peak, std::int64_t minuteMs, int headroomPercent)
{
    LimitAsk ask;
    ask.peakRpm = peak;
    ask.minuteMs = minuteMs;
    ask.headroomPercent = headroomPercent;
    ask.requestsPerMinute = (peak * (100 + headroomPercent) + 99) / 100;
    return ask;
}

} // namespace

Summary buildSummary(const EventStore &store, std::vector<InputReport> inputs,
    std::optional<LimitSpec> userLimit, double mergeGapMinutes, const EventSubset *subset,
    const SummaryScoping &scoping)
{
    Summary s;
    s.inputs = std::move(inputs);
    s.scopeBy = scoping.by;
    std::vector<LimitEntry> entries = scoping.limits;
    if (userLimit)
        entries.push_back({ QString(), LimitAxis::Requests, *userLimit });
    s.minutes = countBuckets(store, 60000, subset);
    for (const BucketCounts &m : s.minutes) {
        s.requests += m.requests;
        for (int k = 0; k < kRejectionSourceCount; ++k)
            s.rejected[std::size_t(k)] += m.rejected[std::size_t(k)];
        if (!s.peakRpm || std::int64_t(m.requests) > *s.peakRpm) { // ties: earliest minute
            s.peakRpm = m.requests;
            s.peakMinuteMs = m.startMs;
        }
    }
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t t = store.timeMs(i);
        if (!s.spanStartMs || t < *s.spanStartMs)
            s.spanStartMs = t;
        if (!s.spanEndMs || t > *s.spanEndMs)
            s.spanEndMs = t;
    });

    countThrottles(store, subset, s.throttles, &s);

    // Scopes over every event (a reported limit is the API's, whatever a filter kept), their
    // figures over the subset. One scope needs no lists: its events are the subset.
    const ScopeIndex index = ScopeIndex::build(store, scoping.by);
    const bool single = index.size() == 1;
    std::vector<EventSubset> all, chosen;
    if (!single) {
        all = index.eventsByScope(store);
        if (subset)
            chosen = index.eventsByScope(store, subset);
    }
    for (std::size_t k = 0; k < index.size(); ++k) {
        const EventSubset *allEvents = single ? nullptr : &all[k];
        const EventSubset *events = single ? subset : subset ? &chosen[k] : &all[k];
        if (events && events->empty())
            continue; // a scope the subset left out
        std::vector<BucketCounts> minutes = single ? s.minutes : countBuckets(store, 60000, events);
        ScopeSummary sc = summarizeScope(
            store, index.names()[k], std::move(minutes), events, allEvents, entries, s);
        countThrottles(store, events, sc.throttles, nullptr, &sc.throttleMinutes);
        std::vector<Incident> incidents = findIncidents(store, sc.minutes, mergeGapMinutes, events);
        std::vector<AxisLimit> limits;
        for (const AxisFigures &a : sc.axes) {
            if (a.limit)
                limits.push_back({ a.axis, *a.limit });
        }
        addBindings(store, incidents, limits, events);
        for (Incident &inc : incidents) {
            inc.scope = sc.name;
            s.incidents.push_back(std::move(inc));
        }
        s.scopes.push_back(std::move(sc));
    }
    std::stable_sort(s.incidents.begin(), s.incidents.end(),
        [](const Incident &a, const Incident &b) { return a.startMs < b.startMs; });
    if (!s.scopes.empty()) {
        const ScopeSummary &top = s.scopes[topScopeIndex(s.scopes)];
        s.topScope = top.name;
        const AxisFigures &requests = top.axes.front();
        s.limit = requests.limit;
        s.overLimitMinutes = requests.overLimitMinutes;
        s.minutesOverLimit = requests.minutesOverLimit;
    }
    return s;
}

namespace {
// The limit to ask for, per scope (peak of its requests per minute + headroom); the summary's
// own is its top scope's.
void addLimitAsk(Summary &s, int headroomPercent)
{
    for (ScopeSummary &sc : s.scopes) {
        for (AxisFigures &axis : sc.axes) {
            if (axis.peak) // on every axis: "ask for 140,000 TPM on api.openai.com"
                axis.limitAsk = limitAskFor(*axis.peak, *axis.peakMinuteMs, headroomPercent);
        }
        if (sc.name == s.topScope)
            s.limitAsk = sc.axes.front().limitAsk;
    }
}
} // namespace

void addFindings(
    Summary &s, const EventStore &store, int headroomPercent, const EventSubset *subset)
{
    s.findings = analyzeRetries(store, subset);
    addLimitAsk(s, headroomPercent);
}

Summary buildSummaryWithFindings(const EventStore &store, std::vector<InputReport> inputs,
    std::optional<LimitSpec> userLimit, double mergeGapMinutes, int headroomPercent,
    const EventSubset *subset, const SummaryScoping &scoping)
{
    auto findings = std::async(std::launch::async, [&] { return analyzeRetries(store, subset); });
    Summary s = buildSummary(store, std::move(inputs), userLimit, mergeGapMinutes, subset, scoping);
    s.findings = findings.get();
    addLimitAsk(s, headroomPercent);
    return s;
}

Summary redactSummary(Summary s, const Redactor &r)
{
    auto text = [&](std::string &t) { t = r.text(t); };
    for (InputReport &in : s.inputs) {
        for (LocatedError &e : in.errors)
            e.message = QString::fromStdString(r.text(e.message.toStdString()));
        in.fatal = QString::fromStdString(r.text(in.fatal.toStdString()));
        in.path = QString::fromStdString(r.url(in.path.toStdString()));
    }
    for (ScopeSummary &sc : s.scopes)
        text(sc.name);
    for (ScopeLimit &l : s.limits)
        text(l.scope);
    for (LimitDrift &d : s.drift)
        text(d.scope);
    s.topScope = r.text(s.topScope);
    for (Incident &inc : s.incidents) {
        text(inc.scope);
        for (auto *list : { &inc.topTools, &inc.topProviders, &inc.messages })
            for (NamedCount &n : *list)
                text(n.name);
    }
    for (NamedCount &n : s.providersNamed)
        text(n.name);
    for (RetryFinding &f : s.findings) {
        text(f.client);
        f.target = r.text(r.url(f.target));
    }
    return s;
}
