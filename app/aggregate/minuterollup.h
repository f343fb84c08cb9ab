#pragma once

// Per-minute figures of a run kept as its events arrive, without the events (issue 22: a
// monitor or window watching for days holds rollups for the whole run and raw events only for
// a recent window). Step one of a summary in bounded memory: everything the summary reads per
// minute, equal to what buildSummary computes from a store of every event:
//   - the log's minutes (requests, rejections by source, §7 categories, the smallest reported
//     request limit), its span, and its §7 rule and gateway-provider tallies;
//   - per scope: its minutes, and its token axes per minute with how many events had a value;
//   - per scope and minute with a rejection, what its incidents need (incidentsFromRollup).
// Memory: one entry per scope and minute with an event (a day of one scope: 1,440 entries of
// ~100 bytes), plus one per distinct §7 rule and provider name, plus per minute with a
// rejection one entry per distinct tool, provider and message of its rejections (a provider
// whose every message differs costs one entry per rejection); nothing per event.
// What looks at an event's neighbours in time is OrderedFold's (rolling windows other than a
// minute, requests in flight, reported-limit history, the use at an incident's start); retry
// findings are not here yet. A live run lets go of the rejections of minutes it has seen whole
// (releaseRejections) into an IncidentFold, so that what it holds per rejection is bounded.

#include "aggregate/axisseries.h"
#include "aggregate/bindingevidence.h"
#include "aggregate/buckets.h"
#include "aggregate/scopes.h"
#include "store/eventstore.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// The rejections of one scope in one minute, with what incidents tell of them (summary.md
// "incident"): their first and last times, whether a quota ran out, the largest Retry-After,
// and counts by tool, provider and message. Kept only for minutes with a rejection.
struct MinuteRejections
{
    std::int64_t firstMs = INT64_MAX;
    std::int64_t lastMs = INT64_MIN;
    bool quota = false;
    std::int32_t maxRetryAfterMs = -1; // -1: none said
    std::map<std::string, std::int64_t, std::less<>> tools, providers, messages;
    BindingEvidence binding; // limits.md §5: their words and headers
};

class MinuteRollup
{
public:
    explicit MinuteRollup(ScopeBy by = ScopeBy::Host);

    // Adds events [from, to) of a store (a live batch: all of it). Any order, any batching:
    // the figures depend only on which events were added.
    void add(const EventStore &events, std::size_t from, std::size_t to);
    void add(const EventStore &events) { add(events, 0, events.size()); }
    // The same with the events' scopes already known (ScopeIndex::build of `events` by this
    // rollup's ScopeBy, over every event of the store or at least [from, to)).
    void add(const EventStore &events, std::size_t from, std::size_t to, const ScopeIndex &index);

    std::int64_t requests() const { return m_requests; }
    std::optional<std::int64_t> spanStartMs() const { return m_spanStartMs; }
    std::optional<std::int64_t> spanEndMs() const { return m_spanEndMs; }
    // The log's minutes with an event, sorted (buildSummary's Summary::minutes).
    std::vector<BucketCounts> minutes() const;
    // Events per §7 category, and per (category, rule name) and gateway-named provider.
    const std::array<std::int64_t, kThrottleCategoryCount> &throttles() const
    {
        return m_throttles;
    }
    const std::map<std::pair<ThrottleCategory, std::string>, std::int64_t> &throttleRules() const
    {
        return m_rules;
    }
    const std::map<std::string, std::int64_t> &providersNamed() const { return m_providers; }

    // Scope names, sorted (as ScopeIndex names them over every event added).
    std::vector<std::string> scopes() const;
    // A scope's minutes, sorted; empty for a name it has not seen.
    std::vector<BucketCounts> scopeMinutes(const std::string &scope) const;
    // A scope's values per minute on a token axis (Tokens, InputTokens, OutputTokens), as
    // axisPerMinute over its events gives them.
    AxisSeries scopeTokens(const std::string &scope, LimitAxis axis) const;

    // Calls f(minute's counts, its rejections) for every minute of a scope with a rejection,
    // by time.
    template <typename F> void forEachRejectionMinute(const std::string &scope, F &&f) const
    {
        const auto it = m_scopes.find(scope);
        if (it == m_scopes.end())
            return;
        for (const auto &[start, m] : it->second.minutes) {
            if (m.rejections)
                f(m.counts, *m.rejections);
        }
    }

    // Lets go of the rejections of every minute of every scope that ends at or before `untilMs`
    // and was not let go of before, handing them to f(scope name, rejections) by time within
    // a scope (IncidentFold::addMinute). Their counts stay. A rejection added later to such a
    // minute (a late record) is kept again, and forEachRejectionMinute hands it on.
    template <typename F> void releaseRejections(std::int64_t untilMs, F &&f)
    {
        const std::int64_t upTo = floorTo(untilMs, 60000);
        for (auto &[name, scope] : m_scopes) {
            for (auto it = scope.minutes.lower_bound(scope.releasedUpTo);
                 it != scope.minutes.end() && it->first < upTo; ++it) {
                if (it->second.rejections) {
                    f(name, *it->second.rejections);
                    it->second.rejections.reset();
                }
            }
            scope.releasedUpTo = std::max(scope.releasedUpTo, upTo);
        }
    }

    // Entries held (scope minutes), for memory figures.
    std::size_t entries() const;

private:
    struct Minute
    {
        BucketCounts counts;
        std::array<std::int64_t, 3> tokens {}; // sums on the three token axes
        std::array<std::uint32_t, 3> tokensKnown {}; // events with a value on each
        std::unique_ptr<MinuteRejections> rejections; // null: none in this minute
    };
    struct Scope
    {
        std::map<std::int64_t, Minute> minutes;
        std::array<std::int64_t, 3> tokensKnown {};
        std::int64_t releasedUpTo = INT64_MIN; // minutes before it: rejections let go of
    };
    static int tokenAxisIndex(LimitAxis axis);
    static void addRejection(
        Minute &minute, const EventStore &events, std::size_t i, const LimitWords &words);

    ScopeBy m_by;
    std::map<std::string, Scope> m_scopes;
    std::int64_t m_requests = 0;
    std::optional<std::int64_t> m_spanStartMs, m_spanEndMs;
    std::array<std::int64_t, kThrottleCategoryCount> m_throttles {};
    std::map<std::pair<ThrottleCategory, std::string>, std::int64_t> m_rules;
    std::map<std::string, std::int64_t> m_providers;
};
