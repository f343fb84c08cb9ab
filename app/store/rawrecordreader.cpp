#include "store/rawrecordreader.h"

#include "sources/bytesource.h"

#include <cstring>
#include <memory>
#include <string>

namespace {

// End of the JSON value starting at text[0] (object or array), or npos when unbalanced.
std::size_t valueEnd(const std::string &text)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return std::string::npos;
}

} // namespace

QByteArray RawRecordReader::read(const QString &path, std::uint64_t offset, QString *error)
{
    if (path == QLatin1String("-")) {
        *error = QStringLiteral("standard input cannot be read again");
        return {};
    }
    auto src = ByteSource::open(path, error);
    if (!src)
        return {};
    // skip to the offset (inflating when compressed)
    std::string buf(256 * 1024, '\0');
    std::uint64_t pos = 0;
    while (pos < offset) {
        const auto n = src->read(buf.data(), std::size_t(std::min<std::uint64_t>(buf.size(), offset - pos)));
        if (n <= 0) {
            *error = n < 0 ? src->error() : QStringLiteral("the file is shorter than it was when loaded");
            return {};
        }
        pos += std::uint64_t(n);
    }
    std::string text;
    std::size_t end = std::string::npos;
    bool jsonValue = false;
    bool decided = false;
    int newlines = 0;
    bool pygithub = false;
    for (;;) {
        const auto n = src->read(buf.data(), buf.size());
        if (n < 0) {
            *error = src->error();
            return {};
        }
        if (n == 0)
            break;
        text.append(buf.data(), std::size_t(n));
        if (!decided) {
            std::size_t k = 0;
            if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0)
                k = 3;
            while (k < text.size() && (text[k] == ' ' || text[k] == '\t'))
                ++k;
            if (k < text.size()) {
                decided = true;
                jsonValue = text[k] == '{' || text[k] == '[';
                pygithub = text.compare(k, 4, "http") == 0;
                text.erase(0, k);
            }
        }
        if (decided && jsonValue) {
            // a line of NDJSON and a value inside a document (a pretty-printed HAR entry spans
            // lines) both end at the value's close; until that is read, read on
            const std::size_t ve = valueEnd(text);
            if (ve != std::string::npos) {
                end = ve;
                break;
            }
        } else if (decided) {
            const int want = pygithub ? 10 : 1;
            newlines = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                if (text[i] == '\n' && ++newlines == want) {
                    end = i;
                    break;
                }
            }
            if (end != std::string::npos)
                break;
        }
        if (text.size() > kMaxRecordBytes)
            break;
    }
    if (end != std::string::npos)
        text.resize(end);
    if (text.size() > kMaxRecordBytes)
        text.resize(kMaxRecordBytes);
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n'))
        text.pop_back();
    return QByteArray::fromStdString(text);
}

QByteArray RawRecordReader::read(const EventStore &store, std::size_t event, QString *error)
{
    return read(QString::fromStdString(store.filePath(store.file(event))), store.offset(event), error);
}

QByteArray RawRecordReader::readLine(
    const QString &path, std::uint64_t line, QString *error, bool *cut, std::size_t maxBytes)
{
    if (cut)
        *cut = false;
    if (path == QLatin1String("-")) {
        *error = QStringLiteral("standard input cannot be read again");
        return {};
    }
    if (line == 0) {
        *error = QStringLiteral("the problem is the file as a whole, not one line");
        return {};
    }
    auto src = ByteSource::open(path, error);
    if (!src)
        return {};
    std::string buf(256 * 1024, '\0');
    std::uint64_t current = 1; // the line the next byte belongs to
    QByteArray out;
    bool done = false;
    while (!done) {
        const auto n = src->read(buf.data(), buf.size());
        if (n < 0) {
            *error = src->error();
            return {};
        }
        if (n == 0)
            break;
        const char *p = buf.data();
        const char *end = p + n;
        while (p < end && current < line) { // skip whole lines
            const void *nl = std::memchr(p, '\n', std::size_t(end - p));
            if (!nl) {
                p = end;
                break;
            }
            p = static_cast<const char *>(nl) + 1;
            ++current;
        }
        if (current < line)
            continue;
        const void *nl = std::memchr(p, '\n', std::size_t(end - p));
        const char *stop = nl ? static_cast<const char *>(nl) : end;
        const std::size_t room = maxBytes - std::size_t(out.size());
        const std::size_t take = std::min<std::size_t>(room, std::size_t(stop - p));
        out.append(p, qsizetype(take));
        if (take < std::size_t(stop - p)) {
            if (cut)
                *cut = true;
            done = true;
        }
        done = done || nl != nullptr;
    }
    if (current < line) {
        *error = QStringLiteral("the file has no line %1 now (it changed since it was loaded)")
                     .arg(line);
        return {};
    }
    if (out.endsWith('\r'))
        out.chop(1);
    return out;
}
