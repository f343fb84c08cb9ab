#include "sources/filefollower.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
std::int64_t steadyMs() { return QDeadlineTimer::current().deadline(); }
} // namespace

FileFollower::FileFollower(int id, const QString &path, LineQueue &queue, LiveLimits limits,
    FollowOptions options, QObject *parent)
    : LiveSource(LiveSourceState::Kind::File, id, path, queue, limits, parent)
    , m_path(path)
    , m_options(options)
    , m_framer(limits.maxLineBytes)
{
    m_options.pollMs = std::clamp(m_options.pollMs, 1, 1000);
}

FileFollower::~FileFollower() { closeFile(); }

bool FileFollower::start()
{
    m_buf.resize(limits().readBytes);
    m_timer = new QTimer(this);
    m_timer->setInterval(m_options.pollMs);
    connect(m_timer, &QTimer::timeout, this, &FileFollower::poll);
    m_wake = new QTimer(this);
    m_wake->setSingleShot(true);
    m_wake->setInterval(0);
    connect(m_wake, &QTimer::timeout, this, &FileFollower::poll);
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FileFollower::wakeSoon);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &FileFollower::wakeSoon);

    if (QFileInfo(m_path).isDir()) {
        setStatus(LiveSourceState::Status::Failed, QStringLiteral("is a directory"));
        return false;
    }
    if (openPath(!m_options.fromStart))
        setStatus(LiveSourceState::Status::Following, QString());
    else
        setStatus(
            LiveSourceState::Status::Waiting, QStringLiteral("waiting for the file to appear"));
    watch();
    m_timer->start();
    poll();
    return true;
}

void FileFollower::stop()
{
    if (m_stopped || !m_timer) // (never started: nothing to read)
        return;
    setDraining();
    poll(); // what is there now; an unterminated last line is not a line yet
    flush();
    m_stopped = true;
    if (m_timer)
        m_timer->stop();
    if (m_wake)
        m_wake->stop();
    closeFile();
    publish();
}

void FileFollower::wakeSoon()
{
    if (m_wake && !m_wake->isActive())
        m_wake->start();
}

void FileFollower::watch()
{
    if (!m_watcher)
        return;
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher->directories().contains(dir) && QFileInfo::exists(dir))
        m_watcher->addPath(dir);
    if (!m_watcher->files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
}

bool FileFollower::openPath(bool atEnd)
{
    const QByteArray native = QFile::encodeName(m_path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        ::close(fd);
        return false;
    }
    m_fd = fd;
    m_dev = std::uint64_t(st.st_dev);
    m_ino = std::uint64_t(st.st_ino);
    m_offset = 0;
    m_skipPartial = false;
    if (atEnd && S_ISREG(st.st_mode) && st.st_size > 0) {
        m_offset = std::uint64_t(st.st_size);
        char last = '\n';
        if (::pread(fd, &last, 1, off_t(st.st_size - 1)) == 1 && last != '\n')
            m_skipPartial = true; // a line being written: its rest is not a line of ours
    }
    return true;
}

void FileFollower::closeFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

bool FileFollower::readToEnd()
{
    const auto onLine = [this](std::string_view text, std::uint64_t) { addLine(text); };
    const auto onDrop = [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); };
    for (;;) {
        if (!mayRead())
            return false;
        const ssize_t n = ::pread(m_fd, m_buf.data(), m_buf.size(), off_t(m_offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            setMessage(
                QStringLiteral("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
            return true;
        }
        if (n == 0)
            return true;
        m_offset += std::uint64_t(n);
        stateRef().bytes += std::uint64_t(n);
        const char *p = m_buf.data();
        std::size_t len = std::size_t(n);
        if (m_skipPartial) {
            const void *nl = std::memchr(p, '\n', len);
            if (!nl)
                continue;
            m_skipPartial = false;
            const std::size_t skip = std::size_t(static_cast<const char *>(nl) - p) + 1;
            p += skip;
            len -= skip;
        }
        m_framer.feed(p, len, onLine, onDrop);
        flush();
        publishSometimes();
    }
}

void FileFollower::poll()
{
    if (m_stopped || paused())
        return;
    using S = LiveSourceState::Status;
    if (m_fd < 0) {
        if (!openPath(false)) {
            watch();
            return;
        }
        setStatus(S::Following, QStringLiteral("the file appeared: reading it from its start"));
        watch();
    }
    if (!readToEnd())
        return;
    struct stat named
    {
    };
    const bool exists = ::stat(QFile::encodeName(m_path).constData(), &named) == 0;
    if (exists && (std::uint64_t(named.st_dev) != m_dev || std::uint64_t(named.st_ino) != m_ino)) {
        // Rotation or re-creation: the old file is read to its end. An unfinished last line
        // may still be completed by a writer that has not reopened yet: give it a moment.
        if (m_framer.pendingBytes() > 0) {
            const std::int64_t now = steadyMs();
            if (m_rotatedAtMs == 0)
                m_rotatedAtMs = now;
            if (now - m_rotatedAtMs < m_options.rotationGraceMs) {
                QTimer::singleShot(std::min(m_options.pollMs, m_options.rotationGraceMs), this,
                    &FileFollower::poll);
                return;
            }
            // the old file's stream has ended: its last line counts as it is
            m_framer.finish([this](std::string_view text, std::uint64_t) { addLine(text); },
                [this](std::uint64_t, std::uint64_t bytes) { addDropped(bytes); });
            flush();
        }
        m_rotatedAtMs = 0;
        closeFile();
        ++stateRef().reconnects;
        if (!openPath(false)) {
            setStatus(
                S::Waiting, QStringLiteral("the file was replaced but cannot be opened; retrying"));
            return;
        }
        watch();
        setStatus(S::Following,
            QStringLiteral("the file was replaced: reading the new one from its start"));
        Q_EMIT notice(id(), stateRef().message);
        readToEnd();
        return;
    }
    if (!exists) {
        if (stateRef().status != S::Waiting) {
            setStatus(
                S::Waiting, QStringLiteral("the file was removed: waiting for it to reappear"));
            Q_EMIT notice(id(), stateRef().message);
        }
        return;
    }
    struct stat cur
    {
    };
    if (::fstat(m_fd, &cur) == 0 && S_ISREG(cur.st_mode) && std::uint64_t(cur.st_size) < m_offset) {
        const std::size_t lost = m_framer.discardPending();
        m_offset = 0;
        m_skipPartial = false;
        setMessage(lost > 0 ? QStringLiteral("file truncated (an unfinished line of %1 bytes was "
                                             "lost): reading it again from the start")
                                  .arg(lost)
                            : QStringLiteral("file truncated: reading it again from the start"));
        readToEnd();
    }
    if (stateRef().status != S::Following)
        setStatus(S::Following);
    watch();
}
