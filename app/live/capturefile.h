#pragma once

#include <QString>

#include <cstdint>
#include <string>

// The NDJSON file every line received live is appended to (a live session can be
// reopened, inspected and exported later; old raw records live here, not in RAM). Events'
// origin (line, byte offset) points into it, so RawRecordReader reads them back. Writes are
// buffered and flushed at every batch, before the batch is handed on.
class CaptureFile
{
public:
    CaptureFile() = default;
    ~CaptureFile();
    CaptureFile(const CaptureFile &) = delete;
    CaptureFile &operator=(const CaptureFile &) = delete;

    // <dir>/live-YYYYMMDD-HHMMSSZ.ndjson (-2, -3, ... when taken) in dir, created if needed.
    static QString newPath(const QString &dir, QString *error);
    // The default directory: QStandardPaths::AppDataLocation + "/captures".
    static QString defaultDirectory();

    // Opens for appending; an existing file is continued (lines and offsets count on from
    // its end).
    bool open(const QString &path, QString *error);
    bool isOpen() const { return m_fd >= 0; }
    const QString &path() const { return m_path; }

    // Appends whole lines (each ending with '\n'); returns the byte offset where they start.
    std::uint64_t append(const char *data, std::size_t size, std::uint64_t lines);
    // Writes what is buffered. False (and error()) when the disk refused.
    bool flush();
    std::uint64_t bytes() const { return m_bytes; } // including what is buffered
    std::uint64_t lines() const { return m_lines; }
    const QString &error() const { return m_error; }

private:
    int m_fd = -1;
    QString m_path;
    QString m_error;
    std::string m_buf;
    std::uint64_t m_bytes = 0;
    std::uint64_t m_lines = 0;
};
