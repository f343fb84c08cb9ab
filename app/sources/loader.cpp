#include "sources/loader.h"

#include "decode/httprr.h"
#include "decode/jsonvalue.h"
#include "decode/pygithub.h"
#include "decode/recorddecoder.h"
#include "decode/reqllm.h"
#include "decode/yamlcassette.h"
#include "io/bytesource.h"
#include "sources/chunkpipeline.h"
#include "sources/idset.h"

#include <QThread>

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <utility>

#include <sys/stat.h>

namespace {

constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;

const char *formatName(DocumentShape shape)
{
    switch (shape) {
    case DocumentShape::Har:
        return "har";
    case DocumentShape::Nock:
        return "nock";
    case DocumentShape::Betamax:
        return "betamax";
    case DocumentShape::K6:
        return "k6";
    case DocumentShape::Array:
    case DocumentShape::ApiPage:
    case DocumentShape::Record:
        return "json";
    case DocumentShape::Unknown:
        break;
    }
    return "ndjson";
}

// A .yaml/.yml file (or one that opens with "---" or "%YAML") that the sniffer did not take
// for a cassette: one "not a log" message instead of one error per line.
bool isYamlNotCassette(const QString &path, std::string_view head)
{
    QString name = path.toLower();
    if (name.endsWith(QLatin1String(".gz")))
        name.chop(3);
    const bool yamlName
        = name.endsWith(QLatin1String(".yaml")) || name.endsWith(QLatin1String(".yml"));
    const bool yamlStart = head.substr(0, 3) == "---" || head.substr(0, 5) == "%YAML";
    return (yamlName || yamlStart) && looksLikeYaml(head);
}

// Counts newlines incrementally: records of a document come in increasing order.
class LineCounter
{
public:
    explicit LineCounter(const char *base)
        : m_base(base)
        , m_pos(base)
    {
    }
    std::uint64_t lineOf(const char *p)
    {
        if (!p)
            return m_line;
        if (p < m_pos) {
            m_pos = m_base;
            m_line = 1;
        }
        while (m_pos < p) {
            const void *nl = std::memchr(m_pos, '\n', std::size_t(p - m_pos));
            if (!nl) {
                m_pos = p;
                break;
            }
            ++m_line;
            m_pos = static_cast<const char *>(nl) + 1;
        }
        return m_line;
    }

private:
    const char *m_base;
    const char *m_pos;
    std::uint64_t m_line = 1;
};

} // namespace

struct Loader::Impl
{
    Loader &l;
    InputReport &report;
    ByteSource &src;
    std::uint16_t file;

    bool cancelled() const { return l.m_options.cancel && l.m_options.cancel->load(); }
    void progress()
    {
        if (l.m_options.progress)
            l.m_options.progress(src.consumed(), src.sizeOnDisk());
    }

    // Reads until buf holds at least `want` bytes or the input ends. Returns false on error.
    bool fill(ChunkBuffer &buf, std::size_t want, bool &eof)
    {
        buf.ensure(want);
        while (buf.len < want && !eof) {
            const auto n = src.read(buf.data() + buf.len, want - buf.len);
            if (n < 0)
                return false;
            if (n == 0)
                eof = true;
            buf.len += std::size_t(n);
        }
        return true;
    }

    // Reserve the store for the records a file of this size will likely hold.
    // (lines newlines in the first sampleBytes of the text)
    void reserveFor(std::uint64_t lines, std::uint64_t sampleBytes)
    {
        const std::uint64_t size = src.sizeOnDisk();
        if (src.gzip() || size == 0 || sampleBytes == 0)
            return;
        if (lines < 8)
            return;
        const double perByte = double(lines) / double(sampleBytes);
        const auto estimate = std::size_t(double(size) * perByte * 1.02) + 64;
        l.m_store.reserve(l.m_store.size() + estimate);
        l.m_ids->reserve(estimate);
    }

    std::uint64_t lastLine = 0; // the line where reading stopped, for a read error

    // Of a regular file: the offset just past its last newline (0: none, or not such a file).
    std::uint64_t linesEnd()
    {
        const int fd = src.regularFileFd();
        struct stat st;
        if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        char block[64 * 1024];
        for (std::uint64_t end = std::uint64_t(st.st_size); end > 0;) {
            const std::uint64_t start = end > sizeof block ? end - sizeof block : 0;
            std::size_t got = 0;
            if (!preadFully(fd, block, std::size_t(end - start), start, got) || got != end - start)
                return 0; // the read path meets the problem and reports it
            if (const void *nl = ::memrchr(block, '\n', got))
                return start + std::uint64_t(static_cast<const char *>(nl) - block) + 1;
            end = start;
        }
        return 0;
    }

