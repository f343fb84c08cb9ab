#include "incidents/incidentrollup.h"

#include <algorithm>
#include <map>

std::optional<std::vector<Incident>> incidentsFromRollup(const MinuteRollup &rollup,
    const std::string &scope, double mergeGapMinutes, std::vector<BindingEvidence> *evidence,
    const IncidentFold *released, bool *readBack)
{
    if (!(mergeGapMinutes >= 1.0) || (released && released->mergeGapMinutes() != mergeGapMinutes))
        return std::nullopt;
    IncidentFold fold = released ? released->only(scope) : IncidentFold(mergeGapMinutes);
    rollup.forEachRejectionMinute(
        scope, [&](const BucketCounts &, const MinuteRejections &r) { fold.addMinute(scope, r); });
    return fold.incidents(scope, rollup.scopeMinutes(scope), evidence, readBack);
}
