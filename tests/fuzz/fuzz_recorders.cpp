// libFuzzer: the recorder readers on any bytes — YAML cassettes (yaml-cpp events,
// one interaction at a time), httprr traces, ReqLLM fixtures — and the detail pane's read-back
// of a YAML interaction and an httprr exchange. Properties: no crash, hang or leak of a view;
// every record and error has a line within the input (and an offset inside it); every error
// has a reason.
#include "decode/httprr.h"
#include "decode/recorddecoder.h"
#include "decode/reqllm.h"
#include "decode/yamlcassette.h"
#include "fuzzcommon.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    static RecordDecoder decoder;
    EventStore store;
    const auto lines = std::uint64_t(std::count(text.begin(), text.end(), '\n')) + 1;
    auto onRecord = [&](RawRecord &rec, std::uint64_t line, std::uint64_t offset) {
        FUZZ_CHECK(line >= 1 && line <= lines);
        FUZZ_CHECK(offset <= size);
        touch(rec, store);
    };
    auto onError = [&](std::uint64_t line, std::string_view reason) {
        FUZZ_CHECK(line >= 1 && line <= lines + 1);
        FUZZ_CHECK(!reason.empty());
    };
    readYamlCassette(text, decoder, onRecord, onError);
    readHttprrTrace(text, decoder, onRecord, onError);
    if (looksLikeReqLlm(text))
        readReqLlmFixture(text, decoder, onRecord, onError);
    (void)looksLikeYamlCassette(text);
    (void)looksLikeYaml(text);
    std::string error;
    (void)yamlInteractionForDisplay(text, &error);
    (void)httprrExchangeForDisplay(text, &error);
    return 0;
}