    enum class Kind { Ndjson, Document, PyGithub, YamlCassette, Httprr, ReqLlm, Binary };

    Kind sniff(const char *p, std::size_t n)
    {
        const char *end = p + n;
        if (hasBom(p, n))
            p += 3;
        // NUL bytes near the start: binary, unless the first line is a whole JSON value (a log
        // with a run of NULs further on, as a crash can leave, keeps its other lines).
        const bool nul = std::memchr(p, '\0', std::min<std::size_t>(std::size_t(end - p), 4096));
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            ++p;
        if (p == end)
            return Kind::Ndjson;
        if (!nul && looksLikePyGithub(std::string_view(p, std::size_t(end - p))))
            return Kind::PyGithub;
        if (!nul && looksLikeHttprr(std::string_view(p, std::size_t(end - p))))
            return Kind::Httprr;
        if (!nul && looksLikeYamlCassette(std::string_view(p, std::size_t(end - p))))
            return Kind::YamlCassette;
        if (*p != '{' && *p != '[')
            return nul ? Kind::Binary : Kind::Ndjson;
        // NDJSON when the first non-blank line is a whole JSON value, or when the next one is
        // a whole object starting at column 0 (a broken first line); else one document.
        simdjson::dom::parser dom;
        auto completeLine = [&](const char *s) -> const char * {
            const char *nl = static_cast<const char *>(std::memchr(s, '\n', std::size_t(end - s)));
            if (!nl)
                return nullptr; // the line goes on past what was read: one long line
            simdjson::padded_string line(s, std::size_t(nl - s));
            simdjson::dom::element el;
            return dom.parse(line).get(el) == simdjson::SUCCESS ? nl + 1 : nullptr;
        };
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        if (!nl)
            return nul ? Kind::Binary : Kind::Ndjson; // one line (or longer than the window)
        if (completeLine(p))
            return Kind::Ndjson;
        if (nul)
            return Kind::Binary;
        const char *q = nl + 1;
        while (q < end && (*q == '\r' || *q == '\n'))
            ++q;
        if (q < end && *q == '{' && completeLine(q))
            return Kind::Ndjson;
        if (looksLikeReqLlm(std::string_view(p, std::size_t(end - p))))
            return Kind::ReqLlm;
        return Kind::Document;
    }

