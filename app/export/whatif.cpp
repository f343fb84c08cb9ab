#include "export/whatif.h"

#include "aggregate/reportedlimits.h"
#include "incidents/retryanalysis.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <queue>
#include <random>
#include <tuple>
#include <unordered_map>

namespace {

constexpr std::int64_t kMinute = 60000;

// Refusals per UTC minute of one replay (sorted), their total, the requests dropped, and the
// delays retries added to the ones they got through.
struct Replay
{
    std::vector<std::pair<std::int64_t, std::int64_t>> perMinute;
    std::vector<std::pair<std::int64_t, std::int64_t>> perSecond;
    std::int64_t refused = 0;
    std::int64_t dropped = 0;
    std::vector<std::int64_t> delaysMs;
};

// The fresh requests at `times` (sorted) and the retries the policy makes of refused ones, in
// time order (a retry due at the same time as a fresh request comes after it).
Replay replay(const LimiterSpec &spec, const std::vector<std::int64_t> &times,
    const RetryPolicy &policy, bool countOnly)
{
    Replay out;
    Limiter limiter = spec.make();
    struct Pending
    {
        std::int64_t at, first;
        int attempt;
        bool operator>(const Pending &o) const { return at > o.at; }
    };
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> retries;
    std::mt19937_64 rng(1);
    std::size_t next = 0;
    while (next < times.size() || !retries.empty()) {
        Pending p;
        if (!retries.empty() && (next == times.size() || retries.top().at < times[next])) {
            p = retries.top();
            retries.pop();
        } else {
            p = { times[next], times[next], 0 };
            ++next;
        }
        if (limiterAdmit(limiter, p.at)) {
            if (p.attempt > 0 && !countOnly)
                out.delaysMs.push_back(p.at - p.first);
            continue;
        }
        ++out.refused;
        if (!countOnly) {
            const std::int64_t m = floorTo(p.at, kMinute);
            if (out.perMinute.empty() || out.perMinute.back().first != m)
                out.perMinute.push_back({ m, 0 });
            ++out.perMinute.back().second;
            // retries come in time order too: the seconds stay sorted
            const std::int64_t sec = floorTo(p.at, 1000);
            if (out.perSecond.empty() || out.perSecond.back().first != sec)
                out.perSecond.push_back({ sec, 0 });
            ++out.perSecond.back().second;
        }
        using Mode = RetryPolicy::Mode;
        if (policy.mode == Mode::AsRecorded || policy.mode == Mode::None
            || p.attempt + 1 >= RetryPolicy::kMaxAttempts) {
            out.dropped += policy.mode != Mode::AsRecorded;
            continue;
        }
        std::int64_t wait = 0;
        if (policy.mode == Mode::Honour) {
            wait = std::max<std::int64_t>(1, limiterRetryAt(limiter) - p.at);
        } else {
            const std::int64_t ceiling = std::min(policy.capMs,
                policy.baseMs << std::min(p.attempt, 40)); // min(cap, base * 2^attempt)
            wait = policy.jitter ? std::int64_t(rng() % std::uint64_t(ceiling + 1)) : ceiling;
            wait = std::max<std::int64_t>(1, wait);
        }
        retries.push({ p.at + wait, p.first, p.attempt + 1 });
    }
    return out;
}

std::optional<double> percentileS(std::vector<std::int64_t> v, double q)
{
    if (v.empty())
        return std::nullopt;
    const auto k
        = std::size_t(std::min<double>(double(v.size() - 1), std::floor(q * double(v.size()))));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return double(v[k]) / 1000.0;
}

// The smallest N for which the replay refuses nothing: doubling up from the limit asked about
// until nothing is refused, then bisection (the refusals fall as N grows).
std::optional<std::int64_t> smallestWithoutRefusals(
    const LimiterSpec &spec, const std::vector<std::int64_t> &times, const RetryPolicy &policy)
{
    if (times.empty())
        return std::nullopt;
    std::int64_t lo = 0; // refuses (or is no limit)
    std::int64_t hi = std::max<std::int64_t>(1, spec.limit);
    while (replay(spec.withLimit(hi), times, policy, true).refused > 0) {
        lo = hi;
        if (hi > (std::int64_t(1) << 40))
            return std::nullopt;
        hi *= 2;
    }
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (replay(spec.withLimit(mid), times, policy, true).refused > 0 ? lo : hi) = mid;
    }
    return hi;
}

