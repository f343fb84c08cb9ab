#include "sources/tcplistener.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>

struct TcpListener::Connection
{
    enum class Phase { FirstLine, Records, Rejected };
    explicit Connection(std::size_t maxLine)
        : framer(maxLine)
    {
    }
    QTcpSocket *socket = nullptr;
    LineFramer framer;
    Phase phase = Phase::FirstLine;
    QString peer;
    bool closed = false; // the peer closed: finish once everything is read
    bool done = false; // finished: remove
};

namespace {

bool isTchar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
}

bool constantTimeEquals(std::string_view a, std::string_view b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

QString printable(std::string_view s)
{
    QString out = QString::fromUtf8(s.data(), qsizetype(std::min<std::size_t>(s.size(), 80)));
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char('?');
    }
    return s.size() > 80 ? out + QStringLiteral("…") : out;
}

} // namespace

bool isHttpRequestLine(std::string_view line)
{
    // method SP request-target SP HTTP/digit...
    std::size_t i = 0;
    while (i < line.size() && i < 32 && isTchar(line[i]))
        ++i;
    if (i == 0 || i >= line.size() || line[i] != ' ')
        return false;
    const std::size_t targetStart = ++i;
    while (i < line.size() && line[i] != ' ')
        ++i;
    if (i == targetStart || i >= line.size())
        return false;
    const std::string_view rest = line.substr(i + 1);
    return rest.size() >= 6 && rest.substr(0, 5) == "HTTP/" && rest[5] >= '0' && rest[5] <= '9';
}

bool parseListenAddress(const QString &text, ListenOptions *out, QString *error)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = colon >= 0;
    uint port = 0;
    QString host;
    if (ok) {
        host = text.left(colon);
        port = text.mid(colon + 1).toUInt(&ok);
        ok = ok && port <= 65535;
    }
    if (!ok) {
        *error = QStringLiteral("invalid --listen \"%1\": expected HOST:PORT, e.g. 127.0.0.1:9099")
                     .arg(text);
        return false;
    }
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        host = QStringLiteral("127.0.0.1");
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) != 0
        && QHostAddress(host).isNull()) {
        *error = QStringLiteral("invalid --listen \"%1\": %2 is not an IP address (or localhost)")
                     .arg(text, host);
        return false;
    }
    out->host = host;
    out->port = quint16(port);
    return true;
}

TcpListener::TcpListener(
    int id, ListenOptions options, LineQueue &queue, LiveLimits limits, QObject *parent)
    : LiveSource(LiveSourceState::Kind::Listener, id,
        QStringLiteral("tcp://%1:%2")
            .arg(options.host.contains(QLatin1Char(':'))
                    ? QLatin1Char('[') + options.host + QLatin1Char(']')
                    : options.host)
            .arg(options.port),
        queue, limits, parent)
    , m_options(std::move(options))
{
}

TcpListener::~TcpListener() = default;

bool TcpListener::start()
{
    using S = LiveSourceState::Status;
    m_buf.resize(limits().readBytes);
    m_address = m_options.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        ? QHostAddress(QHostAddress::LocalHost)
        : QHostAddress(m_options.host);
    const bool loopback = m_address.isLoopback();
    if (!loopback && !m_options.allowRemote) {
        setStatus(S::Failed,
            QStringLiteral("%1 is not a loopback address: other machines could send records to it; "
                           "add --allow-remote to listen there anyway")
                .arg(m_options.host));
        return false;
    }
    m_server = new QTcpServer(this);
    m_server->setMaxPendingConnections(256);
    if (!m_server->listen(m_address, m_options.port)) {
        setStatus(S::Failed,
            QStringLiteral("cannot listen on %1: %2")
                .arg(stateRef().name, m_server->errorString()));
        return false;
    }
    m_port = m_server->serverPort();
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + m_address.toString() + QLatin1Char(']')
        : m_address.toString();
    stateRef().name = QStringLiteral("tcp://%1:%2").arg(host).arg(m_port);
    connect(m_server, &QTcpServer::newConnection, this, &TcpListener::onNewConnection);
    setStatus(S::Listening, QString());
    if (!loopback) {
        setMessage(QStringLiteral("warning: listening on %1, which is not a loopback address: "
                                  "anyone who can reach it can send records%2")
                       .arg(stateRef().name,
                           m_options.token.isEmpty() ? QStringLiteral(" (no --token is set)")
                                                     : QString()));
    }
    return true;
}

void TcpListener::onNewConnection()
{
    while (QTcpSocket *s = m_server->nextPendingConnection()) {
        if (m_stopped) {
            s->abort();
            s->deleteLater();
            continue;
        }
        auto c = std::make_unique<Connection>(limits().maxLineBytes);
        c->socket = s;
        c->peer = QStringLiteral("%1:%2").arg(s->peerAddress().toString()).arg(s->peerPort());
        s->setReadBufferSize(qint64(limits().readBytes));
        Connection *raw = c.get();
        connect(s, &QTcpSocket::readyRead, this, [this, raw] { readFrom(*raw); });
        connect(s, &QTcpSocket::disconnected, this, [this, raw] { closed(*raw); });
        m_connections.push_back(std::move(c));
    }
    updateCount();
}

