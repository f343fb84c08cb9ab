#include "live/livesession.h"

#include "decode/timestamp.h"
#include "live/capturefile.h"
#include "live/liveingest.h"
#include "live/liverollup.h"
#include "sources/filefollower.h"
#include "sources/httpstreamsource.h"
#include "sources/linequeue.h"
#include "sources/stdinsource.h"
#include "sources/tcplistener.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>

bool parseSourceSpec(const QString &text, LiveSourceSpec *out, QString *error)
{
    LiveSourceSpec spec;
    if (text == QLatin1String("-")) {
        spec.kind = LiveSourceSpec::Kind::Stdin;
    } else if (text.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)) {
        spec.kind = LiveSourceSpec::Kind::Url;
        spec.url = QUrl(text, QUrl::StrictMode);
        if (!spec.url.isValid() || spec.url.host().isEmpty()) {
            *error = QStringLiteral("invalid URL \"%1\"").arg(text);
            return false;
        }
    } else if (text.isEmpty()) {
        *error = QStringLiteral("an empty source name");
        return false;
    } else {
        spec.kind = LiveSourceSpec::Kind::File;
        spec.path = text;
    }
    *out = spec;
    return true;
}

LiveSession::LiveSession(std::shared_ptr<const RuleSet> rules, LiveOptions options, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_options(std::move(options))
    , m_early(m_options.warnShare, m_options.mergeGapMinutes)
{
    qRegisterMetaType<LiveSourceState>();
    qRegisterMetaType<LiveWarning>();
    qRegisterMetaType<std::shared_ptr<const LiveBatch>>();
    m_ioThread.setObjectName(QStringLiteral("live-io"));
    m_ingestThread.setObjectName(QStringLiteral("live-ingest"));
    applyLimits();
    if (m_options.rollupReorderMs) {
        std::vector<LimitEntry> limits = m_options.scopeLimits;
        if (m_options.limit)
            limits.push_back({ QString(), LimitAxis::Requests, *m_options.limit });
        // incident tallies past their budget go next to the capture (unnamed files)
        const QString spillDir = !m_options.captureDir.isEmpty() ? m_options.captureDir
            : !m_options.capturePath.isEmpty() ? QFileInfo(m_options.capturePath).absolutePath()
                                               : CaptureFile::defaultDirectory();
        m_rollup = std::make_unique<LiveRollup>(m_options.rollupScopeBy, std::move(limits),
            *m_options.rollupReorderMs, m_options.mergeGapMinutes, spillDir);
    }
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &LiveSession::refreshRates);
}

LiveSession::~LiveSession() { stop(); }

std::vector<ScopeStatus> LiveSession::scopeStatus() const
{
    return m_newestMs == INT64_MIN ? std::vector<ScopeStatus> {}
                                   : m_early.status(floorToMinute(m_newestMs));
}

void LiveSession::setLimit(std::optional<LimitSpec> limit)
{
    m_options.limit = std::move(limit);
    applyLimits();
}

void LiveSession::setLimits(std::vector<LimitEntry> limits)
{
    m_options.scopeLimits = std::move(limits);
    applyLimits();
}

void LiveSession::applyLimits()
{
    std::vector<LimitEntry> limits = m_options.scopeLimits;
    if (m_options.limit)
        limits.push_back({ QString(), LimitAxis::Requests, *m_options.limit });
    m_early.setLimits(std::move(limits));
}

