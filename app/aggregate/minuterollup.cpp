#include "aggregate/minuterollup.h"

#include <algorithm>
#include <unordered_map>

MinuteRollup::MinuteRollup(ScopeBy by)
    : m_by(by)
{
}

int MinuteRollup::tokenAxisIndex(LimitAxis axis)
{
    switch (axis) {
    case LimitAxis::Tokens:
        return 0;
    case LimitAxis::InputTokens:
        return 1;
    case LimitAxis::OutputTokens:
        return 2;
    case LimitAxis::Requests:
    case LimitAxis::Concurrency:
        break;
    }
    return -1;
}

void MinuteRollup::addRejection(
    Minute &minute, const EventStore &events, std::size_t i, const LimitWords &words)
{
    if (!minute.rejections)
        minute.rejections = std::make_unique<MinuteRejections>();
    MinuteRejections &r = *minute.rejections;
    const std::int64_t t = events.timeMs(i);
    r.firstMs = std::min(r.firstMs, t);
    r.lastMs = std::max(r.lastMs, t);
    r.quota = r.quota || (events.flags(i) & FlagQuota);
    const EventDetail d = events.detail(i);
    r.maxRetryAfterMs = std::max(r.maxRetryAfterMs, d.retryAfterMs);
    const auto count = [](auto &map, std::string_view name) {
        if (name.empty())
            return;
        const auto it = map.find(name);
        if (it != map.end())
            ++it->second;
        else
            map.emplace(std::string(name), 1);
    };
    count(r.tools, events.tool(i));
    count(r.providers, events.provider(i));
    count(r.messages, events.strings().view(d.messageId));
    r.binding.addRejection(events, i, words);
}

void MinuteRollup::add(const EventStore &events, std::size_t from, std::size_t to)
{
    to = std::min(to, events.size());
    if (from >= to)
        return;
    EventSubset range(to - from);
    for (std::size_t i = from; i < to; ++i)
        range[i - from] = std::uint32_t(i);
    const bool whole = from == 0 && to == events.size();
    add(events, from, to, ScopeIndex::build(events, m_by, whole ? nullptr : &range));
}

void MinuteRollup::add(
    const EventStore &events, std::size_t from, std::size_t to, const ScopeIndex &index)
{
    std::vector<Scope *> scopeOf(index.size());
    for (std::size_t k = 0; k < index.size(); ++k)
        scopeOf[k] = &m_scopes[index.names()[k]];

    // one map lookup per run of events in the same scope and minute (live batches are runs)
    Scope *lastScope = nullptr;
    std::int64_t lastStart = INT64_MIN;
    Minute *minute = nullptr;
    const bool tokens = events.hasTokens();
    std::unordered_map<std::uint32_t, LimitWords> words;
    for (std::size_t i = from; i < to; ++i) {
        const std::int64_t t = events.timeMs(i);
        if (!m_spanStartMs || t < *m_spanStartMs)
            m_spanStartMs = t;
        if (!m_spanEndMs || t > *m_spanEndMs)
            m_spanEndMs = t;
        Scope *scope = scopeOf[index.scopeOf(i)];
        const std::int64_t start = floorTo(t, 60000);
        if (scope != lastScope || start != lastStart || !minute) {
            minute = &scope->minutes[start];
            minute->counts.startMs = start;
            lastScope = scope;
            lastStart = start;
        }
        BucketCounts &c = minute->counts;
        ++c.requests;
        const RejectionSource s = events.source(i);
        if (s != RejectionSource::None) {
            ++c.rejected[std::size_t(sourceIndex(s))];
            // one reading per distinct message of the batch
            static const LimitWords none;
            const std::uint32_t id = events.messageId(i);
            const LimitWords *w = &none;
            if (id != 0) {
                auto it = words.find(id);
                if (it == words.end())
                    it = words.emplace(id, readLimitWords(events.message(i))).first;
                w = &it->second;
            }
            addRejection(*minute, events, i, *w);
        }
        c.noteServerLimit(events.serverLimit(i));
        if (tokens) {
            const std::int64_t v[3]
                = { events.totalTokens(i), events.inputTokens(i), events.outputTokens(i) };
            for (std::size_t a = 0; a < 3; ++a) {
                if (v[a] >= 0) {
                    minute->tokens[a] += v[a];
                    ++minute->tokensKnown[a];
                    ++scope->tokensKnown[a];
                }
            }
        }
    }
    m_requests += std::int64_t(to - from);

    // limits.md §7: only the events a rule fired on (few; ruleHits() is by event index)
    const auto &hits = events.ruleHits();
    auto hit = std::lower_bound(hits.begin(), hits.end(), std::uint32_t(from),
        [](const auto &h, std::uint32_t i) { return h.first < i; });
    for (; hit != hits.end() && hit->first < to; ++hit) {
        const std::size_t i = hit->first;
        const RuleHit &h = hit->second;
        if (h.category != ThrottleCategory::None) {
            const std::size_t c = std::size_t(categoryIndex(h.category));
            ++m_throttles[c];
            ++m_rules[{ h.category, std::string(events.strings().view(h.categoryRuleId)) }];
            Scope *scope = scopeOf[index.scopeOf(i)];
            ++scope->minutes[floorTo(events.timeMs(i), 60000)].counts.throttled[c];
        }
        if (h.gatewayRuleId && !events.provider(i).empty())
            ++m_providers[std::string(events.provider(i))];
    }
}

std::vector<BucketCounts> MinuteRollup::minutes() const
{
    std::map<std::int64_t, BucketCounts> all;
    for (const auto &[name, scope] : m_scopes) {
        for (const auto &[start, m] : scope.minutes) {
            BucketCounts &b = all[start];
            b.startMs = start;
            b.add(m.counts);
        }
    }
    std::vector<BucketCounts> out;
    out.reserve(all.size());
    for (const auto &[start, b] : all)
        out.push_back(b);
    return out;
}

std::vector<std::string> MinuteRollup::scopes() const
{
    std::vector<std::string> names;
    names.reserve(m_scopes.size());
    for (const auto &[name, scope] : m_scopes)
        names.push_back(name); // a std::map: sorted as ScopeIndex sorts them
    return names;
}

std::vector<BucketCounts> MinuteRollup::scopeMinutes(const std::string &name) const
{
    std::vector<BucketCounts> out;
    const auto it = m_scopes.find(name);
    if (it == m_scopes.end())
        return out;
    out.reserve(it->second.minutes.size());
    for (const auto &[start, m] : it->second.minutes)
        out.push_back(m.counts);
    return out;
}

AxisSeries MinuteRollup::scopeTokens(const std::string &name, LimitAxis axis) const
{
    AxisSeries out;
    const int a = tokenAxisIndex(axis);
    const auto it = m_scopes.find(name);
    if (a < 0 || it == m_scopes.end())
        return out;
    std::int64_t requests = 0;
    for (const auto &[start, m] : it->second.minutes) {
        requests += m.counts.requests;
        if (m.tokensKnown[std::size_t(a)] > 0)
            out.buckets.push_back({ start, m.tokens[std::size_t(a)] });
    }
    out.known = it->second.tokensKnown[std::size_t(a)];
    out.unknown = requests - out.known;
    return out;
}

std::size_t MinuteRollup::entries() const
{
    std::size_t n = 0;
    for (const auto &[name, scope] : m_scopes)
        n += scope.minutes.size();
    return n;
}