std::int64_t incidentsOf(
    const std::vector<std::pair<std::int64_t, std::int64_t>> &perMinute, double gapMinutes)
{
    std::int64_t n = 0;
    std::int64_t last = INT64_MIN;
    for (const auto &[m, count] : perMinute) {
        if (last == INT64_MIN || double(m - last) / double(kMinute) > gapMinutes + 1)
            ++n;
        last = m;
    }
    return n;
}

WhatIfValidation validate(const LimiterSpec &chosen, const LimitSpec &limit, bool reported,
    const std::vector<std::int64_t> &times, const std::map<std::int64_t, std::int64_t> &recorded)
{
    WhatIfValidation v;
    v.limit = limit;
    v.reported = reported;
    LimiterSpec spec = chosen.withLimit(limit.requests);
    spec.windowMs = limit.windowS.value_or(60) * 1000;
    const Replay r = replay(spec, times, RetryPolicy {}, false); // as recorded
    std::map<std::int64_t, std::pair<double, double>> minutes; // predicted, recorded
    for (std::int64_t t : times)
        minutes[floorTo(t, kMinute)];
    for (const auto &[m, n] : r.perMinute)
        minutes[m].first = double(n);
    for (const auto &[m, n] : recorded)
        minutes[m].second = double(n);
    v.predicted = r.refused;
    for (const auto &[m, n] : recorded)
        v.recorded += n;
    v.minutes = std::int64_t(minutes.size());
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, abs = 0;
    for (const auto &[m, xy] : minutes) {
        const auto [x, y] = xy;
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
        abs += std::fabs(x - y);
    }
    const double n = double(minutes.size());
    if (n > 0) {
        v.meanAbsoluteError = abs / n;
        const double vx = n * sxx - sx * sx, vy = n * syy - sy * sy;
        if (vx > 0 && vy > 0)
            v.correlation = (n * sxy - sx * sy) / std::sqrt(vx * vy);
    }
    return v;
}

std::string number(double v, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

std::string limitText(const LimitSpec &l) { return limitReadingText(l).toStdString(); }

} // namespace

WhatIfScope runWhatIfScope(const EventStore &store, const EventSubset &events,
    const std::string &name, const WhatIfOptions &options)
{
    std::vector<std::int64_t> times, fresh;
    times.reserve(events.size());
    std::map<std::int64_t, std::int64_t> recorded;
    WhatIfScope sc;
    sc.name = name;
    const bool asRecorded = options.retry.mode == RetryPolicy::Mode::AsRecorded;
    const std::vector<bool> retries = asRecorded ? std::vector<bool>() : logRetries(store, events);
    for (std::size_t r = 0; r < events.size(); ++r) {
        const std::uint32_t i = events[r];
        times.push_back(store.timeMs(i));
        if (asRecorded || !retries[r])
            fresh.push_back(store.timeMs(i));
        if (store.source(i) == RejectionSource::RateLimited) {
            ++sc.recordedRejected;
            ++recorded[floorTo(store.timeMs(i), kMinute)];
        }
    }
    sc.requests = std::int64_t(times.size());
    sc.logRetries = std::int64_t(times.size() - fresh.size());
    Replay r = replay(options.limiter, fresh, options.retry, false);
    sc.predicted.rejected = r.refused;
    sc.predicted.minutesOverLimit = std::int64_t(r.perMinute.size());
    sc.predicted.incidents = incidentsOf(r.perMinute, options.mergeGapMinutes);
    sc.refusedPerSecond = std::move(r.perSecond);
    sc.dropped = r.dropped;
    sc.retryDelayP50S = percentileS(r.delaysMs, 0.5);
    sc.retryDelayP99S = percentileS(r.delaysMs, 0.99);
    sc.smallestLimit = smallestWithoutRefusals(options.limiter, fresh, options.retry);
    // validation: the log against its own limit, configured, else the one its responses
    // reported (with a known window)
    if (const auto own = configuredRequestLimit(options.configured, name)) {
        sc.validation = validate(options.limiter, *own, false, times, recorded);
    } else {
        for (const LimitSpec &l : reportedHistory(store, &events).byWindow) {
            if (l.windowS && *l.windowS > 0) {
                sc.validation = validate(options.limiter, l, true, times, recorded);
                break;
            }
        }
    }
    return sc;
}

