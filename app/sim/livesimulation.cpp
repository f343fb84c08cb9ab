#include "sim/livesimulation.h"

#include "sim/simulator.h"
#include "sim/sseserver.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace {
constexpr qint64 kMaxBacklog = qint64(4) << 20;

bool splitHostPort(const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = colon > 0;
    uint p = 0;
    QString host;
    if (ok) {
        host = text.left(colon);
        if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
            host = host.mid(1, host.size() - 2);
        p = text.mid(colon + 1).toUInt(&ok);
        ok = ok && p <= 65535;
    }
    if (ok) {
        *address = host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
            ? QHostAddress(QHostAddress::LocalHost)
            : QHostAddress(host);
        ok = !address->isNull();
    }
    if (!ok) {
        *error = QStringLiteral("expected HOST:PORT with an IP address, not \"%1\"").arg(text);
        return false;
    }
    *port = quint16(p);
    return true;
}
} // namespace

LiveSimulation::LiveSimulation(
    TrafficSimulator &simulator, double speed, std::int64_t nowMs, QObject *parent)
    : QObject(parent)
    , m_sim(simulator)
    , m_speed(speed)
    , m_nowMs(nowMs)
{
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &LiveSimulation::tick);
}

LiveSimulation::~LiveSimulation() = default;

bool LiveSimulation::toTcp(const QString &hostPort, const QString &token, QString *error)
{
    QHostAddress address;
    quint16 port = 0;
    if (!splitHostPort(hostPort, &address, &port, error))
        return false;
    m_socket = new QTcpSocket(this);
    m_socket->connectToHost(address, port);
    if (!m_socket->waitForConnected(10000)) {
        *error = QStringLiteral("cannot connect to tcp://%1: %2")
                     .arg(hostPort, m_socket->errorString());
        return false;
    }
    if (!token.isEmpty())
        m_socket->write("AUTH " + token.toUtf8() + "\n");
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_timer->isActive() && !m_done)
            m_timer->start();
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError || !m_exhausted)
            Q_EMIT failed(QStringLiteral("tcp: %1").arg(m_socket->errorString()));
    });
    return true;
}

bool LiveSimulation::toFile(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot append to %1: %2").arg(path, m_file.errorString());
        return false;
    }
    return true;
}

bool LiveSimulation::serveSse(const QString &hostPort, QString *error)
{
    QHostAddress address;
    quint16 port = 0;
    if (!splitHostPort(hostPort, &address, &port, error))
        return false;
    m_sse = new SseServer(this);
    return m_sse->listen(address, port, error);
}

quint16 LiveSimulation::ssePort() const { return m_sse ? m_sse->port() : 0; }

void LiveSimulation::start()
{
    if (m_sse && m_sse->clients() == 0) {
        // nobody would see the first records: play once the first client is there
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_sse, &SseServer::clientConnected, this, [this, once] {
            disconnect(*once);
            start();
        });
        return;
    }
    m_clock.start();
    m_timer->setInterval(m_speed > 0 ? 10 : 0);
    m_timer->start();
}

std::int64_t LiveSimulation::backlog() const { return m_socket ? m_socket->bytesToWrite() : 0; }

bool LiveSimulation::writeRecord(const std::string &line)
{
    if (m_socket) {
        m_socket->write(line.data(), qint64(line.size()));
        m_socket->write("\n", 1);
    } else if (m_file.isOpen()) {
        m_file.write(line.data(), qint64(line.size()));
        m_file.write("\n", 1);
    } else if (m_sse) {
        m_sse->publish(QByteArray::fromStdString(line));
    }
    ++m_sent;
    return true;
}

void LiveSimulation::tick()
{
    if (m_done)
        return;
    const std::int64_t elapsed = m_clock.elapsed();
    int budget = 20000; // records per tick, so the event loop keeps turning
    while (budget-- > 0) {
        if (backlog() > kMaxBacklog) {
            m_timer->stop(); // bytesWritten restarts it
            break;
        }
        if (!m_hasPending) {
            SimRecord r;
            if (!m_sim.next(r)) {
                m_exhausted = true;
                break;
            }
            m_pending.assign(r.line.data(), r.line.size());
            m_pendingMs = r.timeMs;
            m_hasPending = true;
            if (m_firstMs == INT64_MIN)
                m_firstMs = r.timeMs;
        }
        if (m_speed > 0) {
            // due when the wall clock reaches the record's time (relative to nowMs)
            const double dueIn = double(m_pendingMs - m_nowMs) / m_speed;
            if (dueIn > double(elapsed))
                break;
        }
        writeRecord(m_pending);
        m_hasPending = false;
    }
    if (m_file.isOpen())
        m_file.flush();
    if (m_exhausted && !m_hasPending)
        done();
}

void LiveSimulation::done()
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    if (m_file.isOpen())
        m_file.close();
    if (m_sse)
        m_sse->closeAll();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        connect(m_socket, &QTcpSocket::disconnected, this, &LiveSimulation::finished);
        m_socket->disconnectFromHost(); // after everything is written
        return;
    }
    QTimer::singleShot(0, this, &LiveSimulation::finished);
}
