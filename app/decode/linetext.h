#pragma once

#include <QString>

#include <cstddef>
#include <string_view>

// What the line readers (the loader's chunk pipeline, live ingest) say about a line.

// UTF-8 bytes as a QString (messages, reasons, record texts).
inline QString utf8Text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The file's BOM, or one of each file `cat a.ndjson b.ndjson` joined.
inline bool hasBom(const char *p, std::size_t n)
{
    return n >= 3 && static_cast<unsigned char>(p[0]) == 0xEF
        && static_cast<unsigned char>(p[1]) == 0xBB && static_cast<unsigned char>(p[2]) == 0xBF;
}

// The error for a line (or a document) that is a JSON scalar, not a record.
QString scalarMessage(const char *p, const char *end);
