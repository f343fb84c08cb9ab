#include "io/unnamedfile.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

UnnamedFile::UnnamedFile(const QString &dir)
{
    const QString folder = dir.isEmpty() ? QDir::tempPath() : dir;
    QByteArray path = QFile::encodeName(folder + QStringLiteral("/ratescope-scratch-XXXXXX"));
    m_fd = ::mkstemp(path.data());
    if (m_fd < 0)
        m_error = QStringLiteral("cannot create a scratch file in %1: %2")
                      .arg(folder, QString::fromLocal8Bit(std::strerror(errno)));
    else
        ::unlink(path.constData());
}

UnnamedFile::~UnnamedFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool UnnamedFile::append(const char *data, std::size_t size)
{
    std::size_t done = 0;
    while (m_fd >= 0 && done < size) {
        const ssize_t n = ::pwrite(m_fd, data + done, size - done, off_t(m_size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_error = QStringLiteral("cannot write a scratch file: %1")
                          .arg(QString::fromLocal8Bit(std::strerror(n < 0 ? errno : ENOSPC)));
            return false;
        }
        done += std::size_t(n);
        m_size += n;
    }
    return m_fd >= 0;
}

std::int64_t UnnamedFile::readAt(char *data, std::size_t size, std::int64_t offset) const
{
    for (;;) {
        const ssize_t n = ::pread(m_fd, data, size, off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        return n;
    }
}