    void ndjson(ChunkBuffer &&first, bool eof)
    {
        const int threads = l.m_options.threads > 0 ? l.m_options.threads
                                                    : std::clamp(QThread::idealThreadCount(), 1, 8);
        ChunkPipeline pipeline(threads, l.m_rules, l.m_options.range, file);
        std::uint64_t submitted = 0, merged = 0;
        std::uint64_t lineBase = 0, offsetBase = 0, nonBlank = 0, k6Lines = 0;
        DocumentShape lastShape = DocumentShape::Unknown;

        auto mergeResult = [&](ChunkResult &r) {
            std::vector<bool> skip;
            if (!r.ids.empty()) {
                skip.assign(r.ids.size(), false);
                constexpr std::size_t kAhead = 16; // inserts whose slots are being fetched
                for (std::size_t i = 0; i < r.ids.size(); ++i) {
                    if (i + kAhead < r.ids.size())
                        l.m_ids->prefetch(r.ids[i + kAhead]);
                    if (r.ids[i] && !l.m_ids->insert(r.ids[i])) {
                        skip[i] = true;
                        ++report.duplicates;
                    }
                }
            }
            const std::int64_t added
                = std::int64_t(r.shard.size()) - std::count(skip.begin(), skip.end(), true);
            l.m_store.appendShard(r.shard, skip, lineBase, offsetBase);
            report.records += added;
            for (LocatedError &e : r.errors)
                report.addError(e.line + lineBase, std::move(e.message));
            report.skipped += r.errorCount - std::int64_t(r.errors.size());
            nonBlank += r.nonBlankLines;
            k6Lines += r.k6Lines;
            if (r.lastShape != DocumentShape::Unknown)
                lastShape = r.lastShape;
            lineBase += r.lines;
        };
        auto mergeOne = [&] {
            ++merged;
            ChunkResult r = pipeline.next();
            mergeResult(r);
            pipeline.recycle(std::move(r));
        };
        // offsets of chunks are known when cut; remember them in order
        std::deque<std::uint64_t> chunkOffsets;
        std::uint64_t textOffset = 0;
        auto mergeReady = [&](bool block) {
            while (merged < submitted && (block || pipeline.ready())) {
                offsetBase = chunkOffsets.front();
                chunkOffsets.pop_front();
                mergeOne();
            }
        };

        ChunkBuffer buf = std::move(first);
        bool failed = false;
        bool isFirst = true;
        bool endsMidLine = false; // the text ends without a newline (cut short)
        const std::size_t chunkBytes = std::max<std::size_t>(l.m_options.chunkBytes, 4096);

        // A regular file up to its last newline: the workers read their chunks themselves
        // (pread, in parallel) and this thread only merges. Copying the file out of the page
        // cache was a third of this thread's time, and this thread was the slowest. What
        // follows (a last line without a newline, lines appended meanwhile, or everything
        // from a chunk that could not be read) is read below as before.
        if (const std::uint64_t limit = eof ? 0 : linesEnd(); limit > 0) {
            std::uint64_t goodEnd = 0; // end of the lines merged so far
            bool readFailed = false;
            auto mergeRead = [&] {
                ++merged;
                ChunkResult r = pipeline.next();
                if (readFailed || r.readError) {
                    readFailed = true; // the read path below meets the error again and says so
                    return;
                }
                if (isFirst) {
                    reserveFor(r.lines, r.textEnd - r.textBegin);
                    isFirst = false;
                }
                if (r.textEnd > r.textBegin)
                    goodEnd = r.textEnd;
                offsetBase = r.textBegin;
                mergeResult(r);
                pipeline.recycle(std::move(r));
            };
            const int fd = src.regularFileFd();
            for (std::uint64_t from = 0; from < limit && !readFailed && !cancelled();
                 from += chunkBytes) {
                Chunk c;
                c.seq = submitted++;
                c.first = from == 0;
                c.fd = fd;
                c.from = from;
                c.to = from + chunkBytes;
                c.limit = limit;
                while (submitted - 1 - merged >= pipeline.limit())
                    mergeRead();
                pipeline.submit(std::move(c));
                while (merged < submitted && pipeline.ready())
                    mergeRead();
                if (l.m_options.progress)
                    l.m_options.progress(goodEnd, src.sizeOnDisk());
            }
            while (merged < submitted)
                mergeRead();
            textOffset = readFailed ? goodEnd : limit;
            isFirst = false;
            buf.len = 0; // the sniffed bytes were read again by the first chunk
            if (!src.skipTo(textOffset)) // lseek on a regular file: does not fail
                failed = true;
        }

        for (;;) {
            if (cancelled()) {
                report.fatal = QStringLiteral("cancelled");
                break;
            }
            if (!eof && !failed && buf.len < chunkBytes) {
                if (!fill(buf, chunkBytes, eof))
                    failed = true;
            }
            if (isFirst)
                reserveFor(
                    std::uint64_t(std::count(buf.data(), buf.data() + buf.len, '\n')), buf.len);
            // cut after the last newline; a line longer than the buffer grows it
            std::size_t cut = buf.len;
            if (!eof && !failed) {
                const char *b = buf.data();
                std::size_t i = buf.len;
                while (i > 0 && b[i - 1] != '\n')
                    --i;
                if (i == 0) {
                    if (!fill(buf, buf.len * 2, eof))
                        failed = true;
                    continue;
                }
                cut = i;
            }
            if (cut > 0) {
                endsMidLine = buf.data()[cut - 1] != '\n';
                ChunkBuffer next = pipeline.takeBuffer();
                next.ensure(std::max(chunkBytes, buf.len - cut));
                std::memcpy(next.data(), buf.data() + cut, buf.len - cut);
                next.len = buf.len - cut;
                buf.len = cut;
                buf.pad();
                Chunk c;
                c.seq = submitted++;
                c.first = isFirst;
                isFirst = false;
                c.buf = std::move(buf);
                chunkOffsets.push_back(textOffset);
                textOffset += cut;
                // bounded memory: wait for the oldest chunk before handing out another
                while (submitted - 1 - merged >= pipeline.limit()) {
                    offsetBase = chunkOffsets.front();
                    chunkOffsets.pop_front();
                    mergeOne();
                }
                pipeline.submit(std::move(c));
                buf = std::move(next);
                mergeReady(false);
                progress();
            }
            isFirst = false;
            if ((eof || failed) && buf.len == 0)
                break;
        }
        mergeReady(true);
        lastLine = lineBase + (endsMidLine ? 0 : 1); // reading stopped in that line, or after it
        if (nonBlank == 1 && lastShape != DocumentShape::Unknown
            && lastShape != DocumentShape::Record)
            report.format = QLatin1String(formatName(lastShape));
        else if (k6Lines * 2 > nonBlank) // most lines are k6's `--out json` output
            report.format = QLatin1String(formatName(DocumentShape::K6));
    }

