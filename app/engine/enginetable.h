#pragma once

// What the window's panels ask of a table, whichever engine holds it (issue 21 "what runs
// where"): its per-bucket counts over a range (the engine's GROUP BY), and its rows over a
// range (keyset pages). Both run on the calling thread and wait for the answer: call them from
// a worker. PostgreSQL's connection lives in a thread of its own for each call (libpq keeps
// per-thread state that is freed only when that thread ends: readPostgresInWorker).

#include "base/inputreport.h"
#include "engine/clickhouseaggregate.h"
#include "engine/engineuri.h"
#include "engine/tablereadoptions.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <optional>

// The counts over `range` at `bucketMs` (any scope, by source); nullopt with *error (the table
// named, no password in it) when a query failed or was cancelled.
std::optional<EngineSeries> countTable(const EngineUri &uri, const RuleSet &rules,
    std::int64_t bucketMs, const TimeRange &range, const std::atomic<bool> *cancel, QString *error);

// The rows of `options.range` into `store`, classified as a file's, by the engine's reader
// (readClickHouse, readPostgresInWorker): summarize's read, one poll of `monitor`, a span of
// incidents, a drill-down's bucket.
InputReport readEngineTable(
    const EngineUri &uri, EventStore &store, const RuleSet &rules, const TableReadOptions &options);
