#pragma once

#include "decode/recorddecoder.h"
#include "live/capturefile.h"
#include "live/livebatch.h"
#include "live/liveidset.h"
#include "rules/ruleset.h"
#include "sources/linequeue.h"
#include "store/eventbuilder.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <string>
#include <vector>

struct IngestOptions
{
    int batchMs = 50; // a batch leaves at most this long after its first line came in
    std::size_t batchRecords = 4096; // or once it holds this many events
    // Duplicates (LiveIdSet): a repeat within this much record time of its twin is dropped;
    // later it may be counted. 0: every id is kept for the whole session.
    std::int64_t dedupHorizonMs = LiveIdSet::kDefaultHorizonMs;
};

// Lines -> decoded records -> events, on the ingest thread. Takes the chunks the sources
// queued, appends every line to the capture file (so the events' origin points there; with
// --capture-max, to its current segment, rotated between batches: a batch's events are all in
// one segment, whose file index they carry),
// decodes each line (simdjson On-Demand; invalid UTF-8 and lone surrogates read as U+FFFD,
// as `summarize` does), classifies it (EventBuilder), removes duplicate ids across every
// source, and hands the events over in batches (LiveBatch, by value).
class LiveIngest : public QObject
{
    Q_OBJECT
public:
    // capture must be open; it is used on the ingest thread only from now on.
    LiveIngest(std::shared_ptr<const RuleSet> rules, LineQueue &queue,
        std::unique_ptr<CaptureFile> capture, IngestOptions options = {},
        QObject *parent = nullptr);
    ~LiveIngest() override;

    QString capturePath() const { return m_capturePath; } // where the capture started

public Q_SLOTS:
    // Takes everything queued (LineQueue::dataAvailable is connected here).
    void process();
    // Processes what is queued and hands on the last batch now.
    void finish();

Q_SIGNALS:
    void batchReady(std::shared_ptr<const LiveBatch> batch);
    void captureFailed(const QString &message);
    // The capture went on in a new segment (path; empty when none could be opened) and
    // deleted the oldest ones beyond --capture-keep (removed). Sent after the batches that
    // went to the segments before.
    void captureRotated(const QString &path, const QStringList &removed);

private:
    void handle(LineChunk &chunk);
    void decodeLine(const char *s, std::size_t len, std::size_t capacity);
    void onRecord(RawRecord &rec);
    void error(const QString &message);
    LiveSourceDelta &delta(int source);
    void sendBatch();
    void startBatch(std::int64_t receivedMs);
    void rotateCapture();

    std::shared_ptr<const RuleSet> m_rules;
    LineQueue &m_queue;
    std::unique_ptr<CaptureFile> m_capture;
    QString m_capturePath;
    IngestOptions m_options;
    RecordDecoder m_decoder;
    EventBuilder m_builder;
    LiveIdSet m_ids; // grows without stopping the ingest; forgets after the horizon
    RecordDecoder::RecordSink m_sink;
    RecordDecoder::ErrorSink m_errorSink;
    std::string m_fixed;
    std::uint64_t m_calls = 0;
    std::uint64_t m_replayed = 0;

    // the batch being built
    std::unique_ptr<LiveBatch> m_batch;
    std::vector<int> m_deltaIndex; // source -> index in m_batch->sources, -1: none
    std::vector<std::int64_t> m_errorsListed; // per source, for the kMaxErrors cap
    QElapsedTimer m_batchAge;
    QTimer *m_timer = nullptr;
    std::uint64_t m_sequence = 0;
    bool m_captureFailed = false;
    bool m_rotateFailed = false;

    // the line being decoded
    int m_source = -1;
    std::uint64_t m_sourceLine = 0;
    std::uint32_t m_captureLine = 0;
    std::uint64_t m_captureOffset = 0;
};
