#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>

class QTcpSocket;
class QTimer;
class SseServer;
class TrafficSimulator;

// Plays the simulator's records in real time (`simulate --to tcp://HOST:PORT`,
// `--to FILE`, `--serve-sse HOST:PORT`), so the live path can be demonstrated end to end.
// A record is sent when its time, relative to the first record's, has passed on the wall
// clock divided by speed (speed 0: as fast as the receiver takes them). Writes never queue
// without bound: above 4 MiB unsent, the producer waits for the receiver.
class LiveSimulation : public QObject
{
    Q_OBJECT
public:
    // nowMs: the wall-clock time the simulator's clock is aligned with (records older than it
    // are due at once).
    LiveSimulation(
        TrafficSimulator &simulator, double speed, std::int64_t nowMs, QObject *parent = nullptr);
    ~LiveSimulation() override;

    // One of these before start(). "HOST:PORT" for tcp and sse (sse: loopback only).
    bool toTcp(const QString &hostPort, const QString &token, QString *error);
    bool toFile(const QString &path, QString *error);
    bool serveSse(const QString &hostPort, QString *error);
    quint16 ssePort() const;

    // Starts playing (a SSE server: once its first client has connected).
    void start();
    std::uint64_t sent() const { return m_sent; }

Q_SIGNALS:
    // Every record was sent (TCP: written and the connection closed; SSE: streams ended).
    void finished();
    void failed(const QString &message);

private:
    void tick();
    bool writeRecord(const std::string &line);
    void done();
    std::int64_t backlog() const;

    TrafficSimulator &m_sim;
    double m_speed;
    std::int64_t m_nowMs;
    std::int64_t m_firstMs = INT64_MIN;
    QElapsedTimer m_clock;
    QTimer *m_timer = nullptr;
    QTcpSocket *m_socket = nullptr;
    QFile m_file;
    SseServer *m_sse = nullptr;
    std::string m_pending; // the next record, read ahead
    std::int64_t m_pendingMs = 0;
    bool m_hasPending = false;
    bool m_exhausted = false;
    bool m_done = false;
    std::uint64_t m_sent = 0;
};
