#pragma once

#include "aggregate/buckets.h"
#include "base/inputreport.h"
#include "base/limitspec.h"
#include "export/scopesummary.h"
#include "incidents/binding.h"
#include "incidents/incidentfinder.h"
#include "incidents/retryanalysis.h"
#include "store/eventbuilder.h"

#include <QString>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

// Everything `summarize` reports (summary.md, limits.md §8), computed once and written in any
// format. The whole-log figures are totals; `limit`, `minutesOverLimit` and `limitAsk` are
// those of the requests axis of `topScope` (topScopeIndex()).
struct Summary
{
    std::optional<LimitSpec> limit;
    std::vector<InputReport> inputs;
    std::optional<std::int64_t> spanStartMs, spanEndMs;
    std::int64_t requests = 0;
    std::array<std::int64_t, kRejectionSourceCount> rejected {};
    std::optional<std::int64_t> peakRpm, peakMinuteMs;
    std::int64_t minutesOverLimit = 0;
    std::vector<std::int64_t> overLimitMinutes; // the minutes counted in minutesOverLimit
    std::vector<Incident> incidents;
    std::vector<BucketCounts> minutes; // per-minute counts, sparse, sorted
    // beyond summary.md's keys (added keys; the contract's keys are unchanged)
    std::vector<RetryFinding> findings;
    std::optional<LimitAsk> limitAsk; // peak rpm + headroom, when there is a peak
    ScopeBy scopeBy = ScopeBy::Host;
    std::string topScope;
    std::vector<ScopeSummary> scopes; // sorted by name
    std::vector<ScopeLimit> limits; // every limit in force
    std::vector<LimitDrift> drift;

    // limits.md §7, §8 `throttles`: events per category, and per rule that gave one (by
    // category, then count, most first, then name); the providers gateway rules named
    // (`providers`: events per provider, most first, then name)
    struct RuleCount
    {
        std::string rule;
        ThrottleCategory category = ThrottleCategory::None;
        std::int64_t count = 0;
    };
    std::array<std::int64_t, kThrottleCategoryCount> throttles {};
    std::vector<RuleCount> throttleRules;
    std::vector<NamedCount> providersNamed;
    // Figures that could not be told exactly, each a sentence naming which and why (a run
    // summarized from its rollups, issue 22); empty when every figure is exact.
    std::vector<std::string> inexact;

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

// userLimit (one --limit N[/W] for every scope) is added to scoping.limits. The limits the
// responses reported are read per scope from the events (EventStore::serverLimit), over every
// event of the scope even when a subset is summarized: a limit belongs to the API, not to the
// requests a filter kept.
Summary buildSummary(const EventStore &store, std::vector<InputReport> inputs,
    std::optional<LimitSpec> userLimit, double mergeGapMinutes, const EventSubset *subset = nullptr,
    const SummaryScoping &scoping = {});

// Retry-behaviour findings and the limit to ask for.
constexpr int kDefaultHeadroomPercent = 30; // the limit to ask for: peak + 30 %
void addFindings(
    Summary &s, const EventStore &store, int headroomPercent, const EventSubset *subset = nullptr);

// buildSummary() then addFindings(), with the retry analysis (the longest part) running on
// a second thread while the summary is built: both only read the store.
Summary buildSummaryWithFindings(const EventStore &store, std::vector<InputReport> inputs,
    std::optional<LimitSpec> userLimit, double mergeGapMinutes, int headroomPercent,
    const EventSubset *subset = nullptr, const SummaryScoping &scoping = {});

// The steps buildSummary shares with summaryFromRollup (issue 22), each the one rule for its
// figures:
// a summary of the inputs, and the limits in force: the scoping's and --limit for every scope;
Summary startSummary(std::vector<InputReport> inputs, const std::optional<LimitSpec> &userLimit,
    const SummaryScoping &scoping, std::vector<LimitEntry> &entries);
// the log's minutes, and from them its requests, rejections and busiest minute;
void setMinutes(Summary &s, std::vector<BucketCounts> minutes);
// the §7 rule and provider tallies, sorted as summary.md lists them (maps keyed by category
// and rule name, and by provider name);
template <typename Rules, typename Providers>
void setThrottleLists(Summary &s, const Rules &rules, const Providers &providers)
{
    for (const auto &[key, n] : rules)
        s.throttleRules.push_back({ std::string(key.second), key.first, n });
    std::stable_sort(s.throttleRules.begin(), s.throttleRules.end(),
        [](const Summary::RuleCount &a, const Summary::RuleCount &b) {
            return a.category != b.category ? a.category < b.category : a.count > b.count;
        });
    for (const auto &[name, n] : providers)
        s.providersNamed.push_back({ std::string(name), n });
    std::stable_sort(s.providersNamed.begin(), s.providersNamed.end(),
        [](const NamedCount &a, const NamedCount &b) { return a.count > b.count; });
}
// the limits in force on a scope's axes (what its incidents' bindings weigh);
std::vector<AxisLimit> axisLimits(const ScopeSummary &scope);
// a scope and its incidents, then (after the last scope) the incidents by time and the top
// scope's figures as the summary's own;
void addScope(Summary &s, ScopeSummary scope, std::vector<Incident> incidents);
void finishScopes(Summary &s);
// the limit to ask for, per scope and axis (peak + headroom); the summary's own is its top
// scope's requests'.
void addLimitAsk(Summary &s, int headroomPercent);

class Redactor;
// A copy whose every text that came from the input (messages, names, paths, error texts) went
// through the redactor: what exports write.
Summary redactSummary(Summary s, const Redactor &redactor);
