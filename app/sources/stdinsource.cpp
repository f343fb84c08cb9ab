#include "sources/stdinsource.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

StdinSource::StdinSource(int id, LineQueue &queue, LiveLimits limits, int fd, QObject *parent)
    : LiveSource(LiveSourceState::Kind::Stdin, id, QStringLiteral("-"), queue, limits, parent)
    , m_fd(fd)
    , m_framer(limits.maxLineBytes)
{
}

bool StdinSource::start()
{
    m_buf.resize(limits().readBytes);
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinSource::onReadable);
    setStatus(LiveSourceState::Status::Connected, QString());
    return true;
}

void StdinSource::onReadable()
{
    if (m_done)
        return;
    if (!mayRead()) {
        m_notifier->setEnabled(false); // the writer waits on the full pipe
        return;
    }
    m_notifier->setEnabled(true);
    // one read per wake-up: the notifier said there is data (or EOF), so it does not block
    const ssize_t n = ::read(m_fd, m_buf.data(), m_buf.size());
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return;
        setMessage(
            QStringLiteral("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        atEof();
        return;
    }
    if (n == 0) {
        atEof();
        return;
    }
    stateRef().bytes += std::uint64_t(n);
    m_framer.feed(
        m_buf.data(), std::size_t(n),
        [this](std::string_view text, std::uint64_t) { addLine(text); },
        [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); });
    flush();
    publishSometimes();
}

void StdinSource::atEof()
{
    m_framer.finish([this](std::string_view text, std::uint64_t) { addLine(text); },
        [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); });
    flush();
    m_done = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    setStatus(LiveSourceState::Status::Ended, QStringLiteral("end of input"));
}

void StdinSource::stop()
{
    if (m_done || !m_notifier)
        return;
    setDraining();
    // what is already in the pipe, without waiting for more (bounded)
    for (int i = 0; i < 4096 && !m_done; ++i) {
        pollfd p { m_fd, POLLIN, 0 };
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
            break;
        onReadable();
    }
    flush();
    if (!m_done) {
        m_done = true;
        if (m_notifier)
            m_notifier->setEnabled(false);
        publish();
    }
}
