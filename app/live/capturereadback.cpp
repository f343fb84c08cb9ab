#include "live/capturereadback.h"

#include "aggregate/buckets.h"
#include "decode/linetext.h"
#include "decode/recorddecoder.h"
#include "store/eventbuilder.h"

#include <QFile>

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace {

constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;
// A record longer than this after a span's last start is not read (the sources cut lines
// far shorter).
constexpr std::uint64_t kMaxRecordBytes = std::uint64_t(64) << 20;

// Part of one segment to read: the lines from firstOffset up to the end of the line at
// lastOffset.
struct Piece
{
    std::uint16_t file = 0;
    std::uint32_t firstLine = 0;
    std::uint64_t firstOffset = 0;
    std::uint64_t lastOffset = 0;
};

// The spans of the minutes that overlap [fromMs, toMs), merged where they overlap per segment.
std::vector<Piece> piecesOf(
    const std::vector<CaptureSpan> &spans, std::int64_t fromMs, std::int64_t toMs)
{
    std::vector<Piece> pieces;
    for (const CaptureSpan &s : spans) {
        if (s.minuteMs + 60000 > fromMs && s.minuteMs < toMs)
            pieces.push_back({ s.file, s.firstLine, s.firstOffset, s.lastOffset });
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece &a, const Piece &b) {
        return a.file != b.file ? a.file < b.file : a.firstOffset < b.firstOffset;
    });
    std::vector<Piece> merged;
    for (const Piece &p : pieces) {
        if (!merged.empty() && merged.back().file == p.file
            && p.firstOffset <= merged.back().lastOffset)
            merged.back().lastOffset = std::max(merged.back().lastOffset, p.lastOffset);
        else
            merged.push_back(p);
    }
    return merged;
}

// The bytes of a piece: from its first record to the end of the line of its last one, then
// kPad bytes of padding (simdjson reads past a line's end). Empty + *error when unreadable.
std::string readPiece(const QString &path, const Piece &p, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the capture file %1: %2").arg(path, f.errorString());
        return {};
    }
    if (!f.seek(qint64(p.firstOffset))) {
        *error = QStringLiteral("cannot read the capture file %1 at byte %2: %3")
                     .arg(path)
                     .arg(p.firstOffset)
                     .arg(f.errorString());
        return {};
    }
    std::string bytes(std::size_t(p.lastOffset - p.firstOffset), '\0');
    if (f.read(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())) {
        *error = QStringLiteral("the capture file %1 ends before byte %2: it was truncated or "
                                "replaced since it was written")
                     .arg(path)
                     .arg(p.lastOffset);
        return {};
    }
    // the last record's line, up to its newline
    char buf[65536];
    for (;;) {
        const qint64 n = f.read(buf, sizeof buf);
        if (n <= 0)
            break;
        const char *nl = static_cast<const char *>(std::memchr(buf, '\n', std::size_t(n)));
        bytes.append(buf, nl ? std::size_t(nl - buf) : std::size_t(n));
        if (nl || bytes.size() > kMaxRecordBytes)
            break;
    }
    bytes.push_back('\n');
    bytes.append(kPad, ' ');
    return bytes;
}

} // namespace

void addCaptureSpans(std::vector<CaptureSpan> &spans, const EventStore &store,
    const std::vector<std::uint32_t> &events)
{
    std::map<std::pair<std::int64_t, std::uint16_t>, CaptureSpan> byKey;
    for (const CaptureSpan &s : spans)
        byKey.emplace(std::make_pair(s.minuteMs, s.file), s);
    for (std::uint32_t i : events) {
        const std::int64_t minute = floorTo(store.timeMs(i), 60000);
        const std::uint16_t file = store.file(i);
        const std::uint64_t offset = store.offset(i);
        auto [it, fresh] = byKey.try_emplace(std::make_pair(minute, file));
        CaptureSpan &s = it->second;
        if (fresh || offset < s.firstOffset) {
            if (fresh)
                s.lastOffset = offset;
            s.minuteMs = minute;
            s.file = file;
            s.firstOffset = offset;
            s.firstLine = store.line(i);
        }
        s.lastOffset = std::max(s.lastOffset, offset);
    }
    spans.clear();
    spans.reserve(byKey.size());
    for (auto &[key, s] : byKey)
        spans.push_back(s);
}

CaptureReadBack readBackCapture(const EventStore &files, const std::vector<CaptureSpan> &spans,
    const std::vector<CaptureDuplicate> &duplicates, const RuleSet &rules, std::int64_t fromMs,
    std::int64_t toMs)
{
    CaptureReadBack out;
    auto events = std::make_shared<EventStore>();
    events->addFilesFrom(files);
    events->setRemovedFiles(files.removedFiles());
    const std::vector<Piece> pieces = piecesOf(spans, fromMs, toMs);
    for (const Piece &p : pieces) {
        if (p.file >= files.fileCount()) {
            out.error
                = QStringLiteral("capture segment %1 is not known to this session").arg(p.file);
            return out;
        }
        const QString path = QString::fromStdString(files.filePath(p.file));
        if (files.removedFiles()) {
            const QString why = files.removedFiles()->reason(p.file);
            if (!why.isEmpty()) {
                out.error = why;
                return out;
            }
        }
        std::string bytes = readPiece(path, p, &out.error);
        if (bytes.empty())
            return out;
        // rotation may delete the segment while it is read: its bytes are not trusted then
        if (files.removedFiles() && !files.removedFiles()->reason(p.file).isEmpty()) {
            out.error = files.removedFiles()->reason(p.file);
            return out;
        }
        out.bytesRead += bytes.size() - kPad;
        RecordDecoder decoder;
        EventBuilder builder(rules, TimeRange {});
        std::string scratch;
        std::uint64_t calls = 0, replayed = 0;
        std::uint32_t line = p.firstLine;
        std::uint64_t offset = p.firstOffset;
        const RecordDecoder::RecordSink sink = [&](RawRecord &rec, const char *) {
            if (++calls <= replayed)
                return;
            if (builder.add(rec, *events, p.file, line, offset) != EventBuilder::Outcome::Added)
                return;
            const std::int64_t t = events->timeMs(events->size() - 1);
            const std::uint64_t h = idHash(rec.id);
            const bool dropped = h
                && std::binary_search(
                    duplicates.begin(), duplicates.end(), CaptureDuplicate { p.file, offset, h });
            if (t < fromMs || t >= toMs || dropped)
                events->popBack();
        };
        const RecordDecoder::ErrorSink errors = [&](const char *, std::string_view) { ++calls; };
        const char *const begin = bytes.data();
        const char *const end = begin + (bytes.size() - kPad);
        for (const char *s = begin; s < end;) {
            const char *nl = static_cast<const char *>(std::memchr(s, '\n', std::size_t(end - s)));
            const std::size_t size = std::size_t((nl ? nl : end) - s);
            offset = p.firstOffset + std::uint64_t(s - begin);
            const char *json = s;
            std::size_t len = size;
            if (hasBom(json, len)) {
                json += 3;
                len -= 3;
            }
            if (len > 0)
                decoder.decodeRepairing(json, len, std::size_t(begin + bytes.size() - json), sink,
                    errors, scratch, calls, replayed);
            ++line;
            s = nl ? nl + 1 : end;
        }
    }
    out.events = std::move(events);
    return out;
}
