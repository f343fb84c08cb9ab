#include "sources/chunkpipeline.h"

#include "decode/jsonvalue.h"
#include "sources/idset.h"

#include <utility>

#include <cerrno>
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

} // namespace

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

namespace {

// The part of a regular file that workers read themselves: the lines that start at a byte in
// [from, to), from a file whose first `limit` bytes end with a newline. A line belongs to the
// chunk its first byte lies in, so every worker finds its own lines without knowing where
// the previous chunk ended. Sets [begin, end) to those lines' file offsets (begin == end:
// none start there, a long line crosses the whole span) and leaves them at
// buf.data() + (begin - readFrom), padded. False on an I/O error.
bool readSpan(int fd, std::uint64_t from, std::uint64_t to, std::uint64_t limit, ChunkBuffer &buf,
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
        const auto *nl = static_cast<const char *>(
            std::memchr(buf.data(), '\n', std::size_t(to - 1 - readFrom)));
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
        const auto *nl
            = static_cast<const char *>(std::memchr(buf.data() + scan, '\n', buf.len - scan));
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

} // namespace

// One worker's parser: the lines of a chunk into a shard of events.
class ChunkParser
{
public:
    ChunkParser(const RuleSet &rules, TimeRange range, std::uint16_t file)
        : m_builder(rules, range)
        , m_file(file)
    {
        m_sink = [this](RawRecord &rec, const char *) {
            if (++m_calls > m_replayed)
                onRecord(rec);
        };
        m_errors = [this](const char *, std::string_view reason) {
            if (++m_calls > m_replayed)
                error(utf8Text(reason));
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
        ChunkResult r
            = parse(m_own.data() + (begin - readFrom), std::size_t(end - begin), std::move(into));
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
        return std::move(m_result);
    }

    void decodeLine(const char *s, std::size_t len, std::size_t capacity)
    {
        const auto r = m_decoder.decodeRepairing(
            s, len, capacity, m_sink, m_errors, m_fixed, m_calls, m_replayed);
        if (r.error) {
            error(utf8Text(json::reason(r.error)));
        } else if (r.scalar) {
            error(scalarMessage(s, s + len));
        } else {
            m_result.lastShape = r.shape;
            m_result.k6Lines += r.shape == DocumentShape::K6;
        }
    }

private:
    void onRecord(RawRecord &rec)
    {
        const auto outcome = m_builder.add(rec, m_result.shard, m_file, m_line, m_offset);
        if (outcome == EventBuilder::Outcome::Added)
            m_result.ids.push_back(idHash(rec.id));
        else if (outcome == EventBuilder::Outcome::NoTime)
            error(utf8Text(rec.timeError));
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
    ChunkBuffer m_own; // the chunks this worker reads itself (kept: no fresh pages per chunk)
};

ChunkPipeline::ChunkPipeline(int threads, const RuleSet &rules, TimeRange range, std::uint16_t file)
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

ChunkPipeline::~ChunkPipeline()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    for (auto &t : m_threads)
        t.join();
}

void ChunkPipeline::submit(Chunk &&c)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_inFlight < m_limit; });
    ++m_inFlight;
    m_queue.push_back(std::move(c));
    m_cv.notify_all();
}

ChunkResult ChunkPipeline::next()
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_done.count(m_nextSeq) > 0; });
    ChunkResult r = std::move(m_done[m_nextSeq]);
    m_done.erase(m_nextSeq++);
    --m_inFlight;
    m_cv.notify_all();
    return r;
}

void ChunkPipeline::recycle(ChunkResult &&r)
{
    std::lock_guard lock(m_mutex);
    m_spare.push_back(std::move(r));
}

ChunkBuffer ChunkPipeline::takeBuffer()
{
    std::lock_guard lock(m_mutex);
    if (m_free.empty())
        return {};
    ChunkBuffer b = std::move(m_free.back());
    m_free.pop_back();
    b.len = 0;
    return b;
}

bool ChunkPipeline::ready()
{
    std::lock_guard lock(m_mutex);
    return m_done.count(m_nextSeq) > 0;
}

void ChunkPipeline::work(ChunkParser &parser)
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
