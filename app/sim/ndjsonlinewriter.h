#pragma once

#include "sim/prng.h"

#include <cstdint>
#include <string>
#include <string_view>

// Writes one simulated record's JSON text by appending pieces to a line, with no JSON
// library: the simulator's records have a fixed shape, and a generic writer would cost more
// than the traffic model (the simulator writes a million records in about a second). The
// caller appends the punctuation and quotes itself; the writer knows numbers, hex ids, random
// digits and RFC 3339 times with milliseconds.
class NdjsonLineWriter
{
public:
    NdjsonLineWriter() { m_line.reserve(1024); }

    void clear() { m_line.clear(); }
    const std::string &line() const { return m_line; }

    void lit(std::string_view s) { m_line.append(s.data(), s.size()); }
    void ch(char c) { m_line.push_back(c); }
    void uint(std::uint64_t v);
    void hex(std::uint64_t v, int digits); // lower case, zero-padded to `digits`
    void randomDigits(Xoshiro256 &rng, int count); // decimal, the first one non-zero
    void timestamp(std::int64_t ms); // "2026-01-05T10:42:07.120Z"

private:
    std::string m_line;
    std::int64_t m_cachedMinute = INT64_MIN;
    char m_minutePrefix[17] = {}; // "2026-01-05T10:42:" of m_cachedMinute
};
