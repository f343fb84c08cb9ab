#include "sim/ndjsonlinewriter.h"

#include "decode/timestamp.h"

#include <algorithm>

namespace {

constexpr std::int64_t kMinuteMs = 60000;

void put2(char *p, unsigned v)
{
    p[0] = char('0' + v / 10);
    p[1] = char('0' + v % 10);
}

} // namespace

void NdjsonLineWriter::uint(std::uint64_t v)
{
    char buf[20];
    int n = 0;
    do {
        buf[n++] = char('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        m_line.push_back(buf[--n]);
}

void NdjsonLineWriter::hex(std::uint64_t v, int digits)
{
    static constexpr char kHex[] = "0123456789abcdef";
    char buf[16];
    for (int i = digits - 1; i >= 0; --i) {
        buf[i] = kHex[v & 0xf];
        v >>= 4;
    }
    m_line.append(buf, std::size_t(digits));
}

void NdjsonLineWriter::randomDigits(Xoshiro256 &rng, int count)
{
    m_line.push_back(char('1' + rng.below(9)));
    for (int i = 1; i < count; ++i)
        m_line.push_back(char('0' + rng.below(10)));
}

void NdjsonLineWriter::timestamp(std::int64_t ms)
{
    const std::int64_t m = floorToMinute(ms) / kMinuteMs;
    if (m != m_cachedMinute) {
        // "YYYY-MM-DDTHH:MM:" once a minute, from decode/timestamp's calendar
        const std::string minute = formatUtcMinute(ms);
        std::copy_n(minute.data(), sizeof(m_minutePrefix), m_minutePrefix);
        m_cachedMinute = m;
    }
    m_line.append(m_minutePrefix, sizeof(m_minutePrefix));
    const unsigned inMinute = unsigned(ms - m * kMinuteMs);
    char buf[7];
    put2(buf, inMinute / 1000);
    buf[2] = '.';
    const unsigned milli = inMinute % 1000;
    buf[3] = char('0' + milli / 100);
    buf[4] = char('0' + milli / 10 % 10);
    buf[5] = char('0' + milli % 10);
    buf[6] = 'Z';
    m_line.append(buf, 7);
}
