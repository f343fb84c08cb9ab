#include "model/livefeed.h"

#include "model/threadpriority.h"

#include <QDateTime>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <utility>

namespace {

// A store that must grow is copied into one twice its size (the copies made before keep the
// old memory until they go). Reserving this many events from the start costs address space,
// not memory (untouched pages are not mapped), and puts the first growth ~40 s into a 100,000
// records/s stream.
constexpr std::size_t kSnapshotMinCapacity = std::size_t(1) << 22;

// If the views never say they took a snapshot (nothing connected), refresh anyway.
constexpr qint64 kViewTimeoutMs = 2000;

// The window is trimmed when its oldest held minute is this far behind the window it keeps
// (an eighth of it, at least a minute): a trim copies the events held, so it happens rarely.
std::int64_t trimMarginMs(std::int64_t keepMs) { return std::max<std::int64_t>(keepMs / 8, 60000); }

// What a snapshot lets go of: the events before the window (LiveFeed::m_keepMs) of the
// previous snapshot's store, added to the history so far.
struct TrimRequest
{
    bool due = false;
    std::int64_t keepMs = 0;
    double mergeGapMinutes = 5.0;
    std::shared_ptr<const LiveHistory> history; // so far
    std::vector<CaptureDuplicate> duplicates; // every one the ingest dropped so far, sorted
    bool releaseFreed = false; // the views took the last trimmed snapshot: the old one is gone
};

std::shared_ptr<const LoadResult> buildSnapshot(
    const std::vector<std::shared_ptr<const EventStore>> &pieces, const QString &capturePath,
    const std::shared_ptr<const RemovedFiles> &removed, std::vector<InputReport> reports,
    const std::shared_ptr<const LoadResult> &previous, const TrimRequest &trim)
{
    std::size_t n = 0;
    for (const auto &p : pieces)
        n += p->size();
    std::shared_ptr<const LiveHistory> history = trim.history;
#ifdef __GLIBC__
    // the stores of before the last trim are gone by now: glibc keeps their pages (mapped, in
    // its arenas) unless told to give free ones back, and the window's RSS would be the most it
    // ever held, not what it holds
    if (trim.due || trim.releaseFreed)
        ::malloc_trim(0);
#endif
    std::vector<bool> skip; // the events of the first piece let go
    if (trim.due && !pieces.empty()) {
        const std::int64_t edge = windowEdge(*pieces.front(), trim.keepMs);
        if (edge != INT64_MIN && (!history || edge > history->heldFromMs)) {
            LiveHistory next
                = letGo(*pieces.front(), edge, trim.mergeGapMinutes, history.get(), skip);
            next.duplicates = trim.duplicates;
            history = std::make_shared<const LiveHistory>(std::move(next));
        }
    }
    // The first piece is the previous snapshot (or the first batch). The new store shares the
    // previous snapshot's memory and appends the batches since past its end (EventStore::
    // share): the views go on reading the previous one meanwhile, and every snapshot between
    // two trims is one copy of the events held, not one each. A trim copies the events held
    // into a store of their own (the old memory goes with the last snapshot that holds it).
    // File 0 is the capture file in every piece, file k its segment k (--capture-max: a later
    // batch may name more segments).
    const bool fromSnapshot = previous && !pieces.empty() && pieces.front() == previous->store;
    auto store = std::make_shared<EventStore>();
    if (!pieces.empty() && skip.empty() && fromSnapshot) {
        *store = pieces.front()->share();
        if (store->capacity() < n) // grown to twice the size: rarely copied
            store->reserve(2 * n);
    } else if (!pieces.empty()) { // the first batch, or trimmed: the events held, copied
        store->reserve(std::max(2 * n, kSnapshotMinCapacity));
        store->addFile(capturePath.toStdString());
        store->addFilesFrom(*pieces.front());
        store->appendShard(*pieces.front(), skip, 0, 0);
    }
    if (store->fileCount() == 0)
        store->addFile(capturePath.toStdString()); // every live event's origin
    store->setRemovedFiles(removed); // segments rotated away are never read back
    for (std::size_t k = 1; k < pieces.size(); ++k) {
        store->addFilesFrom(*pieces[k]);
        store->appendShard(*pieces[k], {}, 0, 0);
    }
    auto result = std::make_shared<LoadResult>();
    result->paths = QStringList { capturePath };
    result->reports = std::move(reports);
    // the filter bar's choices: the previous snapshot's, and those of the batches since
    // (the first piece, when it is not a snapshot, is a batch too)
    if (fromSnapshot) {
        result->tools = previous->tools;
        result->providers = previous->providers;
        result->statuses = previous->statuses;
    }
    for (std::size_t k = fromSnapshot ? 1 : 0; k < pieces.size(); ++k)
        addChoices(*result, *pieces[k]);
    result->store = std::move(store);
    result->history = std::move(history);
    return result;
}

} // namespace

