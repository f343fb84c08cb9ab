// libFuzzer: the JSON-document path (HAR, arrays, API pages, nock, cassettes) through
// RecordDecoder on the whole buffer, with the loader's second passes (invalid UTF-8 made
// U+FFFD, lone surrogate escapes made \ufffd), plus the PyGithub ReplayData reader.
#include "decode/jsonvalue.h"
#include "decode/pygithub.h"
#include "decode/recorddecoder.h"
#include "fuzzcommon.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const char *text = reinterpret_cast<const char *>(data);
    static RecordDecoder decoder;
    EventStore store;
    std::string doc = padded(text, size);
    std::size_t n = size;
    auto sink = [&](RawRecord &rec, const char *start) {
        FUZZ_CHECK(!start || (start >= doc.data() && start < doc.data() + n));
        touch(rec, store);
    };
    auto errors = [&](const char *start, std::string_view reason) {
        FUZZ_CHECK(!start || (start >= doc.data() && start <= doc.data() + n));
        FUZZ_CHECK(!reason.empty());
    };
    auto r = decoder.decode(doc.data(), n, doc.size(), sink, errors);
    if (r.error == simdjson::UTF8_ERROR) {
        doc = json::sanitizeUtf8(std::string_view(text, size));
        n = doc.size();
        doc.append(simdjson::SIMDJSON_PADDING, ' ');
        r = decoder.decode(doc.data(), n, doc.size(), sink, errors);
        FUZZ_CHECK(r.error != simdjson::UTF8_ERROR); // sanitizeUtf8 leaves valid UTF-8
    }
    if (r.error == simdjson::STRING_ERROR && json::replaceLoneSurrogates(doc.data(), n))
        r = decoder.decode(doc.data(), n, doc.size(), sink, errors);
    FUZZ_CHECK(!r.error || !r.errorAt || (r.errorAt >= doc.data() && r.errorAt <= doc.data() + n));

    if (looksLikePyGithub(std::string_view(text, size))) {
        readPyGithubReplay(
            std::string_view(text, size), decoder,
            [&](RawRecord &rec, std::uint64_t line, std::uint64_t offset) {
                FUZZ_CHECK(line >= 1 && offset < size);
                touch(rec, store);
            },
            [&](std::uint64_t line, std::string_view reason) {
                FUZZ_CHECK(line >= 1 && !reason.empty());
            });
    }
    return 0;
}
