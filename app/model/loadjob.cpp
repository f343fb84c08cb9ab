#include "model/loadjob.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

LoadJob::LoadJob(std::shared_ptr<const RuleSet> rules, QObject *parent)
    : QObject(parent), m_rules(std::move(rules))
{
    m_progressTimer.setInterval(50);
    connect(&m_progressTimer, &QTimer::timeout, this, &LoadJob::sampleProgress);
}

LoadJob::~LoadJob()
{
    if (m_shared)
        m_shared->cancel = true;
}

void LoadJob::start(const QStringList &paths)
{
    if (m_shared)
        m_shared->cancel = true;
    auto shared = std::make_shared<Shared>();
    std::vector<qint64> sizes;
    for (const QString &p : paths) {
        sizes.push_back(QFileInfo(p).size());
        shared->total += sizes.back();
    }
    m_shared = shared;
    const quint64 gen = ++m_generation;
    m_running = true;
    m_progressTimer.start();
    Q_EMIT started(paths);
    Q_EMIT progress(0, shared->total);

    QtConcurrent::run([paths, sizes, shared, rules = m_rules, threads = m_threads] {
        QElapsedTimer timer;
        timer.start();
        auto result = std::make_shared<LoadResult>();
        result->paths = paths;
        auto store = std::make_shared<EventStore>();
        qint64 before = 0; // bytes of the files already read
        LoadOptions options;
        options.threads = threads;
        options.cancel = &shared->cancel;
        options.progress = [&before, &shared](std::uint64_t done, std::uint64_t) {
            shared->done.store(before + qint64(done), std::memory_order_relaxed);
        };
        Loader loader(*store, *rules, options);
        for (int i = 0; i < paths.size() && !shared->cancel; ++i) {
            result->reports.push_back(loader.load(paths[i]));
            before += sizes[std::size_t(i)];
            shared->done.store(before, std::memory_order_relaxed);
        }
        result->reportedLimit = loader.reportedLimit();
        result->store = std::move(store);
        result->elapsedMs = timer.elapsed();
        return std::shared_ptr<const LoadResult>(std::move(result));
    }).then(this, [this, gen, shared](std::shared_ptr<const LoadResult> result) {
        if (gen != m_generation)
            return; // replaced by a newer load; that one reports
        m_running = false;
        m_progressTimer.stop();
        if (shared->cancel) {
            Q_EMIT cancelled();
            return;
        }
        Q_EMIT progress(shared->total, shared->total);
        Q_EMIT finished(std::move(result));
    });
}

void LoadJob::cancel()
{
    if (!m_running || !m_shared)
        return;
    m_shared->cancel = true;
    // the worker stops at its next check; report at once so the GUI can move on
    ++m_generation;
    m_running = false;
    m_progressTimer.stop();
    Q_EMIT cancelled();
}

void LoadJob::sampleProgress()
{
    if (m_shared)
        Q_EMIT progress(m_shared->done.load(std::memory_order_relaxed), m_shared->total);
}
