#pragma once

#include "base/rejectionsource.h"
#include "store/removedfiles.h"
#include "store/sharedcolumn.h"
#include "store/stringpool.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

// The token limits one response reported (limits.md §3): tokens, input_tokens, output_tokens;
// -1 where it named none.
struct ReportedTokenLimits
{
    std::array<std::int32_t, 3> limit { -1, -1, -1 };
    std::array<std::int32_t, 3> windowS { -1, -1, -1 }; // -1: unknown
    std::uint8_t windowByReset = 0; // bit k: axis k's window judged by its reset alone

    bool any() const { return limit[0] > 0 || limit[1] > 0 || limit[2] > 0; }
    bool operator==(const ReportedTokenLimits &o) const
    {
        return limit == o.limit && windowS == o.windowS && windowByReset == o.windowByReset;
    }
};

// Every limit one response reported: the request limit with its window, and the token limits.
// Few distinct sets appear in a log (limits change rarely; remaining counts are not in it): the
// store keeps each set once and a 2-byte index per event.
struct ReportedLimitSet
{
    std::int32_t requests = -1; // -1: none
    std::int32_t requestsWindowS = -1; // -1: unknown
    ReportedTokenLimits tokens;

    bool operator==(const ReportedLimitSet &o) const
    {
        return requests == o.requests && requestsWindowS == o.requestsWindowS && tokens == o.tokens;
    }
};

// One event as a reader hands it over. Views only need to live for the append() call.
struct EventInput
{
    std::int64_t timeMs = 0;
    int status = -1; // HTTP status; -1 when the record has none (tool call logs)
    RejectionSource source = RejectionSource::None;
    std::uint8_t flags = 0;
    std::string_view method;
    std::string_view endpoint; // host + path, no query (queries hold secrets and unique ids)
    std::string_view tool;
    std::string_view provider;
    std::string_view client; // who sent it: connection_name, client, connected_account_id
    std::string_view model; // the model asked for (limits.md §1: host+model scopes)
    std::string_view message; // the provider's message (formats.md §1.3)
    std::string_view errorCode; // the code that decided the source, if any
    // limits.md §7: the category a rule gave and the rule's name; the gateway rule that decided
    // the source (the provider it named is `provider`, its words `message`)
    ThrottleCategory category = ThrottleCategory::None;
    std::string_view categoryRule;
    std::string_view gatewayRule;
    std::int32_t retryAfterMs = -1; // -1: none
    std::int32_t serverLimit = -1; // request limit reported in headers; -1: none
    std::int32_t serverWindowS = -1; // its window in seconds when known; -1: unknown
    float durationMs = NAN;
    // tokens the response reported (limits.md §4); -1: not said. input + output = total
    // where two of the three are given.
    std::int64_t inputTokens = -1, outputTokens = -1, totalTokens = -1;
    ReportedTokenLimits reportedTokens;
    std::uint16_t file = 0;
    std::uint32_t line = 0; // 1-based line where the record starts
    std::uint64_t offset = 0; // byte offset where the record starts (decompressed text)
};

// Sparse per-event data, held only for events that have a message, a code or a Retry-After.
struct EventDetail
{
    std::uint32_t messageId = 0;
    std::uint32_t errorCodeId = 0;
    std::int32_t retryAfterMs = -1;
};

// Sparser still: the rules of limits.md §7 that fired on an event (a category, a gateway).
struct RuleHit
{
    std::uint32_t categoryRuleId = 0; // string ids; 0: none
    std::uint32_t gatewayRuleId = 0;
    ThrottleCategory category = ThrottleCategory::None;
};

// A sparse entry and the index of its event (a pair that can be copied as bytes).
template <typename V> struct Indexed
{
    std::uint32_t first = 0;
    V second;
};

// Columnar, append-only store of events. 41 bytes per event plus interned strings and the
// sparse details of errors; 8 more per event once any event has token counts (the two token
// columns exist only from then on: a log without usage fields pays nothing for them);
// the raw record is not kept: its origin (file, line, byte offset) lets RawRecordReader
// read it back on demand.
class EventStore
{
public:
    EventStore() = default;
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;
    EventStore(EventStore &&) noexcept = default;
    EventStore &operator=(EventStore &&) noexcept = default;

