// libFuzzer: the loader's framing. The input is written to a file and loaded twice: in 4 KiB
// chunks over two threads (the smallest the loader cuts), and in one chunk on one thread.
// Properties: chunking changes nothing (records, errors and their lines), every error has a
// line and a reason, and in NDJSON that line is one of the file's.
//
// Live sources (tail -F, stdin, TCP, HTTP/SSE) have framers of their own (a later issue):
// fuzz_stream_framers covers sources/lineframer and sources/sseframer when they are in the tree.
#include "fuzzcommon.h"
#include "sources/loader.h"

#include <QString>

#include <algorithm>
#include <unistd.h>

namespace {
struct Result
{
    InputReport report;
    std::size_t stored = 0;
};

Result load(const QString &path, int threads, std::size_t chunkBytes)
{
    static const RuleSet rules = RuleSet::builtIn();
    EventStore store;
    LoadOptions o;
    o.threads = threads;
    o.chunkBytes = chunkBytes;
    o.maxInflated = 1u << 20; // a gzip bomb of the corpus stops at 1 MiB
    Loader loader(store, rules, o);
    Result r { loader.load(path), store.size() };
    return r;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const QString path
        = QStringLiteral("/tmp/ratescope-fuzz-loader-%1.input").arg(::getpid());
    FILE *f = std::fopen(path.toLocal8Bit().constData(), "wb");
    FUZZ_CHECK(f && std::fwrite(data, 1, size, f) == size);
    std::fclose(f);

    const Result a = load(path, 2, 4096);
    const Result b = load(path, 1, 1u << 20);
    FUZZ_CHECK(a.report.records == b.report.records);
    FUZZ_CHECK(a.report.skipped == b.report.skipped);
    FUZZ_CHECK(a.report.duplicates == b.report.duplicates);
    FUZZ_CHECK(a.report.fatal == b.report.fatal);
    FUZZ_CHECK(a.report.errors.size() == b.report.errors.size());
    for (std::size_t i = 0; i < a.report.errors.size(); ++i) {
        FUZZ_CHECK(a.report.errors[i].line == b.report.errors[i].line);
        FUZZ_CHECK(a.report.errors[i].message == b.report.errors[i].message);
        FUZZ_CHECK(!a.report.errors[i].message.isEmpty());
    }
    FUZZ_CHECK(std::int64_t(a.stored) == (a.report.failed() ? 0 : a.report.records));
    if (!a.report.gzip && !a.report.failed() && a.report.format == QLatin1String("ndjson")) {
        const auto lines = std::uint64_t(std::count(data, data + size, '\n')) + 1;
        for (const LocatedError &e : a.report.errors)
            FUZZ_CHECK(e.line >= 1 && e.line <= lines);
    }
    return 0;
}
