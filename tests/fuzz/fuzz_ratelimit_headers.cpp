// libFuzzer: the rate-limit header parsers (formats.md §3) on fuzzed name/value pairs: one
// header a line, "name: value"; the first line, when it is a number, is the record's time; a
// line "url: …" is the request URL too (window rules by host).
#include "decode/timestamp.h"
#include "fuzzcommon.h"

#include <cmath>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string_view rest(reinterpret_cast<const char *>(data), size);
    std::vector<HeaderField> headers;
    std::optional<std::int64_t> now;
    std::string_view url;
    bool first = true;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (first) {
            first = false;
            if (const auto t = parseTimestamp(line)) {
                now = t->ms;
                continue;
            }
        }
        const std::size_t colon = line.find(':');
        headers.push_back({ line.substr(0, colon),
            colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1) });
        if (headers.back().name == "url")
            url = headers.back().value;
        // each value on its own too
        if (const auto s = parseRetryAfter(headers.back().value, now))
            FUZZ_CHECK(std::isfinite(*s) && *s >= 0);
        if (const auto s = parseGoDuration(headers.back().value))
            FUZZ_CHECK(std::isfinite(*s));
        if (const auto s = parseNumber(headers.back().value))
            FUZZ_CHECK(std::isfinite(*s));
    }
    const RateLimitInfo info = readRateLimitHeaders(headers, now, url);
    FUZZ_CHECK(!info.retryAfterS || (std::isfinite(*info.retryAfterS) && *info.retryAfterS >= 0));
    FUZZ_CHECK(!info.limit || *info.limit >= 1);
    FUZZ_CHECK(!info.remaining || *info.remaining >= 0);
    FUZZ_CHECK(!info.windowS || *info.windowS >= 1);
    FUZZ_CHECK(!info.retryAfterS || info.hasRetryAfter);
    // the order of headers of different names does not matter for the limit chosen
    std::vector<HeaderField> reversed(headers.rbegin(), headers.rend());
    (void)readRateLimitHeaders(reversed, now, url);
    return 0;
}
