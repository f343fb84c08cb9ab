#include "decode/timestamp.h"

#include <charconv>
#include <cmath>
#include <limits>

// Timestamp parsing (formats.md §1.1). Every function here is pure, allocation-free on the
// parse path and never throws; all arithmetic is range-checked so that no input (fuzzed
// with -fsanitize=undefined) reaches signed overflow or an out-of-bounds read.
//
// Decisions the spec leaves open (also listed in the report of this change):
// - Parsed instants are limited to the ECMAScript Date range, |ms| <= 8.64e15 (about
//   ±273,790 years). Anything beyond is rejected like an int64 overflow, so callers can add
//   minutes or durations to a parsed time without overflowing.
// - Surrounding ASCII whitespace (space, tab, CR, LF) is ignored.
// - RFC 3339: the seconds may be omitted ("10:42Z"), a date alone ("2026-01-05") is midnight
//   UTC without zone, more than 9 fraction digits are accepted (truncated), ',' works as
//   the decimal sign (ISO 8601), a '.' without digits is rejected, hour 24 is rejected, one
//   space may separate the time from its zone, "UTC"/"GMT" work as zone names, and a zone
//   abbreviation may follow a numeric offset (Go's "2026-01-05 10:42:07 +0000 UTC"; the
//   offset decides).
// - HTTP-dates: day names are checked against the list (short or long, any case) but not
//   against the date; the day may have 1 or 2 digits; the day name may be left out
//   ("27 Oct 2023 19:19:05 GMT"); "GMT", "UTC", "UT", "Z" and numeric offsets ("+0000")
//   are accepted; two-digit years (RFC 850) are 19yy for 70..99 and 20yy for 00..69 (the
//   POSIX strptime %y pivot; a pure function has no clock to apply RFC 9110's 50-year rule).
//   All HTTP-dates report hadZone = true (asctime is GMT by definition).
// - Epoch numbers: text may have a sign, a fraction and an exponent ("1.7e9"). The unit is
//   decided on the exact decimal value. A double (JSON number) is first written as its
//   shortest round-trip decimal (std::to_chars), so 1700000000.123 gives ...123 ms as the
//   file said, not ...122 ms from the binary value 1700000000.12299990654.
// - formatUtcMs/formatUtcMinute: years outside 0000..9999 are written as ECMAScript's
//   expanded years, a sign and at least 6 digits ("+010000-01-01T00:00:00.000Z",
//   "-000001-12-31T23:59:59.999Z"), like Date.prototype.toISOString.

namespace {

constexpr std::int64_t kMsPerDay = 86400000;
constexpr std::int64_t kMaxAbsMs = 8640000000000000; // ECMAScript Date range: 1e8 days

constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr char toLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (toLower(a[i]) != toLower(b[i]))
            return false;
    }
    return true;
}

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": days since 1970-01-01 of
// the proleptic Gregorian date y-m-d.
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400); // [0, 399]
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; // [0, 365]
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil
{
    std::int64_t y;
    unsigned m;
    unsigned d;
};

// The inverse of daysFromCivil (same source).
constexpr Civil civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097); // [0, 146096]
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    const unsigned mp = (5 * doy + 2) / 153; // [0, 11]
    const unsigned d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    const unsigned m = mp < 10 ? mp + 3 : mp - 9; // [1, 12]
    return { y + (m <= 2 ? 1 : 0), m, d };
}

static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);
static_assert(
    civilFromDays(-1).y == 1969 && civilFromDays(-1).m == 12 && civilFromDays(-1).d == 31);

