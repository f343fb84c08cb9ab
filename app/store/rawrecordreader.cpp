#include "store/rawrecordreader.h"

#include "decode/httprr.h"
#include "decode/yamlcassette.h"
#include "io/bytesource.h"

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

// End of a YAML list item that starts at text[0] with `indent` spaces before its "- ": the
// start of the first later line that is not blank and is indented no deeper.
std::size_t yamlItemEnd(const std::string &text, std::size_t indent)
{
    std::size_t pos = text.find('\n');
    while (pos != std::string::npos) {
        const std::size_t lineStart = pos + 1;
        const std::size_t nl = text.find('\n', lineStart);
        if (nl == std::string::npos)
            return std::string::npos; // the line may go on in the next read
        std::size_t k = lineStart;
        while (k < nl && text[k] == ' ')
            ++k;
        const bool blank = k == nl || (k + 1 == nl && text[k] == '\r');
        if (!blank && k - lineStart <= indent && text[k] != '#')
            return lineStart;
        pos = nl;
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
        const auto n
            = src->read(buf.data(), std::size_t(std::min<std::uint64_t>(buf.size(), offset - pos)));
        if (n <= 0) {
            *error = n < 0 ? src->error()
                           : QStringLiteral("the file is shorter than it was when loaded");
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
    enum class Recorder { None, YamlItem, Httprr } recorder = Recorder::None;
    std::size_t itemIndent = 0;
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
            if (k + 1 < text.size() && text[k] == '-'
                && (text[k + 1] == ' ' || text[k + 1] == '\n')) {
                decided = true; // a YAML cassette's interaction: "- request:" (kept indented)
                recorder = Recorder::YamlItem;
                itemIndent = k;
            } else if (k < text.size() && text[k] >= '0' && text[k] <= '9'
                && httprrExchangeSize(text) > 0) {
                decided = true; // an httprr exchange: its "N M" line
                recorder = Recorder::Httprr;
            } else if (k < text.size()) {
                decided = true;
                jsonValue = text[k] == '{' || text[k] == '[';
                pygithub = text.compare(k, 4, "http") == 0;
                text.erase(0, k);
            }
        }
        if (recorder == Recorder::Httprr) {
            if (text.size() >= httprrExchangeSize(text)) {
                end = std::size_t(httprrExchangeSize(text));
                break;
            }
        } else if (recorder == Recorder::YamlItem) {
            // the item ends where a later non-blank line is indented no deeper than its "- "
            end = yamlItemEnd(text, itemIndent);
            if (end != std::string::npos)
                break;
        } else if (decided && jsonValue) {
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
    if (end == std::string::npos && recorder == Recorder::YamlItem) {
        text.push_back('\n'); // the file's last line may lack its newline
        end = yamlItemEnd(text, itemIndent);
    }
    if (end != std::string::npos)
        text.resize(end);
    if (recorder != Recorder::None) {
        // shown decoded: the body as the rules read it, and how the recorder stored it
        std::string err;
        const std::string shown = recorder == Recorder::Httprr
            ? httprrExchangeForDisplay(text, &err)
            : yamlInteractionForDisplay(text, &err);
        if (!shown.empty())
            return QByteArray::fromStdString(shown);
    }
    if (text.size() > kMaxRecordBytes)
        text.resize(kMaxRecordBytes);
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n'))
        text.pop_back();
    return QByteArray::fromStdString(text);
}

QByteArray RawRecordReader::read(const EventStore &store, std::size_t event, QString *error)
{
    if (const std::vector<std::string> *kept = store.keptRecords().get()) {
        if (event < kept->size())
            return QByteArray::fromStdString((*kept)[event]);
        *error = QStringLiteral("the record was not kept");
        return {};
    }
    const std::uint16_t file = store.file(event);
    const RemovedFiles *removed = store.removedFiles().get();
    auto gone = [&] {
        const QString why = removed ? removed->reason(file) : QString();
        if (!why.isEmpty())
            *error = why;
        return !why.isEmpty();
    };
    if (gone())
        return {};
    QByteArray raw = read(QString::fromStdString(store.filePath(file)), store.offset(event), error);
    // deleted while it was read: the bytes may be another file's that took the path since (a
    // file is marked before it is deleted, so a read that opened a newcomer is caught here)
    if (gone())
        return {};
    return raw;
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