LiveFeed::LiveFeed(std::shared_ptr<const RuleSet> rules, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
{
    m_pool.setMaxThreadCount(1); // snapshots are built one at a time, in order
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LiveFeed::maybeRefresh);
}

LiveFeed::~LiveFeed()
{
    if (m_session) {
        disconnect(m_session.get(), nullptr, this, nullptr);
        m_session->stop();
    }
    ++m_generation;
    m_pool.waitForDone();
}

bool LiveFeed::start(const LiveOptions &options, QString *error)
{
    close();
    m_pieces.clear();
    m_piecesOldestMs = 0;
    m_shownLatencyMs = -1;
    m_building = m_waitingForView = m_dirty = false;
    m_keepMs = options.windowKeepMs;
    m_mergeGapMinutes = options.mergeGapMinutes;
    m_newestMs = INT64_MIN;
    m_nextTrimMs = INT64_MAX;
    m_history.reset();
    m_duplicates.clear();
    setPaused(false);
    LiveOptions o = options;
    o.keepStore = false; // the snapshots are built from the batches
    m_session = std::make_unique<LiveSession>(m_rules, std::move(o));
    connect(m_session.get(), &LiveSession::batchReady, this, &LiveFeed::onBatch);
    connect(m_session.get(), &LiveSession::sourceStateChanged, this, &LiveFeed::sourceStateChanged);
    connect(m_session.get(), &LiveSession::warning, this, &LiveFeed::warning);
    connect(m_session.get(), &LiveSession::notice, this, &LiveFeed::notice);
    connect(m_session.get(), &LiveSession::captureRotated, this,
        [this](const QString &path, const QStringList &removed) {
            QStringList names;
            for (const QString &r : removed)
                names << QFileInfo(r).fileName();
            const QString gone = QStringLiteral("%1 deleted (the newest %2 are kept)")
                                     .arg(names.join(QStringLiteral(", ")))
                                     .arg(m_session->options().captureRotation.keep);
            if (!path.isEmpty()) {
                const QString text
                    = QStringLiteral("Capture continues in %1").arg(QFileInfo(path).fileName());
                Q_EMIT notice(names.isEmpty() ? text : text + QStringLiteral("; ") + gone);
                Q_EMIT captureRotated(path);
            } else if (!names.isEmpty()) {
                Q_EMIT notice(QStringLiteral("Capture segment ") + gone);
            }
        });
    if (!m_session->start(error)) {
        m_session.reset();
        return false;
    }
    for (const LiveSourceState &s : m_session->sourceStates())
        Q_EMIT sourceStateChanged(s);
    Q_EMIT started(m_session->capturePath());
    // an empty first snapshot: the views show the (empty) live session at once
    m_dirty = true;
    m_sinceRefresh.invalidate();
    maybeRefresh();
    return true;
}

void LiveFeed::stop()
{
    if (!isActive())
        return;
    setPaused(false);
    m_session->stop(); // delivers the last batches (onBatch) before it returns
    m_waitingForView = false;
    m_sinceRefresh.invalidate();
    maybeRefresh();
    Q_EMIT stopped();
}

void LiveFeed::close()
{
    ++m_generation;
    m_refreshTimer.stop();
    m_building = m_waitingForView = m_dirty = false;
    const bool wasActive = isActive();
    if (m_session) {
        // what stop() still delivers is not for the views any more
        disconnect(m_session.get(), nullptr, this, nullptr);
        m_session->stop();
    }
    m_pieces.clear();
    m_lastSnapshot.reset();
    setPaused(false);
    if (wasActive)
        Q_EMIT stopped();
}

void LiveFeed::setLimit(std::optional<LimitSpec> limit)
{
    if (m_session)
        m_session->setLimit(std::move(limit));
}

