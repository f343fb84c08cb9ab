// libFuzzer: the timestamp parsers (formats.md §1.1). Properties: parsed instants stay in the
// documented range, and what formatUtcMs writes for years 0000..9999 reads back exactly.
#include "decode/timestamp.h"
#include "fuzzcommon.h"

#include <cstring>

namespace {
constexpr std::int64_t kMaxAbsMs = 8640000000000000; // timestamp.h: the ECMAScript Date range

void checkInstant(std::int64_t ms)
{
    FUZZ_CHECK(ms >= -kMaxAbsMs && ms <= kMaxAbsMs);
    const std::string text = formatUtcMs(ms);
    (void)formatUtcMinute(ms);
    FUZZ_CHECK(floorToMinute(ms) <= ms && ms - floorToMinute(ms) < 60000);
    if (text.size() == 24) { // a four-digit year: the RFC 3339 form reads back
        const auto back = parseTimestamp(text);
        FUZZ_CHECK(back && back->ms == ms && back->hadZone);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    if (const auto t = parseTimestamp(text))
        checkInstant(t->ms);
    if (const auto ms = parseHttpDate(text))
        checkInstant(*ms);
    if (size >= 8) {
        double d;
        std::int64_t i;
        std::memcpy(&d, data, 8);
        std::memcpy(&i, data, 8);
        if (const auto ms = timestampFromEpoch(d))
            checkInstant(*ms);
        if (const auto ms = timestampFromEpoch(i))
            (void)formatUtcMs(*ms); // nanoseconds of any int64: beyond the Date range is allowed
    }
    return 0;
}
