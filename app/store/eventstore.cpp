#include "store/eventstore.h"

#include "store/fasthash.h"

#include <algorithm>

void EventStore::reserve(std::size_t n)
{
    std::apply([n](auto &...c) { (c.reserve(n), ...); }, columns());
    if (hasTokens()) {
        m_tokensIn.reserve(n);
        m_tokensOut.reserve(n);
    }
}

void EventStore::materializeTokens(std::size_t n)
{
    m_tokensIn.clear();
    m_tokensOut.clear();
    m_tokensIn.reserve(std::max(n, m_time.capacity()));
    m_tokensOut.reserve(std::max(n, m_time.capacity()));
    m_tokensIn.growTo(n, kNoTokens);
    m_tokensOut.growTo(n, 0);
}

std::uint16_t EventStore::setIndex(const ReportedLimitSet &set)
{
    if (set == m_sets[m_lastSet]) // runs of the same set
        return m_lastSet;
    for (std::size_t k = 0; k < m_sets.size(); ++k) {
        if (m_sets[k] == set)
            return m_lastSet = std::uint16_t(k);
    }
    if (m_sets.size() >= 0xFFFF)
        return 0; // tens of thousands of distinct limits: no API reports that; kept as none
    m_sets.push_back(set);
    m_setsWithTokens = m_setsWithTokens || set.tokens.any();
    return m_lastSet = std::uint16_t(m_sets.size() - 1);
}

void EventStore::pushTokens(const EventInput &e)
{
    auto clamp
        = [](std::int64_t v) { return std::uint32_t(std::min<std::int64_t>(v, kMaxTokens)); };
    std::int64_t in = e.inputTokens, out = e.outputTokens;
    if (in < 0 && out >= 0 && e.totalTokens >= out)
        in = e.totalTokens - out;
    if (out < 0 && in >= 0 && e.totalTokens >= in)
        out = e.totalTokens - in;
    const bool any = in >= 0 || out >= 0 || e.totalTokens >= 0;
    if (!any && !hasTokens())
        return;
    if (!hasTokens())
        materializeTokens(m_time.size() - 1); // this event is appended already
    if (in >= 0 && out >= 0) {
        m_tokensIn.push_back(clamp(in));
        m_tokensOut.push_back(clamp(out));
    } else if (e.totalTokens >= 0 || in >= 0 || out >= 0) {
        // one of them alone: a total (an input or output alone counts as the total)
        m_tokensIn.push_back(clamp(e.totalTokens >= 0 ? e.totalTokens : std::max(in, out)));
        m_tokensOut.push_back(kTotalOnly);
    } else {
        m_tokensIn.push_back(kNoTokens);
        m_tokensOut.push_back(0);
    }
}

void EventStore::clear()
{
    std::apply([](auto &...c) { (c.clear(), ...); }, columns());
    m_tokensIn.clear();
    m_tokensOut.clear();
    m_sets.assign(1, ReportedLimitSet {});
    m_lastSet = 0;
    m_setsWithTokens = false;
    m_details.clear();
    m_ruleHits.clear();
    m_files.clear();
    m_removedFiles.reset();
    m_keptRecords.reset();
    m_strings = StringPool();
    m_methods.assign(1, std::string());
    m_actors.assign(1, Actor {});
    m_actorIds.clear();
    m_actorIds.emplace(Actor {}, 0);
    m_actorCache.reset();
}

std::uint8_t EventStore::methodIndex(std::string_view m)
{
    for (std::size_t i = 0; i < m_methods.size(); ++i) {
        if (m_methods[i] == m)
            return std::uint8_t(i);
    }
    if (m_methods.size() >= 255)
        return 0; // absurd number of distinct methods: store as unknown
    m_methods.emplace_back(m);
    return std::uint8_t(m_methods.size() - 1);
}

std::uint32_t EventStore::actorIndex(const Actor &a)
{
    auto [it, inserted] = m_actorIds.try_emplace(a, std::uint32_t(m_actors.size()));
    if (inserted)
        m_actors.push_back(a);
    return it->second;
}

std::uint32_t EventStore::actorOf(std::string_view tool, std::string_view provider,
    std::string_view client, std::string_view model)
{
    if (!m_actorCache)
        m_actorCache = std::make_unique<ActorCacheSlot[]>(kActorCacheSlots);
    const std::uint64_t h = fastHash(model, fastHash(client, fastHash(provider, fastHash(tool))));
    ActorCacheSlot &slot = m_actorCache[h & (kActorCacheSlots - 1)];
    if (slot.actor != 0 && slot.hash == h) {
        const Actor &a = m_actors[slot.actor];
        if (m_strings.view(a.tool) == tool && m_strings.view(a.provider) == provider
            && m_strings.view(a.client) == client && m_strings.view(a.model) == model)
            return slot.actor;
    }
    // interned in this order, as before the cache: string ids follow first appearance
    const std::uint32_t t = m_strings.intern(tool);
    const std::uint32_t p = m_strings.intern(provider);
    const std::uint32_t c = m_strings.intern(client);
    const std::uint32_t m = m_strings.intern(model);
    const std::uint32_t actor = actorIndex({ t, p, c, m });
    if (actor != 0)
        slot = { h, actor };
    return actor;
}

