#include "sources/loader.h"

#include "decode/jsonvalue.h"
#include "decode/httprr.h"
#include "decode/pygithub.h"
#include "decode/reqllm.h"
#include "decode/yamlcassette.h"
#include "decode/recorddecoder.h"
#include "io/bytesource.h"
#include "sources/idset.h"
#include "store/hugepagealloc.h"

#include <QThread>

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;

bool isBlank(const char *p, const char *end)
{
    for (; p < end; ++p) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return false;
    }
    return true;
}

bool hasBom(const char *p, std::size_t n)
{
    return n >= 3 && static_cast<unsigned char>(p[0]) == 0xEF
            && static_cast<unsigned char>(p[1]) == 0xBB && static_cast<unsigned char>(p[2]) == 0xBF;
}

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

const char *formatName(DocumentShape shape)
{
    switch (shape) {
    case DocumentShape::Har:
        return "har";
    case DocumentShape::Nock:
        return "nock";
    case DocumentShape::Betamax:
        return "betamax";
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
    const bool yamlName = name.endsWith(QLatin1String(".yaml")) || name.endsWith(QLatin1String(".yml"));
    const bool yamlStart = head.substr(0, 3) == "---" || head.substr(0, 5) == "%YAML";
    return (yamlName || yamlStart) && looksLikeYaml(head);
}

QString scalarMessage(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        ++p;
    const char *what = "a JSON value";
    if (p < end) {
        if (*p == '"')
            what = "a JSON string";
        else if (*p == 't' || *p == 'f')
            what = "a JSON boolean";
        else if (*p == 'n')
            what = "JSON null";
        else
            what = "a JSON number";
    }
    return QStringLiteral("not a record (%1, expected an object)").arg(QLatin1String(what));
}

// Counts newlines incrementally: records of a document come in increasing order.
class LineCounter
{
public:
    explicit LineCounter(const char *base) : m_base(base), m_pos(base) { }
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

// ---- NDJSON: parallel chunks ------------------------------------------------------------------

namespace {

// A growable byte buffer that is never zero-filled (chunks are written by read() at once)
// and always has kPad readable bytes after its capacity's data, as simdjson requires.
// Chunk-sized buffers come on 2 MiB pages (HugePageAllocator): a fresh 4 MiB buffer is then
// two page faults instead of a thousand, and the parser misses the TLB less.
struct FreeBuffer
{
    std::size_t bytes = 0;
    void operator()(char *q) const { HugePageAllocator<char>().deallocate(q, bytes); }
};

struct Buffer
{
    using Free = FreeBuffer;
    std::unique_ptr<char[], Free> p;
    std::size_t cap = 0; // usable bytes (kPad more are allocated)
    std::size_t len = 0;

    char *data() { return p.get(); }
    const char *data() const { return p.get(); }
    void ensure(std::size_t n)
    {
        if (n <= cap)
            return;
        const std::size_t newCap = std::max(n, cap * 2);
        std::unique_ptr<char[], Free> q(HugePageAllocator<char>().allocate(newCap + kPad),
                                        Free { newCap + kPad });
        if (len)
            std::memcpy(q.get(), p.get(), len);
        p = std::move(q);
        cap = newCap;
    }
    void pad() { std::memset(p.get() + len, ' ', kPad); }
};

// Reads n bytes at offset (fewer only at the end of the file). False on an I/O error.
bool preadFully(int fd, char *dst, std::size_t n, std::uint64_t offset, std::size_t &got)
{
    got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, dst + got, n - got, off_t(offset + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        got += std::size_t(r);
    }
    return true;
}

// The part of a regular file that workers read themselves: the lines that start at a byte in
// [from, to), from a file whose first `limit` bytes end with a newline. A line belongs to the
// chunk its first byte lies in, so every worker finds its own lines without knowing where
// the previous chunk ended. Sets [begin, end) to those lines' file offsets (begin == end:
// none start there, a long line crosses the whole span) and leaves them at
// buf.data() + (begin - readFrom), padded. False on an I/O error.
bool readSpan(int fd, std::uint64_t from, std::uint64_t to, std::uint64_t limit, Buffer &buf,
              std::uint64_t &readFrom, std::uint64_t &begin, std::uint64_t &end)
{
    to = std::min(to, limit);
    readFrom = from == 0 ? 0 : from - 1; // a newline just before `from`: a line starts there
    buf.len = 0;
    auto readMore = [&](std::uint64_t want) {
        want = std::min(want, limit - readFrom - buf.len);
        if (want == 0) {
            errno = EIO; // no newline where the file had one: it changed under us
            return false;
        }
        buf.ensure(buf.len + std::size_t(want));
        std::size_t got = 0;
        if (!preadFully(fd, buf.data() + buf.len, std::size_t(want), readFrom + buf.len, got))
            return false;
        buf.len += got;
        if (got < want)
            errno = EIO; // the file shrank under us: what it held is gone
        return got == want;
    };
    if (!readMore(to - readFrom + 4096)) // the last line usually ends within a few KB
        return false;
    begin = 0;
    if (from > 0) {
        const auto *nl = static_cast<const char *>(std::memchr(buf.data(), '\n', std::size_t(to - 1 - readFrom)));
        begin = nl ? readFrom + std::uint64_t(nl - buf.data()) + 1 : to;
    }
    if (begin >= to) {
        begin = end = to;
        buf.len = 0;
        return true;
    }
    // the first newline at or after to - 1 ends the last line (limit - 1 is one)
    std::size_t scan = std::size_t(to - 1 - readFrom);
    for (;;) {
        const auto *nl = static_cast<const char *>(std::memchr(buf.data() + scan, '\n', buf.len - scan));
        if (nl) {
            end = readFrom + std::uint64_t(nl - buf.data()) + 1;
            break;
        }
        scan = buf.len;
        if (!readMore(std::max<std::uint64_t>(buf.len, 4096)))
            return false;
    }
    buf.len = std::size_t(end - readFrom);
    buf.pad();
    return true;
}

// Whole lines to parse: either read already (buf.len bytes, then kPad spaces), or a span of
// a regular file the worker reads itself (fd >= 0; see readSpan).
struct Chunk
{
    std::uint64_t seq = 0;
    Buffer buf;
    bool first = false; // the file's first chunk (may start with a BOM)
    int fd = -1;
    std::uint64_t from = 0, to = 0, limit = 0;
};

struct ChunkResult
{
    EventStore shard;
    std::vector<std::uint64_t> ids; // per shard event; 0: no id
    std::vector<LocatedError> errors; // lines local to the chunk
    std::int64_t errorCount = 0;
    std::uint64_t lines = 0;
    std::uint64_t nonBlankLines = 0;
    DocumentShape lastShape = DocumentShape::Unknown;
    ReportedLimit limit;
    // a chunk the worker read: the file offsets of its lines, or the read error (errno)
    std::uint64_t textBegin = 0, textEnd = 0;
    int readError = 0;

    // Empty again, keeping the memory of its columns: a merged result goes back to the
    // workers, so a chunk's shard does not grow from nothing (copies, page faults) each time.
    void clear()
    {
        shard.clear();
        ids.clear();
        errors.clear();
        errorCount = 0;
        lines = nonBlankLines = 0;
        lastShape = DocumentShape::Unknown;
        limit = ReportedLimit {};
        textBegin = textEnd = 0;
        readError = 0;
    }
};

class ChunkParser
{
public:
    ChunkParser(const RuleSet &rules, TimeRange range, std::uint16_t file)
        : m_builder(rules, range), m_file(file)
    {
        m_sink = [this](RawRecord &rec, const char *) {
            if (++m_calls > m_replayed)
                onRecord(rec);
        };
        m_errors = [this](const char *, std::string_view reason) {
            if (++m_calls > m_replayed)
                error(qs(reason));
        };
    }

    // Into `into` (a merged result to reuse, or a new one).
    ChunkResult parse(const Chunk &chunk, ChunkResult into)
    {
        into.clear();
        if (chunk.fd < 0)
            return parse(chunk.buf.data(), chunk.buf.len, std::move(into));
        std::uint64_t readFrom = 0, begin = 0, end = 0;
        if (!readSpan(chunk.fd, chunk.from, chunk.to, chunk.limit, m_own, readFrom, begin, end)) {
            into.readError = errno ? errno : EIO;
            return into;
        }
        ChunkResult r = parse(m_own.data() + (begin - readFrom), std::size_t(end - begin), std::move(into));
        r.textBegin = begin;
        r.textEnd = end;
        return r;
    }

    // len bytes of whole lines at base, readable for kPad more
    ChunkResult parse(const char *base, std::size_t len, ChunkResult into)
    {
        m_result = std::move(into);
        const char *p = base;
        const char *end = base + len;
        const char *allocEnd = end + kPad;
        std::uint32_t line = 0;
        while (p < end) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
            const char *lineEnd = nl ? nl : end;
            ++line;
            const char *s = p;
            if (hasBom(s, std::size_t(lineEnd - s)))
                s += 3; // the file's, or one of each file `cat a.ndjson b.ndjson` joined
            if (!isBlank(s, lineEnd)) {
                ++m_result.nonBlankLines;
                m_line = line;
                m_offset = std::uint64_t(p - base);
                decodeLine(s, std::size_t(lineEnd - s), std::size_t(allocEnd - s));
            }
            p = nl ? nl + 1 : end;
        }
        m_result.lines = line;
        m_result.limit = m_builder.reportedLimit();
        return std::move(m_result);
    }

    void decodeLine(const char *s, std::size_t len, std::size_t capacity)
    {
        const auto r = m_decoder.decodeRepairing(
            s, len, capacity, m_sink, m_errors, m_fixed, m_calls, m_replayed);
        if (r.error) {
            error(qs(json::reason(r.error)));
        } else if (r.scalar) {
            error(scalarMessage(s, s + len));
        } else {
            m_result.lastShape = r.shape;
        }
    }

private:
    void onRecord(RawRecord &rec)
    {
        const auto outcome = m_builder.add(rec, m_result.shard, m_file, m_line, m_offset);
        if (outcome == EventBuilder::Outcome::Added)
            m_result.ids.push_back(idHash(rec.id));
        else if (outcome == EventBuilder::Outcome::NoTime)
            error(qs(rec.timeError));
    }
    void error(QString message)
    {
        ++m_result.errorCount;
        if (m_result.errors.size() < std::size_t(InputReport::kMaxErrors))
            m_result.errors.push_back({ m_line, std::move(message) });
    }

    RecordDecoder m_decoder;
    EventBuilder m_builder;
    std::uint16_t m_file;
    RecordDecoder::RecordSink m_sink;
    RecordDecoder::ErrorSink m_errors;
    ChunkResult m_result;
    std::uint32_t m_line = 0;
    std::uint64_t m_offset = 0;
    std::string m_fixed;
    std::uint64_t m_calls = 0; // sink and error calls of this line's decode
    std::uint64_t m_replayed = 0; // calls a second decode of the line skips
    Buffer m_own; // the chunks this worker reads itself (kept: no fresh pages per chunk)
};

// A bounded pool: the reader blocks when `limit` chunks are waiting or unmerged.
class ChunkPipeline
{
public:
    ChunkPipeline(int threads, const RuleSet &rules, TimeRange range, std::uint16_t file)
    {
        for (int i = 0; i < threads; ++i) {
            m_parsers.push_back(std::make_unique<ChunkParser>(rules, range, file));
            // the parser itself, not m_parsers[i]: the next push_back may move the vector's
            // storage while this thread starts (a race the fuzzer found under ASan)
            ChunkParser *parser = m_parsers.back().get();
            m_threads.emplace_back([this, parser] { work(*parser); });
        }
        m_limit = std::size_t(threads) + 2;
    }
    ~ChunkPipeline()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        for (auto &t : m_threads)
            t.join();
    }

    void submit(Chunk &&c)
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return m_inFlight < m_limit; });
        ++m_inFlight;
        m_queue.push_back(std::move(c));
        m_cv.notify_all();
    }

    // Next result in sequence order; blocks. Only call as many times as chunks were submitted.
    ChunkResult next()
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return m_done.count(m_nextSeq) > 0; });
        ChunkResult r = std::move(m_done[m_nextSeq]);
        m_done.erase(m_nextSeq++);
        --m_inFlight;
        m_cv.notify_all();
        return r;
    }

    std::size_t limit() const { return m_limit; }

    // A result that has been merged, for a worker to fill again.
    void recycle(ChunkResult &&r)
    {
        std::lock_guard lock(m_mutex);
        m_spare.push_back(std::move(r));
    }

    // A buffer a worker has finished with, or a new one.
    Buffer takeBuffer()
    {
        std::lock_guard lock(m_mutex);
        if (m_free.empty())
            return {};
        Buffer b = std::move(m_free.back());
        m_free.pop_back();
        b.len = 0;
        return b;
    }

    // True when a result is ready to merge without waiting.
    bool ready()
    {
        std::lock_guard lock(m_mutex);
        return m_done.count(m_nextSeq) > 0;
    }

