#pragma once

#include "sources/linechunk.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

// The bounded hand-off between live sources (producers, on their threads) and the ingest
// (the consumer). Sources ask hasRoom() before reading more input; when there is none they
// stop reading (the sender waits: TCP flow control, a pipe, a file that simply is not read
// yet) and resume on roomAvailable(). push() never blocks and never drops: a source may
// overshoot the limit by the one chunk it already read, so memory stays within
// maxBytes + one chunk per source.
class LineQueue : public QObject
{
    Q_OBJECT
public:
    explicit LineQueue(std::size_t maxBytes = std::size_t(32) << 20, QObject *parent = nullptr);

    bool hasRoom() const { return m_bytes.load() < m_maxBytes; }
    std::size_t bytes() const { return m_bytes.load(std::memory_order_relaxed); }
    std::size_t maxBytes() const { return m_maxBytes; }
    // Times a producer found the queue full (backpressure engaged).
    std::uint64_t fullEvents() const { return m_fullEvents.load(std::memory_order_relaxed); }

    // Any thread. Empty chunks are ignored. Emits dataAvailable() when the queue was empty.
    void push(LineChunk &&chunk);
    // Consumer thread: everything queued, oldest first. Emits roomAvailable() when a
    // producer found the queue full since the last call.
    std::vector<LineChunk> takeAll();
    // A producer found no room: true when it must stop reading (roomAvailable() will
    // follow), false when room appeared meanwhile. Pattern:
    //   if (!queue.hasRoom() && queue.pauseIfFull()) { m_paused = true; return; }
    bool pauseIfFull();

Q_SIGNALS:
    void dataAvailable();
    void roomAvailable();

private:
    const std::size_t m_maxBytes;
    std::mutex m_mutex;
    std::vector<LineChunk> m_chunks;
    std::atomic<std::size_t> m_bytes { 0 };
    std::atomic<bool> m_full { false };
    std::atomic<std::uint64_t> m_fullEvents { 0 };
};