constexpr bool isLeap(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr unsigned daysInMonth(std::int64_t y, unsigned m)
{
    constexpr unsigned kDays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return (m == 2 && isLeap(y)) ? 29u : kDays[m - 1];
}

// Exactly n digits at s[i..i+n), advancing i.
bool readDigits(std::string_view s, std::size_t &i, int n, int &out)
{
    if (s.size() < i || s.size() - i < static_cast<std::size_t>(n))
        return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
        const char c = s[i + static_cast<std::size_t>(k)];
        if (!isDigit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(n);
    out = v;
    return true;
}

bool readChar(std::string_view s, std::size_t &i, char c)
{
    if (i < s.size() && s[i] == c) {
        ++i;
        return true;
    }
    return false;
}

// A validated calendar date and wall-clock time, plus a zone offset, to UTC ms.
struct Fields
{
    int year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    int offsetMinutes = 0; // local = UTC + offset
};

// The day number (days since 1970-01-01) of f's date; nullopt when there is no such date.
std::optional<std::int64_t> dayNumber(const Fields &f)
{
    if (f.year < 0 || f.year > 9999 || f.month < 1 || f.month > 12 || f.day < 1)
        return std::nullopt;
    if (static_cast<unsigned>(f.day) > daysInMonth(f.year, static_cast<unsigned>(f.month)))
        return std::nullopt;
    return daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
}

// Milliseconds from the start of the day to f's wall-clock time; nullopt when out of range.
std::optional<std::int64_t> msOfDay(Fields f)
{
    if (f.hour < 0 || f.hour > 23 || f.minute < 0 || f.minute > 59 || f.second < 0 || f.second > 60
        || f.millis < 0 || f.millis > 999)
        return std::nullopt;
    if (f.second == 60) { // leap second: the last millisecond of that minute
        f.second = 59;
        f.millis = 999;
    }
    return (std::int64_t(f.hour) * 3600 + f.minute * 60 + f.second) * 1000 + f.millis;
}

std::optional<std::int64_t> toUtcMs(const Fields &f)
{
    const auto days = dayNumber(f);
    const auto time = msOfDay(f);
    if (!days || !time)
        return std::nullopt;
    return *days * 86400000 + *time - std::int64_t(f.offsetMinutes) * 60000;
}

// [+-]hh, [+-]hhmm, [+-]hh:mm at s[i]; offset in minutes.
bool readNumericOffset(std::string_view s, std::size_t &i, int &offsetMinutes)
{
    if (i >= s.size() || (s[i] != '+' && s[i] != '-'))
        return false;
    const bool negative = s[i] == '-';
    ++i;
    int oh = 0, om = 0;
    if (!readDigits(s, i, 2, oh))
        return false;
    if (readChar(s, i, ':')) {
        if (!readDigits(s, i, 2, om))
            return false;
    } else if (i < s.size() && isDigit(s[i])) {
        if (!readDigits(s, i, 2, om))
            return false;
    }
    if (oh > 23 || om > 59)
        return false;
    offsetMinutes = (negative ? -1 : 1) * (oh * 60 + om);
    return true;
}

// "UTC", "GMT", "UT", "Z" as a whole zone word at s[i..).
bool readZoneName(std::string_view s, std::size_t &i)
{
    std::size_t j = i;
    while (j < s.size() && isAlpha(s[j]))
        ++j;
    const std::string_view word = s.substr(i, j - i);
    if (equalsNoCase(word, "UTC") || equalsNoCase(word, "GMT") || equalsNoCase(word, "UT")
        || equalsNoCase(word, "Z")) {
        i = j;
        return true;
    }
    return false;
}

std::optional<ParsedTime> parseRfc3339(std::string_view s)
{
    Fields f;
    std::size_t i = 0;
    if (!readDigits(s, i, 4, f.year) || !readChar(s, i, '-') || !readDigits(s, i, 2, f.month)
        || !readChar(s, i, '-') || !readDigits(s, i, 2, f.day))
        return std::nullopt;
    bool hadZone = false;
    if (i < s.size()) {
        const char sep = s[i];
        if (sep != 'T' && sep != 't' && sep != ' ')
            return std::nullopt;
        ++i;
        if (!readDigits(s, i, 2, f.hour) || !readChar(s, i, ':') || !readDigits(s, i, 2, f.minute))
            return std::nullopt;
        if (readChar(s, i, ':')) {
            if (!readDigits(s, i, 2, f.second))
                return std::nullopt;
            if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
                ++i;
                std::size_t digits = 0;
                int ms = 0;
                while (i < s.size() && isDigit(s[i])) {
                    if (digits < 3)
                        ms = ms * 10 + (s[i] - '0');
                    ++digits;
                    ++i;
                }
                if (digits == 0)
                    return std::nullopt;
                for (std::size_t k = digits; k < 3; ++k)
                    ms *= 10;
                f.millis = ms; // truncated, never rounded
            }
        }
        if (i + 1 < s.size() && s[i] == ' ')
            ++i; // "2026-01-05 10:42:07 +0000"
        if (i < s.size()) {
            if (s[i] == 'Z' || s[i] == 'z') {
                ++i;
            } else if (s[i] == '+' || s[i] == '-') {
                if (!readNumericOffset(s, i, f.offsetMinutes))
                    return std::nullopt;
                // Go's time.String(): "+0000 UTC"; the abbreviation is informational.
                if (i + 1 < s.size() && s[i] == ' ') {
                    std::size_t j = i + 1;
                    while (j < s.size() && isAlpha(s[j]))
                        ++j;
                    if (j == s.size() && j - (i + 1) <= 5)
                        i = j;
                }
            } else if (!readZoneName(s, i)) {
                return std::nullopt;
            }
            hadZone = true;
        }
    }
    if (i != s.size())
        return std::nullopt;
    const auto ms = toUtcMs(f);
    if (!ms)
        return std::nullopt;
    return ParsedTime { *ms, hadZone };
}

int monthFromName(std::string_view w)
{
    constexpr std::string_view kMonths[12]
        = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
    for (int k = 0; k < 12; ++k) {
        if (equalsNoCase(w, kMonths[k]))
            return k + 1;
    }
    return 0;
}

bool isDayName(std::string_view w)
{
    constexpr std::string_view kShort[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
    constexpr std::string_view kLong[7]
        = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
    for (int k = 0; k < 7; ++k) {
        if (equalsNoCase(w, kShort[k]) || equalsNoCase(w, kLong[k]))
            return true;
    }
    return false;
}

std::string_view readWord(std::string_view s, std::size_t &i)
{
    const std::size_t start = i;
    while (i < s.size() && isAlpha(s[i]))
        ++i;
    return s.substr(start, i - start);
}

// 1 or 2 digits.
bool readDay(std::string_view s, std::size_t &i, int &day)
{
    if (i >= s.size() || !isDigit(s[i]))
        return false;
    day = s[i++] - '0';
    if (i < s.size() && isDigit(s[i]))
        day = day * 10 + (s[i++] - '0');
    return true;
}

// 4 digits, or 2 digits read with the POSIX %y pivot.
bool readYear(std::string_view s, std::size_t &i, int &year)
{
    std::size_t j = i;
    while (j < s.size() && isDigit(s[j]))
        ++j;
    const std::size_t n = j - i;
    if (n == 4)
        return readDigits(s, i, 4, year);
    if (n == 2 && readDigits(s, i, 2, year)) {
        year += year < 70 ? 2000 : 1900;
        return true;
    }
    return false;
}

bool readTimeOfDay(std::string_view s, std::size_t &i, Fields &f)
{
    return readDigits(s, i, 2, f.hour) && readChar(s, i, ':') && readDigits(s, i, 2, f.minute)
        && readChar(s, i, ':') && readDigits(s, i, 2, f.second);
}

std::optional<std::int64_t> parseHttpDateTrimmed(std::string_view s)
{
    Fields f;
    std::size_t i = 0;
    if (i < s.size() && isAlpha(s[i])) {
        const std::string_view dayName = readWord(s, i);
        if (!isDayName(dayName))
            return std::nullopt;
        if (!readChar(s, i, ',')) {
            // asctime: "Fri Oct 27 19:19:05 2023", "Fri Oct  7 19:19:05 2023"
            if (!readChar(s, i, ' '))
                return std::nullopt;
            f.month = monthFromName(readWord(s, i));
            if (f.month == 0 || !readChar(s, i, ' '))
                return std::nullopt;
            readChar(s, i, ' ');
            if (!readDay(s, i, f.day) || !readChar(s, i, ' ') || !readTimeOfDay(s, i, f)
                || !readChar(s, i, ' ') || !readDigits(s, i, 4, f.year) || i != s.size())
                return std::nullopt;
            return toUtcMs(f);
        }
        if (!readChar(s, i, ' '))
            return std::nullopt;
    }
    // IMF-fixdate "27 Oct 2023 19:19:05 GMT" or RFC 850 "27-Oct-23 19:19:05 GMT"
    if (!readDay(s, i, f.day) || i >= s.size() || (s[i] != ' ' && s[i] != '-'))
        return std::nullopt;
    const char sep = s[i++];
    f.month = monthFromName(readWord(s, i));
    if (f.month == 0 || !readChar(s, i, sep) || !readYear(s, i, f.year) || !readChar(s, i, ' ')
        || !readTimeOfDay(s, i, f) || !readChar(s, i, ' '))
        return std::nullopt;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        if (!readNumericOffset(s, i, f.offsetMinutes))
            return std::nullopt;
    } else if (!readZoneName(s, i)) {
        return std::nullopt;
    }
    if (i != s.size())
        return std::nullopt;
    return toUtcMs(f);
}

// An exact decimal number: [+-] digits [. digits] [e [+-] digits], at least one digit.
struct Decimal
{
    bool negative = false;
    std::string_view intDigits;
    std::string_view fracDigits;
    std::int64_t exponent = 0;
};

bool scanDecimal(std::string_view s, Decimal &d)
{
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        d.negative = s[i++] == '-';
    std::size_t start = i;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    d.intDigits = s.substr(start, i - start);
    if (i < s.size() && s[i] == '.') {
        start = ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        d.fracDigits = s.substr(start, i - start);
    }
    if (d.intDigits.empty() && d.fracDigits.empty())
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool negExp = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            negExp = s[i++] == '-';
        if (i >= s.size() || !isDigit(s[i]))
            return false;
        std::int64_t e = 0;
        while (i < s.size() && isDigit(s[i])) {
            if (e < 1000000000) // saturate: far beyond any representable instant
                e = e * 10 + (s[i] - '0');
            ++i;
        }
        d.exponent = negExp ? -e : e;
    }
    return i == s.size();
}

