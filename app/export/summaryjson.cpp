#include "export/reportformats.h"

#include "decode/timestamp.h"

#include <nlohmann/json.hpp>

#include <cmath>

// --format json (summary.md, limits.md §8): the stable interface, keys in the contract's order.

using ojson = nlohmann::ordered_json;

namespace {

std::string str(const QString &s) { return s.toStdString(); }

ojson rejectedJson(const std::array<std::int64_t, kRejectionSourceCount> &r)
{
    ojson j;
    j["total"] = r[0] + r[1] + r[2];
    for (int k = 0; k < kRejectionSourceCount; ++k)
        j[std::string(sourceName(sourceFromIndex(k)))] = r[std::size_t(k)];
    return j;
}

// limits.md §8: events per category; with `rules` at the top level.
ojson throttlesJson(const std::array<std::int64_t, kThrottleCategoryCount> &counts,
    const std::vector<Summary::RuleCount> *rules)
{
    ojson j;
    for (int k = 0; k < kThrottleCategoryCount; ++k)
        j[std::string(categoryName(categoryFromIndex(k)))] = counts[std::size_t(k)];
    if (rules) {
        ojson a = ojson::array();
        for (const Summary::RuleCount &r : *rules)
            a.push_back({ { "rule", r.rule }, { "category", std::string(categoryName(r.category)) },
                { "count", r.count } });
        j["rules"] = a;
    }
    return j;
}

ojson namedJson(const std::vector<NamedCount> &v, const char *countKey)
{
    ojson a = ojson::array();
    for (const NamedCount &n : v)
        a.push_back({ { "name", n.name }, { countKey, n.count } });
    return a;
}

ojson secondsJson(double s)
{
    const double ms = std::floor(s * 1000.0 + 0.5);
    if (std::fmod(ms, 1000.0) == 0 && std::fabs(ms) < 9e15)
        return std::int64_t(ms / 1000.0);
    return ms / 1000.0;
}

ojson limitJson(const LimitSpec &l)
{
    ojson o;
    o["requests"] = l.requests;
    o["window_s"] = l.windowS ? ojson(*l.windowS) : ojson(nullptr);
    if (l.fromHeaders)
        o["from"] = "headers";
    return o;
}

ojson limitAskJson(const LimitAsk &a)
{
    return { { "requests_per_minute", a.requestsPerMinute }, { "peak_rpm", a.peakRpm },
        { "minute", formatUtcMinute(a.minuteMs) }, { "headroom_percent", a.headroomPercent } };
}

ojson windowJson(const std::optional<std::int64_t> &w) { return w ? ojson(*w) : ojson(nullptr); }

ojson driftJson(const LimitDrift &d, bool withScope)
{
    ojson o;
    if (withScope)
        o["scope"] = d.scope;
    o["kind"] = d.kind == LimitDrift::Kind::Configured ? "configured" : "changed";
    o["axis"] = str(limitAxisName(d.axis));
    o["window_s"] = windowJson(d.windowS);
    if (d.timeMs)
        o["time"] = formatUtcMs(*d.timeMs);
    o["from"] = d.from;
    o["to"] = d.to;
    return o;
}

ojson axisJson(const AxisFigures &a)
{
    ojson x;
    x["axis"] = str(limitAxisName(a.axis));
    x["window_s"] = a.axis == LimitAxis::Concurrency ? ojson(nullptr)
        : a.limit                                    ? windowJson(a.limit->windowS)
                                                     : ojson(60);
    x["limit"] = a.limit ? ojson(a.limit->requests) : ojson(nullptr);
    if (a.limit)
        x["from"] = a.limit->fromHeaders ? "headers" : "flag";
    x["peak"] = a.peak
        ? ojson { { "value", *a.peak }, { "minute", formatUtcMinute(*a.peakMinuteMs) } }
        : ojson(nullptr);
    x["minutes_over_limit"] = a.minutesOverLimit;
    if (!a.limitAsk)
        x["limit_to_ask"] = nullptr;
    else if (a.axis == LimitAxis::Requests)
        x["limit_to_ask"] = limitAskJson(*a.limitAsk);
    else // tokens per minute, or requests in flight at once
        x["limit_to_ask"] = { { "value", a.limitAsk->requestsPerMinute },
            { "peak", a.limitAsk->peakRpm }, { "minute", formatUtcMinute(a.limitAsk->minuteMs) },
            { "headroom_percent", a.limitAsk->headroomPercent } };
    x["unknown_share"] = a.unknownShare;
    return x;
}

// limits.md §8: limits[], scopes[] (with their axes and drift) and drift[] of every scope.
void addScopes(ojson &j, const Summary &s)
{
    ojson limits = ojson::array();
    for (const ScopeLimit &l : s.limits) {
        limits.push_back({ { "scope", l.scope }, { "axis", str(limitAxisName(l.axis)) },
            { "limit", l.spec.requests },
            { "window_s",
                l.axis == LimitAxis::Concurrency ? ojson(nullptr) : windowJson(l.spec.windowS) },
            { "from", l.spec.fromHeaders ? "headers" : "flag" } });
    }
    j["limits"] = limits;
    ojson scopes = ojson::array();
    for (const ScopeSummary &sc : s.scopes) {
        ojson o;
        o["name"] = sc.name;
        o["requests"] = sc.requests;
        o["rejected"] = rejectedJson(sc.rejected);
        o["throttles"] = throttlesJson(sc.throttles, nullptr);
        ojson axes = ojson::array();
        for (const AxisFigures &a : sc.axes)
            axes.push_back(axisJson(a));
        o["axes"] = axes;
        ojson drift = ojson::array();
        for (const LimitDrift &d : s.drift) {
            if (d.scope == sc.name)
                drift.push_back(driftJson(d, false));
        }
        o["drift"] = drift;
        if (sc.driftOmitted)
            o["drift_omitted"] = sc.driftOmitted;
        scopes.push_back(o);
    }
    j["scopes"] = scopes;
    ojson drift = ojson::array();
    for (const LimitDrift &d : s.drift)
        drift.push_back(driftJson(d, true));
    j["drift"] = drift;
}

} // namespace

