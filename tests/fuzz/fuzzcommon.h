#pragma once

// Shared by the libFuzzer harnesses (tests/fuzz). Each harness is one executable with
// LLVMFuzzerTestOneInput; a failed property aborts (libFuzzer saves the input as a crash).

#include "decode/ratelimitheaders.h"
#include "decode/rawrecord.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);       \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

// The input with simdjson's padding after it (the decoder may read that far).
inline std::string padded(const char *data, std::size_t size)
{
    std::string s(data, size);
    s.append(simdjson::SIMDJSON_PADDING, ' ');
    return s;
}

// Reads every byte every view of the record points at (ASan sees a dangling view), then
// classifies and stores it, as the loader does.
inline void touch(const RawRecord &rec, EventStore &store)
{
    static const RuleSet rules = RuleSet::builtIn();
    std::size_t sum = 0;
    auto see = [&](std::string_view v) {
        for (char c : v)
            sum += static_cast<unsigned char>(c);
    };
    for (std::string_view v :
        { rec.method, rec.url, rec.tool, rec.provider, rec.connection, rec.id, rec.timeError,
            rec.error.message, rec.error.toolErrorCode, rec.error.toolErrorMessage })
        see(v);
    for (int i = 0; i < rec.error.codeCount; ++i)
        see(rec.error.codes[std::size_t(i)]);
    for (const HeaderField &h : rec.headers) {
        see(h.name);
        see(h.value);
    }
    (void)readRateLimitHeaders(rec.headers, rec.timeMs);
    EventBuilder builder(rules, TimeRange {});
    const auto outcome = builder.add(rec, store, 0, 1, 0);
    FUZZ_CHECK((outcome == EventBuilder::Outcome::NoTime) == !rec.timeMs.has_value());
    FUZZ_CHECK(sum != std::size_t(-1));
}
