#include "model/loadjob.h"

#include "aggregate/scopes.h"

#include <algorithm>
#include <unordered_map>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include "model/threadpriority.h"

void collectChoices(LoadResult &result)
{
    result.tools.clear();
    result.providers.clear();
    result.statuses.clear();
    result.scopes.clear();
    if (result.store)
        addChoices(result, *result.store);
}

namespace {

// Inserts each value not there yet at its place in the sorted list.
template <typename List, typename T> void mergeSorted(List &list, std::vector<T> values)
{
    std::sort(values.begin(), values.end());
    if (list.isEmpty()) {
        list = List(values.begin(), values.end());
        return;
    }
    for (const T &v : values) {
        const auto at = std::lower_bound(list.begin(), list.end(), v);
        if (at == list.end() || *at != v)
            list.insert(at, v);
    }
}

} // namespace

void addChoices(LoadResult &result, const EventStore &store)
{
    std::vector<char> tool(store.strings().size()), provider(store.strings().size());
    std::vector<char> status(1001); // -1..999, shifted by one
    for (std::size_t i = 0; i < store.size(); ++i) {
        tool[store.toolId(i)] = 1;
        provider[store.providerId(i)] = 1;
        const int st = store.status(i);
        if (st >= -1 && st < 1000)
            status[std::size_t(st + 1)] = 1;
    }
    auto names = [&store](const std::vector<char> &seen) {
        std::vector<QString> out;
        for (std::size_t id = 1; id < seen.size(); ++id) {
            if (seen[id]) {
                const std::string_view v = store.strings().view(std::uint32_t(id));
                out.push_back(QString::fromUtf8(v.data(), qsizetype(v.size())));
            }
        }
        return out;
    };
    mergeSorted(result.tools, names(tool));
    mergeSorted(result.providers, names(provider));
    std::vector<int> statuses;
    for (std::size_t k = 0; k < status.size(); ++k) {
        if (status[k])
            statuses.push_back(int(k) - 1);
    }
    mergeSorted(result.statuses, statuses);
    addScopeCounts(result.scopes, store);
}

void addScopeCounts(std::vector<ScopeCount> &scopes, const EventStore &store)
{
    // per endpoint first (few), then per scope
    std::unordered_map<std::uint32_t, std::pair<qint64, qint64>> byEndpoint;
    for (std::size_t i = 0; i < store.size(); ++i) {
        auto &c = byEndpoint[store.endpointId(i)];
        ++c.first;
        c.second += store.isRejection(i) ? 1 : 0;
    }
    for (const auto &[endpoint, counts] : byEndpoint) {
        const QString name = QString::fromStdString(scopeHostOf(store.strings().view(endpoint)));
        auto it = std::find_if(
            scopes.begin(), scopes.end(), [&name](const ScopeCount &c) { return c.name == name; });
        if (it == scopes.end())
            it = scopes.insert(scopes.end(), ScopeCount { name, 0, 0 });
        it->requests += counts.first;
        it->rejected += counts.second;
    }
    std::sort(scopes.begin(), scopes.end(), [](const ScopeCount &a, const ScopeCount &b) {
        return a.rejected != b.rejected ? a.rejected > b.rejected
            : a.requests != b.requests  ? a.requests > b.requests
                                        : a.name < b.name;
    });
}

QString chooseScope(const std::vector<ScopeCount> &scopes, const QString &current)
{
    for (const ScopeCount &c : scopes) {
        if (!current.isEmpty() && c.name.compare(current, Qt::CaseInsensitive) == 0)
            return c.name;
    }
    return QString();
}

LoadJob::LoadJob(std::shared_ptr<const RuleSet> rules, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
{
    m_pool.setMaxThreadCount(2); // a cancelled load may still be winding down
    m_progressTimer.setInterval(50);
    connect(&m_progressTimer, &QTimer::timeout, this, &LoadJob::sampleProgress);
}

LoadJob::~LoadJob()
{
    if (m_shared)
        m_shared->cancel = true;
    m_pool.waitForDone(); // the workers hold no pointer to this, but finish before we go
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

    QtConcurrent::run(&m_pool, [paths, sizes, shared, rules = m_rules, threads = m_threads] {
        lowerThreadPriority();
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
        result->store = std::move(store);
        if (!shared->cancel)
            collectChoices(*result);
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