private:
    void work(ChunkParser &parser)
    {
        for (;;) {
            Chunk c;
            ChunkResult into;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [&] { return m_stop || !m_queue.empty(); });
                if (m_queue.empty())
                    return;
                c = std::move(m_queue.front());
                m_queue.pop_front();
                if (!m_spare.empty()) {
                    into = std::move(m_spare.back());
                    m_spare.pop_back();
                }
            }
            ChunkResult r = parser.parse(c, std::move(into));
            {
                std::lock_guard lock(m_mutex);
                m_done.emplace(c.seq, std::move(r));
                if (c.buf.cap > 0)
                    m_free.push_back(std::move(c.buf)); // reused: no fresh pages, no page faults
            }
            m_cv.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Chunk> m_queue;
    std::vector<Buffer> m_free;
    std::vector<ChunkResult> m_spare;
    std::map<std::uint64_t, ChunkResult> m_done;
    std::uint64_t m_nextSeq = 0;
    std::size_t m_inFlight = 0;
    std::size_t m_limit = 4;
    bool m_stop = false;
    std::vector<std::unique_ptr<ChunkParser>> m_parsers;
    std::vector<std::thread> m_threads;
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
    bool fill(Buffer &buf, std::size_t want, bool &eof)
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

    void ndjson(Buffer &&first, bool eof)
    {
        const int threads = l.m_options.threads > 0
                ? l.m_options.threads
                : std::clamp(QThread::idealThreadCount(), 1, 8);
        ChunkPipeline pipeline(threads, l.m_rules, l.m_options.range, file);
        std::uint64_t submitted = 0, merged = 0;
        std::uint64_t lineBase = 0, offsetBase = 0, nonBlank = 0;
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
            const std::int64_t added = std::int64_t(r.shard.size()) - std::count(skip.begin(), skip.end(), true);
            l.m_store.appendShard(r.shard, skip, lineBase, offsetBase);
            report.records += added;
            for (LocatedError &e : r.errors)
                report.addError(e.line + lineBase, std::move(e.message));
            report.skipped += r.errorCount - std::int64_t(r.errors.size());
            l.m_limit.merge(r.limit);
            nonBlank += r.nonBlankLines;
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

        Buffer buf = std::move(first);
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
            for (std::uint64_t from = 0; from < limit && !readFailed && !cancelled(); from += chunkBytes) {
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
                reserveFor(std::uint64_t(std::count(buf.data(), buf.data() + buf.len, '\n')), buf.len);
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
                Buffer next = pipeline.takeBuffer();
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
        if (nonBlank == 1 && lastShape != DocumentShape::Unknown && lastShape != DocumentShape::Record)
            report.format = QLatin1String(formatName(lastShape));
    }

    void document(Buffer &buf, bool eof)
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
            const std::uint64_t offset = at
                    ? json::inputOffset(shifts, std::size_t(at - text)) + std::size_t(start - buf.data())
                    : 0;
            const auto outcome = builder.add(rec, l.m_store, file, std::uint32_t(line), offset);
            if (outcome == EventBuilder::Outcome::NoTime) {
                report.addError(line, qs(rec.timeError));
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
            report.addError(lines.lineOf(at), qs(reason));
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
            report.addError(lines.lineOf(r.errorAt), qs(json::reason(r.error)));
        } else if (r.scalar) {
            report.addError(1, scalarMessage(start, start + n));
        } else {
            report.format = QLatin1String(formatName(r.shape));
        }
        l.m_limit.merge(builder.reportedLimit());
        lastLine = lines.lineOf(text + textLen); // `lines` counts in the text decoded last
    }

    using WholeFileReader = void (*)(std::string_view, RecordDecoder &,
                                     const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &,
                                     const std::function<void(std::uint64_t, std::string_view)> &);

    // Recorder formats read from the whole input at once (PyGithub, YAML cassettes, httprr,
    // ReqLLM): each record comes with its line and byte offset.
    void wholeFile(Buffer &&first, bool eof, QString format, WholeFileReader read)
    {
        report.format = std::move(format);
        Buffer buf = std::move(first);
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
                    const auto outcome =
                            builder.add(rec, l.m_store, file, std::uint32_t(line), offset);
                    if (outcome == EventBuilder::Outcome::NoTime)
                        report.addError(line, qs(rec.timeError));
                    else if (outcome == EventBuilder::Outcome::Added)
                        ++report.records;
                },
                [&](std::uint64_t line, std::string_view reason) {
                    report.addError(line, qs(reason));
                });
        l.m_limit.merge(builder.reportedLimit());
        lastLine = std::uint64_t(std::count(buf.data(), buf.data() + buf.len, '\n')) + 1;
    }
};

Loader::Loader(EventStore &store, const RuleSet &rules, LoadOptions options)
    : m_store(store), m_rules(rules), m_options(std::move(options)), m_ids(std::make_unique<IdSet>())
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

    Buffer buf;
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
    const bool generic = report.format == QLatin1String("ndjson") || report.format == QLatin1String("json");
    if (generic && !report.failed() && report.records == 0 && report.duplicates == 0 && report.skipped > 0) {
        const LocatedError &first = report.errors.front();
        report.notALog = true;
        report.fatal = QStringLiteral("not a log: no line holds a record with a time (line %1: %2)")
                               .arg(first.line)
                               .arg(first.message);
    }
    return report;
}
