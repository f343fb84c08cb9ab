// libFuzzer: the record decoder on one NDJSON line (the input up to its first newline), as
// the loader calls it: every record it gives is classified and stored.
#include "decode/recorddecoder.h"
#include "fuzzcommon.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const char *text = reinterpret_cast<const char *>(data);
    if (const void *nl = std::memchr(text, '\n', size))
        size = std::size_t(static_cast<const char *>(nl) - text);
    static RecordDecoder decoder; // reused, as a loader thread reuses its own
    EventStore store;
    std::string line = padded(text, size);
    std::size_t records = 0;
    const auto r = decoder.decode(
        line.data(), size, line.size(),
        [&](RawRecord &rec, const char *start) {
            FUZZ_CHECK(!start || (start >= line.data() && start < line.data() + size));
            touch(rec, store);
            ++records;
        },
        [&](const char *start, std::string_view reason) {
            FUZZ_CHECK(!start || (start >= line.data() && start <= line.data() + size));
            FUZZ_CHECK(!reason.empty());
        });
    FUZZ_CHECK(!(r.error && r.scalar && records > 0));
    FUZZ_CHECK(store.size() <= records);
    return 0;
}
