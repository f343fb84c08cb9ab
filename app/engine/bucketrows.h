#pragma once

// The rows of one bucket of a table in an engine, for the window's drill-down (issue 21: "drill-
// down and the detail pane fetch only the rows of the chosen bucket, with keyset paging"):
// the rows of [from, to) in (time, id) order, pageRows at a time, up to maxRows, each
// classified as a file's record is, with the row itself kept as the event's raw record (the
// detail pane's). A bucket with more rows than that is listed by its first maxRows, and the
// engine counts the rest (one more query) so that the window can say "the first N of M".

#include "base/inputreport.h"
#include "engine/engineuri.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

struct BucketRows
{
    std::shared_ptr<EventStore> store; // the events read, keptRecords() holding their rows
    InputReport report; // fatal: why the read stopped (no password in it)
    std::uint64_t rowsRead = 0; // rows read, those the profile could not read included
    // All the rows of the range when the read stopped at maxRows: the engine's count; else
    // rowsRead.
    std::uint64_t rowsInRange = 0;
    bool complete() const { return rowsRead == rowsInRange; }
};

struct BucketRowsRequest
{
    TimeRange range; // [from, to)
    int pageRows = 1000; // rows per keyset page
    std::uint64_t maxRows = 5000; // a multiple of pageRows
};

// Runs on the calling thread (a worker's); `cancel` stops it between pages.
BucketRows readBucketRows(const EngineUri &uri, const RuleSet &rules,
    const BucketRowsRequest &request, const std::atomic<bool> *cancel);
