#include "live/capturefile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
constexpr std::size_t kFlushBytes = std::size_t(1) << 20;
}

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
    return true;
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
