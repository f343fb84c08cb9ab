#include "engine/bucketrows.h"

#include "engine/enginetable.h"

#include <algorithm>
#include <utility>
#include <vector>

BucketRows readBucketRows(const EngineUri &uri, const RuleSet &rules,
    const BucketRowsRequest &request, const std::atomic<bool> *cancel)
{
    BucketRows out;
    out.store = std::make_shared<EventStore>();
    std::vector<std::string> rows;
    TableReadOptions options;
    options.range = request.range;
    options.pageRows = request.pageRows;
    options.maxRows = request.maxRows;
    options.cancel = cancel;
    options.rowsAsJson = &rows;
    out.report = readEngineTable(uri, *out.store, rules, options);
    out.store->setKeptRecords(std::make_shared<const std::vector<std::string>>(std::move(rows)));
    out.rowsRead = std::uint64_t(out.report.records + out.report.skipped + out.report.duplicates);
    out.rowsInRange = out.rowsRead;
    if (out.report.failed() || out.rowsRead < request.maxRows)
        return out;
    // Stopped at the cap: the engine counts the range (the sum of its buckets, whatever their
    // size: a day's buckets make few rows).
    QString error;
    const std::optional<EngineSeries> counts
        = countTable(uri, rules, 86400000, request.range, cancel, &error);
    if (!counts)
        out.report.fatal = error;
    else
        out.rowsInRange = std::max(out.rowsRead, counts->requests);
    return out;
}
