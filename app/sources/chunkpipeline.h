#pragma once

#include "base/inputreport.h"
#include "decode/linetext.h"
#include "decode/recorddecoder.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"
#include "store/hugepagealloc.h"

#include <QString>

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// NDJSON in parallel, for the Loader: chunks of whole lines go to worker threads (one
// simdjson parser and one EventBuilder each), and their results come back in file order to be
// merged. A chunk is either bytes the loader read (gzip, pipes, the end of a file) or a span
// of a regular file that the worker reads itself.

// Reads n bytes at offset (fewer only at the end of the file). False on an I/O error.
bool preadFully(int fd, char *dst, std::size_t n, std::uint64_t offset, std::size_t &got);

// A growable byte buffer that is never zero-filled (chunks are written by read() at once)
// and always has kPad readable bytes after its capacity's data, as simdjson requires.
// Chunk-sized buffers come on 2 MiB pages (HugePageAllocator): a fresh 4 MiB buffer is then
// two page faults instead of a thousand, and the parser misses the TLB less.
struct ChunkBufferFree
{
    std::size_t bytes = 0;
    void operator()(char *q) const { HugePageAllocator<char>().deallocate(q, bytes); }
};

struct ChunkBuffer
{
    static constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;
    using Free = ChunkBufferFree;
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
        std::unique_ptr<char[], Free> q(
            HugePageAllocator<char>().allocate(newCap + kPad), Free { newCap + kPad });
        if (len)
            std::memcpy(q.get(), p.get(), len);
        p = std::move(q);
        cap = newCap;
    }
    void pad() { std::memset(p.get() + len, ' ', kPad); }
};

// Whole lines to parse: either read already (buf.len bytes, then kPad spaces), or a span of
// a regular file the worker reads itself (fd >= 0; see readSpan).
struct Chunk
{
    std::uint64_t seq = 0;
    ChunkBuffer buf;
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
    std::uint64_t k6Lines = 0; // lines of k6's JSON output (DocumentShape::K6)
    DocumentShape lastShape = DocumentShape::Unknown;
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
        lines = nonBlankLines = k6Lines = 0;
        lastShape = DocumentShape::Unknown;
        textBegin = textEnd = 0;
        readError = 0;
    }
};

class ChunkParser;

// A bounded pool: the reader blocks when `limit` chunks are waiting or unmerged.
class ChunkPipeline
{
public:
    ChunkPipeline(int threads, const RuleSet &rules, TimeRange range, std::uint16_t file);
    ~ChunkPipeline();

    void submit(Chunk &&c);
    // Next result in sequence order; blocks. Only call as many times as chunks were submitted.
    ChunkResult next();
    std::size_t limit() const { return m_limit; }
    // A result that has been merged, for a worker to fill again.
    void recycle(ChunkResult &&r);
    // A buffer a worker has finished with, or a new one.
    ChunkBuffer takeBuffer();
    // True when a result is ready to merge without waiting.
    bool ready();

private:
    void work(ChunkParser &parser);

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Chunk> m_queue;
    std::vector<ChunkBuffer> m_free;
    std::vector<ChunkResult> m_spare;
    std::map<std::uint64_t, ChunkResult> m_done;
    std::uint64_t m_nextSeq = 0;
    std::size_t m_inFlight = 0;
    std::size_t m_limit = 4;
    bool m_stop = false;
    std::vector<std::unique_ptr<ChunkParser>> m_parsers;
    std::vector<std::thread> m_threads;
};
