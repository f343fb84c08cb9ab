#pragma once

// Incidents of a table in an engine (ClickHouse or PostgreSQL) without reading it (issue 21
// "what runs where"): the per-minute rejection counts come from the engine (one query); the
// minutes with rejections that could belong to one incident (at most the merge gap apart,
// whatever the scope) make a few spans; only the raw rows of those spans are read (keyset
// pages over a range: enginetable.h), and the incidents are found in them as in a file: the
// same start, end, requests, peaks and top lists, since every minute an incident counts lies
// inside its span.

#include "engine/clickhouseaggregate.h"
#include "engine/engineuri.h"
#include "incidents/incidentfinder.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

// [from, to) spans of whole minutes holding every rejection of `perMinute`, two minutes with
// rejections in one span when the rejections in them could be at most mergeGapMinutes apart.
std::vector<std::pair<std::int64_t, std::int64_t>> incidentSpans(
    const EngineSeries &perMinute, double mergeGapMinutes);

struct EngineIncidents
{
    std::vector<Incident> incidents; // as findIncidents gives them, indices into `store`
    EventStore store; // the rows of the spans
    std::vector<std::pair<std::int64_t, std::int64_t>> spans;
    std::uint64_t tableRows = 0; // the requests the engine counted
};

// The table's incidents (ClickHouse: a `ratescope` table, clickHouseEngineColumns; PostgreSQL:
// any profile). Runs on the calling thread (a worker's). nullopt with *error (no password in
// it) when a query failed or `cancel` was set.
std::optional<EngineIncidents> findEngineIncidents(const EngineUri &uri, const RuleSet &rules,
    double mergeGapMinutes, QString *error, const std::atomic<bool> *cancel = nullptr);
