#include "export/summary.h"

#include "aggregate/axisseries.h"
#include "export/redactor.h"
#include "export/scopefigures.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <map>

namespace {

// A scope's events in a store, as summarizeScope reads them. `events`: the ones summarized;
// `allEvents`: every event of the scope (its reported limits); null: every event of the store.
ScopeReader storeReader(
    const EventStore &store, const EventSubset *events, const EventSubset *allEvents)
{
    ScopeReader r;
    r.perMinute = [&store, events](LimitAxis a) { return axisPerMinute(store, a, events); };
    r.reported = [&store, allEvents](LimitAxis a) { return reportedHistory(store, allEvents, a); };
    r.overRolling = [&store, events](LimitAxis a, std::int64_t limit, std::int64_t windowMs) {
        return std::optional<std::vector<std::int64_t>>(
            minutesOverRollingSum(store, a, limit, windowMs, events));
    };
    r.hasTokens = store.hasTokens();
    return r;
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
    setThrottleLists(*s, rules, providers);
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
    std::vector<LimitEntry> entries;
    Summary s = startSummary(std::move(inputs), userLimit, scoping, entries);
    setMinutes(s, countBuckets(store, 60000, subset));
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
        ScopeSummary sc = summarizeScope(index.names()[k], std::move(minutes),
            storeReader(store, events, allEvents), entries, s.limits, s.drift, s.inexact);
        countThrottles(store, events, sc.throttles, nullptr, &sc.throttleMinutes);
        std::vector<Incident> incidents = findIncidents(store, sc.minutes, mergeGapMinutes, events);
        addBindings(store, incidents, axisLimits(sc), events);
        addScope(s, std::move(sc), std::move(incidents));
    }
    finishScopes(s);
    return s;
}

Summary startSummary(std::vector<InputReport> inputs, const std::optional<LimitSpec> &userLimit,
    const SummaryScoping &scoping, std::vector<LimitEntry> &entries)
{
    Summary s;
    s.inputs = std::move(inputs);
    s.scopeBy = scoping.by;
    entries = scoping.limits;
    if (userLimit)
        entries.push_back({ QString(), LimitAxis::Requests, *userLimit });
    return s;
}

std::vector<AxisLimit> axisLimits(const ScopeSummary &scope)
{
    std::vector<AxisLimit> limits;
    for (const AxisFigures &a : scope.axes) {
        if (a.limit)
            limits.push_back({ a.axis, *a.limit });
    }
    return limits;
}

void setMinutes(Summary &s, std::vector<BucketCounts> minutes)
{
    s.minutes = std::move(minutes);
    for (const BucketCounts &m : s.minutes) {
        s.requests += m.requests;
        for (int k = 0; k < kRejectionSourceCount; ++k)
            s.rejected[std::size_t(k)] += m.rejected[std::size_t(k)];
        if (!s.peakRpm || std::int64_t(m.requests) > *s.peakRpm) { // ties: earliest minute
            s.peakRpm = m.requests;
            s.peakMinuteMs = m.startMs;
        }
    }
}

void addScope(Summary &s, ScopeSummary scope, std::vector<Incident> incidents)
{
    for (Incident &inc : incidents) {
        inc.scope = scope.name;
        s.incidents.push_back(std::move(inc));
    }
    s.scopes.push_back(std::move(scope));
}

void finishScopes(Summary &s)
{
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
}

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
