#include "export/whatif.h"

#include "aggregate/reportedlimits.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace {

constexpr std::int64_t kMinute = 60000;

// Refusals per UTC minute of one replay (sorted), and their total.
struct Replay
{
    std::vector<std::pair<std::int64_t, std::int64_t>> perMinute;
    std::int64_t refused = 0;
};

Replay replay(const LimiterSpec &spec, const std::vector<std::int64_t> &times, bool countOnly)
{
    Replay out;
    Limiter limiter = spec.make();
    for (std::int64_t t : times) {
        if (limiterAdmit(limiter, t))
            continue;
        ++out.refused;
        if (countOnly)
            continue;
        const std::int64_t m = floorTo(t, kMinute);
        if (out.perMinute.empty() || out.perMinute.back().first != m)
            out.perMinute.push_back({ m, 0 });
        ++out.perMinute.back().second;
    }
    return out;
}

// The smallest N for which the replay refuses nothing: doubling up from the limit asked about
// until nothing is refused, then bisection (the refusals fall as N grows).
std::optional<std::int64_t> smallestWithoutRefusals(
    const LimiterSpec &spec, const std::vector<std::int64_t> &times)
{
    if (times.empty())
        return std::nullopt;
    std::int64_t lo = 0; // refuses (or is no limit)
    std::int64_t hi = std::max<std::int64_t>(1, spec.limit);
    while (replay(spec.withLimit(hi), times, true).refused > 0) {
        lo = hi;
        if (hi > (std::int64_t(1) << 40))
            return std::nullopt;
        hi *= 2;
    }
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (replay(spec.withLimit(mid), times, true).refused > 0 ? lo : hi) = mid;
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
    const Replay r = replay(spec, times, false);
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
        std::vector<std::int64_t> times;
        times.reserve(events.size());
        std::map<std::int64_t, std::int64_t> recorded;
        WhatIfScope sc;
        sc.name = name;
        for (std::uint32_t i : events) {
            times.push_back(store.timeMs(i));
            if (store.source(i) == RejectionSource::RateLimited) {
                ++sc.recordedRejected;
                ++recorded[floorTo(store.timeMs(i), kMinute)];
            }
        }
        sc.requests = std::int64_t(times.size());
        const Replay r = replay(options.limiter, times, false);
        sc.predicted.rejected = r.refused;
        sc.predicted.minutesOverLimit = std::int64_t(r.perMinute.size());
        sc.predicted.incidents = incidentsOf(r.perMinute, options.mergeGapMinutes);
        sc.smallestLimit = smallestWithoutRefusals(options.limiter, times);
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
        report.scopes.push_back(std::move(sc));
    }
    return report;
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
    doc["retry"] = "as-recorded";
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
        // as-recorded adds no retry of its own, so no delay
        o["retry_delay_s"] = { { "p50", nullptr }, { "p99", nullptr } };
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
        + ", retries as recorded\n\n";
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