void EventStore::append(const EventInput &e)
{
    m_time.push_back(e.timeMs);
    m_offset.push_back(e.offset);
    m_line.push_back(e.line);
    m_endpoint.push_back(m_strings.intern(e.endpoint));
    m_actor.push_back(actorOf(e.tool, e.provider, e.client, e.model));
    m_duration.push_back(e.durationMs);
    m_status.push_back(std::int16_t(e.status < -1 || e.status > 32767 ? -1 : e.status));
    m_file.push_back(e.file);
    m_source.push_back(std::uint8_t(e.source));
    m_flags.push_back(e.flags);
    m_method.push_back(methodIndex(e.method));
    ReportedLimitSet set;
    if (e.serverLimit > 0) {
        set.requests = e.serverLimit;
        set.requestsWindowS = e.serverWindowS > 0 ? e.serverWindowS : -1;
    }
    set.tokens = e.reportedTokens;
    m_set.push_back(setIndex(set));
    pushTokens(e);
    if (!e.message.empty() || !e.errorCode.empty() || e.retryAfterMs >= 0) {
        m_details.emplace_back(std::uint32_t(m_time.size() - 1),
            EventDetail {
                m_strings.intern(e.message), m_strings.intern(e.errorCode), e.retryAfterMs });
    }
    if (e.category != ThrottleCategory::None || !e.gatewayRule.empty()) {
        m_ruleHits.emplace_back(std::uint32_t(m_time.size() - 1),
            RuleHit {
                m_strings.intern(e.categoryRule), m_strings.intern(e.gatewayRule), e.category });
    }
}

EventStore EventStore::share() const
{
    EventStore c;
    std::apply(
        [&c](const auto &...src) {
            std::apply([&](auto &...dst) { ((dst = src.share()), ...); }, c.columns());
        },
        columns());
    c.m_tokensIn = m_tokensIn.share();
    c.m_tokensOut = m_tokensOut.share();
    c.m_details = m_details.share();
    c.m_ruleHits = m_ruleHits.share();
    c.m_strings = m_strings.share();
    copyTablesInto(c);
    return c;
}

EventStore EventStore::clone(std::size_t capacity) const
{
    EventStore c;
    c.reserve(std::max(capacity, size()));
    std::apply(
        [&c](const auto &...src) {
            std::apply(
                [&](auto &...dst) { (dst.append(src.begin(), src.end()), ...); }, c.columns());
        },
        columns());
    if (hasTokens()) {
        c.m_tokensIn.reserve(std::max(capacity, size()));
        c.m_tokensOut.reserve(std::max(capacity, size()));
        c.m_tokensIn.append(m_tokensIn.begin(), m_tokensIn.end());
        c.m_tokensOut.append(m_tokensOut.begin(), m_tokensOut.end());
    }
    c.m_details.append(m_details.begin(), m_details.end());
    c.m_ruleHits.append(m_ruleHits.begin(), m_ruleHits.end());
    for (std::uint32_t id = 1; id < m_strings.size(); ++id)
        c.m_strings.intern(m_strings.view(id));
    copyTablesInto(c);
    return c;
}

void EventStore::copyTablesInto(EventStore &c) const
{
    c.m_sets = m_sets;
    c.m_lastSet = m_lastSet;
    c.m_setsWithTokens = m_setsWithTokens;
    c.m_files = m_files;
    c.m_removedFiles = m_removedFiles;
    c.m_keptRecords = m_keptRecords;
    c.m_methods = m_methods;
    c.m_actors = m_actors;
    c.m_actorIds = m_actorIds;
}

