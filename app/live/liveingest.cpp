#include "live/liveingest.h"

#include "decode/jsonvalue.h"
#include "decode/linetext.h"

#include <QDateTime>

#include <simdjson.h>

#include <algorithm>

namespace {

constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;
static_assert(LineChunk::kPadding >= kPad, "chunks must carry simdjson's padding");

} // namespace

LiveIngest::LiveIngest(std::shared_ptr<const RuleSet> rules, LineQueue &queue,
    std::unique_ptr<CaptureFile> capture, IngestOptions options, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_queue(queue)
    , m_capture(std::move(capture))
    , m_capturePath(m_capture->path())
    , m_options(options)
    , m_builder(*m_rules, TimeRange {})
    , m_ids(options.dedupHorizonMs)
{
    m_sink = [this](RawRecord &rec, const char *) {
        if (++m_calls > m_replayed)
            onRecord(rec);
    };
    m_errorSink = [this](const char *, std::string_view reason) {
        if (++m_calls > m_replayed)
            error(utf8Text(reason));
    };
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &LiveIngest::sendBatch);
}

LiveIngest::~LiveIngest() = default;

void LiveIngest::startBatch(std::int64_t receivedMs)
{
    if (m_batch) {
        if (receivedMs
            && (m_batch->oldestReceivedMs == 0 || receivedMs < m_batch->oldestReceivedMs))
            m_batch->oldestReceivedMs = receivedMs;
        return;
    }
    m_batch = std::make_unique<LiveBatch>();
    // every segment so far, so that the events' file index (their segment) is the session's
    for (const std::string &path : m_capture->segmentPaths())
        m_batch->events.addFile(path);
    m_batch->events.setRemovedFiles(m_capture->removedFiles());
    m_batch->oldestReceivedMs = receivedMs;
    m_deltaIndex.assign(m_deltaIndex.size(), -1);
    m_batchAge.start();
    m_timer->start(std::max(0, m_options.batchMs));
}

LiveSourceDelta &LiveIngest::delta(int source)
{
    if (std::size_t(source) >= m_deltaIndex.size()) {
        m_deltaIndex.resize(std::size_t(source) + 1, -1);
        m_errorsListed.resize(std::size_t(source) + 1, 0);
    }
    int &idx = m_deltaIndex[std::size_t(source)];
    if (idx < 0) {
        idx = int(m_batch->sources.size());
        m_batch->sources.push_back(LiveSourceDelta {});
        m_batch->sources.back().source = source;
    }
    return m_batch->sources[std::size_t(idx)];
}

void LiveIngest::process()
{
    const SmallPagesScope evenCosts; // the id set grows without 2 MiB faults delaying a batch
    std::vector<LineChunk> chunks = m_queue.takeAll();
    for (LineChunk &c : chunks) {
        handle(c);
        if (m_batch
            && (m_batch->events.size() >= m_options.batchRecords
                || m_batchAge.elapsed() >= m_options.batchMs))
            sendBatch();
    }
}

void LiveIngest::finish()
{
    process();
    sendBatch();
    m_capture->flush();
}

void LiveIngest::handle(LineChunk &chunk)
{
    if (chunk.source < 0)
        return;
    if (!chunk.lines.empty() && m_capture->full())
        rotateCapture();
    startBatch(chunk.receivedMs);
    m_source = chunk.source;
    {
        LiveSourceDelta &d = delta(chunk.source);
        for (LineChunk::Problem &p : chunk.problems) {
            ++d.skipped;
            if (m_errorsListed[std::size_t(chunk.source)] < InputReport::kMaxErrors) {
                ++m_errorsListed[std::size_t(chunk.source)];
                d.errors.push_back({ p.number, std::move(p.message) });
            }
        }
        d.lines += std::int64_t(chunk.lines.size());
    }
    if (chunk.lines.empty())
        return;
    chunk.pad();
    const std::uint64_t base
        = m_capture->append(chunk.text.data(), chunk.textBytes(), chunk.lines.size());
    const std::uint64_t firstLine = m_capture->lines() - chunk.lines.size() + 1;
    const char *text = chunk.text.data();
    const char *allocEnd = text + chunk.text.size();
    for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
        if (m_batch->events.size() >= m_options.batchRecords) {
            sendBatch(); // a big chunk is cut: batches stay within batchRecords
            startBatch(chunk.receivedMs);
        }
        const LineChunk::Line &l = chunk.lines[i];
        m_sourceLine = l.number;
        m_captureLine = std::uint32_t(firstLine + i);
        m_captureOffset = base + l.begin;
        const char *s = text + l.begin;
        std::size_t len = l.size;
        if (hasBom(s, len)) {
            s += 3;
            len -= 3;
        }
        decodeLine(s, len, std::size_t(allocEnd - s));
    }
}

void LiveIngest::decodeLine(const char *s, std::size_t len, std::size_t capacity)
{
    const auto r = m_decoder.decodeRepairing(
        s, len, capacity, m_sink, m_errorSink, m_fixed, m_calls, m_replayed);
    if (r.error)
        error(utf8Text(json::reason(r.error)));
    else if (r.scalar)
        error(scalarMessage(s, s + len));
}

void LiveIngest::onRecord(RawRecord &rec)
{
    LiveSourceDelta &d = delta(m_source);
    const auto outcome
        = m_builder.add(rec, m_batch->events, m_capture->segment(), m_captureLine, m_captureOffset);
    if (outcome == EventBuilder::Outcome::NoTime) {
        error(utf8Text(rec.timeError));
    } else if (outcome == EventBuilder::Outcome::Added) {
        const std::uint64_t h = idHash(rec.id);
        if (h && !m_ids.insert(h, m_batch->events.timeMs(m_batch->events.size() - 1))) {
            m_batch->events.popBack();
            m_batch->duplicates.push_back({ m_capture->segment(), m_captureOffset, h });
            ++d.duplicates;
        } else {
            ++d.records;
        }
    }
}

void LiveIngest::error(const QString &message)
{
    LiveSourceDelta &d = delta(m_source);
    ++d.skipped;
    std::int64_t &listed = m_errorsListed[std::size_t(m_source)];
    if (listed < InputReport::kMaxErrors) {
        ++listed;
        d.errors.push_back({ m_sourceLine, message });
    }
}

void LiveIngest::sendBatch()
{
    m_timer->stop();
    if (!m_batch)
        return;
    if (!m_capture->flush() && !m_captureFailed) {
        m_captureFailed = true;
        Q_EMIT captureFailed(m_capture->error());
    }
    m_batch->sequence = ++m_sequence;
    m_batch->captureBytes = m_capture->bytes();
    m_batch->sentMs = QDateTime::currentMSecsSinceEpoch();
    std::shared_ptr<const LiveBatch> batch(std::move(m_batch));
    Q_EMIT batchReady(batch);
}

void LiveIngest::rotateCapture()
{
    // the batch so far goes first: its events point into the segment before
    if (m_batch && !m_batch->events.empty())
        sendBatch();
    QStringList removed;
    const bool rotated = m_capture->rotate(&removed);
    if (rotated && m_batch) // a batch without events yet (bad lines only) goes on in the new one
        m_batch->events.addFile(m_capture->segmentPaths().back());
    if (!rotated && !m_rotateFailed) {
        m_rotateFailed = true;
        Q_EMIT captureFailed(m_capture->error());
    }
    if (rotated || !removed.isEmpty())
        Q_EMIT captureRotated(rotated ? m_capture->path() : QString(), removed);
}