    void document(ChunkBuffer &buf, bool eof)
    {
        report.format = QStringLiteral("json");
        bool failed = false;
        while (!eof && !failed) {
            if (cancelled()) {
                report.fatal = QStringLiteral("cancelled");
                return;
            }
            if (!fill(buf, std::max<std::size_t>(buf.len * 2, 1 << 20), eof))
                failed = true;
            progress();
        }
        buf.pad();
        const std::size_t len = buf.len;
        const char *start = buf.data();
        std::size_t n = len;
        if (hasBom(start, n)) {
            start += 3;
            n -= 3;
        }
        LineCounter lines(buf.data());
        RecordDecoder decoder;
        EventBuilder builder(l.m_rules, l.m_options.range);
        std::string fixed;
        std::vector<json::Utf8Shift> shifts; // where `fixed` is longer than the input
        std::uint64_t calls = 0, replayed = 0; // a second pass skips what the first one gave
        char *text = buf.data() + (start - buf.data()); // what is decoded: buf, or `fixed`
        std::size_t textLen = n;
        auto onRecord = [&](RawRecord &rec, const char *at) {
            if (++calls <= replayed)
                return;
            const std::uint64_t line = lines.lineOf(at);
            // the offset in the file, also when `text` is the repaired copy
            const std::uint64_t offset = at ? json::inputOffset(shifts, std::size_t(at - text))
                    + std::size_t(start - buf.data())
                                            : 0;
            const auto outcome = builder.add(rec, l.m_store, file, std::uint32_t(line), offset);
            if (outcome == EventBuilder::Outcome::NoTime) {
                report.addError(line, utf8Text(rec.timeError));
            } else if (outcome == EventBuilder::Outcome::Added) {
                const std::uint64_t h = idHash(rec.id);
                if (h && !l.m_ids->insert(h)) {
                    // a repeat: the store keeps it only if we undo; simplest is to mark it
                    ++report.duplicates;
                    l.m_store.popBack();
                } else {
                    ++report.records;
                }
            }
        };
        auto onError = [&](const char *at, std::string_view reason) {
            if (++calls <= replayed)
                return;
            report.addError(lines.lineOf(at), utf8Text(reason));
        };
        auto r = decoder.decode(start, n, n + kPad, onRecord, onError);
        if (r.error == simdjson::UTF8_ERROR && report.records == 0 && report.skipped == 0) {
            fixed = json::sanitizeUtf8(std::string_view(start, n), &shifts);
            const std::size_t fn = fixed.size();
            fixed.append(kPad, ' ');
            lines = LineCounter(fixed.data());
            calls = 0;
            text = fixed.data(); // before decoding: onRecord measures offsets from it
            textLen = fn;
            r = decoder.decode(fixed.data(), fn, fixed.size(), onRecord, onError);
        }
        // Lone surrogate escapes read as U+FFFD, like invalid UTF-8 (same length: lines and
        // offsets stay); the entries the first pass gave are not given again.
        if (r.error == simdjson::STRING_ERROR && json::replaceLoneSurrogates(text, textLen)) {
            replayed = std::exchange(calls, 0);
            lines = LineCounter(text == fixed.data() ? text : buf.data());
            r = decoder.decode(text, textLen, textLen + kPad, onRecord, onError);
        }
        if (r.error) {
            report.addError(lines.lineOf(r.errorAt), utf8Text(json::reason(r.error)));
        } else if (r.scalar) {
            report.addError(1, scalarMessage(start, start + n));
        } else {
            report.format = QLatin1String(formatName(r.shape));
        }
        lastLine = lines.lineOf(text + textLen); // `lines` counts in the text decoded last
    }

    using WholeFileReader = void (*)(std::string_view, RecordDecoder &,
        const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &,
        const std::function<void(std::uint64_t, std::string_view)> &);

    // Recorder formats read from the whole input at once (PyGithub, YAML cassettes, httprr,
    // ReqLLM): each record comes with its line and byte offset.
    void wholeFile(ChunkBuffer &&first, bool eof, QString format, WholeFileReader read)
    {
        report.format = std::move(format);
        ChunkBuffer buf = std::move(first);
        bool failed = false;
        while (!eof && !failed) {
            if (!fill(buf, std::max<std::size_t>(buf.len * 2, 1 << 20), eof))
                failed = true;
        }
        EventBuilder builder(l.m_rules, l.m_options.range);
        RecordDecoder decoder;
        read(
            std::string_view(buf.data(), buf.len), decoder,
            [&](RawRecord &rec, std::uint64_t line, std::uint64_t offset) {
                const auto outcome = builder.add(rec, l.m_store, file, std::uint32_t(line), offset);
                if (outcome == EventBuilder::Outcome::NoTime)
                    report.addError(line, utf8Text(rec.timeError));
                else if (outcome == EventBuilder::Outcome::Added)
                    ++report.records;
            },
            [&](std::uint64_t line, std::string_view reason) {
                report.addError(line, utf8Text(reason));
            });
        lastLine = std::uint64_t(std::count(buf.data(), buf.data() + buf.len, '\n')) + 1;
    }
};

