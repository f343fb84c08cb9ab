#include "sources/httpstreamsource.h"

#include "decode/ratelimitheaders.h"
#include "decode/timestamp.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace {

std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), std::size_t(b.size()));
}

// The response's Retry-After, read by the parser of the records' headers: delta-seconds or an
// HTTP-date, a date taken relative to the response's own Date header when it has one (the
// server's clock), else to this machine's. Absurd delays (over 10^7 s) are ignored.
std::optional<std::int64_t> retryAfterMs(const QNetworkReply &reply)
{
    std::optional<std::int64_t> now = parseHttpDate(view(reply.rawHeader("Date")));
    if (!now)
        now = QDateTime::currentMSecsSinceEpoch();
    const auto s = parseRetryAfter(view(reply.rawHeader("Retry-After")), now);
    if (!s || *s >= 1e7)
        return std::nullopt;
    return std::int64_t(*s * 1000.0);
}

} // namespace

HttpStreamSource::HttpStreamSource(int id, const QUrl &url, LineQueue &queue, LiveLimits limits,
    UrlOptions options, QObject *parent)
    : LiveSource(
        LiveSourceState::Kind::Url, id, url.toString(QUrl::RemoveUserInfo), queue, limits, parent)
    , m_url(url)
    , m_options(std::move(options))
    , m_sse(limits.maxLineBytes)
    , m_lines(limits.maxLineBytes)
    , m_rng(std::random_device {}())
{
    m_policy.setDelayMs(m_options.delayMs);
}

HttpStreamSource::~HttpStreamSource()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        delete m_reply;
    }
}

double HttpStreamSource::random01()
{
    if (m_options.random)
        return m_options.random();
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
}

bool HttpStreamSource::start()
{
    m_buf.resize(limits().readBytes);
    m_nam = new QNetworkAccessManager(this);
    m_nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &HttpStreamSource::connectNow);
    connectNow();
    return true;
}

void HttpStreamSource::connectNow()
{
    if (m_stopped)
        return;
    QNetworkRequest req(m_url);
    req.setRawHeader("Accept", "text/event-stream, application/x-ndjson;q=0.9, */*;q=0.8");
    req.setRawHeader("Cache-Control", "no-cache");
    if (!m_sse.lastEventId().empty())
        req.setRawHeader("Last-Event-ID", QByteArray::fromStdString(m_sse.lastEventId()));
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    req.setTransferTimeout(0);
    m_streaming = false;
    m_decided = false;
    m_finishPending = false;
    m_lastStatus = 0;
    m_retryAfterMs.reset();
    m_why.clear();
    m_reply = m_nam->get(req);
    m_reply->setReadBufferSize(qint64(limits().readBytes));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &HttpStreamSource::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpStreamSource::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpStreamSource::onFinished);
    if (stateRef().status == LiveSourceState::Status::Starting)
        publish();
}

bool HttpStreamSource::handleStatus()
{
    if (m_streaming || m_decided)
        return true;
    const QVariant attr = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!attr.isValid())
        return false;
    const int status = attr.toInt();
    m_lastStatus = status;
    const QString reason
        = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QString statusText = reason.isEmpty()
        ? QStringLiteral("HTTP %1").arg(status)
        : QStringLiteral("HTTP %1 %2").arg(status).arg(reason);
    if (status >= 300 && status < 400 && !m_reply->isFinished())
        return false; // a redirect being followed
    if (status == 204) {
        m_decided = true;
        giveUp(QStringLiteral("the server answered %1: it has nothing to stream").arg(statusText));
        return true;
    }
    if (status >= 200 && status < 300) {
        m_streaming = true;
        const QByteArray type
            = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().trimmed().toLower();
        m_isSse = type.startsWith("text/event-stream");
        stateRef().format = m_isSse ? QStringLiteral("sse") : QStringLiteral("ndjson");
        stateRef().connections = 1;
        setStatus(LiveSourceState::Status::Connected, QString());
        Q_EMIT streamOpened(m_isSse);
        return true;
    }
    m_decided = true;
    if (status >= 500 || status == 408 || status == 429) {
        m_retryAfterMs = retryAfterMs(*m_reply);
        m_why = statusText;
        abortSoon(); // onFinished schedules the reconnect
        return true;
    }
    giveUp(status >= 300 && status < 400
            ? QStringLiteral("the server answered %1 (a redirect that is not followed)")
                  .arg(statusText)
            : QStringLiteral("the server answered %1").arg(statusText));
    return true;
}

void HttpStreamSource::onMetaData()
{
    if (m_reply && sender() == m_reply)
        handleStatus();
}

