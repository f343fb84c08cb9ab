#include "incidents/binding.h"

#include "aggregate/axisseries.h"
#include "decode/limitwords.h"
#include "incidents/incidentfinder.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

const char *bindingEvidenceName(Binding::Evidence e)
{
    switch (e) {
    case Binding::Evidence::Message:
        return "message";
    case Binding::Evidence::Headers:
        return "headers";
    case Binding::Evidence::Counts:
        return "counts";
    case Binding::Evidence::Unknown:
        break;
    }
    return "unknown";
}

namespace {

constexpr std::size_t kAxes = 5;

std::optional<Binding> fromMessages(const EventStore &store, const Incident &incident)
{
    // one reading per distinct message: an incident repeats a few texts many times
    std::unordered_map<std::uint32_t, LimitWords> read;
    std::array<std::int64_t, kAxes> votes {};
    std::array<LimitWords, kAxes> example {};
    for (std::uint32_t i : incident.events) {
        const std::uint32_t id = store.messageId(i);
        if (id == 0)
            continue;
        auto it = read.find(id);
        if (it == read.end())
            it = read.emplace(id, readLimitWords(store.message(i))).first;
        const LimitWords &w = it->second;
        if (!w.axis)
            continue;
        const std::size_t a = std::size_t(*w.axis);
        if (votes[a]++ == 0)
            example[a] = w;
    }
    std::size_t best = kAxes;
    for (std::size_t a = 0; a < kAxes; ++a) {
        if (votes[a] > 0 && (best == kAxes || votes[a] > votes[best]))
            best = a;
    }
    if (best == kAxes)
        return std::nullopt;
    Binding b;
    b.axis = LimitAxis(best);
    b.windowS = example[best].windowS;
    if (b.axis == LimitAxis::Concurrency)
        b.windowS.reset();
    b.evidence = Binding::Evidence::Message;
    b.rule = example[best].rule;
    return b;
}

// The use of one axis at any instant: prefix sums over the scope's (time, value) in time order;
// for concurrency, the starts and ends of the requests with a duration.
class AxisUse
{
public:
    AxisUse(const EventStore &store, LimitAxis axis, const EventSubset *events)
        : m_axis(axis)
    {
        forEachEvent(store, events, [&](std::size_t i) {
            const std::int64_t t = store.timeMs(i);
            if (axis == LimitAxis::Concurrency) {
                const float d = store.durationMs(i);
                if (d >= 0) {
                    m_starts.push_back(t);
                    m_ends.push_back(t + std::int64_t(d));
                }
            } else if (const std::int64_t v = axisValue(store, i, axis); v > 0) {
                m_points.emplace_back(t, v);
            }
        });
        std::sort(m_points.begin(), m_points.end());
        std::sort(m_starts.begin(), m_starts.end());
        std::sort(m_ends.begin(), m_ends.end());
        m_prefix.resize(m_points.size() + 1);
        for (std::size_t k = 0; k < m_points.size(); ++k)
            m_prefix[k + 1] = m_prefix[k] + m_points[k].second;
    }

    // the sum over (t0 - windowMs, t0]; for concurrency the requests in flight at t0
    std::int64_t at(std::int64_t t0, std::int64_t windowMs) const
    {
        if (m_axis == LimitAxis::Concurrency) {
            const auto started = std::upper_bound(m_starts.begin(), m_starts.end(), t0);
            const auto ended = std::upper_bound(m_ends.begin(), m_ends.end(), t0);
            return std::int64_t(started - m_starts.begin()) - std::int64_t(ended - m_ends.begin());
        }
        const auto byTime = [](const std::pair<std::int64_t, std::int64_t> &p, std::int64_t t) {
            return p.first <= t;
        };
        const auto hi = std::partition_point(
            m_points.begin(), m_points.end(), [&](const auto &p) { return byTime(p, t0); });
        const auto lo = std::partition_point(m_points.begin(), m_points.end(),
            [&](const auto &p) { return byTime(p, t0 - windowMs); });
        return m_prefix[std::size_t(hi - m_points.begin())]
            - m_prefix[std::size_t(lo - m_points.begin())];
    }

private:
    LimitAxis m_axis;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_points;
    std::vector<std::int64_t> m_prefix { 0 };
    std::vector<std::int64_t> m_starts, m_ends;
};

} // namespace

void addBindings(const EventStore &store, std::vector<Incident> &incidents,
    const std::vector<AxisLimit> &limits, const EventSubset *scopeEvents)
{
    // the limits that can be compared: a known window (limits.md §3), or concurrency
    std::vector<const AxisLimit *> usable;
    for (const AxisLimit &l : limits) {
        if (l.spec.requests > 0 && (l.axis == LimitAxis::Concurrency || l.spec.windowS))
            usable.push_back(&l);
    }
    std::map<LimitAxis, AxisUse> uses; // made when an incident needs counts
    for (Incident &inc : incidents) {
        if (auto b = fromMessages(store, inc)) {
            inc.binding = *b;
            continue;
        }
        Binding best;
        double bestRatio = -1;
        // the scope's limits say nothing of an upstream provider's: counts only judge an
        // incident the scope itself rejected (mostly RATE_LIMITED)
        // nor does a quota that ran out (insufficient_quota: billing, not a rate)
        if (inc.dominant != RejectionSource::RateLimited || inc.quota) {
            inc.binding = best;
            continue;
        }
        for (const AxisLimit *l : usable) {
            auto it = uses.find(l->axis);
            if (it == uses.end())
                it = uses.emplace(l->axis, AxisUse(store, l->axis, scopeEvents)).first;
            const double ratio
                = double(it->second.at(inc.startMs, l->spec.windowS.value_or(0) * 1000))
                / double(l->spec.requests);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best.axis = l->axis;
                best.windowS = l->axis == LimitAxis::Concurrency ? std::nullopt : l->spec.windowS;
                best.evidence = Binding::Evidence::Counts;
                best.rule = "use/limit";
            }
        }
        inc.binding = best;
    }
}
