#pragma once

#include "sources/lineframer.h"
#include "sources/livesource.h"

#include <QString>

#include <cstdint>

class QFileSystemWatcher;
class QTimer;

struct FollowOptions
{
    bool fromStart = false; // read what the file already holds (default: only what is added)
    int pollMs = 500; // the ground truth: checked at least this often (at most 1000)
    // After a rotation, how long the old file may still complete an unfinished last line
    // before it is taken as ended (its last line then counts, as at any stream's end).
    int rotationGraceMs = 1000;
};

// Follows a file by name like `tail -F` (formats.md §4). A poll every pollMs is the ground
// truth; QFileSystemWatcher (file and directory) only wakes it early, since it stops
// watching a file that was renamed or removed.
// - Starts at the file's end (skipping the rest of a line being written), or at its start
//   with fromStart; a file that does not exist yet is waited for and read from its start.
// - Rotation (the name now points to another file): the old file is read to its end first,
//   then the new one from its start. Deletion: the name is retried until it reappears.
//   Truncation (size below the read offset): "file truncated", read again from 0.
// - Only complete lines are handed on: an unterminated last line waits for its newline.
class FileFollower : public LiveSource
{
    Q_OBJECT
public:
    FileFollower(int id, const QString &path, LineQueue &queue, LiveLimits limits,
        FollowOptions options, QObject *parent = nullptr);
    ~FileFollower() override;

    bool start() override;
    void stop() override;

public Q_SLOTS:
    // Checks the file now (the timer and the watcher call it).
    void poll();

protected:
    void readMore() override { poll(); }

private:
    bool openPath(bool atEnd); // false: the name does not exist (or cannot be opened)
    void closeFile();
    bool readToEnd(); // false: paused (the queue is full)
    void watch();
    void wakeSoon();

    QString m_path;
    FollowOptions m_options;
    LineFramer m_framer;
    QTimer *m_timer = nullptr;
    QTimer *m_wake = nullptr;
    QFileSystemWatcher *m_watcher = nullptr;
    int m_fd = -1;
    std::uint64_t m_dev = 0;
    std::uint64_t m_ino = 0;
    std::uint64_t m_offset = 0;
    bool m_skipPartial = false; // started at the end in the middle of a line
    std::int64_t m_rotatedAtMs = 0; // a rotation waits for the old file's last line
    bool m_stopped = false;
    std::string m_buf;
};