void HttpStreamSource::onReadyRead()
{
    if (!m_reply || sender() != m_reply || m_stopped)
        return;
    if (!handleStatus() || !m_streaming)
        return;
    readMore();
}

void HttpStreamSource::readMore()
{
    if (!m_reply || !m_streaming)
        return;
    const auto onLine = [this](std::string_view text, std::uint64_t) {
        addLine(text);
        m_policy.eventArrived();
    };
    const auto onDrop = [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); };
    const auto onEvent = [this](const SseEvent &e) {
        // one record per event, on one line: its "\n"s are JSON whitespace
        m_flat.assign(e.data.data(), e.data.size());
        for (char &c : m_flat) {
            if (c == '\n')
                c = ' ';
        }
        addLine(m_flat);
        m_policy.eventArrived();
    };
    while (m_reply->bytesAvailable() > 0) {
        if (!mayRead())
            return;
        const qint64 n = m_reply->read(m_buf.data(), qint64(m_buf.size()));
        if (n <= 0)
            break;
        stateRef().bytes += std::uint64_t(n);
        if (m_isSse) {
            m_sse.feed(m_buf.data(), std::size_t(n), onEvent, onDrop);
            if (m_sse.retryMs() >= 0)
                m_policy.setDelayMs(m_sse.retryMs());
        } else {
            m_lines.feed(m_buf.data(), std::size_t(n), onLine, onDrop);
        }
        flush();
    }
    publishSometimes();
    if (m_finishPending) {
        m_finishPending = false;
        onFinished();
    }
}

void HttpStreamSource::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_stopped)
        return;
    if (!m_decided)
        handleStatus();
    if (m_streaming && reply->bytesAvailable() > 0) {
        m_finishPending = true; // the rest is read first (readMore comes back here)
        readMore();
        return;
    }
    const QString error = reply->error() != QNetworkReply::NoError
            && reply->error() != QNetworkReply::OperationCanceledError
        ? reply->errorString()
        : QString();
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    if (stateRef().status == LiveSourceState::Status::Failed)
        return; // gave up
    if (m_streaming) {
        stateRef().connections = 0;
        // the stream ended: a last NDJSON line counts, an unfinished SSE event does not
        if (m_isSse) {
            m_sse.finish();
        } else {
            m_lines.finish(
                [this](std::string_view text, std::uint64_t) {
                    addLine(text);
                    m_policy.eventArrived();
                },
                [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); });
        }
        flush();
        endOfStream(error.isEmpty() ? QStringLiteral("the stream ended") : error, 0, std::nullopt);
        return;
    }
    if (m_decided) { // 5xx, 408, 429
        endOfStream(m_why, m_lastStatus, m_retryAfterMs);
        return;
    }
    endOfStream(error.isEmpty() ? QStringLiteral("no response") : error, 0, std::nullopt);
}

void HttpStreamSource::endOfStream(
    const QString &why, int status, std::optional<std::int64_t> retryAfter)
{
    m_sse.finish(); // a new stream starts clean (the last event id is kept)
    m_lines.discardPending();
    const std::int64_t wait = m_policy.nextWaitMs(random01(), retryAfter);
    ++stateRef().reconnects;
    stateRef().reconnectInMs = wait;
    stateRef().reconnectAtMs = QDateTime::currentMSecsSinceEpoch() + wait;
    stateRef().status = LiveSourceState::Status::Reconnecting;
    stateRef().message = why;
    publish();
    Q_EMIT notice(id(),
        QStringLiteral("%1: %2; reconnecting in %3 s")
            .arg(stateRef().name, why)
            .arg(double(wait) / 1000.0, 0, 'f', wait % 1000 == 0 ? 0 : 1));
    Q_EMIT reconnectScheduled(wait, status);
    m_retryTimer->start(int(std::min<std::int64_t>(wait, INT32_MAX)));
}

void HttpStreamSource::giveUp(const QString &why)
{
    stateRef().connections = 0;
    setStatus(LiveSourceState::Status::Failed, why);
    Q_EMIT notice(id(), QStringLiteral("%1: %2; not reconnecting").arg(stateRef().name, why));
    abortSoon();
}

void HttpStreamSource::abortSoon()
{
    // not from inside the reply's own signals (QNetworkReply reports its error twice then)
    if (QNetworkReply *r = m_reply) {
        QTimer::singleShot(0, r, [r] {
            if (!r->isFinished())
                r->abort();
        });
    }
}

void HttpStreamSource::stop()
{
    if (m_stopped)
        return;
    setDraining();
    if (m_reply && m_streaming)
        readMore(); // what has arrived
    flush();
    m_stopped = true;
    if (m_retryTimer)
        m_retryTimer->stop();
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply = nullptr;
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    publish();
}
