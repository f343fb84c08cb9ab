#pragma once

#include "export/report.h"
#include "incidents/scopedwarning.h"
#include "live/livebatch.h"
#include "live/liveoptions.h"
#include "rules/ruleset.h"
#include "sources/livesourcestate.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <vector>

class LineQueue;
class LiveRollup;
class LiveIngest;
class LiveSource;

// A live session: sources on an I/O thread, the ingest on its own thread, and on the thread
// that owns this object (the GUI thread, or `monitor`'s main thread) the growing store, the
// per-minute counts, per-source states and early warnings. The GUI connects to the signals;
// everything they carry is a value (or an immutable shared batch).
//
//   LiveSession live(rules, options);
//   connect(&live, &LiveSession::batchReady, chart, ...);     // <= every 50 ms
//   connect(&live, &LiveSession::sourceStateChanged, statusBar, ...);
//   connect(&live, &LiveSession::warning, window, ...);       // early warning
//   if (!live.start(&error)) ...;                             // binds, opens, starts
//   ... live.stop(); live.summary();                          // drains, then summarize
class LiveSession : public QObject
{
    Q_OBJECT
public:
    LiveSession(
        std::shared_ptr<const RuleSet> rules, LiveOptions options, QObject *parent = nullptr);
    ~LiveSession() override;

    // Opens the capture file, binds the listeners, starts every source. False + *error when
    // one cannot start at all (a listener that cannot bind, a directory given as a file, an
    // unwritable capture directory); nothing keeps running then.
    bool start(QString *error);
    // Reads what the sources already have (bounded), analyses everything queued, and stops.
    // After it returns, store(), summary() and the states are final. Idempotent.
    void stop();
    bool isRunning() const { return m_running; }

    // Where the capture started (its first segment).
    QString capturePath() const { return m_capturePath; }
    // The capture's segments on disk now, oldest first: { capturePath() } without rotation.
    QStringList captureSegments() const { return m_segments; }
    // How many segments the capture had (on disk or rotated away).
    int captureSegmentCount() const { return m_segmentCount; }
    const LiveOptions &options() const { return m_options; }

    // Everything received so far (file index 0 is the capture file, k its segment k; the
    // segments rotated away are in its removedFiles()); empty unless options().keepStore.
    const EventStore &store() const { return m_store; }
    // The capture's segments rotated away, by file index (shared with every store of events
    // of this session: batches, store(), the window's snapshots).
    std::shared_ptr<const RemovedFiles> removedFiles() const { return m_removedFiles; }
    // Per-minute counts by record time, every minute with a record.
    const std::map<std::int64_t, BucketCounts> &minutes() const { return m_minutes; }
    std::int64_t requests() const { return m_requests; }
    std::array<std::int64_t, kRejectionSourceCount> rejected() const { return m_rejected; }
    std::int64_t newestMs() const { return m_newestMs; } // INT64_MIN before the first record
    // Each scope's requests in the minute of the newest record, and the limit it is watched
    // against (given, else reported), most requests first.
    std::vector<ScopeStatus> scopeStatus() const;
    // A new configured limit (the window's limit box): warnings use it from the next batch.
    void setLimit(std::optional<LimitSpec> limit);
    // New limits per scope (the window's, one per scope): warnings use them from the next batch.
    void setLimits(std::vector<LimitEntry> limits);

    std::vector<LiveSourceState> sourceStates() const { return m_states; }
    // summary.md inputs[]: one per source, in the order given.
    std::vector<InputReport> inputReports() const;
    // The limit, reported limit and incident gap of this session, for makeReport().
    ReportOptions reportOptions() const;
    // The report of everything received (summary.md), as `summarize` would write it:
    // makeReport() of store() and inputReports(); with options().rollupReorderMs, the
    // summary from the rollups (LiveRollup), which names what it cannot tell.
    Summary summary() const { return summaryOf(reportOptions()); }
    Summary summaryOf(const ReportOptions &options) const;

    // Latency of the last batch: from its oldest line's arrival to its delivery here.
    std::int64_t lastBatchLatencyMs() const { return m_lastLatencyMs; }

Q_SIGNALS:
    // Every source is open and listening (monitor --duration counts from here).
    void started();
    // A batch of new events, already merged into store() and minutes().
    void batchReady(std::shared_ptr<const LiveBatch> batch);
    // A source's state changed (and, once a second, its counters and records/s).
    void sourceStateChanged(const LiveSourceState &state);
    // Early warning: the current minute reached the share of the limit, or a new incident.
    void warning(const LiveWarning &warning);
    // Something to tell the user: "file truncated", a rejected connection, a dropped line,
    // a bad record ("SOURCE:LINE: reason"; the first 100 per source).
    void notice(const QString &text);
    // Every source has finished for good (stdin at EOF, URLs that gave up). Sources that
    // never finish (files, listeners) keep this from happening.
    void allSourcesEnded();
    // --capture-max: the capture goes on in a new segment (path; empty when it could not be
    // opened) and deleted its oldest segments beyond --capture-keep (removed). After the
    // batches of the segments before.
    void captureRotated(const QString &path, const QStringList &removed);

private:
    void onBatch(std::shared_ptr<const LiveBatch> batch);
    void onCaptureRotated(const QString &path, const QStringList &removed);
    void onSourceState(const LiveSourceState &state);
    void onSourceNotice(int source, const QString &message);
    void refreshRates();
    void shutdownThreads();
    void applyLimits(); // the configured limits to the early warning

    std::shared_ptr<const RuleSet> m_rules;
    LiveOptions m_options;
    QString m_capturePath;
    QStringList m_segments; // on disk
    int m_segmentCount = 0;
    std::shared_ptr<const RemovedFiles> m_removedFiles;
    std::unique_ptr<LineQueue> m_queue;
    LiveIngest *m_ingest = nullptr;
    std::vector<LiveSource *> m_sources;
    QThread m_ioThread;
    QThread m_ingestThread;
    QTimer m_rateTimer;
    bool m_running = false;
    bool m_stopped = false;
    bool m_endedSignalled = false;

    EventStore m_store;
    std::unique_ptr<LiveRollup> m_rollup; // options().rollupReorderMs
    std::map<std::int64_t, BucketCounts> m_minutes;
    std::array<std::int64_t, kRejectionSourceCount> m_rejected {};
    std::int64_t m_newestMs = INT64_MIN;
    std::int64_t m_requests = 0;
    ScopedEarlyWarning m_early;
    std::vector<LiveSourceState> m_states;
    std::vector<InputReport> m_reports;
    std::vector<std::deque<std::pair<std::int64_t, std::int64_t>>> m_recent; // (ms, records)
    std::int64_t m_lastLatencyMs = 0;
};