// Power of ten from the epoch unit to ms, by the number of integer digits of |v|.
std::int64_t unitToMsShift(std::int64_t integerDigits)
{
    if (integerDigits <= 11)
        return 3; // |v| < 1e11: seconds
    if (integerDigits <= 14)
        return 0; // < 1e14: milliseconds
    if (integerDigits <= 17)
        return -3; // < 1e17: microseconds
    return -6; // nanoseconds
}

// Epoch number -> UTC ms: unit by magnitude (|v| < 1e11 s, < 1e14 ms, < 1e17 us, else ns),
// floored to the millisecond, exactly (no binary floating point involved).
std::optional<std::int64_t> epochMsFromDecimal(const Decimal &d)
{
    const std::int64_t intLen = static_cast<std::int64_t>(d.intDigits.size());
    const std::int64_t n = intLen + static_cast<std::int64_t>(d.fracDigits.size());
    auto digitAt = [&](std::int64_t k) -> int {
        return k < intLen ? d.intDigits[static_cast<std::size_t>(k)] - '0'
                          : d.fracDigits[static_cast<std::size_t>(k - intLen)] - '0';
    };
    std::int64_t first = 0;
    while (first < n && digitAt(first) == 0)
        ++first;
    if (first == n)
        return 0; // zero, "-0" included
    const std::int64_t m = n - first; // significant digits S; |v| = S * 10^e0
    const std::int64_t e0 = d.exponent - static_cast<std::int64_t>(d.fracDigits.size());
    const std::int64_t magnitude = m + e0; // |v| < 10^magnitude, >= 10^(magnitude-1)
    const std::int64_t q = e0 + unitToMsShift(magnitude); // |ms| = S * 10^q
    if (m + q > 16) // |ms| >= 1e16 > kMaxAbsMs
        return std::nullopt;
    std::uint64_t acc = 0;
    bool remainder = false;
    const std::int64_t keep = m + q; // integer digits of |ms|
    for (std::int64_t k = 0; k < m; ++k) {
        const int digit = digitAt(first + k);
        if (k < keep)
            acc = acc * 10 + static_cast<std::uint64_t>(digit);
        else if (digit != 0)
            remainder = true;
    }
    for (std::int64_t k = 0; k < q; ++k)
        acc *= 10;
    if (acc > static_cast<std::uint64_t>(kMaxAbsMs))
        return std::nullopt;
    std::int64_t ms = static_cast<std::int64_t>(acc);
    if (d.negative)
        ms = -ms - (remainder ? 1 : 0); // floor toward the earlier millisecond
    if (ms < -kMaxAbsMs)
        return std::nullopt;
    return ms;
}

