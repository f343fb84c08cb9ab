#include "sim/simulationwriter.h"

#include "sim/simulator.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <zlib.h>

#include <string>

namespace {

constexpr std::size_t kChunk = std::size_t(1) << 20;

// Writes everything or reports why not.
bool writeAll(QIODevice &device, const char *data, std::size_t size, QString *error)
{
    while (size > 0) {
        const qint64 n = device.write(data, qint64(size));
        if (n <= 0) {
            *error = device.errorString();
            return false;
        }
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

class GzipStream
{
public:
    GzipStream() = default;
    GzipStream(const GzipStream &) = delete;
    GzipStream &operator=(const GzipStream &) = delete;
    ~GzipStream()
    {
        if (m_open)
            deflateEnd(&m_zs);
    }

    bool open(QString *error)
    {
        m_zs = z_stream {};
        // 15 + 16: a gzip wrapper. deflateSetHeader replaces zlib's default header with one
        // whose every field is fixed: no time stamp, no name, OS 3 (Unix) on every platform.
        if (deflateInit2(&m_zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
            != Z_OK) {
            *error = QStringLiteral("cannot initialise zlib");
            return false;
        }
        m_open = true;
        m_header = gz_header {};
        m_header.time = 0;
        m_header.os = 3;
        if (deflateSetHeader(&m_zs, &m_header) != Z_OK) {
            *error = QStringLiteral("cannot set the gzip header");
            return false;
        }
        m_out.resize(kChunk);
        return true;
    }

    // Compresses data (finish: and ends the stream) and writes the output to device.
    bool write(QIODevice &device, const char *data, std::size_t size, bool finish,
        std::uint64_t *written, QString *error)
    {
        m_zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
        m_zs.avail_in = uInt(size);
        for (;;) {
            m_zs.next_out = reinterpret_cast<Bytef *>(m_out.data());
            m_zs.avail_out = uInt(m_out.size());
            const int rc = deflate(&m_zs, finish ? Z_FINISH : Z_NO_FLUSH);
            if (rc == Z_STREAM_ERROR) {
                *error = QStringLiteral("zlib stream error");
                return false;
            }
            const std::size_t produced = m_out.size() - m_zs.avail_out;
            if (produced > 0 && !writeAll(device, m_out.data(), produced, error))
                return false;
            *written += produced;
            if (finish ? rc == Z_STREAM_END : (m_zs.avail_in == 0 && m_zs.avail_out != 0))
                return true;
        }
    }

private:
    z_stream m_zs {};
    gz_header m_header {};
    std::string m_out;
    bool m_open = false;
};

} // namespace

bool writeSimulation(
    TrafficSimulator &simulator, const QString &path, SimulationWriteResult *result, QString *error)
{
    SimulationWriteResult res;
    const bool toStdout = path.isEmpty() || path == QLatin1String("-");
    const bool gzip = !toStdout && path.endsWith(QLatin1String(".gz"), Qt::CaseInsensitive);

    // A path that exists and is not a regular file (/dev/null, a FIFO) is written in place:
    // QSaveFile would rename a temporary file over it, and as root that replaces the device.
    const QFileInfo info(path);
    const bool direct = !toStdout && info.exists() && !info.isFile();
    const bool atomic = !toStdout && !direct;
    QFile plainFile;
    QSaveFile saveFile(atomic ? path : QString());
    QIODevice *device = nullptr;
    if (toStdout) {
        if (!plainFile.open(1, QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write to standard output: %1")
                         .arg(plainFile.errorString());
            return false;
        }
        device = &plainFile;
    } else if (direct) {
        plainFile.setFileName(path);
        if (!plainFile.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, plainFile.errorString());
            return false;
        }
        device = &plainFile;
    } else {
        if (!saveFile.open(QIODevice::WriteOnly)) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, saveFile.errorString());
            return false;
        }
        device = &saveFile;
    }

    GzipStream gz;
    if (gzip && !gz.open(error)) {
        if (atomic)
            saveFile.cancelWriting();
        return false;
    }

    QString why;
    auto flush = [&](const std::string &buf, bool finish) {
        if (gzip)
            return gz.write(*device, buf.data(), buf.size(), finish, &res.fileBytes, &why);
        if (!writeAll(*device, buf.data(), buf.size(), &why))
            return false;
        res.fileBytes += buf.size();
        return true;
    };

    std::string buf;
    buf.reserve(kChunk + 4096);
    SimRecord rec;
    bool ok = true;
    while (simulator.next(rec)) {
        buf.append(rec.line.data(), rec.line.size());
        buf.push_back('\n');
        ++res.records;
        if (buf.size() >= kChunk) {
            res.bytes += buf.size();
            if (!(ok = flush(buf, false)))
                break;
            buf.clear();
        }
    }
    if (ok) {
        res.bytes += buf.size();
        ok = flush(buf, true);
    }
    if (ok && atomic && !saveFile.commit()) {
        why = saveFile.errorString();
        ok = false;
    }
    if (!ok) {
        if (atomic)
            saveFile.cancelWriting();
        *error = QStringLiteral("cannot write %1: %2")
                     .arg(toStdout ? QStringLiteral("standard output") : path, why);
        return false;
    }
    if (result)
        *result = res;
    return true;
}
