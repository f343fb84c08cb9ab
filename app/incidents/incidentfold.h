#pragma once

// Incidents built minute by minute (issue 22): the minutes of a MinuteRollup whose rejections
// are all in (older than a live run's reorder window) are handed over in time order and let go,
// so that a run of days holds, per scope, its closed incidents (their top 5s) and one open
// incident whose tool, provider and message counts are SpillTallies (bounded memory; past
// their budget they go to files). The incidents are those findIncidents gives over every event
// (summary.md "incident"), when the merge gap is a minute or more (incidentrollup.h says why)
// and no minute comes after a later one.
//
// A minute that comes after a later one of its scope (a record later than the reorder window)
// is merged into the scope's last incident: its rejections are counted, its tallies only if
// that incident is still open. The caller names such records as inexact (OrderedFold's
// lateEvents).

#include "aggregate/minuterollup.h"
#include "incidents/incidentfinder.h"
#include "incidents/spilltally.h"

#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

class IncidentFold
{
public:
    // `mergeGapMinutes` >= 1 (incidentsFromRollup falls back to nullopt below); tallies spill
    // past `tallyBudgetBytes` each, into `spillDir` (empty: the temporary folder).
    explicit IncidentFold(double mergeGapMinutes,
        std::size_t tallyBudgetBytes = SpillTally::kDefaultBudgetBytes, QString spillDir = {});

    double mergeGapMinutes() const { return m_gapMinutes; }
    // A copy with one scope's incidents only.
    IncidentFold only(const std::string &scope) const;

    // Adds one minute of a scope with rejections (MinuteRollup::releaseRejections).
    void addMinute(const std::string &scope, const MinuteRejections &r);
    // Closes the open incidents whose last rejection is more than the merge gap before
    // `watermarkMs` (no rejection in time order can join them): their tallies become top 5s.
    void closeBefore(std::int64_t watermarkMs);

    // A scope's incidents so far, by start; `minutes` are the scope's (for their requests,
    // peaks and rejections by source). `evidence`, when given, gets each one's BindingEvidence.
    // `readBack` is false if a spilled tally could not be read back.
    std::vector<Incident> incidents(const std::string &scope,
        const std::vector<BucketCounts> &minutes, std::vector<BindingEvidence> *evidence = nullptr,
        bool *readBack = nullptr) const;

    // Held for the memory figures: incidents closed, tally names in memory, runs on disk; and
    // the runs ever spilled.
    struct Held
    {
        std::size_t closed = 0, inMemory = 0, runs = 0, spills = 0;
    };
    Held held() const;
    // The first error writing a tally to disk (the tallies then stay in memory).
    QString spillError() const;

private:
    struct Open
    {
        Incident incident; // start, end, quota
        std::int32_t maxRetryAfterMs = -1;
        SpillTally tools, providers, messages;
        BindingEvidence binding;
        Open(std::size_t budget, const QString &dir)
            : tools(budget, dir)
            , providers(budget, dir)
            , messages(budget, dir)
        {
        }
    };
    struct Closed
    {
        Incident incident; // start, end, quota, Retry-After and top lists
        BindingEvidence binding;
    };
    struct Scope
    {
        std::vector<Closed> closed;
        std::optional<Open> open;
    };
    static Closed close(const Open &open, bool *readBack);
    void closeOpen(Scope &scope);

    double m_gapMinutes;
    std::size_t m_budget;
    QString m_dir;
    std::map<std::string, Scope> m_scopes;
    bool m_readBack = true; // false once a close could not read a tally back
    std::size_t m_spills = 0; // by the tallies of closed incidents
};