    void reserve(std::size_t n);
    // A store that starts as this one and grows on its own, made without copying events or
    // strings (issue 22: a live snapshot is the previous one plus what arrived, and snapshots
    // are not full copies each). Its columns, details and string pool share this store's
    // memory (SharedColumn, StringPool::share): what is appended to it lies past this
    // store's end, which this store never reads, so other threads may go on reading this
    // store meanwhile. Only the newest share grows in place; an older one that grows copies
    // first. The small tables (actors, methods, limit sets, files) are copied.
    EventStore share() const;
    // A copy with room for capacity events, in memory of its own: strings interned again in
    // id order (so every id stays the same).
    EventStore clone(std::size_t capacity = 0) const;
    // Whether this store's events are in the same memory as o's (for the tests).
    bool sharesWith(const EventStore &o) const
    {
        return m_time.sharesWith(o.m_time) && m_strings.sharesWith(o.m_strings);
    }
    // No events, files or strings any more; the columns keep their capacity (for reuse) when
    // no share of this store sees them.
    void clear();
    // Removes the last event (a duplicate found after it was appended).
    void popBack();
    void append(const EventInput &e);
    // Appends every event of a shard (built by a worker with its own string pool), remapping
    // its string ids; skip[i] == true leaves event i out (duplicates).
    void appendShard(const EventStore &shard, const std::vector<bool> &skip, std::uint64_t lineBase,
        std::uint64_t offsetBase);

    std::size_t size() const { return m_time.size(); }
    std::size_t capacity() const { return m_time.capacity(); }
    bool empty() const { return m_time.empty(); }

    std::int64_t timeMs(std::size_t i) const { return m_time[i]; }
    int status(std::size_t i) const { return m_status[i]; }
    RejectionSource source(std::size_t i) const { return RejectionSource(m_source[i]); }
    bool isRejection(std::size_t i) const { return m_source[i] != 0; }
    std::uint8_t flags(std::size_t i) const { return m_flags[i]; }
    // The axes on which event i's response reported 0 remaining (limits.md §5 step 2): bit k
    // for axis k of requests, tokens, input_tokens, output_tokens (LimitAxis's order); 0 when
    // none did or no remaining count was reported.
    std::uint8_t remainingZeroAxes(std::size_t i) const
    {
        return std::uint8_t(m_flags[i] >> kFlagRemainingZeroShift);
    }
    std::string_view method(std::size_t i) const { return m_methods[m_method[i]]; }
    std::uint32_t endpointId(std::size_t i) const { return m_endpoint[i]; }
    // tool, provider, client and model together: events with the same actor id share all four
    std::uint32_t actorId(std::size_t i) const { return m_actor[i]; }
    // the same method has the same id (< 256)
    std::uint8_t methodId(std::size_t i) const { return m_method[i]; }
    std::uint32_t toolId(std::size_t i) const { return m_actors[m_actor[i]].tool; }
    std::uint32_t providerId(std::size_t i) const { return m_actors[m_actor[i]].provider; }
    std::uint32_t clientId(std::size_t i) const { return m_actors[m_actor[i]].client; }
    std::uint32_t modelId(std::size_t i) const { return m_actors[m_actor[i]].model; }
    std::string_view model(std::size_t i) const { return m_strings.view(modelId(i)); }
    std::string_view client(std::size_t i) const { return m_strings.view(clientId(i)); }
    std::string_view endpoint(std::size_t i) const { return m_strings.view(m_endpoint[i]); }
    std::string_view tool(std::size_t i) const { return m_strings.view(toolId(i)); }
    std::string_view provider(std::size_t i) const { return m_strings.view(providerId(i)); }
    std::int32_t serverLimit(std::size_t i) const { return m_sets[m_set[i]].requests; }
    // The window of serverLimit(i) in seconds, when the headers named it or the API documents
    // it; -1 when unknown (limits.md §3: never compared as if per minute).
    std::int32_t serverWindowS(std::size_t i) const { return m_sets[m_set[i]].requestsWindowS; }
    float durationMs(std::size_t i) const { return m_duration[i]; }
    // Tokens (limits.md §4); -1 when the response did not say. A response that gave only a
    // total has a total and no input or output.
    bool hasTokens() const { return !m_tokensIn.empty(); } // some event has
    std::int64_t totalTokens(std::size_t i) const
    {
        if (m_tokensIn.empty() || m_tokensIn[i] == kNoTokens)
            return -1;
        return m_tokensOut[i] == kTotalOnly ? m_tokensIn[i]
                                            : std::int64_t(m_tokensIn[i]) + m_tokensOut[i];
    }
    std::int64_t inputTokens(std::size_t i) const
    {
        if (m_tokensIn.empty() || m_tokensIn[i] == kNoTokens || m_tokensOut[i] == kTotalOnly)
            return -1;
        return m_tokensIn[i];
    }
    bool hasReportedTokens() const { return m_setsWithTokens; } // some response reported
    // The token limits event i's response reported (an empty set when none).
    const ReportedTokenLimits &reportedTokens(std::size_t i) const
    {
        return m_sets[m_set[i]].tokens;
    }
    std::int64_t outputTokens(std::size_t i) const
    {
        if (inputTokens(i) < 0)
            return -1;
        return m_tokensOut[i];
    }
    std::uint16_t file(std::size_t i) const { return m_file[i]; }
    std::uint32_t line(std::size_t i) const { return m_line[i]; }
    std::uint64_t offset(std::size_t i) const { return m_offset[i]; }