WhatIfReport runWhatIf(const EventStore &store, const WhatIfOptions &options)
{
    WhatIfReport report;
    report.options = options;
    const ScopeIndex index = ScopeIndex::build(store, options.scopeBy);
    std::vector<EventSubset> byScope = index.eventsByScope(store);
    for (std::size_t k = 0; k < byScope.size(); ++k) {
        const std::string &name = index.names()[k];
        if (!options.scope.empty()
            && QString::fromStdString(name).compare(
                   QString::fromStdString(options.scope), Qt::CaseInsensitive)
                != 0)
            continue;
        EventSubset &events = byScope[k];
        if (events.empty())
            continue;
        std::stable_sort(events.begin(), events.end(), [&store](std::uint32_t a, std::uint32_t b) {
            return store.timeMs(a) < store.timeMs(b);
        });
        report.scopes.push_back(runWhatIfScope(store, events, name, options));
    }
    return report;
}

std::vector<bool> logRetries(const EventStore &store, const EventSubset &events)
{
    constexpr std::int64_t kRetryWindowMs = 5 * kMinute;
    std::vector<bool> out(events.size(), false);
    std::unordered_map<std::uint32_t, std::string> templates; // endpoint id -> template
    // (client, tool, method, endpoint template) -> the group's previous request
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint8_t, std::string>, std::uint32_t>
        last;
    for (std::size_t r = 0; r < events.size(); ++r) {
        const std::uint32_t i = events[r];
        auto t = templates.find(store.endpointId(i));
        if (t == templates.end())
            t = templates.emplace(store.endpointId(i), endpointTemplate(store.endpoint(i))).first;
        auto [it, fresh] = last.try_emplace(
            { store.clientId(i), store.toolId(i), store.methodId(i), t->second }, i);
        if (!fresh) {
            const std::uint32_t previous = it->second;
            out[r] = store.isRejection(previous)
                && store.timeMs(i) - store.timeMs(previous) <= kRetryWindowMs;
            it->second = i;
        }
    }
    return out;
}

std::optional<RetryPolicy> parseRetryPolicy(const QString &text, QString *error)
{
    RetryPolicy p;
    const QString t = text.trimmed();
    if (t == QLatin1String("as-recorded"))
        return p;
    if (t == QLatin1String("none") || t == QLatin1String("honour") || t == QLatin1String("honor")) {
        p.mode = t == QLatin1String("none") ? RetryPolicy::Mode::None : RetryPolicy::Mode::Honour;
        return p;
    }
    static const QRegularExpression re(
        QStringLiteral("^backoff:(\\d+(?:\\.\\d+)?),(\\d+(?:\\.\\d+)?)(,jitter)?$"));
    const auto m = re.match(t);
    const double base = m.captured(1).toDouble(), cap = m.captured(2).toDouble();
    if (!m.hasMatch() || base <= 0 || cap < base || cap > 86400) {
        *error = QStringLiteral("invalid --retry \"%1\": expected as-recorded, none, honour or "
                                "backoff:BASE,CAP[,jitter] (seconds, BASE > 0, CAP >= BASE)")
                     .arg(text);
        return std::nullopt;
    }
    p.mode = RetryPolicy::Mode::Backoff;
    p.baseMs = std::max<std::int64_t>(1, std::llround(base * 1000));
    p.capMs = std::llround(cap * 1000);
    p.jitter = m.hasCaptured(3);
    return p;
}

QString retryPolicyText(const RetryPolicy &p)
{
    switch (p.mode) {
    case RetryPolicy::Mode::AsRecorded:
        return QStringLiteral("as-recorded");
    case RetryPolicy::Mode::None:
        return QStringLiteral("none");
    case RetryPolicy::Mode::Honour:
        return QStringLiteral("honour");
    case RetryPolicy::Mode::Backoff:
        break;
    }
    return QStringLiteral("backoff:%1,%2%3")
        .arg(double(p.baseMs) / 1000.0)
        .arg(double(p.capMs) / 1000.0)
        .arg(p.jitter ? QStringLiteral(",jitter") : QString());
}