Loader::Loader(EventStore &store, const RuleSet &rules, LoadOptions options)
    : m_store(store)
    , m_rules(rules)
    , m_options(std::move(options))
    , m_ids(std::make_unique<IdSet>())
{
}

Loader::~Loader() = default;

InputReport Loader::load(const QString &path)
{
    InputReport report;
    report.path = path;
    QString error;
    auto src = ByteSource::open(path, &error, m_options.maxInflated);
    if (!src) {
        report.fatal = error;
        return report;
    }
    report.gzip = src->gzip();
    const std::uint16_t file = m_store.addFile(path.toStdString());
    report.storeFile = file;
    Impl impl { *this, report, *src, file };

    ChunkBuffer buf;
    bool eof = false;
    // The shape is decided on the first MiB whatever the chunk size: a smaller window (it
    // once followed chunkBytes) could miss the first newline and read one file as NDJSON
    // in small chunks and as one document in large ones (found by fuzz_loader_framing).
    constexpr std::size_t sniffBytes = 1u << 20;
    if (!impl.fill(buf, sniffBytes, eof)) {
        if (buf.len == 0) {
            report.fatal = src->error();
            return report;
        }
        eof = true; // parse what was read; the read error is reported at its end
    }
    switch (impl.sniff(buf.data(), buf.len)) {
    case Impl::Kind::Binary:
        report.fatal = QStringLiteral("not a log: binary data (NUL bytes near the start)");
        return report;
    case Impl::Kind::PyGithub:
        impl.wholeFile(std::move(buf), eof, QStringLiteral("pygithub"), readPyGithubReplay);
        break;
    case Impl::Kind::YamlCassette:
        impl.wholeFile(std::move(buf), eof, QStringLiteral("vcr-yaml"), readYamlCassette);
        break;
    case Impl::Kind::Httprr:
        impl.wholeFile(std::move(buf), eof, QStringLiteral("httprr"), readHttprrTrace);
        break;
    case Impl::Kind::ReqLlm:
        impl.wholeFile(std::move(buf), eof, QStringLiteral("reqllm"), readReqLlmFixture);
        break;
    case Impl::Kind::Document:
        impl.document(buf, eof);
        if (report.format == QLatin1String("json") && report.records == 0 && report.duplicates == 0
            && report.skipped > 0 && !report.failed()) {
            // No record from it as one document: perhaps NDJSON whose first two lines are
            // broken (all the sniffer sees). Read it line by line; keep that if it gives records.
            InputReport asDocument = std::move(report);
            report = InputReport {};
            report.path = asDocument.path;
            report.gzip = asDocument.gzip;
            report.storeFile = asDocument.storeFile;
            impl.ndjson(std::move(buf), true);
            if (report.records == 0 && report.duplicates == 0)
                report = std::move(asDocument);
        }
        break;
    case Impl::Kind::Ndjson:
        if (isYamlNotCassette(path, std::string_view(buf.data(), buf.len))) {
            report.notALog = true;
            report.fatal = QStringLiteral("not a log: YAML, but not a cassette (no top-level "
                                          "interactions: or http_interactions: list)");
            return report;
        }
        impl.ndjson(std::move(buf), eof);
        break;
    }
    if (!src->error().isEmpty() && !report.failed()) {
        // a read error (truncated gzip, I/O) after some data: what was read is kept
        report.addError(impl.lastLine, src->error());
        --report.skipped; // not a skipped record
    }
    // A recorder format is a log even when no entry has a time; generic JSON that gave no
    // record at all is not one.
    const bool generic
        = report.format == QLatin1String("ndjson") || report.format == QLatin1String("json");
    if (generic && !report.failed() && report.records == 0 && report.duplicates == 0
        && report.skipped > 0) {
        const LocatedError &first = report.errors.front();
        report.notALog = true;
        report.fatal = QStringLiteral("not a log: no line holds a record with a time (line %1: %2)")
                           .arg(first.line)
                           .arg(first.message);
    }
    return report;
}
