#pragma once

#include "sources/lineframer.h"
#include "sources/livesource.h"

class QSocketNotifier;

// Reads NDJSON from standard input (or any readable descriptor: tests pass a pipe) until
// EOF. A line counts at its newline or at EOF. Reading waits on a QSocketNotifier and reads
// what is there, so the thread never blocks; when the queue is full it stops reading and
// the writer blocks on the full pipe (backpressure). The descriptor is not closed.
class StdinSource : public LiveSource
{
    Q_OBJECT
public:
    StdinSource(int id, LineQueue &queue, LiveLimits limits, int fd = 0, QObject *parent = nullptr);

    bool start() override;
    void stop() override;

protected:
    void readMore() override { onReadable(); }

private:
    void onReadable();
    void atEof();

    int m_fd;
    LineFramer m_framer;
    QSocketNotifier *m_notifier = nullptr;
    std::string m_buf;
    bool m_done = false;
};
