#pragma once

#include "export/summary.h"

#include <vector>

// How a report is made: what `summarize`, `monitor` and the window's exports choose.
struct ReportOptions
{
    std::optional<LimitSpec> limit; // --limit N[/W]; nullopt: the limits the responses reported
    SummaryScoping scoping; // --scope-by, --limit [SCOPE:][AXIS=]N[/W], --limits FILE
    double mergeGapMinutes = 5;
    int headroomPercent = kDefaultHeadroomPercent;
    const EventSubset *subset = nullptr; // null: every event of the store
};

// The one way to a report (summary.md): summary, retry findings and the limit to ask for,
// `inputs[].records` counted for the subset (a filtered export never reports the whole
// file's records), then every text from the input redacted. writeReport() writes it in any
// format. `summarize`, `monitor`, the window's exports and the golden tests all call this.
Summary makeReport(
    const EventStore &store, std::vector<InputReport> inputs, const ReportOptions &options);

// inputs[].records for the events of `subset` only: each input counts the events whose
// store file is its own (InputReport::storeFile). Inputs the store cannot tell apart (live
// sources share one capture file) keep their counts when the subset is everything; with a
// real subset, a single such input takes the subset's remaining events (several keep theirs:
// the store does not say which live source sent an event).
void countInputRecords(
    std::vector<InputReport> &inputs, const EventStore &store, const EventSubset *subset);
