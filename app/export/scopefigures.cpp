#include "export/scopefigures.h"

#include <map>

namespace {

// minutes_over_limit of one limit over the events of one scope (summary.md): per-minute values
// against a per-minute limit (a concurrency limit, which has no window, against each minute's
// peak in flight), the rolling rule for other windows, nothing for an unknown one.
void countOverLimit(const std::string &scope, const AxisSeries &values, const ScopeReader &reader,
    AxisFigures &axis, std::vector<std::string> &inexact)
{
    if (!axis.limit)
        return;
    if (axis.axis == LimitAxis::Concurrency || axis.limit->perMinute()) {
        for (const AxisBucket &m : values.buckets) {
            if (m.value > axis.limit->requests)
                axis.overLimitMinutes.push_back(m.startMs);
        }
    } else if (axis.limit->windowS && *axis.limit->windowS > 0) {
        std::optional<std::vector<std::int64_t>> over
            = reader.overRolling(axis.axis, axis.limit->requests, *axis.limit->windowS * 1000);
        if (over)
            axis.overLimitMinutes = std::move(*over);
        else
            inexact.push_back(scope + ": minutes over a limit of "
                + limitAxisName(axis.axis).toStdString() + " per "
                + std::to_string(*axis.limit->windowS)
                + " s are not known: the window was not followed from the first request");
    }
    axis.minutesOverLimit = std::int64_t(axis.overLimitMinutes.size());
}

} // namespace

ScopeSummary summarizeScope(std::string name, std::vector<BucketCounts> minutes,
    const ScopeReader &reader, const std::vector<LimitEntry> &entries,
    std::vector<ScopeLimit> &limitsOut, std::vector<LimitDrift> &driftOut,
    std::vector<std::string> &inexact)
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
            it = series.emplace(a, reader.perMinute(a)).first;
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
        countOverLimit(sc.name, values, reader, axis, inexact);
        if (limit)
            limitsOut.push_back({ sc.name, axisKind, *limit });
        sc.axes.push_back(std::move(axis));
    };
    for (LimitAxis axis : { LimitAxis::Requests, LimitAxis::Tokens, LimitAxis::InputTokens,
             LimitAxis::OutputTokens, LimitAxis::Concurrency }) {
        std::vector<LimitSpec> limits = configuredLimits(entries, sc.name, axis);
        // what the responses reported on this axis (limits.md §3), over every event of the
        // scope; configured against reported (§6) before the changes
        const ReportedHistory reported = reader.reported(axis);
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
            driftOut.push_back(std::move(d));
        }
        if (limits.empty())
            limits = reported.byWindow; // what the responses said, when the user said nothing
        for (const LimitSpec &l : limits)
            addAxis(axis, l);
        if (limits.empty()
            && (axis == LimitAxis::Requests
                || (axis == LimitAxis::Tokens && reader.hasTokens && seriesOf(axis).known > 0)))
            addAxis(axis, std::nullopt);
    }
    return sc;
}