void EventStore::appendShard(const EventStore &shard, const std::vector<bool> &skip,
    std::uint64_t lineBase, std::uint64_t offsetBase)
{
    // Remap tables are built lazily: only strings that are used get interned here.
    std::vector<std::uint32_t> strMap(shard.m_strings.size(), UINT32_MAX);
    strMap[0] = 0;
    auto mapString = [&](std::uint32_t id) {
        if (strMap[id] == UINT32_MAX)
            strMap[id] = m_strings.intern(shard.m_strings.view(id));
        return strMap[id];
    };
    std::vector<std::uint32_t> actorMap(shard.m_actors.size(), UINT32_MAX);
    std::vector<std::uint8_t> methodMap(shard.m_methods.size());
    for (std::size_t i = 0; i < shard.m_methods.size(); ++i)
        methodMap[i] = methodIndex(shard.m_methods[i]);
    std::vector<std::uint16_t> setMap(shard.m_sets.size());
    for (std::size_t i = 0; i < shard.m_sets.size(); ++i)
        setMap[i] = setIndex(shard.m_sets[i]);

    // The plain columns are copied column by column, one tight loop each (a row at a time
    // pushed to every column took longer; this runs on the loader's merging thread).
    const std::size_t n = shard.size();
    const std::size_t first = size();
    auto forKept = [&](auto &&f) {
        if (skip.empty()) {
            for (std::size_t i = 0; i < n; ++i)
                f(i);
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                if (!skip[i])
                    f(i);
            }
        }
    };
    reserve(first + n);
    // Strings, actors and details a row at a time, as append() would: the pool gives ids in
    // the order strings first appear, and reports break ties by id.
    std::size_t kept = 0; // kept events so far
    std::size_t nextDetail = 0; // shard details are sorted by event index too
    std::size_t nextHit = 0; // and so are its rule hits
    for (std::size_t i = 0; i < n; ++i) {
        const bool hasDetail
            = nextDetail < shard.m_details.size() && shard.m_details[nextDetail].first == i;
        if (hasDetail)
            ++nextDetail;
        const bool hasHit
            = nextHit < shard.m_ruleHits.size() && shard.m_ruleHits[nextHit].first == i;
        if (hasHit)
            ++nextHit;
        if (!skip.empty() && skip[i])
            continue;
        m_endpoint.push_back(mapString(shard.m_endpoint[i]));
        const std::uint32_t a = shard.m_actor[i];
        if (actorMap[a] == UINT32_MAX) {
            const Actor &sa = shard.m_actors[a];
            actorMap[a] = actorIndex({ mapString(sa.tool), mapString(sa.provider),
                mapString(sa.client), mapString(sa.model) });
        }
        m_actor.push_back(actorMap[a]);
        if (hasDetail) {
            const EventDetail &sd = shard.m_details[nextDetail - 1].second;
            m_details.emplace_back(std::uint32_t(first + kept),
                EventDetail {
                    mapString(sd.messageId), mapString(sd.errorCodeId), sd.retryAfterMs });
        }
        if (hasHit) {
            const RuleHit &sh = shard.m_ruleHits[nextHit - 1].second;
            m_ruleHits.emplace_back(std::uint32_t(first + kept),
                RuleHit { mapString(sh.categoryRuleId), mapString(sh.gatewayRuleId), sh.category });
        }
        ++kept;
    }
    forKept([&](std::size_t i) { m_time.push_back(shard.m_time[i]); });
    forKept([&](std::size_t i) { m_offset.push_back(shard.m_offset[i] + offsetBase); });
    forKept([&](std::size_t i) { m_line.push_back(std::uint32_t(shard.m_line[i] + lineBase)); });
    forKept([&](std::size_t i) { m_duration.push_back(shard.m_duration[i]); });
    forKept([&](std::size_t i) { m_status.push_back(shard.m_status[i]); });
    forKept([&](std::size_t i) { m_file.push_back(shard.m_file[i]); });
    forKept([&](std::size_t i) { m_source.push_back(shard.m_source[i]); });
    forKept([&](std::size_t i) { m_flags.push_back(shard.m_flags[i]); });
    forKept([&](std::size_t i) { m_method.push_back(methodMap[shard.m_method[i]]); });
    forKept([&](std::size_t i) { m_set.push_back(setMap[shard.m_set[i]]); });
    if (shard.hasTokens()) {
        if (!hasTokens())
            materializeTokens(first);
        forKept([&](std::size_t i) {
            m_tokensIn.push_back(shard.m_tokensIn[i]);
            m_tokensOut.push_back(shard.m_tokensOut[i]);
        });
    } else if (hasTokens()) {
        m_tokensIn.growTo(size(), kNoTokens);
        m_tokensOut.growTo(size(), 0);
    }
}

std::size_t EventStore::bytesUsed() const
{
    auto cap = [](const auto &v) { return v.capacity() * sizeof(v[0]); };
    const std::size_t columnBytes
        = std::apply([&](const auto &...c) { return (cap(c) + ...); }, columns());
    return columnBytes + cap(m_tokensIn) + cap(m_tokensOut) + cap(m_sets) + cap(m_details)
        + cap(m_ruleHits) + cap(m_actors) + m_strings.bytesUsed()
        + (m_actorCache ? kActorCacheSlots * sizeof(ActorCacheSlot) : 0);
}

void EventStore::popBack()
{
    if (m_time.empty())
        return;
    if (!m_details.empty() && m_details.back().first == m_time.size() - 1)
        m_details.pop_back();
    if (!m_ruleHits.empty() && m_ruleHits.back().first == m_time.size() - 1)
        m_ruleHits.pop_back();
    std::apply([](auto &...c) { (c.pop_back(), ...); }, columns());
    if (hasTokens()) {
        m_tokensIn.pop_back();
        m_tokensOut.pop_back();
    }
}

EventDetail EventStore::detail(std::size_t i) const
{
    auto it = std::lower_bound(m_details.begin(), m_details.end(), i,
        [](const auto &d, std::size_t idx) { return d.first < idx; });
    return it != m_details.end() && it->first == i ? it->second : EventDetail {};
}

RuleHit EventStore::ruleHit(std::size_t i) const
{
    auto it = std::lower_bound(m_ruleHits.begin(), m_ruleHits.end(), i,
        [](const auto &d, std::size_t idx) { return d.first < idx; });
    return it != m_ruleHits.end() && it->first == i ? it->second : RuleHit {};
}
