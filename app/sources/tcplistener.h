#pragma once

#include "sources/lineframer.h"
#include "sources/livesource.h"

#include <QHostAddress>
#include <QString>

#include <memory>
#include <string_view>
#include <vector>

class QTcpServer;
class QTcpSocket;

struct ListenOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; // 0: any free port (the bound one is in the source's name)
    bool allowRemote = false; // bind a non-loopback address (a warning is given)
    // Optional shared token. When set, a connection's first line must be exactly
    // "AUTH <token>" (not a record); any other first line closes the connection, reported,
    // without taking a record from it. When not set, a first line "AUTH ..." is skipped.
    QString token;
};

// "127.0.0.1:9099", "localhost:9099", "[::1]:9099", ":9099" (loopback). Addresses only:
// host names other than localhost are not resolved. nullopt-like false + *error on failure.
bool parseListenAddress(const QString &text, ListenOptions *out, QString *error);

// True for an HTTP request line ("POST / HTTP/1.1", "GET /x HTTP/1.0", "PRI * HTTP/2.0"):
// what a browser sends when a web page points it at a loopback port.
bool isHttpRequestLine(std::string_view line);

// Accepts NDJSON records over TCP from any number of connections (formats.md §4). Binds
// loopback addresses only unless allowRemote. A connection whose first line is an HTTP
// request line (or that opens with a TLS handshake, or misses the token) is closed and
// reported, and nothing it sent is taken. A line counts at its newline or when its
// connection closes. Each connection's socket buffer is bounded; when the queue is full
// no connection is read (the senders wait on TCP flow control).
class TcpListener : public LiveSource
{
    Q_OBJECT
public:
    TcpListener(int id, ListenOptions options, LineQueue &queue, LiveLimits limits,
        QObject *parent = nullptr);
    ~TcpListener() override;

    bool start() override;
    void stop() override;
    // The bound port (after start()).
    quint16 port() const { return m_port; }

protected:
    void readMore() override;

private:
    struct Connection;
    void onNewConnection();
    void readFrom(Connection &c);
    void onLine(Connection &c, std::string_view text);
    void reject(Connection &c, const QString &why);
    void closed(Connection &c);
    void scheduleRemoval();
    void removeFinished();
    void updateCount();

    ListenOptions m_options;
    QHostAddress m_address;
    QTcpServer *m_server = nullptr;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::string m_buf;
    quint16 m_port = 0;
    bool m_stopped = false;
    bool m_removalScheduled = false;
};
