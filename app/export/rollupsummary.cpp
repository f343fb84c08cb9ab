#include "export/rollupsummary.h"

#include "export/scopefigures.h"
#include "incidents/binding.h"
#include "incidents/incidentrollup.h"

#include <string>

namespace {

// "1 event", "2 events"
std::string counted(std::int64_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

ScopeReader rollupReader(const MinuteRollup &rollup, const OrderedFold &fold, std::string scope)
{
    ScopeReader r;
    r.perMinute = [&rollup, &fold, scope](LimitAxis a) {
        return a == LimitAxis::Concurrency ? fold.concurrency(scope) : rollup.scopeTokens(scope, a);
    };
    r.reported = [&fold, scope](LimitAxis a) { return fold.reported(scope, a); };
    r.overRolling = [&fold, scope](LimitAxis a, std::int64_t limit, std::int64_t windowMs) {
        return fold.minutesOver(scope, a, limit, windowMs);
    };
    r.hasTokens = true; // a token axis is shown when its events had a value: known > 0 says so
    return r;
}

// What addBindings reads of a scope, from the fold.
BindingSources bindingSources(const OrderedFold &fold, const std::string &scope)
{
    BindingSources b;
    b.reportedOf = [&fold, scope](LimitAxis a) { return fold.reported(scope, a).byWindow; };
    b.useAt = [&fold, scope](const AxisLimit &l, const std::vector<std::int64_t> &t0s) {
        std::vector<std::optional<std::int64_t>> use;
        use.reserve(t0s.size());
        for (const std::int64_t t0 : t0s)
            use.push_back(fold.useAt(scope, l.axis, l.spec.windowS.value_or(0) * 1000, t0));
        return use;
    };
    return b;
}

} // namespace

Summary summaryFromRollup(const MinuteRollup &rollup, const OrderedFold &fold,
    std::vector<InputReport> inputs, std::optional<LimitSpec> userLimit, double mergeGapMinutes,
    const SummaryScoping &scoping, const IncidentFold *released, const RetryFold *retries)
{
    std::vector<LimitEntry> entries;
    Summary s = startSummary(std::move(inputs), userLimit, scoping, entries);
    setMinutes(s, rollup.minutes());
    s.spanStartMs = rollup.spanStartMs();
    s.spanEndMs = rollup.spanEndMs();
    s.throttles = rollup.throttles();
    setThrottleLists(s, rollup.throttleRules(), rollup.providersNamed());

    bool incidentsKnown = true, readBack = true;
    std::size_t undecided = 0; // incidents whose binding needed a use not known
    for (const std::string &name : rollup.scopes()) {
        ScopeSummary sc = summarizeScope(name, rollup.scopeMinutes(name),
            rollupReader(rollup, fold, name), entries, s.limits, s.drift, s.inexact);
        for (const BucketCounts &m : sc.minutes) {
            bool any = false;
            for (std::size_t c = 0; c < kThrottleCategoryCount; ++c) {
                sc.throttles[c] += m.throttled[c];
                any = any || m.throttled[c] > 0;
            }
            if (any) {
                ScopeSummary::ThrottleMinute t;
                t.startMs = m.startMs;
                for (std::size_t c = 0; c < kThrottleCategoryCount; ++c)
                    t.counts[c] = m.throttled[c];
                sc.throttleMinutes.push_back(t);
            }
        }
        std::vector<BindingEvidence> evidence;
        bool read = true;
        std::optional<std::vector<Incident>> incidents
            = incidentsFromRollup(rollup, name, mergeGapMinutes, &evidence, released, &read);
        readBack = readBack && read;
        incidentsKnown = incidentsKnown && incidents.has_value();
        if (incidents)
            undecided
                += addBindings(*incidents, evidence, axisLimits(sc), bindingSources(fold, name));
        addScope(s, std::move(sc), incidents ? std::move(*incidents) : std::vector<Incident> {});
    }
    finishScopes(s);
    if (!incidentsKnown)
        s.inexact.push_back(released && released->mergeGapMinutes() != mergeGapMinutes
                ? "incidents are not known: the run folded them with another merge gap"
                : "incidents are not known: a merge gap under a minute needs the events");
    if (!readBack)
        s.inexact.push_back("incidents' top tools, providers or messages may be short: a tally "
                            "spilled to disk could not be read back");
    if (undecided > 0)
        s.inexact.push_back(counted(undecided, "incident has", "incidents have")
            + " no binding: the use of a limit at the start is not known (its window was not "
              "followed from the first request)");
    if (!retries) {
        s.inexact.push_back("retry findings are not known from rollups");
    } else {
        s.findings = retries->findings();
        if (retries->inexactEvents() > 0)
            s.inexact.push_back(counted(retries->inexactEvents(), "request", "requests")
                + " came out of time order, or had a Retry-After reaching back further than its "
                  "client's requests were kept: retry findings may be off");
    }
    if (fold.lateEvents() > 0)
        s.inexact.push_back(counted(fold.lateEvents(), "event", "events")
            + " came later than the reorder window: figures read in time order (reported limits,"
              " requests in flight, rolling windows, incidents' top lists) may be off");
    return s;
}