std::string formatSeconds(double s)
{
    const ojson j = secondsJson(s);
    return j.dump();
}

QByteArray summaryToJson(const Summary &s)
{
    ojson j;
    j["schema"] = "ratescope.summary/2";
    if (s.limit) {
        ojson l = limitJson(*s.limit);
        l["scope"] = s.topScope; // limits.md §1: the scope the top-level figures describe
        j["limit"] = l;
    } else {
        j["limit"] = nullptr;
    }
    ojson inputs = ojson::array();
    for (const InputReport &in : s.inputs) {
        ojson i;
        i["path"] = str(in.path);
        i["format"] = str(in.format);
        if (in.gzip)
            i["compressed"] = "gzip";
        i["records"] = in.records;
        i["skipped"] = in.skipped;
        i["duplicates"] = in.duplicates;
        ojson errs = ojson::array();
        for (const LocatedError &e : in.errors)
            errs.push_back({ { "line", e.line }, { "message", str(e.message) } });
        i["errors"] = errs;
        if (in.failed())
            i["error"] = str(in.fatal); // the input as a whole could not be read
        inputs.push_back(i);
    }
    j["inputs"] = inputs;
    if (s.spanStartMs)
        j["span"]
            = { { "start", formatUtcMs(*s.spanStartMs) }, { "end", formatUtcMs(*s.spanEndMs) } };
    else
        j["span"] = nullptr;
    j["requests"] = s.requests;
    j["rejected"] = rejectedJson(s.rejected);
    j["throttles"] = throttlesJson(s.throttles, &s.throttleRules);
    // the upstream providers gateway rules named (limits.md §7), events per provider
    j["providers"] = namedJson(s.providersNamed, "events");
    if (s.peakRpm)
        j["peak_rpm"] = { { "value", *s.peakRpm }, { "minute", formatUtcMinute(*s.peakMinuteMs) } };
    else
        j["peak_rpm"] = nullptr;
    j["minutes_over_limit"] = s.minutesOverLimit;
    ojson incidents = ojson::array();
    for (const Incident &inc : s.incidents) {
        ojson i;
        i["scope"] = inc.scope;
        i["start"] = formatUtcMs(inc.startMs);
        i["end"] = formatUtcMs(inc.endMs);
        i["requests"] = inc.requests;
        i["rejected"] = rejectedJson(inc.rejected);
        i["dominant_source"] = std::string(sourceName(inc.dominant));
        i["peak_rpm"] = inc.peakRpm;
        i["top_tools"] = namedJson(inc.topTools, "rejected");
        i["top_providers"] = namedJson(inc.topProviders, "rejected");
        ojson msgs = ojson::array();
        for (const NamedCount &m : inc.messages)
            msgs.push_back({ { "text", m.name }, { "count", m.count } });
        i["messages"] = msgs;
        i["max_retry_after_s"]
            = inc.maxRetryAfterS ? secondsJson(*inc.maxRetryAfterS) : ojson(nullptr);
        // which limit bit first (limits.md §5)
        const Binding &b = inc.binding;
        i["binding"] = { { "axis", b.axis ? ojson(str(limitAxisName(*b.axis))) : ojson(nullptr) },
            { "window_s", windowJson(b.windowS) }, { "evidence", bindingEvidenceName(b.evidence) },
            { "rule", b.rule.empty() ? ojson(nullptr) : ojson(b.rule) } };
        incidents.push_back(i);
    }
    j["incidents"] = incidents;
    // keys past summary.md's: the limit to ask for and the retry findings, then schema 2's
    if (s.limitAsk) {
        j["limit_to_ask"] = limitAskJson(*s.limitAsk);
        j["limit_to_ask"]["scope"] = s.topScope;
    }
    ojson findings = ojson::array();
    for (const RetryFinding &f : s.findings) {
        ojson examples = ojson::array();
        for (std::int64_t t : f.examplesMs)
            examples.push_back(formatUtcMs(t));
        ojson o;
        o["kind"] = RetryFinding::kindName(f.kind);
        o["client"] = f.client;
        o["target"] = f.target;
        o["count"] = f.count;
        o["out_of"] = f.total;
        o["seconds"] = secondsJson(f.seconds);
        if (f.kind == RetryFinding::Kind::IgnoredRetryAfter)
            o["median_retry_after_s"] = secondsJson(f.retryAfterS);
        if (f.kind == RetryFinding::Kind::Polling)
            o["rejected"] = f.rejected;
        o["first"] = formatUtcMs(f.firstMs);
        o["last"] = formatUtcMs(f.lastMs);
        o["examples"] = examples;
        o["evidence"] = f.evidence();
        o["advice"] = f.advice();
        findings.push_back(o);
    }
    j["findings"] = findings;
    j["scope_by"] = str(scopeByName(s.scopeBy));
    addScopes(j, s);
    // figures that could not be told exactly (a run summarized from its rollups): only then
    if (!s.inexact.empty())
        j["inexact"] = s.inexact;
    // invalid UTF-8 cannot reach here (decoders replace it), but never throw on output
    return QByteArray::fromStdString(j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n");
}
