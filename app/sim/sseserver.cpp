#include "sim/sseserver.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace {
constexpr qint64 kMaxBehind = qint64(8) << 20;

QByteArray headerValue(const QByteArray &request, const QByteArray &name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}
} // namespace

SseServer::SseServer(QObject *parent)
    : QObject(parent)
{
    m_server = new QTcpServer(this);
    m_keepAlive = new QTimer(this);
    m_keepAlive->setInterval(15000);
    connect(m_keepAlive, &QTimer::timeout, this, [this] {
        for (Client &c : m_clients) {
            if (c.streaming)
                c.socket->write(": keep-alive\n\n");
        }
    });
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection()) {
            m_clients.push_back(Client { s, {}, false });
            connect(s, &QTcpSocket::readyRead, this, [this, s] {
                auto it = std::find_if(m_clients.begin(), m_clients.end(),
                    [s](const Client &c) { return c.socket == s; });
                if (it == m_clients.end() || it->streaming)
                    return;
                it->request += s->readAll();
                if (it->request.contains("\r\n\r\n") || it->request.contains("\n\n"))
                    onRequest(*it);
                else if (it->request.size() > 65536)
                    drop(s);
            });
            connect(s, &QTcpSocket::disconnected, this, [this, s] { drop(s); });
        }
    });
}

SseServer::~SseServer() = default;

bool SseServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!address.isLoopback()) {
        *error = QStringLiteral("the SSE server listens on loopback addresses only, not %1")
                     .arg(address.toString());
        return false;
    }
    if (!m_server->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_server->errorString());
        return false;
    }
    m_keepAlive->start();
    return true;
}

quint16 SseServer::port() const { return m_server->serverPort(); }

void SseServer::onRequest(Client &c)
{
    const QByteArray requestLine = c.request.left(c.request.indexOf('\n')).trimmed();
    if (!requestLine.startsWith("GET ")) {
        c.socket->write("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: "
                        "0\r\nConnection: close\r\n\r\n");
        c.socket->disconnectFromHost();
        return;
    }
    c.streaming = true;
    c.socket->write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\n\r\nretry: 2000\n\n");
    const QByteArray last = headerValue(c.request, "last-event-id");
    bool ok = false;
    const std::uint64_t lastId = last.toULongLong(&ok);
    if (ok) {
        for (const auto &[id, data] : m_replay) {
            if (id > lastId)
                c.socket->write(
                    "id: " + QByteArray::number(qulonglong(id)) + "\ndata: " + data + "\n\n");
        }
    }
    Q_EMIT clientConnected(
        QStringLiteral("%1:%2").arg(c.socket->peerAddress().toString()).arg(c.socket->peerPort()),
        last);
}

void SseServer::publish(const QByteArray &json)
{
    const std::uint64_t id = m_nextId++;
    m_replay.emplace_back(id, json);
    if (m_replay.size() > kReplay)
        m_replay.pop_front();
    const QByteArray event
        = "id: " + QByteArray::number(qulonglong(id)) + "\ndata: " + json + "\n\n";
    std::vector<QTcpSocket *> slow;
    for (Client &c : m_clients) {
        if (!c.streaming)
            continue;
        if (c.socket->bytesToWrite() > kMaxBehind)
            slow.push_back(c.socket);
        else
            c.socket->write(event);
    }
    for (QTcpSocket *s : slow)
        s->abort(); // it resumes with Last-Event-ID
}

void SseServer::drop(QTcpSocket *s)
{
    auto it = std::find_if(
        m_clients.begin(), m_clients.end(), [s](const Client &c) { return c.socket == s; });
    if (it == m_clients.end())
        return;
    m_clients.erase(it);
    s->disconnect(this);
    s->deleteLater();
}

void SseServer::closeAll()
{
    std::vector<QTcpSocket *> all;
    for (const Client &c : m_clients)
        all.push_back(c.socket);
    for (QTcpSocket *s : all) {
        s->flush();
        s->disconnectFromHost();
    }
    m_server->close();
}