std::optional<std::int64_t> parseEpochText(std::string_view s)
{
    Decimal d;
    if (!scanDecimal(s, d))
        return std::nullopt;
    return epochMsFromDecimal(d);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

// Writes v with at least `width` digits; returns the end.
char *writeDigits(char *out, std::uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = char('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width)
        tmp[n++] = '0';
    while (n > 0)
        *out++ = tmp[--n];
    return out;
}

std::string format(std::int64_t ms, bool withMillis)
{
    // days * kMsPerDay could overflow near INT64_MIN; the remainder cannot.
    const std::int64_t days = floorDiv(ms, kMsPerDay);
    std::int64_t inDay = ms % kMsPerDay;
    if (inDay < 0)
        inDay += kMsPerDay; // [0, 86399999]
    const Civil c = civilFromDays(days);
    char buf[64];
    char *p = buf;
    if (c.y >= 0 && c.y <= 9999) {
        p = writeDigits(p, static_cast<std::uint64_t>(c.y), 4);
    } else {
        *p++ = c.y < 0 ? '-' : '+';
        const std::uint64_t absYear = c.y < 0 ? static_cast<std::uint64_t>(-(c.y + 1)) + 1
                                              : static_cast<std::uint64_t>(c.y);
        p = writeDigits(p, absYear, 6);
    }
    *p++ = '-';
    p = writeDigits(p, c.m, 2);
    *p++ = '-';
    p = writeDigits(p, c.d, 2);
    *p++ = 'T';
    const auto secOfDay = static_cast<std::uint64_t>(inDay / 1000);
    p = writeDigits(p, secOfDay / 3600, 2);
    *p++ = ':';
    p = writeDigits(p, secOfDay / 60 % 60, 2);
    *p++ = ':';
    if (withMillis) {
        p = writeDigits(p, secOfDay % 60, 2);
        *p++ = '.';
        p = writeDigits(p, static_cast<std::uint64_t>(inDay % 1000), 3);
    } else {
        *p++ = '0';
        *p++ = '0';
    }
    *p++ = 'Z';
    return std::string(buf, static_cast<std::size_t>(p - buf));
}

} // namespace

namespace {

// The shape nearly every log writes, "2026-01-05T10:42:07.120Z" (0..9 fraction digits), read
// at fixed places: parseRfc3339 reads it a field at a time and took ~40 ns a timestamp.
// Anything else (offsets, spaces, other separators) is not matched here (nullopt: read it the
// general way); what is matched is validated by the same dayNumber and msOfDay as toUtcMs.
std::optional<std::optional<ParsedTime>> parseUtcFast(std::string_view s)
{
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
        || s.back() != 'Z')
        return std::nullopt;
    const auto d
        = [&](std::size_t at) { return unsigned(static_cast<unsigned char>(s[at]) - '0'); };
    unsigned bad = 0; // any byte that is not a digit makes some d() > 9
    for (std::size_t at : { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 })
        bad |= d(at) > 9;
    Fields f;
    f.year = int(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3));
    f.month = int(d(5) * 10 + d(6));
    f.day = int(d(8) * 10 + d(9));
    f.hour = int(d(11) * 10 + d(12));
    f.minute = int(d(14) * 10 + d(15));
    f.second = int(d(17) * 10 + d(18));
    if (s.size() > 20) { // ".f" .. ".fffffffff": truncated to ms, never rounded
        const std::size_t digits = s.size() - 21;
        if (s[19] != '.' || digits == 0 || digits > 9)
            return std::nullopt;
        int ms = 0;
        for (std::size_t k = 0; k < digits; ++k) {
            bad |= d(20 + k) > 9;
            if (k < 3)
                ms = ms * 10 + int(d(20 + k));
        }
        for (std::size_t k = digits; k < 3; ++k)
            ms *= 10;
        f.millis = ms;
    }
    if (bad)
        return std::nullopt;
    // The day number of the date (its divisions were half of the time left), kept for the
    // next timestamp: logs are written in time order, the date rarely changes from one record
    // to the next.
    thread_local int lastDate = -1;
    thread_local std::int64_t lastDays = 0;
    const int date = f.year * 10000 + f.month * 100 + f.day;
    if (date != lastDate) {
        const auto days = dayNumber(f);
        if (!days)
            return std::optional<ParsedTime>(); // the right shape with an impossible date
        lastDate = date;
        lastDays = *days;
    }
    const auto time = msOfDay(f);
    if (!time)
        return std::optional<ParsedTime>();
    return ParsedTime { lastDays * 86400000 + *time, true };
}

} // namespace