void LiveFeed::setLimits(std::vector<LimitEntry> limits)
{
    if (m_session)
        m_session->setLimits(std::move(limits));
}

void LiveFeed::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    Q_EMIT pausedChanged(paused);
    if (!paused) {
        m_sinceRefresh.invalidate();
        maybeRefresh();
    }
}

void LiveFeed::viewShown()
{
    if (!m_waitingForView)
        return;
    m_waitingForView = false;
    if (m_pendingOldestMs > 0)
        m_shownLatencyMs = QDateTime::currentMSecsSinceEpoch() - m_pendingOldestMs;
    maybeRefresh();
}

void LiveFeed::onBatch(std::shared_ptr<const LiveBatch> batch)
{
    // an aliasing pointer: the piece keeps the whole (immutable) batch alive
    m_pieces.emplace_back(batch, &batch->events);
    m_duplicates.insert(m_duplicates.end(), batch->duplicates.begin(), batch->duplicates.end());
    for (std::size_t i = 0; i < batch->events.size(); ++i) {
        const std::int64_t t = batch->events.timeMs(i);
        if (m_keepMs > 0 && m_nextTrimMs == INT64_MAX) // the first record: its window
            m_nextTrimMs = t + m_keepMs + trimMarginMs(m_keepMs);
        m_newestMs = std::max(m_newestMs, t);
    }
    if (batch->oldestReceivedMs > 0
        && (m_piecesOldestMs == 0 || batch->oldestReceivedMs < m_piecesOldestMs))
        m_piecesOldestMs = batch->oldestReceivedMs;
    m_dirty = true;
    maybeRefresh();
}

void LiveFeed::maybeRefresh()
{
    if (!m_session || m_paused || !m_dirty || m_building)
        return;
    if (m_waitingForView && m_sinceRefresh.isValid() && m_sinceRefresh.elapsed() < kViewTimeoutMs)
        return;
    if (m_sinceRefresh.isValid() && m_sinceRefresh.elapsed() < m_refreshMs) {
        if (!m_refreshTimer.isActive())
            m_refreshTimer.start(int(m_refreshMs - m_sinceRefresh.elapsed()));
        return;
    }
    startSnapshot();
}

void LiveFeed::startSnapshot()
{
    m_sinceRefresh.start();
    m_building = true;
    m_dirty = false;
    m_pendingOldestMs = m_piecesOldestMs;
    m_piecesOldestMs = 0;
    const std::size_t count = m_pieces.size();
    const quint64 gen = m_generation;
    TrimRequest trim;
    trim.due = m_keepMs > 0 && m_newestMs >= m_nextTrimMs;
    if (trim.due) // looked at again a margin later (an incident that goes on holds it open)
        m_nextTrimMs = m_newestMs + trimMarginMs(m_keepMs);
    trim.keepMs = m_keepMs;
    trim.mergeGapMinutes = m_mergeGapMinutes;
    trim.history = m_history;
    // the snapshot before the last trim went when the views took the trimmed one
    trim.releaseFreed = std::exchange(m_trimmedShown, false);
    if (trim.due) {
        std::sort(m_duplicates.begin(), m_duplicates.end());
        trim.duplicates = m_duplicates;
    }
    QtConcurrent::run(&m_pool,
        [pieces = m_pieces, path = m_session->capturePath(), reports = m_session->inputReports(),
            removed = m_session->removedFiles(), previous = m_lastSnapshot, trim] {
            lowerThreadPriority();
            const SmallPagesScope evenCosts; // no 2 MiB faults stalling an update
            return buildSnapshot(pieces, path, removed, std::move(reports), previous, trim);
        })
        .then(this, [this, gen, count](std::shared_ptr<const LoadResult> result) {
            if (gen != m_generation)
                return; // a newer session started meanwhile
            m_building = false;
            if (result->history != m_history) { // trimmed
                m_history = result->history;
                m_trimmedShown = true; // shown by the time the next snapshot starts
            }
            // the snapshot replaces the pieces it was made of: memory stays one copy
            m_pieces.erase(m_pieces.begin(), m_pieces.begin() + std::ptrdiff_t(count));
            m_pieces.insert(m_pieces.begin(), result->store);
            m_lastSnapshot = result;
            m_waitingForView = true;
            Q_EMIT snapshotReady(std::move(result));
            maybeRefresh();
        });
}
