#pragma once

#include "store/removedfiles.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

// --capture-max and --capture-keep: when the capture file (its current segment) has reached
// maxBytes, the next lines go to a new segment; beyond `keep` segments the oldest is deleted.
struct CaptureRotation
{
    static constexpr int kDefaultKeep = 8;
    static constexpr std::uint64_t kMinBytes = 1024;
    std::uint64_t maxBytes = 0; // 0: one file that grows without end (no rotation)
    int keep = kDefaultKeep; // segments on disk at most, the current one included (>= 1)
};

// The NDJSON file every line received live is appended to (a live session can be
// reopened, inspected and exported later; old raw records live here, not in RAM). Events'
// origin (line, byte offset) points into it, so RawRecordReader reads them back. Writes are
// buffered and flushed at every batch, before the batch is handed on.
//
// With rotation the capture is a series of segments: the path it was opened with (segment 0),
// then <stem>.2.<suffix>, <stem>.3.<suffix>, ... beside it (live-20260105-100000Z.ndjson,
// live-20260105-100000Z.2.ndjson, ...; a name already taken is skipped, never reused or
// renamed). Segment k is file index k of the session's stores, and its lines and offsets count
// from its own start. rotate() is called between batches (LiveIngest), so a batch's events are
// all in one segment. Beyond `keep` segments the oldest this capture wrote is deleted, after
// its index is added to removedFiles(), so reading an event of it back says so.
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
    // The name of a capture's n-th segment (n >= 2) when it starts at path:
    // "<stem>.<n>.<suffix>" beside it (capture.ndjson: capture.2.ndjson; capture: capture.2).
    static QString segmentPath(const QString &path, int n);

    // Opens for appending; an existing file is continued (lines and offsets count on from
    // its end).
    bool open(const QString &path, QString *error);
    bool isOpen() const { return m_fd >= 0; }
    // The current segment (the path opened when nothing rotated).
    const QString &path() const { return m_path; }

    // Rotation from now on (before the first append). maxBytes 0: none.
    void setRotation(CaptureRotation rotation) { m_rotation = rotation; }
    const CaptureRotation &rotation() const { return m_rotation; }
    // The segments this capture deleted (shared with the stores its events go to).
    const std::shared_ptr<RemovedFiles> &removedFiles() const { return m_removed; }
    // The current segment has reached --capture-max: the next batch belongs in a new one.
    bool full() const { return m_rotation.maxBytes > 0 && m_bytes >= m_rotation.maxBytes; }
    // Flushes the current segment and continues in a new one, after deleting the oldest
    // segments beyond `keep` (never more than keep are on disk, the new one included). True
    // when a new segment was opened; false + error() when it could not be (the current one
    // goes on taking lines; a later call tries again) or when the store's 65,536 file indexes
    // are used up (it goes on for good). *removed: the paths deleted.
    bool rotate(QStringList *removed);
    // Index of the current segment: the file index its events carry.
    std::uint16_t segment() const { return std::uint16_t(m_segments.size() - 1); }
    // Every segment's path by index, deleted ones included (the stores' file table).
    const std::vector<std::string> &segmentPaths() const { return m_segments; }
    // The segments on disk, oldest first.
    QStringList keptSegments() const;

    // Appends whole lines (each ending with '\n'); returns the byte offset where they start.
    std::uint64_t append(const char *data, std::size_t size, std::uint64_t lines);
    // Writes what is buffered. False (and error()) when the disk refused.
    bool flush();
    std::uint64_t bytes() const { return m_bytes; } // of the current segment, with the buffer
    std::uint64_t lines() const { return m_lines; } // of the current segment
    const QString &error() const { return m_error; }

private:
    enum class Opened { Yes, Taken, Refused };
    Opened openNew(const QString &path, QString *error); // O_EXCL: never an existing file

    int m_fd = -1;
    QString m_path;
    QString m_error;
    std::string m_buf;
    std::uint64_t m_bytes = 0;
    std::uint64_t m_lines = 0;
    CaptureRotation m_rotation;
    std::vector<std::string> m_segments; // by file index
    // each segment's device and inode when it was opened: a file that took its path since is
    // not deleted in its place
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_identity;
    std::size_t m_firstKept = 0; // segments before it were deleted
    int m_nextName = 2; // the next "<stem>.N.<suffix>" to try
    std::shared_ptr<RemovedFiles> m_removed = std::make_shared<RemovedFiles>();
};