    // Sparse detail; an empty detail when the event has none.
    EventDetail detail(std::size_t i) const;
    std::uint32_t messageId(std::size_t i) const { return detail(i).messageId; }
    std::string_view message(std::size_t i) const { return m_strings.view(messageId(i)); }
    std::string_view errorCode(std::size_t i) const
    {
        return m_strings.view(detail(i).errorCodeId);
    }
    std::int32_t retryAfterMs(std::size_t i) const { return detail(i).retryAfterMs; }
    // The rules of limits.md §7 that fired on event i; an empty hit when none did.
    RuleHit ruleHit(std::size_t i) const;
    ThrottleCategory category(std::size_t i) const { return ruleHit(i).category; }
    std::string_view categoryRule(std::size_t i) const
    {
        return m_strings.view(ruleHit(i).categoryRuleId);
    }
    std::string_view gatewayRule(std::size_t i) const
    {
        return m_strings.view(ruleHit(i).gatewayRuleId);
    }
    bool hasRuleHits() const { return !m_ruleHits.empty(); }
    // Every event with a rule hit, by event index (ascending): few, so a pass over them
    // costs nothing beside a pass over the events.
    const SharedColumn<Indexed<RuleHit>> &ruleHits() const { return m_ruleHits; }

    const StringPool &strings() const { return m_strings; }

    // Input files, by the index events carry in file().
    std::uint16_t addFile(std::string path)
    {
        m_files.push_back(std::move(path));
        return std::uint16_t(m_files.size() - 1);
    }
    const std::string &filePath(std::uint16_t file) const { return m_files[file]; }
    std::size_t fileCount() const { return m_files.size(); }
    // Registers the files of `other` this store lacks, when other's file table extends this
    // one's (a live batch names every capture segment so far; a segment is a new file index).
    void addFilesFrom(const EventStore &other)
    {
        for (std::size_t f = m_files.size(); f < other.m_files.size(); ++f)
            m_files.push_back(other.m_files[f]);
    }
    // The files whose records were deleted since (a live capture's rotated-away segments);
    // null for a store of files that stay. Shared by the copies of this store (clone,
    // share); RawRecordReader refuses to read an event of such a file.
    const std::shared_ptr<const RemovedFiles> &removedFiles() const { return m_removedFiles; }
    void setRemovedFiles(std::shared_ptr<const RemovedFiles> removed)
    {
        m_removedFiles = std::move(removed);
    }
    // The raw records of a store whose input is not a file (an engine table's rows, issue 21:
    // each row as a JSON object), by event index; null for a store of files. Shared by the
    // copies of this store; RawRecordReader returns an event's from here when there is one.
    const std::shared_ptr<const std::vector<std::string>> &keptRecords() const
    {
        return m_keptRecords;
    }
    void setKeptRecords(std::shared_ptr<const std::vector<std::string>> records)
    {
        m_keptRecords = std::move(records);
    }

