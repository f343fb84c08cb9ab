#pragma once

#include "live/liveoptions.h"
#include "live/livesession.h"
#include "model/loadjob.h"
#include "rules/ruleset.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <vector>

// What the window shows while it watches live sources: a LiveSession (sources and ingest on
// their own threads) whose batches are turned, in a worker, into immutable snapshots that the
// filter, the chart and the table take like a freshly loaded file.
//
// Refreshes are throttled, never one per batch: a snapshot is started at most every
// refreshInterval, and only when the views took the previous one (viewShown()), so a slow
// filter never queues work. A snapshot is the previous snapshot plus the batches since,
// copied into a new store in the worker (the GUI thread only hands over shared pointers).
// Paused, the feed keeps receiving (counters tick, the capture file grows) but hands out no
// snapshot, so the views hold still; resume() catches up in one snapshot.
class LiveFeed : public QObject
{
    Q_OBJECT
public:
    explicit LiveFeed(std::shared_ptr<const RuleSet> rules, QObject *parent = nullptr);
    ~LiveFeed() override;

    // Stops what runs, then starts a session on these sources. False + *error when it cannot
    // start (nothing runs then).
    bool start(const LiveOptions &options, QString *error);
    // Stops the sources and shows everything received in a last snapshot. Idempotent.
    void stop();
    // Stops the sources and hands out nothing more (the window shows something else now).
    void close();
    bool isActive() const { return m_session && m_session->isRunning(); }
    bool isPaused() const { return m_paused; }
    // null before the first start; stays after stop() so its counters can still be read
    const LiveSession *session() const { return m_session.get(); }
    QString capturePath() const { return m_session ? m_session->capturePath() : QString(); }

    void setRefreshIntervalMs(int ms) { m_refreshMs = ms; }
    void setLimit(std::optional<LimitSpec> limit);
    void setLimits(std::vector<LimitEntry> limits); // per scope (the window's)

    // Latency of the newest shown snapshot: from the arrival of the oldest line it added to
    // the moment the views took it (-1: none shown yet).
    qint64 lastShownLatencyMs() const { return m_shownLatencyMs; }

public Q_SLOTS:
    void setPaused(bool paused);
    // The views took the last snapshot: the next one may start.
    void viewShown();

Q_SIGNALS:
    void started(const QString &capturePath);
    void stopped();
    void pausedChanged(bool paused);
    // A new snapshot of everything received (paths = { the capture file }).
    void snapshotReady(std::shared_ptr<const LoadResult> result);
    void sourceStateChanged(const LiveSourceState &state);
    void warning(const LiveWarning &warning);
    void notice(const QString &text);
    // --capture-max: the capture goes on in a new segment at path (also said in a notice).
    void captureRotated(const QString &path);

private:
    void onBatch(std::shared_ptr<const LiveBatch> batch);
    void maybeRefresh();
    void startSnapshot();

    std::shared_ptr<const RuleSet> m_rules;
    std::unique_ptr<LiveSession> m_session;
    // The newest snapshot's store first (when there is one), then the batches since.
    std::vector<std::shared_ptr<const EventStore>> m_pieces;
    std::shared_ptr<const LoadResult> m_lastSnapshot; // its choices go on in the next one
    // The window (LiveOptions::windowKeepMs): record times seen, and when to look for events
    // to let go next (each time the newest is a margin past the held window).
    std::int64_t m_keepMs = 0;
    double m_mergeGapMinutes = 5.0;
    std::int64_t m_newestMs = INT64_MIN;
    std::int64_t m_nextTrimMs = INT64_MAX;
    std::shared_ptr<const LiveHistory> m_history;
    std::vector<CaptureDuplicate> m_duplicates; // where the ingest dropped a duplicate
    bool m_trimmedShown = false; // a trimmed snapshot was handed out: free what it replaced
    qint64 m_piecesOldestMs = 0; // arrival of the oldest line in m_pieces not yet shown
    QThreadPool m_pool;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh;
    quint64 m_generation = 0; // a snapshot of an older session is dropped
    qint64 m_pendingOldestMs = 0;
    qint64 m_shownLatencyMs = -1;
    int m_refreshMs = 30; // at most 33 snapshots a second
    bool m_building = false; // a snapshot is being built
    bool m_waitingForView = false; // handed out, not yet shown
    bool m_dirty = false; // batches arrived since the last snapshot started
    bool m_paused = false;
};