std::optional<LimiterSpec> parseAlgorithm(
    const QString &text, const std::optional<LimitSpec> &limit, QString *error)
{
    LimiterSpec spec;
    const QString t = text.trimmed();
    if (t == QLatin1String("fixed") || t == QLatin1String("sliding")) {
        if (!limit) {
            *error = QStringLiteral("--algorithm %1 needs --limit N[/W]").arg(t);
            return std::nullopt;
        }
        spec.kind
            = t == QLatin1String("fixed") ? LimiterSpec::Kind::Fixed : LimiterSpec::Kind::Sliding;
        spec.limit = limit->requests;
        spec.windowMs = limit->windowS.value_or(60) * 1000;
        return spec;
    }
    static const QRegularExpression re(
        QStringLiteral("^(token-bucket|gcra):(\\d+)(/\\d+[smhd])?,(\\d+)$"));
    const auto m = re.match(t);
    if (!m.hasMatch()) {
        *error = QStringLiteral("invalid --algorithm \"%1\": expected fixed, sliding, "
                                "token-bucket:RATE/W,BURST or gcra:RATE/W,BURST")
                     .arg(text);
        return std::nullopt;
    }
    const auto rate = parseLimitSpec(m.captured(2) + m.captured(3), error);
    if (!rate)
        return std::nullopt;
    spec.kind = m.captured(1) == QLatin1String("gcra") ? LimiterSpec::Kind::Gcra
                                                       : LimiterSpec::Kind::TokenBucket;
    spec.limit = rate->requests;
    spec.windowMs = rate->windowS.value_or(60) * 1000;
    spec.burst = m.captured(4).toLongLong();
    // GCRA works in units of 1/rate ms: keep t * rate far from overflowing
    if (spec.limit > 1'000'000) {
        *error
            = QStringLiteral("invalid --algorithm \"%1\": a rate of at most 1,000,000 per window")
                  .arg(text);
        return std::nullopt;
    }
    return spec;
}

QString algorithmText(const LimiterSpec &spec)
{
    LimitSpec rate;
    rate.requests = spec.limit;
    rate.windowS = spec.windowMs / 1000;
    switch (spec.kind) {
    case LimiterSpec::Kind::Fixed:
        return QStringLiteral("fixed window %1").arg(limitReadingText(rate));
    case LimiterSpec::Kind::Sliding:
        return QStringLiteral("sliding log %1").arg(limitReadingText(rate));
    case LimiterSpec::Kind::TokenBucket:
        return QStringLiteral("token bucket %1, burst %2")
            .arg(limitReadingText(rate))
            .arg(spec.burst);
    case LimiterSpec::Kind::Gcra:
        break;
    }
    return QStringLiteral("GCRA %1, burst %2").arg(limitReadingText(rate)).arg(spec.burst);
}

