#include "aggregate/scopes.h"

#include <algorithm>
#include <unordered_map>

namespace {

struct ScopeByName
{
    ScopeBy by;
    const char *name;
};
constexpr ScopeByName kScopeByNames[]
    = { { ScopeBy::Host, "host" }, { ScopeBy::HostModel, "host+model" },
          { ScopeBy::HostClient, "host+client" }, { ScopeBy::All, "all" } };

// The scope key of an event before names are sorted: the endpoint's string id, with the
// client's in the high half for host+client (ids are below 2^32).
std::uint64_t scopeKey(const EventStore &store, std::size_t i, ScopeBy by)
{
    const std::uint64_t endpoint = store.endpointId(i);
    if (by == ScopeBy::HostClient)
        return endpoint | std::uint64_t(store.clientId(i)) << 32;
    if (by == ScopeBy::HostModel)
        return endpoint | std::uint64_t(store.modelId(i)) << 32;
    return endpoint;
}

std::string scopeName(const EventStore &store, std::size_t i, ScopeBy by)
{
    std::string name = scopeHostOf(store.endpoint(i));
    switch (by) {
    case ScopeBy::HostClient:
    case ScopeBy::HostModel: {
        // limits.md §1: requests that name none go to HOST+?
        const std::string_view part = by == ScopeBy::HostClient ? store.client(i) : store.model(i);
        name += '+';
        name += part.empty() ? std::string_view("?") : part;
        break;
    }
    case ScopeBy::Host:
    case ScopeBy::All:
        break;
    }
    return name;
}

// The scope names of events in first-seen order: keys first (one hash lookup per event, with the
// previous event's key remembered: logs come in runs of the same API), a name once per key.
class ScopeNamer
{
public:
    ScopeNamer(const EventStore &store, ScopeBy by)
        : m_store(store)
        , m_by(by)
    {
    }
    // The id of event i's scope: its index in names().
    std::uint32_t idOf(std::size_t i)
    {
        const std::uint64_t key = scopeKey(m_store, i, m_by);
        if (key == m_lastKey)
            return m_lastScope;
        auto it = m_keyToName.find(key);
        if (it == m_keyToName.end()) {
            std::string name = scopeName(m_store, i, m_by);
            auto [nameIt, added] = m_nameIds.emplace(name, std::uint32_t(m_names.size()));
            if (added)
                m_names.push_back(std::move(name));
            it = m_keyToName.emplace(key, nameIt->second).first;
        }
        m_lastKey = key;
        return m_lastScope = it->second;
    }
    std::vector<std::string> &names() { return m_names; }

private:
    const EventStore &m_store;
    ScopeBy m_by;
    std::unordered_map<std::uint64_t, std::uint32_t> m_keyToName;
    std::unordered_map<std::string, std::uint32_t> m_nameIds;
    std::vector<std::string> m_names;
    std::uint64_t m_lastKey = ~0ull;
    std::uint32_t m_lastScope = 0;
};

} // namespace

std::optional<ScopeBy> scopeByFromName(const QString &name)
{
    for (const auto &n : kScopeByNames) {
        if (name == QLatin1String(n.name))
            return n.by;
    }
    return std::nullopt;
}

QString scopeByName(ScopeBy by)
{
    for (const auto &n : kScopeByNames) {
        if (n.by == by)
            return QString::fromLatin1(n.name);
    }
    return {};
}

std::string scopeHostOf(std::string_view endpoint)
{
    const std::size_t slash = endpoint.find('/');
    std::string_view host = endpoint.substr(0, slash);
    if (host.empty())
        return std::string(kToolCallsScope);
    // a port after the last ':' unless the host is a bracketed IPv6 literal without one
    const std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos) {
        const std::string_view port = host.substr(colon + 1);
        if (port == "443" || port == "80" || port.empty())
            host = host.substr(0, colon);
    }
    std::string out(host);
    std::transform(out.begin(), out.end(), out.begin(),
        [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
    return out;
}

std::optional<std::uint32_t> ScopeIndex::find(const QString &name) const
{
    for (std::size_t s = 0; s < m_names.size(); ++s) {
        if (QString::fromStdString(m_names[s]).compare(name, Qt::CaseInsensitive) == 0)
            return std::uint32_t(s);
    }
    return std::nullopt;
}

std::vector<EventSubset> ScopeIndex::eventsByScope(
    const EventStore &store, const EventSubset *subset) const
{
    std::vector<EventSubset> out(std::max<std::size_t>(m_names.size(), 1));
    if (m_eventScope.empty()) {
        if (subset)
            out[0] = *subset;
        else {
            out[0].resize(store.size());
            for (std::size_t i = 0; i < store.size(); ++i)
                out[0][i] = std::uint32_t(i);
        }
        return out;
    }
    forEachEvent(
        store, subset, [&](std::size_t i) { out[m_eventScope[i]].push_back(std::uint32_t(i)); });
    return out;
}

std::vector<std::string> ScopeIndex::namesOf(
    const EventStore &store, ScopeBy by, const EventSubset &subset)
{
    if (subset.empty())
        return {};
    if (by == ScopeBy::All)
        return { std::string(kWholeLogScope) };
    ScopeNamer namer(store, by);
    for (std::uint32_t i : subset)
        namer.idOf(i);
    std::vector<std::string> names = std::move(namer.names());
    std::sort(names.begin(), names.end());
    return names;
}

ScopeIndex ScopeIndex::build(const EventStore &store, ScopeBy by, const EventSubset *subset)
{
    ScopeIndex index;
    if (by == ScopeBy::All) {
        index.m_names.emplace_back(kWholeLogScope);
        return index;
    }
    // names in first-seen order, then ids in name order
    ScopeNamer namer(store, by);
    std::vector<std::uint32_t> eventScope(store.size(), 0);
    forEachEvent(store, subset, [&](std::size_t i) { eventScope[i] = namer.idOf(i); });
    std::vector<std::string> &names = namer.names();
    if (names.empty())
        names.emplace_back(kToolCallsScope);
    // ids in name order, so that every view and report lists scopes the same way
    std::vector<std::uint32_t> order(names.size());
    for (std::uint32_t s = 0; s < order.size(); ++s)
        order[s] = s;
    std::sort(order.begin(), order.end(),
        [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
    std::vector<std::uint32_t> newId(names.size());
    for (std::uint32_t rank = 0; rank < order.size(); ++rank) {
        newId[order[rank]] = rank;
        index.m_names.push_back(std::move(names[order[rank]]));
    }
    if (index.m_names.size() > 1) {
        forEachEvent(store, subset, [&](std::size_t i) { eventScope[i] = newId[eventScope[i]]; });
        index.m_eventScope = std::move(eventScope);
    }
    return index;
}
