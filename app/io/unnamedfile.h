#pragma once

// A scratch file with no name (created in a folder, then unlinked at once), for what a long
// run keeps on disk instead of in memory (SpillTally's runs, RetryFold's log): it is gone when
// its last holder closes it, crash or not, and nothing else can open it. Appends, and reads at
// any offset from any thread (pread), so that several readers share one file.

#include <QString>

#include <cstddef>
#include <cstdint>

class UnnamedFile
{
public:
    // `dir` empty: QDir::tempPath(). error() says why when it could not be created.
    explicit UnnamedFile(const QString &dir);
    ~UnnamedFile();
    UnnamedFile(const UnnamedFile &) = delete;
    UnnamedFile &operator=(const UnnamedFile &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    const QString &error() const { return m_error; }
    // Appends all of [data, data + size); false (and error()) when it could not.
    bool append(const char *data, std::size_t size);
    std::int64_t size() const { return m_size; }
    // Reads up to `size` bytes at `offset`: the bytes read, 0 at the end, -1 on an error.
    std::int64_t readAt(char *data, std::size_t size, std::int64_t offset) const;

private:
    int m_fd = -1;
    std::int64_t m_size = 0;
    QString m_error;
};