bool LiveSession::start(QString *error)
{
    if (m_running || m_stopped) {
        *error = QStringLiteral("a live session starts once");
        return false;
    }
    // the capture file
    QString path = m_options.capturePath;
    if (path.isEmpty()) {
        path = CaptureFile::newPath(
            m_options.captureDir.isEmpty() ? CaptureFile::defaultDirectory() : m_options.captureDir,
            error);
        if (path.isEmpty())
            return false;
    }
    auto capture = std::make_unique<CaptureFile>();
    if (!capture->open(path, error))
        return false;
    capture->setRotation(m_options.captureRotation);
    m_capturePath = path;
    m_segments = QStringList { path };
    m_segmentCount = 1;
    m_removedFiles = capture->removedFiles();
    m_store.addFile(path.toStdString());
    m_store.setRemovedFiles(m_removedFiles);

    m_queue = std::make_unique<LineQueue>(m_options.queueBytes);
    m_ingest = new LiveIngest(m_rules, *m_queue, std::move(capture), m_options.ingest);
    m_ingest->moveToThread(&m_ingestThread);
    connect(m_queue.get(), &LineQueue::dataAvailable, m_ingest, &LiveIngest::process,
        Qt::QueuedConnection);
    connect(m_ingest, &LiveIngest::batchReady, this, &LiveSession::onBatch, Qt::QueuedConnection);
    connect(m_ingest, &LiveIngest::captureFailed, this, &LiveSession::notice, Qt::QueuedConnection);
    connect(m_ingest, &LiveIngest::captureRotated, this, &LiveSession::onCaptureRotated,
        Qt::QueuedConnection);

    // the sources
    int id = 0;
    for (const LiveSourceSpec &spec : m_options.sources) {
        LiveSource *src = nullptr;
        switch (spec.kind) {
        case LiveSourceSpec::Kind::File:
            src = new FileFollower(id, spec.path, *m_queue, m_options.limits, m_options.follow);
            break;
        case LiveSourceSpec::Kind::Stdin:
            src = new StdinSource(id, *m_queue, m_options.limits);
            break;
        case LiveSourceSpec::Kind::Listen:
            src = new TcpListener(id, spec.listen, *m_queue, m_options.limits);
            break;
        case LiveSourceSpec::Kind::Url:
            src = new HttpStreamSource(id, spec.url, *m_queue, m_options.limits, m_options.url);
            break;
        }
        m_states.push_back(src->state());
        InputReport r;
        r.path = src->state().name;
        m_reports.push_back(std::move(r));
        m_recent.emplace_back();
        src->moveToThread(&m_ioThread);
        connect(src, &LiveSource::stateChanged, this, &LiveSession::onSourceState,
            Qt::QueuedConnection);
        connect(src, &LiveSource::notice, this, &LiveSession::onSourceNotice, Qt::QueuedConnection);
        connect(m_queue.get(), &LineQueue::roomAvailable, src, &LiveSource::resume,
            Qt::QueuedConnection);
        m_sources.push_back(src);
        ++id;
    }
    m_ingestThread.start();
    m_ioThread.start();
    m_running = true;
    for (LiveSource *src : m_sources) {
        bool ok = false;
        LiveSourceState st;
        QMetaObject::invokeMethod(
            src,
            [src, &ok, &st] {
                ok = src->start();
                st = src->state();
            },
            Qt::BlockingQueuedConnection);
        m_states[std::size_t(st.id)] = st;
        m_reports[std::size_t(st.id)].path = st.name;
        if (!ok) {
            *error = QStringLiteral("%1: %2").arg(st.name, st.message);
            stop();
            return false;
        }
    }
    m_rateTimer.start();
    Q_EMIT started();
    return true;
}

