// libFuzzer: the live-source framers (sources/lineframer, sources/sseframer; formats.md §4).
// The first byte picks feed sizes; the stream is fed in those pieces and again whole.
// Property: how the bytes are split into reads changes nothing.
#include "fuzzcommon.h"
#include "sources/lineframer.h"
#include "sources/sseframer.h"

#include <vector>

namespace {
template <typename Feed>
void inPieces(const char *text, std::size_t size, std::size_t piece, Feed &&feed)
{
    for (std::size_t at = 0; at < size; at += piece)
        feed(text + at, std::min(piece, size - at));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t piece = std::size_t(data[0] % 17) + 1;
    const std::size_t max = std::size_t(data[0] % 5) * 64 + 16; // small caps reach the drop paths
    const char *text = reinterpret_cast<const char *>(data + 1);
    --size;

    std::vector<std::string> lines[2];
    for (int pass = 0; pass < 2; ++pass) {
        LineFramer framer(max);
        auto onLine = [&](std::string_view l, std::uint64_t number) {
            FUZZ_CHECK(l.size() <= max);
            lines[pass].push_back(std::to_string(number) + ":" + std::string(l));
        };
        auto onDrop = [&](std::uint64_t number, std::uint64_t bytes) {
            FUZZ_CHECK(bytes > max);
            lines[pass].push_back(std::to_string(number) + " dropped " + std::to_string(bytes));
        };
        inPieces(text, size, pass ? size : piece,
            [&](const char *p, std::size_t n) { framer.feed(p, n, onLine, onDrop); });
        framer.finish(onLine, onDrop);
        FUZZ_CHECK(framer.pendingBytes() == 0);
    }
    FUZZ_CHECK(lines[0] == lines[1]);

    std::vector<std::string> events[2];
    std::string lastId[2];
    for (int pass = 0; pass < 2; ++pass) {
        SseFramer framer(max);
        auto onEvent = [&](const SseEvent &e) {
            FUZZ_CHECK(e.data.size() <= max); // may be empty: "data:" + blank line (WHATWG)
            events[pass].push_back(
                std::string(e.type) + "|" + std::string(e.lastEventId) + "|" + std::string(e.data));
        };
        auto onDrop = [&](std::uint64_t number, std::uint64_t bytes) {
            events[pass].push_back(std::to_string(number) + " dropped " + std::to_string(bytes));
        };
        inPieces(text, size, pass ? size : piece,
            [&](const char *p, std::size_t n) { framer.feed(p, n, onEvent, onDrop); });
        framer.finish();
        lastId[pass] = framer.lastEventId();
    }
    FUZZ_CHECK(events[0] == events[1]);
    FUZZ_CHECK(lastId[0] == lastId[1]);
    return 0;
}
