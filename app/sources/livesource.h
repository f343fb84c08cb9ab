#pragma once

#include "sources/linechunk.h"
#include "sources/linequeue.h"
#include "sources/livesourcestate.h"

#include <QObject>

#include <functional>
#include <string_view>

// Limits every live source keeps (formats.md §4).
struct LiveLimits
{
    std::size_t maxLineBytes = std::size_t(1) << 20; // longer lines are dropped and counted
    std::size_t readBytes = std::size_t(256) << 10; // read at most this much at a time
};

// Base of the live sources (file follower, stdin, TCP listener, URL). Each lives on a worker
// thread (LiveSession moves it there and calls start() in it), turns its input into complete
// lines and pushes them to the shared LineQueue in chunks, one chunk per read. When the
// queue is full it stops reading until the queue has room (backpressure).
class LiveSource : public QObject
{
    Q_OBJECT
public:
    LiveSource(LiveSourceState::Kind kind, int id, QString name, LineQueue &queue,
        LiveLimits limits, QObject *parent = nullptr);

    LiveSourceState state() const { return m_state; }
    int id() const { return m_state.id; }

public Q_SLOTS:
    // Opens the input; called on the worker thread. Returns false (and sets the state to
    // Failed with a message) when it cannot start at all.
    virtual bool start() = 0;
    // Reads what is already there (bounded: about a second), hands it on and stops for good.
    virtual void stop() = 0;
    // The queue has room again.
    void resume();

Q_SIGNALS:
    void stateChanged(const LiveSourceState &state);
    // Something the user should read, naming the source ("file truncated", a rejected
    // connection, a dropped line is reported through the chunk instead).
    void notice(int source, const QString &message);

protected:
    // Called by resume() when reading was paused: read on.
    virtual void readMore() = 0;

    // True when reading may go on; otherwise the source is now paused and readMore() will
    // be called once the queue has room.
    bool mayRead();
    bool paused() const { return m_paused; }
    // In stop(): hand everything on, ignoring the queue's limit (the read is bounded).
    void setDraining() { m_draining = true; }

    // Lines and drops from a framer go into the current chunk; flush() pushes it.
    void addLine(std::string_view text);
    void addDropped(std::uint64_t bytes, const QString &where = {});
    void addProblem(const QString &message); // about the source as a whole, listed with line 0
    void flush();

    void setStatus(LiveSourceState::Status status, const QString &message = QString());
    void setMessage(const QString &message); // and tell it (notice)
    void publish(); // emit stateChanged with the current counters
    void publishSometimes(); // publish(), at most every 500 ms (counters only changed)
    LiveSourceState &stateRef() { return m_state; }
    LineQueue &queue() { return m_queue; }
    const LiveLimits &limits() const { return m_limits; }

private:
    LineQueue &m_queue;
    LiveLimits m_limits;
    LiveSourceState m_state;
    LineChunk m_chunk;
    std::uint64_t m_lineNumber = 0; // source-wide (across files, connections, reconnects)
    bool m_paused = false;
    bool m_draining = false;
    std::int64_t m_lastPublishMs = 0;
};
