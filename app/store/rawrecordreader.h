#pragma once

#include "store/eventstore.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

// Reads a record's raw text back from its input on demand (the store keeps only the origin:
// file, line, byte offset). Plain files are read at the offset; .gz inputs are inflated up to
// it. An NDJSON record is its line; a record inside a JSON document is the JSON value that
// starts at the offset; a PyGithub exchange is its 10 lines.
class RawRecordReader
{
public:
    static constexpr std::size_t kMaxRecordBytes = 4u << 20; // longer records are cut

    // The raw text, or an empty array with *error set (file gone, changed, unreadable).
    static QByteArray read(const QString &path, std::uint64_t offset, QString *error);
    // Event's record: the store's kept record when it keeps them (an engine table's row), else
    // read from its file. A file in store.removedFiles() (a capture segment rotated away) is never
    // read, whatever is at its path now: *error is the reason it was removed.
    static QByteArray read(const EventStore &store, std::size_t event, QString *error);

    // Line `line` (1-based, of the decompressed text) of an input, without its line end: a
    // line the loader skipped, which the store has no offset for. It reads from the start,
    // so call it off the GUI thread. Longer lines are cut at maxBytes (*cut says so).
    static constexpr std::size_t kMaxLineBytes = 64 * 1024;
    static QByteArray readLine(const QString &path, std::uint64_t line, QString *error,
        bool *cut = nullptr, std::size_t maxBytes = kMaxLineBytes);
};
