#include "io/bytesource.h"

#include <QFileInfo>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct ByteSource::Gz
{
    z_stream zs {};
    std::string in = std::string(256 * 1024, '\0');
    bool streamEnded = false;
    bool inputEnded = false; // the compressed file has been read to its end
    ~Gz() { inflateEnd(&zs); }
};

ByteSource::~ByteSource()
{
    if (m_ownsFd && m_fd >= 0)
        ::close(m_fd);
}

std::unique_ptr<ByteSource> ByteSource::open(
    const QString &path, QString *error, std::uint64_t maxInflated)
{
    std::unique_ptr<ByteSource> src(new ByteSource);
    src->m_maxInflated = maxInflated;
    if (path == QLatin1String("-")) {
        src->m_fd = 0;
    } else {
        const QByteArray native = QFile::encodeName(path);
        struct stat st;
        if (::stat(native.constData(), &st) != 0) {
            *error = QString::fromLocal8Bit(std::strerror(errno));
            return nullptr;
        }
        if (S_ISDIR(st.st_mode)) {
            *error = QStringLiteral("is a directory");
            return nullptr;
        }
        src->m_fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
        if (src->m_fd < 0) {
            *error = QString::fromLocal8Bit(std::strerror(errno));
            return nullptr;
        }
        src->m_ownsFd = true;
        if (S_ISREG(st.st_mode))
            src->m_size = std::uint64_t(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
        ::posix_fadvise(src->m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
    // sniff the gzip magic
    char magic[2];
    std::int64_t got = 0;
    while (got < 2) {
        const auto n = src->readRaw(magic + got, std::size_t(2 - got));
        if (n < 0) {
            *error = src->m_error;
            return nullptr;
        }
        if (n == 0)
            break;
        got += n;
    }
    src->m_peek.assign(magic, std::size_t(got));
    if (got == 2 && static_cast<unsigned char>(magic[0]) == 0x1f
        && static_cast<unsigned char>(magic[1]) == 0x8b) {
        src->m_gzip = true;
        src->m_gz = std::make_unique<Gz>();
        if (inflateInit2(&src->m_gz->zs, 15 + 32) != Z_OK) {
            *error = QStringLiteral("cannot start gzip decoder");
            return nullptr;
        }
    }
    return src;
}

bool ByteSource::skipTo(std::uint64_t offset)
{
    if (regularFileFd() < 0 || ::lseek(m_fd, off_t(offset), SEEK_SET) < 0)
        return false;
    m_peekPos = m_peek.size(); // the sniffed bytes lie before any offset skipped to
    m_eof = false;
    m_consumed = offset;
    return true;
}

std::int64_t ByteSource::readRaw(char *buf, std::size_t n)
{
    if (m_peekPos < m_peek.size()) {
        const std::size_t k = std::min(n, m_peek.size() - m_peekPos);
        std::memcpy(buf, m_peek.data() + m_peekPos, k);
        m_peekPos += k;
        return std::int64_t(k);
    }
    for (;;) {
        const ssize_t r = ::read(m_fd, buf, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return -1;
        }
        m_consumed += std::uint64_t(r);
        return r;
    }
}

std::int64_t ByteSource::read(char *buf, std::size_t n)
{
    if (m_failed)
        return -1;
    if (m_eof || n == 0)
        return 0;
    if (!m_gzip) {
        const auto r = readRaw(buf, n);
        if (r == 0)
            m_eof = true;
        return r;
    }
    Gz &gz = *m_gz;
    gz.zs.next_out = reinterpret_cast<Bytef *>(buf);
    gz.zs.avail_out = uInt(std::min<std::size_t>(n, 1u << 30));
    while (gz.zs.avail_out > 0) {
        if (gz.zs.avail_in == 0 && !gz.inputEnded) {
            const auto r = readRaw(gz.in.data(), gz.in.size());
            if (r < 0) {
                m_failed = true;
                break;
            }
            if (r == 0) {
                // inflate may still hold output of the input it has consumed (a match it
                // had no room to copy when the caller's buffer filled): drain it below
                // before saying the file ends mid-stream
                gz.inputEnded = true;
            } else {
                gz.zs.next_in = reinterpret_cast<Bytef *>(gz.in.data());
                gz.zs.avail_in = uInt(r);
            }
        }
        if (gz.streamEnded) {
            if (gz.zs.avail_in == 0) {
                if (gz.inputEnded) {
                    m_eof = true;
                    break;
                }
                continue; // read more: another member may follow
            }
            // concatenated gzip members (as `cat a.gz b.gz` makes) continue the text
            if (inflateReset(&gz.zs) != Z_OK) {
                m_error = QStringLiteral("corrupt gzip data");
                m_failed = true;
                break;
            }
            gz.streamEnded = false;
        }
        const uInt roomBefore = gz.zs.avail_out;
        const int rc = inflate(&gz.zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            gz.streamEnded = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            m_error = QStringLiteral("corrupt gzip data: %1")
                          .arg(QString::fromLatin1(gz.zs.msg ? gz.zs.msg : "inflate failed"));
            m_failed = true;
            break;
        } else if (gz.inputEnded && gz.zs.avail_out == roomBefore) {
            m_error = QStringLiteral("truncated gzip data (the file ends mid-stream)");
            m_failed = true;
            break;
        }
    }
    const std::size_t produced = std::min<std::size_t>(n, 1u << 30) - gz.zs.avail_out;
    m_inflated += produced;
    if (m_inflated > m_maxInflated) {
        m_error
            = QStringLiteral("gzip inflates beyond %1 MiB; refusing the rest (possible gzip bomb)")
                  .arg(m_maxInflated >> 20);
        m_failed = true;
        return -1;
    }
    // bytes inflated before an error are still delivered; the error comes with the next call
    if (m_failed && produced == 0)
        return -1;
    return std::int64_t(produced);
}
