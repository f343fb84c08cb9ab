#include "export/scopesummary.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

ReportedHistory reportedHistory(const EventStore &store, const EventSubset *events)
{
    // (time, index) of every event that reported a limit, in time order
    std::vector<std::pair<std::int64_t, std::uint32_t>> reporting;
    forEachEvent(store, events, [&](std::size_t i) {
        if (store.serverLimit(i) > 0)
            reporting.emplace_back(store.timeMs(i), std::uint32_t(i));
    });
    std::stable_sort(reporting.begin(), reporting.end(),
        [](const auto &a, const auto &b) { return a.first < b.first; });
    ReportedHistory h;
    // the last value seen for each window (a change is a different value in the same window)
    std::vector<LimitSpec> last;
    const auto sameWindow = [](std::optional<std::int64_t> w) {
        return [w](const LimitSpec &l) { return l.windowS == w; };
    };
    for (const auto &[t, i] : reporting) {
        LimitSpec spec;
        spec.requests = store.serverLimit(i);
        const std::int32_t w = store.serverWindowS(i);
        spec.windowS = w > 0 ? std::optional<std::int64_t>(w) : std::nullopt;
        spec.fromHeaders = true;
        const auto smallest
            = std::find_if(h.byWindow.begin(), h.byWindow.end(), sameWindow(spec.windowS));
        if (smallest == h.byWindow.end())
            h.byWindow.push_back(spec);
        else if (spec.requests < smallest->requests)
            smallest->requests = spec.requests;
        const auto previous = std::find_if(last.begin(), last.end(), sameWindow(spec.windowS));
        if (previous == last.end()) {
            last.push_back(spec);
            continue;
        }
        if (previous->requests != spec.requests) {
            if (h.changes.size() < kMaxDriftChanges) {
                LimitDrift d;
                d.windowS = spec.windowS;
                d.timeMs = t;
                d.from = previous->requests;
                d.to = spec.requests;
                h.changes.push_back(d);
            } else {
                ++h.omitted;
            }
            previous->requests = spec.requests;
        }
    }
    std::sort(h.byWindow.begin(), h.byWindow.end(), [](const LimitSpec &a, const LimitSpec &b) {
        if (a.windowS.has_value() != b.windowS.has_value())
            return a.windowS.has_value(); // a known window before an unknown one
        return a.windowS < b.windowS;
    });
    return h;
}

std::size_t topScopeIndex(const std::vector<ScopeSummary> &scopes)
{
    std::size_t best = 0;
    for (std::size_t k = 1; k < scopes.size(); ++k) {
        const ScopeSummary &a = scopes[k], &b = scopes[best];
        if (a.rejectedTotal() != b.rejectedTotal() ? a.rejectedTotal() > b.rejectedTotal()
                : a.requests != b.requests         ? a.requests > b.requests
                                                   : a.name < b.name)
            best = k;
    }
    return best;
}

std::vector<LimitDrift> configuredAgainstReported(
    const std::vector<LimitSpec> &configured, const std::vector<LimitSpec> &reported)
{
    std::vector<LimitDrift> out;
    for (const LimitSpec &c : configured) {
        for (const LimitSpec &r : reported) {
            if (c.windowS == r.windowS && std::abs(c.requests - r.requests) * 100 > r.requests) {
                LimitDrift d;
                d.kind = LimitDrift::Kind::Configured;
                d.windowS = c.windowS;
                d.from = c.requests;
                d.to = r.requests;
                out.push_back(d);
            }
        }
    }
    return out;
}
