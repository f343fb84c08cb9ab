#pragma once

// The summary of a live run in bounded memory (issue 22): every batch goes into a MinuteRollup
// as it comes, and into an OrderedFold in time order once it is older than the reorder window
// (the newest record's time minus `reorderMs`), and into a RetryFold in the same order (retry
// findings); then the batch is let go. The rejections of
// minutes older than that window go from the rollup into an IncidentFold, which keeps closed
// incidents as their top 5s and spills the tallies of a long open one to disk. What is held is
// the rollups (per minute), the incidents and the batches of the reorder window, not every
// event. summary() is
// summaryFromRollup's, which names in Summary::inexact what it cannot tell (retry findings, a
// record that came later than the reorder window).

#include "aggregate/minuterollup.h"
#include "aggregate/orderedfold.h"
#include "export/report.h"
#include "incidents/incidentfold.h"
#include "incidents/retryfold.h"
#include "live/livebatch.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <vector>

class LiveRollup
{
public:
    // `mergeGapMinutes`: the summary's (its incidents are folded as minutes are seen whole);
    // `spillDir`: where incident tallies past their budget go (IncidentFold).
    LiveRollup(ScopeBy by, std::vector<LimitEntry> limits, std::int64_t reorderMs,
        double mergeGapMinutes = 5.0, QString spillDir = {});

    void add(std::shared_ptr<const LiveBatch> batch);
    // The report of everything added, as makeReport() makes one (redacted); folds the
    // reorder window on a copy, so that the run can go on.
    Summary summary(std::vector<InputReport> inputs, const ReportOptions &options) const;

    // Batches held for the reorder window, and events in them not yet folded.
    std::size_t heldBatches() const { return m_held.size(); }
    // What the incidents hold (closed ones, tally names in memory, runs on disk).
    IncidentFold::Held heldIncidents() const { return m_incidents.held(); }

private:
    struct Held
    {
        std::shared_ptr<const LiveBatch> batch;
        std::vector<std::uint32_t> order; // its events by time (stable)
        std::vector<std::uint32_t> scope; // scope id of each event
        std::vector<std::string> names; // scope names
        std::size_t next = 0; // in order
        std::uint64_t sequence = 0;
    };
    // Folds the held events up to `watermarkMs` (all: INT64_MAX) in (time, arrival) order.
    static void foldUpTo(
        std::deque<Held> &held, OrderedFold &fold, RetryFold &retries, std::int64_t watermarkMs);

    ScopeBy m_by;
    MinuteRollup m_rollup;
    OrderedFold m_fold;
    IncidentFold m_incidents; // the rejection minutes m_rollup let go of
    RetryFold m_retries; // in time order, as m_fold
    std::deque<Held> m_held;
    std::int64_t m_reorderMs;
    std::int64_t m_newestMs = INT64_MIN;
    std::uint64_t m_sequence = 0;
};
