#pragma once

// A scope's incidents from a MinuteRollup (issue 22): the same incidents findIncidents gives
// over every event of the scope (summary.md "incident": start, end, requests and peak of its
// minutes, rejections by source, dominant source, top tools, providers and messages, largest
// Retry-After, quota), without the events. Not set: `events` (no event indices) and `binding`
// (addBindings with the evidence and an OrderedFold's use at each start).
//
// Exact when the merge gap is a minute or more: rejections of one minute are then always in
// one incident, so an incident is a run of whole minutes and the gaps that matter are those
// between one minute's last rejection and the next's first, which the rollup keeps to the ms.
// A shorter gap splits minutes: nullopt (the caller needs the events).

#include "aggregate/minuterollup.h"
#include "incidents/incidentfinder.h"

#include <optional>
#include <string>
#include <vector>

// `evidence`, when given, gets each incident's BindingEvidence (its minutes' merged), for
// addBindings.
std::optional<std::vector<Incident>> incidentsFromRollup(const MinuteRollup &rollup,
    const std::string &scope, double mergeGapMinutes,
    std::vector<BindingEvidence> *evidence = nullptr);
