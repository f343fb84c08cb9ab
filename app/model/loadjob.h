#pragma once

#include "model/livehistory.h"
#include "rules/ruleset.h"
#include "sources/loader.h"
#include "store/eventstore.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

// What a finished load hands to the GUI thread: a complete, read-only store.
// One API scope of a store and what it holds (the window's scope list).
struct ScopeCount
{
    QString name;
    qint64 requests = 0;
    qint64 rejected = 0;
};

struct LoadResult
{
    QStringList paths;
    std::shared_ptr<const EventStore> store;
    std::vector<InputReport> reports;
    qint64 elapsedMs = 0;
    // What the filter bar offers: names and statuses present in the store, sorted.
    QStringList tools;
    QStringList providers;
    QList<int> statuses;
    // The API scopes (by host) with their requests and rejections, most rejections first.
    std::vector<ScopeCount> scopes;
    // A live snapshot of a window (issue 22): what it let go of; null when it holds everything.
    std::shared_ptr<const LiveHistory> history;

    bool anyFailed() const
    {
        for (const InputReport &r : reports) {
            if (r.failed())
                return true;
        }
        return false;
    }
};

// Fills tools, providers and statuses from the store (one pass).
void collectChoices(LoadResult &result);
// Adds the tools, providers and statuses of `events` to the lists result holds (a live
// snapshot: the previous snapshot's lists and the new batches, not a pass over everything).
void addChoices(LoadResult &result, const EventStore &events);
// Adds the requests and rejections of `events` to the scopes (by host), sorted again.
void addScopeCounts(std::vector<ScopeCount> &scopes, const EventStore &events);

// The scope a newly loaded log is shown with: `current` when the log has it (a reload, the
// next day's log of the same API), else "" (all scopes: a log opens showing every record; the
// scope list offers each API with its limits).
QString chooseScope(const std::vector<ScopeCount> &scopes, const QString &current);

// Loads files in a worker (the Loader parses in parallel and blocks) into a fresh store.
// The worker and the parser threads it starts run at a lower priority than the GUI thread,
// so the window stays responsive while every core parses.
// Progress is sampled on the GUI thread every 50 ms, not sent per chunk. A newer start()
// or cancel() makes the running load stop and its result is dropped.
class LoadJob : public QObject
{
    Q_OBJECT
public:
    explicit LoadJob(std::shared_ptr<const RuleSet> rules, QObject *parent = nullptr);
    ~LoadJob() override;

    void setThreads(int threads) { m_threads = threads; }
    bool isRunning() const { return m_running; }

public Q_SLOTS:
    void start(const QStringList &paths);
    void cancel();

Q_SIGNALS:
    void started(const QStringList &paths);
    void progress(qint64 done, qint64 total);
    void finished(std::shared_ptr<const LoadResult> result);
    void cancelled();

private:
    struct Shared
    {
        std::atomic<bool> cancel { false };
        std::atomic<qint64> done { 0 };
        qint64 total = 0;
    };
    void sampleProgress();

    std::shared_ptr<const RuleSet> m_rules;
    std::shared_ptr<Shared> m_shared;
    QThreadPool m_pool; // its threads run (and spawn the parser threads) at a lower priority
    QTimer m_progressTimer;
    quint64 m_generation = 0;
    int m_threads = 0;
    bool m_running = false;
};

Q_DECLARE_METATYPE(std::shared_ptr<const LoadResult>)
