#pragma once

#include "aggregate/buckets.h"
#include "store/eventstore.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a limit applies to (limits.md §1): every request belongs to one scope, the API that
// answered it. Limits, per-minute series, incidents, peaks and the limit to ask for are
// computed per scope; the whole-log figures stay as totals.
enum class ScopeBy : std::uint8_t {
    Host, // the request URL's host (the default)
    HostModel, // host + the model named in the request (OpenAI, Anthropic, Gemini limit per model)
    HostClient, // host + the client (connection_name, client, connected account)
    All, // one scope, the whole log
};

// "host", "host+model", "host+client", "all": the names --scope-by takes.
std::optional<ScopeBy> scopeByFromName(const QString &name);
QString scopeByName(ScopeBy by);

// Records without a URL (tool call logs) belong to this scope.
inline constexpr std::string_view kToolCallsScope = "tool-calls";
// The scope of `ScopeBy::All`.
inline constexpr std::string_view kWholeLogScope = "all";

// The host of an endpoint ("Api.OpenAI.com:443/v1/chat" -> "api.openai.com"): lower-cased,
// without a default port (443 or 80: the scheme is gone by the time an endpoint is stored, and
// an API answers on one of them). An empty endpoint is kToolCallsScope.
std::string scopeHostOf(std::string_view endpoint);

// The scope of every event of a store.
class ScopeIndex
{
public:
    ScopeIndex() = default;

    // Scope names, sorted; a scope's id is its index here.
    const std::vector<std::string> &names() const { return m_names; }
    std::size_t size() const { return m_names.size(); }
    std::uint32_t scopeOf(std::size_t event) const
    {
        return m_eventScope.empty() ? 0 : m_eventScope[event];
    }
    // The id of a scope named `name` (without regard to case), if there is one.
    std::optional<std::uint32_t> find(const QString &name) const;
    // The events of every scope (indices into the store), within `subset` when given; one
    // list per scope id, in store order.
    std::vector<EventSubset> eventsByScope(
        const EventStore &store, const EventSubset *subset = nullptr) const;

    // Builds the index of the events of `store` (every event, or those of `subset`; the others
    // get scope 0 and are never asked about).
    static ScopeIndex build(
        const EventStore &store, ScopeBy by, const EventSubset *subset = nullptr);
    // The names build() would give, sorted, without the per-event ids (none for no events):
    // a cheap look at the scopes of a few new events.
    static std::vector<std::string> namesOf(
        const EventStore &store, ScopeBy by, const EventSubset &subset);

private:
    std::vector<std::string> m_names;
    std::vector<std::uint32_t> m_eventScope; // empty when there is one scope
};
