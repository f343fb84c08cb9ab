#pragma once

// Retry findings of events taken one by one in time order (issue 22), for a live run that does
// not keep its events: the findings analyzeRetries gives over the same events, group by group
// (client, tool, method, endpoint template), without holding a group's events. Per group it
// keeps counters, a histogram of the gaps between requests (the polling median and spread),
// the 429s of the last minute (their retry delays), the 429s whose Retry-After has not passed
// yet, and the distinct times of the last few minutes (requests before a 429, in a window as
// long as its Retry-After). Per client: histograms of Retry-After and of retry delays (a median
// is an element of a histogram), the 100 ms delay bins, the earliest three early retries.
//
// Memory: per group, its distinct request times over max(5 min, its largest Retry-After) and
// its 429s of the last minute and of the longest pending Retry-After; per client 600 bins and,
// once it has a retry delay, a 60,000-entry histogram (240 KB). A polling finding's example
// times are the requests at positions 0, n/3 + 1 and 2(n/3 + 1) of its n: those are read from
// a log of (group, time) kept on disk in an unnamed file (12 bytes per event).
//
// Exact when events come in time order (a later event never has an earlier time than one
// added before it in its group) and no 429's Retry-After reaches back past what its group kept
// (a Retry-After longer than any before it, once the group is older than 5 minutes): both are
// counted (inexactEvents()) and the caller names them.

#include "incidents/retryanalysis.h"

#include <QString>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class RetryFold
{
public:
    // `logChunkBytes`: the log goes to disk in writes of this size (tests make it small).
    explicit RetryFold(QString spillDir = {}, RetryAnalysisOptions options = {},
        std::size_t logChunkBytes = std::size_t(1) << 20);

    // Adds event i of a store; events come in time order (at equal times, in the order the
    // store's events would be read).
    void add(const EventStore &store, std::size_t i);

    // A copy to finish a summary with while this one goes on (LiveRollup::summary): it shares
    // the log on disk but adds its own events in memory only.
    RetryFold snapshot() const;
    // The findings of everything added, as analyzeRetries orders them (sortFindings).
    std::vector<RetryFinding> findings() const;

    // Events that came out of time order in their group, and 429s whose Retry-After reached
    // back past what their group kept: findings may be off when either is not 0.
    std::int64_t inexactEvents() const { return m_lateEvents + m_shortHistory; }
    // Bytes of the (group, time) log on disk, and an error writing it (examples of polling
    // findings are then missing).
    std::int64_t logBytes() const { return m_logBytes; }
    const QString &logError() const { return m_logError; }

    struct Log; // the (group, time) file

private:
    struct Pending // a 429 with a Retry-After whose window is still open
    {
        std::int64_t t = 0, endMs = 0; // t + Retry-After
        std::int64_t atOrBefore = -1; // requests with time <= t; -1: not known yet
        std::uint32_t client = 0;
    };
    struct Group
    {
        std::uint32_t client = 0;
        std::string endpointName; // "METHOD template"
        std::int64_t size = 0, firstMs = 0, lastMs = 0;
        std::int64_t lessThanLast = 0; // requests with a time before lastMs
        std::map<std::int64_t, std::int64_t> gaps; // gap (ms) -> how many
        std::int64_t rejections = 0, pollRejected = 0, pollRejectedEarly = 0;
        // (time, requests before it) of each distinct time kept, oldest first
        std::deque<std::pair<std::int64_t, std::int64_t>> history;
        std::int64_t droppedUpTo = INT64_MIN; // the last time let go of
        std::int64_t longestRetryAfterMs = 0;
        std::deque<Pending> waitingAbove; // atOrBefore not known: a request later than t
        std::vector<Pending> open; // a heap by endMs
        // 429s of the last minute (retry delays): their times from recentHead on, by time;
        // those before recentDelayed have had a delay
        std::vector<std::int64_t> recent429;
        std::size_t recentHead = 0, recentDelayed = 0;
    };
    struct Client
    {
        std::string who; // the client name, else the group's target
        std::string target; // the group's target when it has no client name
        std::int64_t withRetryAfter = 0, inside = 0, before = 0, rejections = 0;
        std::map<std::int32_t, std::int64_t> retryAfters; // ms -> how many
        std::vector<std::int64_t> earliestEarly; // up to 3, sorted
        std::int64_t firstMs = INT64_MAX, lastMs = INT64_MIN;
        std::array<std::uint32_t, 600> delayBins {};
        std::vector<std::uint32_t> delayMs; // 60,001 once a delay is counted
        std::int64_t delayFirstMs = INT64_MAX, delayLastMs = INT64_MIN;
    };

    struct LaterEnd;
    std::uint32_t groupOf(const EventStore &store, std::size_t i);
    void resolveBefore(Group &g, std::int64_t t);
    void close(Group &g, const Pending &p, std::int64_t lessThanEnd);
    void append(std::uint32_t group, std::int64_t t);
    std::vector<std::vector<std::int64_t>> pollingExamples(
        const std::vector<std::pair<std::uint32_t, std::int64_t>> &want) const;

    RetryAnalysisOptions m_options;
    QString m_dir;
    std::vector<Group> m_groups;
    std::vector<Client> m_clients;
    std::map<std::string, std::uint32_t> m_clientIds; // who -> client
    std::map<std::string, std::uint32_t> m_groupIds; // canonical key -> group
    std::unordered_map<std::string, std::uint32_t> m_seen; // raw key -> group (a cache)
    std::string m_key; // reused
    std::int64_t m_lateEvents = 0, m_shortHistory = 0;
    // the log: bytes written to the shared file, and the records not written yet
    std::shared_ptr<Log> m_log;
    std::int64_t m_logBytes = 0;
    std::string m_logTail;
    std::size_t m_logChunk;
    bool m_writes = true; // false for a snapshot: its records stay in m_logTail
    QString m_logError;
};
