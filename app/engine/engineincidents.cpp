#include "engine/engineincidents.h"

#include "aggregate/buckets.h"
#include "engine/enginetable.h"

#include <algorithm>
#include <cmath>
#include <set>

std::vector<std::pair<std::int64_t, std::int64_t>> incidentSpans(
    const EngineSeries &perMinute, double mergeGapMinutes)
{
    std::set<std::int64_t> minutes; // with a rejection, any scope
    for (const EngineBucket &b : perMinute.buckets) {
        std::uint64_t rejected = 0;
        for (const std::uint64_t n : b.rejected)
            rejected += n;
        if (rejected > 0)
            minutes.insert(b.startMs - b.startMs % 60000);
    }
    // rejections in minutes a < b are at least b - (a + 1 min) apart
    const auto gapMs = std::int64_t(std::llround(mergeGapMinutes * 60000.0));
    std::vector<std::pair<std::int64_t, std::int64_t>> spans;
    for (const std::int64_t m : minutes) {
        if (!spans.empty() && m - spans.back().second <= gapMs)
            spans.back().second = m + 60000;
        else
            spans.emplace_back(m, m + 60000);
    }
    return spans;
}

std::optional<EngineIncidents> findEngineIncidents(const EngineUri &uri, const RuleSet &rules,
    double mergeGapMinutes, QString *error, const std::atomic<bool> *cancel)
{
    const std::optional<EngineSeries> perMinute
        = countTable(uri, rules, 60000, TimeRange {}, cancel, error);
    if (!perMinute)
        return std::nullopt;
    EngineIncidents out;
    out.tableRows = perMinute->requests;
    out.spans = incidentSpans(*perMinute, mergeGapMinutes);
    InputReport report;
    for (const auto &[from, to] : out.spans) {
        TableReadOptions options;
        options.range = TimeRange { from, to };
        options.storeFile = report.storeFile;
        options.cancel = cancel;
        report = readEngineTable(uri, out.store, rules, options);
        if (report.failed()) {
            *error = report.fatal;
            return std::nullopt;
        }
    }
    out.incidents = findIncidents(out.store, countBuckets(out.store, 60000), mergeGapMinutes);
    return out;
}
