#include "incidents/incidentrollup.h"

#include <algorithm>
#include <map>

namespace {

using Tally = std::map<std::string, std::int64_t, std::less<>>;

void merge(Tally &into, const Tally &from)
{
    for (const auto &[name, n] : from)
        into[name] += n;
}

std::vector<NamedCount> top5(const Tally &tally)
{
    std::vector<NamedCount> all;
    all.reserve(tally.size());
    for (const auto &[name, n] : tally)
        all.push_back({ name, n });
    return topCounts(std::move(all), 5);
}

} // namespace

std::optional<std::vector<Incident>> incidentsFromRollup(const MinuteRollup &rollup,
    const std::string &scope, double mergeGapMinutes, std::vector<BindingEvidence> *evidence)
{
    if (!(mergeGapMinutes >= 1.0))
        return std::nullopt;
    // a gap of exactly merge-gap still merges (findIncidents compares in whole ms)
    const double gapMs = mergeGapMinutes * 60000.0;
    struct Open
    {
        Incident incident;
        Tally tools, providers, messages;
        std::int32_t maxRetryAfterMs = -1;
        BindingEvidence binding;
    };
    std::vector<Open> open;
    rollup.forEachRejectionMinute(scope, [&](const BucketCounts &c, const MinuteRejections &r) {
        if (open.empty() || double(r.firstMs - open.back().incident.endMs) > gapMs) {
            open.emplace_back();
            open.back().incident.scope = scope;
            open.back().incident.startMs = r.firstMs;
        }
        Open &o = open.back();
        o.incident.endMs = r.lastMs;
        for (std::size_t s = 0; s < o.incident.rejected.size(); ++s)
            o.incident.rejected[s] += c.rejected[s];
        o.incident.quota = o.incident.quota || r.quota;
        o.maxRetryAfterMs = std::max(o.maxRetryAfterMs, r.maxRetryAfterMs);
        merge(o.tools, r.tools);
        merge(o.providers, r.providers);
        merge(o.messages, r.messages);
        o.binding.merge(r.binding);
    });
    const std::vector<BucketCounts> minutes = rollup.scopeMinutes(scope);
    std::vector<Incident> out;
    out.reserve(open.size());
    for (Open &o : open) {
        Incident &inc = o.incident;
        countRequests(minutes, inc);
        inc.dominant = dominantSource(inc.rejected);
        if (o.maxRetryAfterMs >= 0)
            inc.maxRetryAfterS = o.maxRetryAfterMs / 1000.0;
        inc.topTools = top5(o.tools);
        inc.topProviders = top5(o.providers);
        inc.messages = top5(o.messages);
        if (evidence)
            evidence->push_back(o.binding);
        out.push_back(std::move(inc));
    }
    return out;
}