void TcpListener::updateCount()
{
    int open = 0;
    for (const auto &c : m_connections)
        open += c->done ? 0 : 1;
    if (open != stateRef().connections) {
        stateRef().connections = open;
        publish();
    }
}

void TcpListener::onLine(Connection &c, std::string_view text)
{
    if (c.phase == Connection::Phase::Rejected)
        return;
    if (c.phase == Connection::Phase::FirstLine) {
        if (isHttpRequestLine(text)) {
            reject(c,
                QStringLiteral("its first line is an HTTP request (%1), not NDJSON")
                    .arg(printable(text)));
            return;
        }
        const bool auth = text.substr(0, 5) == "AUTH ";
        if (!m_options.token.isEmpty()) {
            const QByteArray token = m_options.token.toUtf8();
            if (!auth
                || !constantTimeEquals(text.substr(5),
                    std::string_view(token.constData(), std::size_t(token.size())))) {
                reject(c,
                    auth ? QStringLiteral("wrong token")
                         : QStringLiteral("its first line is not \"AUTH <token>\""));
                return;
            }
        }
        c.phase = Connection::Phase::Records;
        if (auth)
            return; // the token line is not a record
    }
    addLine(text);
}

void TcpListener::reject(Connection &c, const QString &why)
{
    c.phase = Connection::Phase::Rejected;
    ++stateRef().rejectedConnections;
    Q_EMIT notice(id(),
        QStringLiteral("%1: connection from %2 closed: %3; nothing was taken from it")
            .arg(stateRef().name, c.peer, why));
    publish();
}

void TcpListener::readFrom(Connection &c)
{
    if (c.done)
        return;
    const auto lineSink = [this, &c](std::string_view text, std::uint64_t) { onLine(c, text); };
    const auto dropSink = [this, &c](std::uint64_t, std::uint64_t bytes) {
        if (c.phase == Connection::Phase::Rejected)
            return;
        if (c.phase == Connection::Phase::FirstLine && !m_options.token.isEmpty()) {
            reject(c, QStringLiteral("its first line is not \"AUTH <token>\""));
            return;
        }
        c.phase = Connection::Phase::Records;
        addDropped(bytes, QStringLiteral("from %1").arg(c.peer));
    };
    while (c.phase != Connection::Phase::Rejected && c.socket->bytesAvailable() > 0) {
        if (!mayRead())
            return;
        const qint64 n = c.socket->read(m_buf.data(), qint64(m_buf.size()));
        if (n <= 0)
            break;
        stateRef().bytes += std::uint64_t(n);
        if (c.phase == Connection::Phase::FirstLine && c.framer.pendingBytes() == 0
            && c.framer.lines() == 0 && static_cast<unsigned char>(m_buf[0]) == 0x16) {
            reject(c, QStringLiteral("it opened with a TLS handshake, not NDJSON"));
            break;
        }
        c.framer.feed(m_buf.data(), std::size_t(n), lineSink, dropSink);
        flush();
    }
    if (c.phase == Connection::Phase::Rejected) {
        c.done = true;
        c.socket->abort();
        scheduleRemoval();
        return;
    }
    publishSometimes();
    if (c.closed && c.socket->bytesAvailable() == 0) {
        // the peer closed and everything is read: an unterminated last line counts now
        c.framer.finish(lineSink, dropSink);
        flush();
        c.done = true;
        scheduleRemoval();
    }
}

void TcpListener::scheduleRemoval()
{
    updateCount();
    if (m_removalScheduled)
        return;
    m_removalScheduled = true;
    // later: this runs inside the signals of the socket (and loops over the connections)
    QMetaObject::invokeMethod(this, &TcpListener::removeFinished, Qt::QueuedConnection);
}

void TcpListener::closed(Connection &c)
{
    c.closed = true;
    readFrom(c);
}

void TcpListener::removeFinished()
{
    m_removalScheduled = false;
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        if ((*it)->done) {
            (*it)->socket->disconnect(this);
            (*it)->socket->deleteLater();
            it = m_connections.erase(it);
        } else {
            ++it;
        }
    }
    updateCount();
}

void TcpListener::readMore()
{
    std::vector<Connection *> all;
    for (const auto &c : m_connections)
        all.push_back(c.get());
    for (Connection *c : all) {
        if (paused())
            return;
        readFrom(*c);
    }
}

void TcpListener::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    setDraining();
    if (m_server)
        m_server->close();
    // What the peers already sent: read until each has closed or has been quiet for 100 ms,
    // at most 2 s in all.
    const QDeadlineTimer deadline(2000);
    std::vector<Connection *> all;
    for (const auto &c : m_connections)
        all.push_back(c.get());
    for (Connection *c : all) {
        while (!c->done && !deadline.hasExpired()) {
            readFrom(*c);
            if (c->done)
                break;
            if (c->socket->state() != QAbstractSocket::ConnectedState) {
                c->closed = true;
                readFrom(*c);
                break;
            }
            if (!c->socket->waitForReadyRead(int(std::min<qint64>(100, deadline.remainingTime()))))
                break;
        }
    }
    flush();
    for (const auto &c : m_connections) {
        c->done = true;
        c->socket->abort();
    }
    removeFinished();
    publish();
}
