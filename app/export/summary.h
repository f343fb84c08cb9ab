#pragma once

#include "aggregate/buckets.h"
#include "incidents/retryanalysis.h"
#include "incidents/incidentfinder.h"
#include "base/inputreport.h"
#include "base/limitspec.h"
#include "store/eventbuilder.h"

#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

// Everything `summarize` reports (summary.md), computed once and written in any format.
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
    // issue 6 additions (new JSON keys; the contract's keys are unchanged)
    std::vector<RetryFinding> findings;
    std::optional<LimitAsk> limitAsk; // peak rpm + headroom, when there is a peak

    std::int64_t rejectedTotal() const { return rejected[0] + rejected[1] + rejected[2]; }
};

Summary buildSummary(const EventStore &store, std::vector<InputReport> inputs,
                     std::optional<LimitSpec> userLimit, const ReportedLimit &reported,
                     double mergeGapMinutes, const EventSubset *subset = nullptr);

// Retry-behaviour findings and the limit to ask for (issue 6).
constexpr int kDefaultHeadroomPercent = 30; // the limit to ask for: peak + 30 %
void addFindings(Summary &s, const EventStore &store, int headroomPercent,
                 const EventSubset *subset = nullptr);

// buildSummary() then addFindings(), with the retry analysis (the longest part) running on
// a second thread while the summary is built: both only read the store.
Summary buildSummaryWithFindings(const EventStore &store, std::vector<InputReport> inputs,
                                 std::optional<LimitSpec> userLimit, const ReportedLimit &reported,
                                 double mergeGapMinutes, int headroomPercent,
                                 const EventSubset *subset = nullptr);

class Redactor;
// A copy whose every text that came from the input (messages, names, paths, error texts) went
// through the redactor: what exports write.
Summary redactSummary(Summary s, const Redactor &redactor);
