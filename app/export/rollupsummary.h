#pragma once

// The summary of a run from its rollups, without its events (issue 22): what buildSummary gives
// over every event a MinuteRollup and an OrderedFold were given, through the same steps
// (setMinutes, summarizeScope, incidentsFromRollup, finishScopes). What the rollups cannot
// tell yet is named in Summary::inexact, never filled in with a guess:
//   - an incident's binding by counts when the use of a limit at its start is not known (a
//     window reported only after a scope's first 10,000 requests);
//   - incidents when the merge gap is under a minute (incidentsFromRollup);
//   - retry findings when no RetryFold was given (they read each client's requests in time
//     order), or when one took events out of time order;
//   - a rolling window reported only after a scope's first request;
//   - events folded out of time order (OrderedFold::lateEvents);
//   - an incident tally spilled to disk that could not be read back.

#include "aggregate/minuterollup.h"
#include "aggregate/orderedfold.h"
#include "export/summary.h"
#include "incidents/incidentfold.h"
#include "incidents/retryfold.h"

#include <optional>
#include <vector>

// `released`: the rejection minutes the rollup has let go of (MinuteRollup::releaseRejections),
// folded with the same merge gap. `retries`: the same events in time order, for the findings.
Summary summaryFromRollup(const MinuteRollup &rollup, const OrderedFold &fold,
    std::vector<InputReport> inputs, std::optional<LimitSpec> userLimit, double mergeGapMinutes,
    const SummaryScoping &scoping = {}, const IncidentFold *released = nullptr,
    const RetryFold *retries = nullptr);
