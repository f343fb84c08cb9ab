#include "live/liverollup.h"

#include "export/redactor.h"
#include "export/rollupsummary.h"

#include <algorithm>

LiveRollup::LiveRollup(ScopeBy by, std::vector<LimitEntry> limits, std::int64_t reorderMs,
    double mergeGapMinutes, QString spillDir)
    : m_by(by)
    , m_rollup(by)
    , m_fold(by, OrderedFold::windowsOf(limits))
    , m_incidents(mergeGapMinutes, SpillTally::kDefaultBudgetBytes, spillDir)
    , m_retries(spillDir)
    , m_reorderMs(reorderMs)
{
}

void LiveRollup::add(std::shared_ptr<const LiveBatch> batch)
{
    const EventStore &ev = batch->events;
    if (ev.size() == 0)
        return;
    Held h;
    h.sequence = ++m_sequence;
    h.order.resize(ev.size());
    for (std::size_t i = 0; i < ev.size(); ++i) {
        h.order[i] = std::uint32_t(i);
        m_newestMs = std::max(m_newestMs, ev.timeMs(i));
    }
    std::stable_sort(h.order.begin(), h.order.end(),
        [&ev](std::uint32_t a, std::uint32_t b) { return ev.timeMs(a) < ev.timeMs(b); });
    const ScopeIndex index = ScopeIndex::build(ev, m_by);
    m_rollup.add(ev, 0, ev.size(), index); // one index of the batch for both
    h.names = index.names();
    h.scope.resize(ev.size());
    for (std::size_t i = 0; i < ev.size(); ++i)
        h.scope[i] = index.scopeOf(i);
    h.batch = std::move(batch);
    m_held.push_back(std::move(h));
    const std::int64_t watermark = m_newestMs - m_reorderMs;
    foldUpTo(m_held, m_fold, m_retries, watermark);
    m_rollup.releaseRejections(
        watermark, [this](const std::string &scope, const MinuteRejections &r) {
            m_incidents.addMinute(scope, r);
        });
    // every rejection before the minutes let go of has been added
    m_incidents.closeBefore(floorTo(watermark, 60000));
}

void LiveRollup::foldUpTo(
    std::deque<Held> &held, OrderedFold &fold, RetryFold &retries, std::int64_t watermarkMs)
{
    // the held batch whose next event is earliest (at equal times the one that came first)
    using Next = std::pair<std::int64_t, std::uint64_t>; // (time, sequence)
    std::priority_queue<std::pair<Next, std::size_t>, std::vector<std::pair<Next, std::size_t>>,
        std::greater<>>
        heads;
    const auto timeOfNext = [&held](std::size_t k) {
        const Held &h = held[k];
        return h.batch->events.timeMs(h.order[h.next]);
    };
    for (std::size_t k = 0; k < held.size(); ++k) {
        if (held[k].next < held[k].order.size() && timeOfNext(k) <= watermarkMs)
            heads.push({ { timeOfNext(k), held[k].sequence }, k });
    }
    while (!heads.empty()) {
        const std::size_t k = heads.top().second;
        heads.pop();
        Held &h = held[k];
        const std::uint32_t i = h.order[h.next++];
        fold.add(h.batch->events, i, h.names[h.scope[i]]);
        retries.add(h.batch->events, i);
        if (h.next < h.order.size() && timeOfNext(k) <= watermarkMs)
            heads.push({ { timeOfNext(k), h.sequence }, k });
    }
    while (!held.empty() && held.front().next == held.front().order.size())
        held.pop_front(); // folded: let the batch go
}

Summary LiveRollup::summary(std::vector<InputReport> inputs, const ReportOptions &options) const
{
    std::deque<Held> rest = m_held;
    OrderedFold fold = m_fold;
    RetryFold retries = m_retries.snapshot();
    foldUpTo(rest, fold, retries, INT64_MAX);
    Summary s = summaryFromRollup(m_rollup, fold, std::move(inputs), options.limit,
        options.mergeGapMinutes, options.scoping, &m_incidents, &retries);
    addLimitAsk(s, options.headroomPercent);
    return redactSummary(std::move(s), Redactor::builtIn());
}
