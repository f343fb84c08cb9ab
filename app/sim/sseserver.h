#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <cstdint>
#include <deque>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QTimer;

// A small Server-Sent Events server on loopback for `ratescope simulate --serve-sse`: every
// connected client gets each published record as one event ("id: N", "data: <json>").
// A client that reconnects with Last-Event-ID gets the events it missed again (the last
// kReplay are kept), a comment every 15 s keeps idle connections alive, and a client that
// falls more than 8 MiB behind is dropped (it reconnects and resumes by its last id).
class SseServer : public QObject
{
    Q_OBJECT
public:
    static constexpr std::size_t kReplay = 100000;

    explicit SseServer(QObject *parent = nullptr);
    ~SseServer() override;

    // address must be loopback; port 0 picks one.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    int clients() const { return int(m_clients.size()); }

    // Sends one record to every client (and keeps it for replay).
    void publish(const QByteArray &json);
    // Ends every stream cleanly (the clients see the end of the stream).
    void closeAll();
    std::uint64_t published() const { return m_nextId - 1; }

Q_SIGNALS:
    void clientConnected(const QString &peer, const QByteArray &lastEventId);

private:
    struct Client
    {
        QTcpSocket *socket = nullptr;
        QByteArray request;
        bool streaming = false;
    };
    void onRequest(Client &c);
    void drop(QTcpSocket *s);

    QTcpServer *m_server = nullptr;
    QTimer *m_keepAlive = nullptr;
    std::vector<Client> m_clients;
    std::deque<std::pair<std::uint64_t, QByteArray>> m_replay;
    std::uint64_t m_nextId = 1;
};