void LiveSession::stop()
{
    if (!m_running || m_stopped) {
        m_stopped = true;
        return;
    }
    m_stopped = true;
    m_rateTimer.stop();
    for (LiveSource *src : m_sources)
        QMetaObject::invokeMethod(
            src, [src] { src->stop(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_ingest, [this] { m_ingest->finish(); }, Qt::BlockingQueuedConnection);
    // the batches and states they queued for this thread, in order
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    shutdownThreads();
    refreshRates();
    m_running = false;
}

void LiveSession::shutdownThreads()
{
    for (LiveSource *src : m_sources) {
        src->disconnect(this);
        QMetaObject::invokeMethod(
            src, [src] { delete src; }, Qt::BlockingQueuedConnection);
    }
    m_sources.clear();
    if (m_ingest) {
        m_ingest->disconnect(this);
        LiveIngest *ingest = m_ingest;
        QMetaObject::invokeMethod(
            ingest, [ingest] { delete ingest; }, Qt::BlockingQueuedConnection);
        m_ingest = nullptr;
    }
    m_ioThread.quit();
    m_ingestThread.quit();
    m_ioThread.wait();
    m_ingestThread.wait();
}

void LiveSession::onBatch(std::shared_ptr<const LiveBatch> batch)
{
    const EventStore &ev = batch->events;
    // appendShard reserves exactly what it needs; a live store grows by thousands of small
    // batches, so grow it geometrically here (else every batch copies the whole store)
    if (m_rollup)
        m_rollup->add(batch);
    else if (m_options.keepStore) {
        const std::size_t need = m_store.size() + ev.size();
        if (m_store.capacity() < need)
            m_store.reserve(std::max(need, m_store.capacity() * 2));
        m_store.addFilesFrom(ev); // a new capture segment is a new file index
        m_store.appendShard(ev, {}, 0, 0);
    }
    m_requests += std::int64_t(ev.size());
    for (std::size_t i = 0; i < ev.size(); ++i) {
        const std::int64_t t = ev.timeMs(i);
        m_newestMs = std::max(m_newestMs, t);
        const std::int64_t minute = floorToMinute(t);
        BucketCounts &b = m_minutes[minute];
        b.startMs = minute;
        ++b.requests;
        if (ev.isRejection(i)) {
            const int k = sourceIndex(ev.source(i));
            ++b.rejected[std::size_t(k)];
            ++m_rejected[std::size_t(k)];
        }
        const std::int32_t limit = ev.serverLimit(i);
        if (limit > 0 && (b.serverLimit < 0 || limit < b.serverLimit))
            b.serverLimit = limit;
    }
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    for (const LiveSourceDelta &d : batch->sources) {
        if (d.source < 0 || std::size_t(d.source) >= m_reports.size())
            continue;
        InputReport &r = m_reports[std::size_t(d.source)];
        r.records += d.records;
        r.duplicates += d.duplicates;
        r.skipped += d.skipped - std::int64_t(d.errors.size());
        for (const LocatedError &e : d.errors) {
            r.addError(e.line, e.message);
            Q_EMIT notice(e.line > 0
                    ? QStringLiteral("%1:%2: %3").arg(r.path).arg(e.line).arg(e.message)
                    : QStringLiteral("%1: %2").arg(r.path, e.message));
        }
        LiveSourceState &st = m_states[std::size_t(d.source)];
        st.records = std::uint64_t(r.records);
        st.skipped = std::uint64_t(r.skipped);
        st.duplicates = std::uint64_t(r.duplicates);
        m_recent[std::size_t(d.source)].emplace_back(now, d.records);
    }
    if (batch->oldestReceivedMs > 0)
        m_lastLatencyMs = now - batch->oldestReceivedMs;
    Q_EMIT batchReady(batch);
    for (const LiveWarning &w : m_early.add(ev))
        Q_EMIT warning(w);
}

void LiveSession::onCaptureRotated(const QString &path, const QStringList &removed)
{
    for (const QString &r : removed)
        m_segments.removeAll(r);
    if (!path.isEmpty()) {
        m_segments << path;
        ++m_segmentCount;
    }
    Q_EMIT captureRotated(path, removed);
}

void LiveSession::onSourceState(const LiveSourceState &state)
{
    if (state.id < 0 || std::size_t(state.id) >= m_states.size())
        return;
    LiveSourceState &st = m_states[std::size_t(state.id)];
    const std::uint64_t records = st.records, skipped = st.skipped, duplicates = st.duplicates;
    const double rate = st.recordsPerSecond;
    st = state;
    st.records = records;
    st.skipped = skipped;
    st.duplicates = duplicates;
    st.recordsPerSecond = rate;
    m_reports[std::size_t(state.id)].path = state.name;
    m_reports[std::size_t(state.id)].format = state.format;
    Q_EMIT sourceStateChanged(st);
    if (!m_endedSignalled && !m_states.empty()
        && std::all_of(m_states.begin(), m_states.end(),
            [](const LiveSourceState &s) { return s.finished(); })) {
        m_endedSignalled = true;
        Q_EMIT allSourcesEnded();
    }
}

void LiveSession::onSourceNotice(int source, const QString &message)
{
    Q_UNUSED(source);
    Q_EMIT notice(message);
}

void LiveSession::refreshRates()
{
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    for (std::size_t i = 0; i < m_states.size(); ++i) {
        auto &recent = m_recent[i];
        while (!recent.empty() && recent.front().first < now - 5000)
            recent.pop_front();
        std::int64_t n = 0;
        for (const auto &r : recent)
            n += r.second;
        const double rate = double(n) / 5.0;
        if (rate != m_states[i].recordsPerSecond
            || m_states[i].status == LiveSourceState::Status::Reconnecting) {
            m_states[i].recordsPerSecond = rate;
            Q_EMIT sourceStateChanged(m_states[i]);
        }
    }
}

std::vector<InputReport> LiveSession::inputReports() const { return m_reports; }

ReportOptions LiveSession::reportOptions() const
{
    ReportOptions options;
    options.limit = m_options.limit;
    options.mergeGapMinutes = m_options.mergeGapMinutes;
    return options;
}

Summary LiveSession::summaryOf(const ReportOptions &options) const
{
    if (m_rollup)
        return m_rollup->summary(inputReports(), options);
    return makeReport(m_store, inputReports(), options);
}
