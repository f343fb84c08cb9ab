#include "export/report.h"

#include "export/redactor.h"

Summary makeReport(
    const EventStore &store, std::vector<InputReport> inputs, const ReportOptions &options)
{
    countInputRecords(inputs, store, options.subset);
    Summary full = buildSummaryWithFindings(store, std::move(inputs), options.limit,
        options.mergeGapMinutes, options.headroomPercent, options.subset, options.scoping);
    // secrets never leave, standard output included (summary.md)
    return redactSummary(std::move(full), Redactor::builtIn());
}

void countInputRecords(
    std::vector<InputReport> &inputs, const EventStore &store, const EventSubset *subset)
{
    if (!subset)
        return; // the loader counted every record it kept
    std::vector<std::int64_t> perFile(store.fileCount(), 0);
    for (std::uint32_t e : *subset)
        ++perFile[store.file(e)];
    std::int64_t attributed = 0;
    std::vector<InputReport *> unattributed;
    for (InputReport &in : inputs) {
        if (in.storeFile >= 0 && std::size_t(in.storeFile) < perFile.size()) {
            in.records = perFile[std::size_t(in.storeFile)];
            attributed += in.records;
        } else if (!in.failed()) {
            unattributed.push_back(&in);
        }
    }
    const std::int64_t rest = std::int64_t(subset->size()) - attributed;
    if (unattributed.size() == 1) // several live sources in one capture: cannot be split
        unattributed.front()->records = rest;
}
