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
// A shorter gap splits minutes: nullopt (the caller needs the events). The minutes are folded
// by an IncidentFold: a new one, or a copy of the one a live run let minutes go into.

#include "aggregate/minuterollup.h"
#include "incidents/incidentfinder.h"
#include "incidents/incidentfold.h"

#include <optional>
#include <string>
#include <vector>

// `evidence`, when given, gets each incident's BindingEvidence (its minutes' merged), for
// addBindings. `released`: the minutes the rollup has let go of (MinuteRollup::
// releaseRejections), folded with the same merge gap (another gap: nullopt). `readBack` is
// false when a tally spilled to disk could not be read back (IncidentFold).
std::optional<std::vector<Incident>> incidentsFromRollup(const MinuteRollup &rollup,
    const std::string &scope, double mergeGapMinutes,
    std::vector<BindingEvidence> *evidence = nullptr, const IncidentFold *released = nullptr,
    bool *readBack = nullptr);
