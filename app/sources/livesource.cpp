#include "sources/livesource.h"

#include <QDateTime>

namespace {
bool isBlank(std::string_view s)
{
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

QString sizeText(std::uint64_t bytes)
{
    if (bytes >= (std::uint64_t(1) << 20) && bytes % (std::uint64_t(1) << 20) == 0)
        return QStringLiteral("%1 MiB").arg(bytes >> 20);
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes >> 10);
    return QStringLiteral("%1 bytes").arg(bytes);
}
} // namespace

QString statusText(const LiveSourceState &s)
{
    using S = LiveSourceState::Status;
    switch (s.status) {
    case S::Starting:
        return QStringLiteral("starting");
    case S::Waiting:
        return QStringLiteral("waiting for the file");
    case S::Following:
        return QStringLiteral("following");
    case S::Listening:
        return s.connections == 1 ? QStringLiteral("listening, 1 connection")
                                  : QStringLiteral("listening, %1 connections").arg(s.connections);
    case S::Connected:
        return QStringLiteral("connected");
    case S::Reconnecting: {
        const qint64 left
            = std::max<qint64>(0, s.reconnectAtMs - QDateTime::currentMSecsSinceEpoch());
        return QStringLiteral("reconnecting in %1 s").arg((left + 999) / 1000);
    }
    case S::Ended:
        return QStringLiteral("ended");
    case S::Failed:
        return s.message.isEmpty() ? QStringLiteral("failed")
                                   : QStringLiteral("failed: %1").arg(s.message);
    }
    return {};
}

QString sourceStatusText(const LiveSourceState &s)
{
    QString text = statusText(s);
    if (s.recordsPerSecond > 0)
        text += QStringLiteral(", %1 records/s")
                    .arg(s.recordsPerSecond, 0, 'f', s.recordsPerSecond < 10 ? 1 : 0);
    if (s.droppedLines > 0)
        text += QStringLiteral(", %1 dropped").arg(s.droppedLines);
    return text;
}

LiveSource::LiveSource(LiveSourceState::Kind kind, int id, QString name, LineQueue &queue,
    LiveLimits limits, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_limits(limits)
{
    m_state.kind = kind;
    m_state.id = id;
    m_state.name = std::move(name);
}

void LiveSource::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    readMore();
}

bool LiveSource::mayRead()
{
    if (m_draining || m_queue.hasRoom() || !m_queue.pauseIfFull())
        return true;
    m_paused = true;
    ++m_state.pauses;
    return false;
}

void LiveSource::addLine(std::string_view text)
{
    ++m_lineNumber;
    if (isBlank(text))
        return; // neither a record nor an error (summary.md)
    if (m_chunk.lines.empty())
        m_chunk.receivedMs = QDateTime::currentMSecsSinceEpoch();
    m_chunk.addLine(text, m_lineNumber);
    ++m_state.lines;
}

void LiveSource::addDropped(std::uint64_t bytes, const QString &where)
{
    ++m_lineNumber;
    ++m_state.droppedLines;
    const bool sse = m_state.format == QLatin1String("sse");
    m_chunk.problems.push_back({ m_lineNumber,
        QStringLiteral("%1 of %2 bytes is longer than the %3 limit: dropped%4")
            .arg(sse ? QStringLiteral("event") : QStringLiteral("line"))
            .arg(bytes)
            .arg(sizeText(m_limits.maxLineBytes))
            .arg(where.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(where)) });
}

void LiveSource::addProblem(const QString &message) { m_chunk.problems.push_back({ 0, message }); }

void LiveSource::flush()
{
    if (m_chunk.empty())
        return;
    m_chunk.source = m_state.id;
    m_chunk.pad();
    m_queue.push(std::move(m_chunk));
    m_chunk = LineChunk();
}

void LiveSource::setStatus(LiveSourceState::Status status, const QString &message)
{
    m_state.status = status;
    if (!message.isNull())
        m_state.message = message;
    if (status != LiveSourceState::Status::Reconnecting) {
        m_state.reconnectInMs = -1;
        m_state.reconnectAtMs = 0;
    }
    publish();
}

void LiveSource::setMessage(const QString &message)
{
    m_state.message = message;
    Q_EMIT notice(m_state.id, message);
    publish();
}

void LiveSource::publish()
{
    m_lastPublishMs = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT stateChanged(m_state);
}

void LiveSource::publishSometimes()
{
    if (QDateTime::currentMSecsSinceEpoch() - m_lastPublishMs >= 500)
        publish();
}
