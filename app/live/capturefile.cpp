#include "live/capturefile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
constexpr std::size_t kFlushBytes = std::size_t(1) << 20;
constexpr std::size_t kMaxSegments = std::size_t(UINT16_MAX) + 1; // file indexes of a store
constexpr int kNameTries = 1000; // names taken by others skipped at one rotation
} // namespace

CaptureFile::~CaptureFile()
{
    if (m_fd >= 0) {
        flush();
        ::close(m_fd);
    }
}

QString CaptureFile::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/captures");
}

QString CaptureFile::newPath(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the capture directory %1").arg(dir);
        return {};
    }
    const QString stamp
        = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (int n = 1; n < 1000; ++n) {
        const QString name = n == 1 ? QStringLiteral("live-%1Z.ndjson").arg(stamp)
                                    : QStringLiteral("live-%1Z-%2.ndjson").arg(stamp).arg(n);
        const QString path = QDir(dir).filePath(name);
        if (!QFile::exists(path))
            return path;
    }
    *error = QStringLiteral("no free capture file name in %1").arg(dir);
    return {};
}

QString CaptureFile::segmentPath(const QString &path, int n)
{
    const QFileInfo info(path);
    const QString suffix = info.suffix();
    const QString name = suffix.isEmpty()
        ? QStringLiteral("%1.%2").arg(info.fileName()).arg(n)
        : QStringLiteral("%1.%2.%3").arg(info.completeBaseName()).arg(n).arg(suffix);
    return path.left(path.size() - info.fileName().size()) + name;
}

bool CaptureFile::open(const QString &path, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = QStringLiteral("cannot open the capture file %1: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    struct stat st
    {
    };
    ::fstat(fd, &st);
    m_bytes = std::uint64_t(st.st_size);
    m_lines = 0;
    if (m_bytes > 0) {
        // continue an existing capture: count its lines (and end a last unterminated one)
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            char last = '\n';
            while (!f.atEnd()) {
                const QByteArray block = f.read(1 << 20);
                m_lines += std::uint64_t(block.count('\n'));
                if (!block.isEmpty())
                    last = block.back();
            }
            if (last != '\n' && ::write(fd, "\n", 1) == 1) {
                ++m_bytes;
                ++m_lines;
            }
        }
    }
    m_fd = fd;
    m_path = path;
    m_segments.assign(1, path.toStdString());
    m_identity.assign(1, { std::uint64_t(st.st_dev), std::uint64_t(st.st_ino) });
    m_firstKept = 0;
    return true;
}

CaptureFile::Opened CaptureFile::openNew(const QString &path, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd
        = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            return Opened::Taken;
        *error = QStringLiteral("cannot open the capture file %1: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return Opened::Refused;
    }
    struct stat st
    {
    };
    ::fstat(fd, &st);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
    m_path = path;
    m_bytes = 0;
    m_lines = 0;
    m_segments.push_back(path.toStdString());
    m_identity.emplace_back(std::uint64_t(st.st_dev), std::uint64_t(st.st_ino));
    return Opened::Yes;
}

bool CaptureFile::rotate(QStringList *removed)
{
    if (m_segments.empty())
        return false;
    if (m_segments.size() >= kMaxSegments) {
        m_rotation.maxBytes = 0; // for good: full() is never true again
        m_error = QStringLiteral("the capture has %1 segments, as many as a live session can "
                                 "point into: it goes on in %2 without rotating")
                      .arg(m_segments.size())
                      .arg(m_path);
        return false;
    }
    flush();
    // never more than `keep` on disk, the new one included: the oldest go first (with keep 1,
    // the current one: its open descriptor still takes lines if no new segment can be opened)
    const std::size_t keep = std::size_t(std::max(1, m_rotation.keep));
    while (m_segments.size() - m_firstKept >= keep) {
        const std::size_t k = m_firstKept++;
        const QString path = QString::fromStdString(m_segments[k]);
        // marked before it is deleted: a read that starts later never opens whatever takes
        // the path next
        m_removed->add(std::uint16_t(k),
            QStringLiteral("the capture file %1 was rotated away (--capture-keep %2): its "
                           "records are gone")
                .arg(QFileInfo(path).fileName())
                .arg(m_rotation.keep));
        struct stat st
        {
        };
        const QByteArray native = QFile::encodeName(path);
        if (::stat(native.constData(), &st) == 0 && std::uint64_t(st.st_dev) == m_identity[k].first
            && std::uint64_t(st.st_ino) == m_identity[k].second)
            ::unlink(native.constData());
        if (removed)
            removed->push_back(path);
    }
    const QString first = QString::fromStdString(m_segments.front());
    for (int tries = 0; tries < kNameTries; ++tries) {
        QString why;
        switch (openNew(segmentPath(first, m_nextName++), &why)) {
        case Opened::Yes:
            return true;
        case Opened::Refused:
            --m_nextName; // the same name next time
            m_error = why;
            return false;
        case Opened::Taken:
            break; // an earlier run's, or anyone's: never written into
        }
    }
    m_error = QStringLiteral("no free name for the next capture segment beside %1").arg(first);
    return false;
}

QStringList CaptureFile::keptSegments() const
{
    QStringList kept;
    for (std::size_t k = m_firstKept; k < m_segments.size(); ++k)
        kept << QString::fromStdString(m_segments[k]);
    return kept;
}

std::uint64_t CaptureFile::append(const char *data, std::size_t size, std::uint64_t lines)
{
    const std::uint64_t at = m_bytes;
    m_buf.append(data, size);
    m_bytes += size;
    m_lines += lines;
    if (m_buf.size() >= kFlushBytes)
        flush();
    return at;
}

bool CaptureFile::flush()
{
    const char *p = m_buf.data();
    std::size_t left = m_buf.size();
    while (left > 0 && m_fd >= 0) {
        const ssize_t n = ::write(m_fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            m_error = QStringLiteral("cannot write the capture file %1: %2")
                          .arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
            m_buf.clear();
            return false;
        }
        p += n;
        left -= std::size_t(n);
    }
    m_buf.clear();
    return true;
}
