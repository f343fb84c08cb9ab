#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <string>

// Reads a file (or standard input) as a stream of bytes, inflating gzip transparently.
// Inputs are opened read-only and never modified.
class ByteSource
{
public:
    // Default cap on inflated bytes of a .gz, so a gzip bomb cannot exhaust memory or disk time.
    static constexpr std::uint64_t kDefaultMaxInflated = std::uint64_t(16) << 30;

    ~ByteSource();
    ByteSource(const ByteSource &) = delete;
    ByteSource &operator=(const ByteSource &) = delete;

    // path "-" is standard input. On failure returns nullptr and sets *error to a sentence
    // that names the problem ("is a directory", "No such file or directory", ...).
    static std::unique_ptr<ByteSource> open(
        const QString &path, QString *error, std::uint64_t maxInflated = kDefaultMaxInflated);

    // Fills up to n bytes; returns the count, 0 at the end. On error returns -1 and error()
    // says why (a truncated gzip, the inflated-size cap, an I/O error).
    std::int64_t read(char *buf, std::size_t n);
    const QString &error() const { return m_error; }
    bool gzip() const { return m_gzip; }
    // Size on disk (0 when unknown: stdin, pipes) and compressed bytes consumed so far,
    // for progress.
    std::uint64_t sizeOnDisk() const { return m_size; }
    std::uint64_t consumed() const { return m_consumed; }

    // A regular file read as it is (no gzip) can be read at any offset (pread) by several
    // threads: its descriptor, else -1. skipTo() moves read() on to that byte.
    int regularFileFd() const { return m_ownsFd && !m_gzip && m_size > 0 ? m_fd : -1; }
    bool skipTo(std::uint64_t offset);

private:
    ByteSource() = default;
    std::int64_t readRaw(char *buf, std::size_t n);

    int m_fd = -1;
    bool m_ownsFd = false;
    bool m_gzip = false;
    bool m_eof = false;
    bool m_failed = false;
    std::uint64_t m_size = 0;
    std::uint64_t m_consumed = 0;
    std::uint64_t m_inflated = 0;
    std::uint64_t m_maxInflated = kDefaultMaxInflated;
    QString m_error;
    struct Gz;
    std::unique_ptr<Gz> m_gz;
    std::string m_peek; // bytes read while sniffing the gzip magic
    std::size_t m_peekPos = 0;
};