std::optional<ParsedTime> parseTimestamp(std::string_view text)
{
    if (const auto fast = parseUtcFast(text))
        return *fast;
    const std::string_view s = trim(text);
    if (s.empty())
        return std::nullopt;
    if (isAlpha(s[0])) {
        if (const auto ms = parseHttpDateTrimmed(s))
            return ParsedTime { *ms, true };
        return std::nullopt;
    }
    if (s.size() >= 5 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3])
        && s[4] == '-')
        return parseRfc3339(s);
    // "27 Oct 2023 19:19:05 GMT", "27-Oct-23 ..." (an HTTP-date without its day name)
    const std::size_t dayLen = (s.size() > 1 && isDigit(s[1])) ? 2 : 1;
    if (isDigit(s[0]) && s.size() > dayLen + 1 && (s[dayLen] == ' ' || s[dayLen] == '-')
        && isAlpha(s[dayLen + 1])) {
        if (const auto ms = parseHttpDateTrimmed(s))
            return ParsedTime { *ms, true };
        return std::nullopt;
    }
    if (const auto ms = parseEpochText(s))
        return ParsedTime { *ms, true };
    return std::nullopt;
}

std::optional<std::int64_t> timestampFromEpoch(double v)
{
    if (!std::isfinite(v))
        return std::nullopt;
    // The shortest decimal that reads back as v: the number as the log wrote it.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    if (res.ec != std::errc())
        return std::nullopt;
    return parseEpochText(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
}

std::optional<std::int64_t> timestampFromEpoch(std::int64_t v)
{
    // Comparisons instead of |v|: -INT64_MIN overflows.
    if (v > -100000000000 && v < 100000000000)
        return v * 1000; // seconds
    if (v > -100000000000000 && v < 100000000000000)
        return v; // milliseconds
    if (v > -100000000000000000 && v < 100000000000000000)
        return floorDiv(v, 1000); // microseconds
    return floorDiv(v, 1000000); // nanoseconds: |ms| < 9.3e12, always in range
}

std::optional<std::int64_t> parseHttpDate(std::string_view text)
{
    const std::string_view s = trim(text);
    if (s.empty())
        return std::nullopt;
    return parseHttpDateTrimmed(s);
}

std::string formatUtcMs(std::int64_t ms) { return format(ms, true); }

std::string formatUtcMinute(std::int64_t ms) { return format(ms, false); }