std::string whatIfJson(const WhatIfReport &report)
{
    using json = nlohmann::ordered_json;
    const LimiterSpec &spec = report.options.limiter;
    static const char *const kinds[] = { "fixed", "sliding", "token-bucket", "gcra" };
    json doc;
    doc["schema"] = "ratescope.whatif/1";
    doc["algorithm"] = { { "name", kinds[int(spec.kind)] }, { "limit", spec.limit },
        { "window_s", spec.windowMs / 1000 },
        { "burst",
            spec.kind == LimiterSpec::Kind::Fixed || spec.kind == LimiterSpec::Kind::Sliding
                ? json(nullptr)
                : json(spec.burst) } };
    doc["retry"] = retryPolicyText(report.options.retry).toStdString();
    json scopes = json::array();
    for (const WhatIfScope &sc : report.scopes) {
        json o;
        o["name"] = sc.name;
        o["requests"] = sc.requests;
        o["predicted"] = { { "rejected", sc.predicted.rejected },
            { "minutes_over_limit", sc.predicted.minutesOverLimit },
            { "incidents", sc.predicted.incidents } };
        o["recorded"] = { { "rejected", sc.recordedRejected } };
        o["smallest_limit_without_rejections"]
            = sc.smallestLimit ? json(*sc.smallestLimit) : json(nullptr);
        o["log_retries_removed"] = sc.logRetries;
        o["dropped"] = sc.dropped;
        // null when no retry got a request through (as-recorded adds none)
        const auto seconds
            = [](const std::optional<double> &s) { return s ? json(*s) : json(nullptr); };
        o["retry_delay_s"]
            = { { "p50", seconds(sc.retryDelayP50S) }, { "p99", seconds(sc.retryDelayP99S) } };
        if (sc.validation) {
            const WhatIfValidation &v = *sc.validation;
            o["validation"] = { { "limit", v.limit.requests },
                { "window_s", v.limit.windowS ? json(*v.limit.windowS) : json(nullptr) },
                { "limit_from", v.reported ? "reported" : "configured" },
                { "predicted_rejected", v.predicted }, { "recorded_rejected", v.recorded },
                { "minutes", v.minutes },
                { "correlation", v.correlation ? json(*v.correlation) : json(nullptr) },
                { "mean_absolute_error", v.meanAbsoluteError } };
        } else {
            o["validation"] = nullptr;
        }
        scopes.push_back(std::move(o));
    }
    doc["scopes"] = std::move(scopes);
    return doc.dump(2) + "\n";
}

std::string whatIfMarkdown(const WhatIfReport &report)
{
    std::string md = "# What if: " + algorithmText(report.options.limiter).toStdString()
        + ", retries " + retryPolicyText(report.options.retry).toStdString() + "\n\n";
    md += "| scope | requests | recorded RATE_LIMITED | predicted rejections | minutes with "
          "rejections | incidents | smallest limit without rejections |\n";
    md += "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const WhatIfScope &sc : report.scopes) {
        md += "| " + sc.name + " | " + std::to_string(sc.requests) + " | "
            + std::to_string(sc.recordedRejected) + " | " + std::to_string(sc.predicted.rejected)
            + " | " + std::to_string(sc.predicted.minutesOverLimit) + " | "
            + std::to_string(sc.predicted.incidents) + " | "
            + (sc.smallestLimit ? std::to_string(*sc.smallestLimit) : std::string("—")) + " |\n";
    }
    md += "\n## How far to trust it: each log against its own limit\n\n";
    for (const WhatIfScope &sc : report.scopes) {
        if (!sc.validation) {
            md += "- " + sc.name + ": no limit known (give --limit " + sc.name + ":N[/W]).\n";
            continue;
        }
        const WhatIfValidation &v = *sc.validation;
        md += "- " + sc.name + " against " + limitText(v.limit) + " ("
            + (v.reported ? "reported by its responses" : "configured") + "): predicts "
            + std::to_string(v.predicted) + " of " + std::to_string(v.recorded)
            + " recorded RATE_LIMITED rejections; per minute over " + std::to_string(v.minutes)
            + " minutes, correlation "
            + (v.correlation ? number(*v.correlation, 3) : std::string("— (a constant series)"))
            + ", mean absolute error " + number(v.meanAbsoluteError, 2) + " a minute.\n";
    }
    return md;
}

std::string whatIfCsv(const WhatIfReport &report)
{
    std::string csv = "scope,requests,recorded_rejected,predicted_rejected,"
                      "predicted_minutes_over_limit,predicted_incidents,"
                      "smallest_limit_without_rejections,validation_correlation\n";
    for (const WhatIfScope &sc : report.scopes) {
        csv += "\"" + sc.name + "\"," + std::to_string(sc.requests) + ","
            + std::to_string(sc.recordedRejected) + "," + std::to_string(sc.predicted.rejected)
            + "," + std::to_string(sc.predicted.minutesOverLimit) + ","
            + std::to_string(sc.predicted.incidents) + ","
            + (sc.smallestLimit ? std::to_string(*sc.smallestLimit) : std::string()) + ","
            + (sc.validation && sc.validation->correlation ? number(*sc.validation->correlation, 4)
                                                           : std::string())
            + "\n";
    }
    return csv;
}