    // Memory held by the columns and the string pool, in bytes.
    std::size_t bytesUsed() const;

private:
    static constexpr std::uint32_t kNoTokens = 0xFFFFFFFFu; // in: not said
    static constexpr std::uint32_t kTotalOnly = 0xFFFFFFFEu; // out: `in` holds the total
    static constexpr std::uint32_t kMaxTokens = 0xFFFFFFF0u;
    // The token columns of the first `n` events, all "not said" (made when the first event
    // with tokens comes).
    void materializeTokens(std::size_t n);
    void pushTokens(const EventInput &e);
    std::uint16_t setIndex(const ReportedLimitSet &set);
    std::uint8_t methodIndex(std::string_view m);
    // tool, provider, client and model of an event share one id: their combinations are few
    struct Actor
    {
        std::uint32_t tool = 0, provider = 0, client = 0, model = 0;
        bool operator==(const Actor &o) const
        {
            return tool == o.tool && provider == o.provider && client == o.client
                && model == o.model;
        }
    };
    struct ActorHash
    {
        std::size_t operator()(const Actor &a) const
        {
            return std::hash<std::uint64_t>()((std::uint64_t(a.tool) << 32 | a.provider)
                ^ ((std::uint64_t(a.client) << 32 | a.model) * 0x9E3779B97F4A7C15ull));
        }
    };
    std::uint32_t actorIndex(const Actor &a);
    // The small tables (limit sets, files, methods, actors) into c, for share() and clone().
    void copyTablesInto(EventStore &c) const;
    // The per-event columns, for what is done to every one of them alike (reserve, clear,
    // copy, pop, size): one list, so a new column cannot be forgotten in one of them.
    auto columns()
    {
        return std::tie(m_time, m_offset, m_line, m_endpoint, m_actor, m_duration, m_status, m_file,
            m_set, m_source, m_flags, m_method);
    }
    auto columns() const
    {
        return std::tie(m_time, m_offset, m_line, m_endpoint, m_actor, m_duration, m_status, m_file,
            m_set, m_source, m_flags, m_method);
    }
    // The actor of (tool, provider, client, model) as text, interning them when new. A small
    // direct-mapped cache keyed by a hash of the four strings answers most events with one
    // hash and four compares instead of four interns and an actor lookup (append() runs
    // once per event in the loader's workers).
    std::uint32_t actorOf(std::string_view tool, std::string_view provider, std::string_view client,
        std::string_view model);
    struct ActorCacheSlot
    {
        std::uint64_t hash = 0;
        std::uint32_t actor = 0; // 0: empty (actor 0, all empty, is never cached)
    };
    static constexpr std::size_t kActorCacheSlots = 256;

    SharedColumn<std::int64_t> m_time;
    SharedColumn<std::uint64_t> m_offset;
    SharedColumn<std::uint32_t> m_line;
    SharedColumn<std::uint32_t> m_endpoint;
    SharedColumn<std::uint32_t> m_actor;
    SharedColumn<float> m_duration;
    SharedColumn<std::int16_t> m_status;
    SharedColumn<std::uint16_t> m_file;
    SharedColumn<std::uint8_t> m_source;
    SharedColumn<std::uint8_t> m_flags;
    SharedColumn<std::uint8_t> m_method;
    SharedColumn<std::uint16_t> m_set; // index into m_sets: the limits its response reported
    // Not in columns(): empty until an event has tokens, then one entry per event.
    SharedColumn<std::uint32_t> m_tokensIn, m_tokensOut;
    std::vector<ReportedLimitSet> m_sets { ReportedLimitSet {} }; // 0: nothing reported
    std::uint16_t m_lastSet = 0;
    bool m_setsWithTokens = false; // some set has a token limit

    // (event index, detail), sorted by index: a binary search instead of 4 bytes per event
    SharedColumn<Indexed<EventDetail>> m_details;
    // (event index, hit), sorted by index: only events a §7 rule fired on pay for one
    SharedColumn<Indexed<RuleHit>> m_ruleHits;
    std::vector<std::string> m_files;
    std::shared_ptr<const RemovedFiles> m_removedFiles;
    std::shared_ptr<const std::vector<std::string>> m_keptRecords;
    StringPool m_strings;
    std::vector<std::string> m_methods { std::string() };
    std::vector<Actor> m_actors { Actor {} };
    std::unordered_map<Actor, std::uint32_t, ActorHash> m_actorIds { { Actor {}, 0 } };
    std::unique_ptr<ActorCacheSlot[]> m_actorCache; // made by the first append()
};
