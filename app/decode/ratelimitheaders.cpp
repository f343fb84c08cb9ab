#include "decode/ratelimitheaders.h"

#include "decode/timestamp.h"

#include <charconv>
#include <cmath>

// Rate-limit headers (formats.md §3). Pure, allocation-free, never throws; garbage values are
// ignored one header at a time.
//
// Decisions the spec leaves open (also listed in the report of this change):
// - Headers are read in families: Skytells (x-skytells-ratelimit-*-requests, -window),
//   OpenAI (x-ratelimit-*-requests), Anthropic (anthropic-ratelimit-requests-*), IETF
//   (RateLimit-Limit/-Remaining/-Reset, RateLimit, RateLimit-Policy) and plain
//   X-RateLimit-* (GitHub, Reddit, Discord's x-ratelimit-reset-after), Mistral
//   (x-ratelimit-{limit,remaining}-req-minute, no reset header). `limit` is the
//   smallest request limit of all families (ties: the one with a window, then the order
//   above); windowS, remaining and resetMs come from the same family, and remaining/resetMs
//   fall back to the first family (same order) that has them when that family has none.
// - Token limits (x-ratelimit-*-tokens, anthropic-ratelimit-*tokens-*) and IETF policies with
//   a quota unit other than "requests" (qu=) are not request limits and are ignored.
// - A limit must be >= 1, a remaining count >= 0; floats ("596.0") are floored.
// - A repeated limit or remaining header keeps the smallest value; a repeated reset the first.
// - Reset values: a number > 1e9 is an epoch time (seconds, or ms/us/ns by magnitude as in
//   timestampFromEpoch); otherwise seconds until the reset, counted from the record's time
//   (none without a record time). Go durations ("6m0s") and dates (RFC 3339, HTTP-date) are
//   accepted in every reset header. Seconds are taken to the microsecond, then floored to ms.
// - Window values (Skytells -window, w=) are seconds or a Go duration ("60", "60s", "1m"),
//   rounded to whole seconds, >= 1. A w= on a *-Limit member whose quota equals the limit
//   ("100, 100;w=60", IETF draft 00-03) names that limit's window.
// - remainingZero is set only by a header named x-ratelimit-remaining (any case), as formats.md
//   §2 rule 2 says; OpenAI's and Anthropic's remaining-requests: 0 do not set it.
// - Retry-After: an HTTP-date earlier than the record's time gives 0 (retry now), not a
//   negative value. A value that does not parse but holds commas (repeated headers joined
//   by a proxy: "60, 120") is read member by member, largest wins.

namespace {

constexpr std::int64_t kMaxAbsMs = 8640000000000000; // as in timestamp.cpp

constexpr bool isDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string_view unquote(std::string_view s)
{
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
        return s.substr(1, s.size() - 2);
    return s;
}

// Next member of a `sep`-separated list, outside quoted strings; advances `rest`.
bool nextMember(std::string_view &rest, char sep, std::string_view &member)
{
    if (rest.empty())
        return false;
    bool inQuote = false;
    std::size_t i = 0;
    for (; i < rest.size(); ++i) {
        const char c = rest[i];
        if (inQuote) {
            if (c == '\\' && i + 1 < rest.size())
                ++i;
            else if (c == '"')
                inQuote = false;
        } else if (c == '"') {
            inQuote = true;
        } else if (c == sep) {
            break;
        }
    }
    member = trim(rest.substr(0, i));
    rest = i < rest.size() ? rest.substr(i + 1) : std::string_view {};
    return true;
}

// A structured-field style member: `bare;key=value;key=value`.
struct Member
{
    std::string_view bare;
    std::string_view params; // everything after the first ';'
};

Member splitMember(std::string_view member)
{
    std::string_view rest = member;
    Member m;
    nextMember(rest, ';', m.bare);
    m.params = rest;
    return m;
}

bool sameKey(std::string_view a, std::string_view b) { return equalsIgnoreCase(trim(a), b); }

std::optional<std::string_view> param(std::string_view params, std::string_view key)
{
    std::string_view piece;
    while (nextMember(params, ';', piece)) {
        const std::size_t eq = piece.find('=');
        if (eq == std::string_view::npos) {
            if (sameKey(piece, key))
                return std::string_view {};
        } else if (sameKey(piece.substr(0, eq), key)) {
            return unquote(piece.substr(eq + 1));
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> toCount(std::optional<double> v, double minimum)
{
    if (!v || !(*v >= minimum) || !(*v < 9.0e15))
        return std::nullopt;
    return static_cast<std::int64_t>(std::floor(*v));
}

std::optional<std::int64_t> parseCount(std::string_view s, double minimum)
{
    return toCount(parseNumber(s), minimum);
}

// Seconds ("60"), or a Go duration ("60s", "1m"); whole seconds >= 1.
std::optional<std::int64_t> parseWindow(std::string_view s)
{
    std::optional<double> v = parseNumber(s);
    if (!v)
        v = parseGoDuration(s);
    if (!v || !(*v >= 0.5) || !(*v < 1.0e12))
        return std::nullopt;
    return static_cast<std::int64_t>(std::llround(*v));
}

// Seconds to ms: to the microsecond first (so 0.02 s is 20 ms, not 19), then floored.
std::int64_t secondsToMs(double s)
{
    return static_cast<std::int64_t>(std::floor(std::round(s * 1.0e6) / 1000.0));
}

std::optional<std::int64_t> addSeconds(std::optional<std::int64_t> nowMs, double s)
{
    if (!nowMs || !(s >= 0) || !(s < 1.0e12) || *nowMs > kMaxAbsMs || *nowMs < -kMaxAbsMs)
        return std::nullopt;
    const std::int64_t ms = *nowMs + secondsToMs(s);
    if (ms > kMaxAbsMs)
        return std::nullopt;
    return ms;
}

// Epoch (> 1e9), seconds-until, a Go duration or a date.
std::optional<std::int64_t> parseReset(std::string_view s, std::optional<std::int64_t> nowMs)
{
    if (const auto n = parseNumber(s)) {
        if (*n > 1.0e9)
            return timestampFromEpoch(*n);
        return addSeconds(nowMs, *n);
    }
    if (const auto d = parseGoDuration(s))
        return addSeconds(nowMs, *d);
    if (const auto t = parseTimestamp(s))
        return t->ms;
    return std::nullopt;
}

struct LimitValue
{
    std::int64_t limit = 0;
    std::optional<std::int64_t> windowS;
};

// "100", "100;w=60", "100, 100;w=60, 1000;w=3600" (the first member is the limit).
std::optional<LimitValue> parseLimit(std::string_view value)
{
    std::string_view rest = value;
    std::string_view member;
    if (!nextMember(rest, ',', member))
        return std::nullopt;
    const Member first = splitMember(member);
    const auto limit = parseCount(first.bare, 1);
    if (!limit)
        return std::nullopt;
    LimitValue out;
    out.limit = *limit;
    if (const auto w = param(first.params, "w"))
        out.windowS = parseWindow(*w);
    while (!out.windowS && nextMember(rest, ',', member)) {
        const Member policy = splitMember(member);
        if (parseCount(policy.bare, 1) == limit) {
            if (const auto w = param(policy.params, "w"))
                out.windowS = parseWindow(*w);
        }
    }
    return out;
}

struct Family
{
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> windowS;
    std::optional<std::int64_t> remaining;
    std::optional<std::int64_t> resetMs;

    void setLimit(std::string_view value, std::optional<std::int64_t> documentedWindow)
    {
        const auto v = parseLimit(value);
        if (!v || (limit && *limit <= v->limit))
            return;
        limit = v->limit;
        windowS = v->windowS ? v->windowS : documentedWindow;
    }
    void setRemaining(std::string_view value)
    {
        const auto v = parseCount(value, 0);
        if (v && (!remaining || *v < *remaining))
            remaining = v;
    }
    void setReset(std::string_view value, std::optional<std::int64_t> nowMs)
    {
        if (!resetMs)
            resetMs = parseReset(value, nowMs);
    }
};

// IETF drafts: RateLimit-Policy policies and RateLimit items, matched by name.
struct IetfState
{
    static constexpr int kMax = 8;
    struct Policy
    {
        std::string_view name;
        std::int64_t quota = 0;
        std::optional<std::int64_t> windowS;
    };
    struct Item
    {
        std::string_view name;
        std::optional<std::int64_t> remaining;
        std::optional<std::int64_t> resetMs;
    };
    Policy policies[kMax];
    int policyCount = 0;
    Item items[kMax];
    int itemCount = 0;
    Family standalone; // RateLimit-Limit/-Remaining/-Reset, RateLimit: limit=, remaining=, reset=

    // RateLimit-Policy: "p";q=100;w=60 (draft 07+) or 100;w=60 (older drafts)
    void addPolicies(std::string_view value)
    {
        std::string_view rest = value;
        std::string_view member;
        while (policyCount < kMax && nextMember(rest, ',', member)) {
            const Member m = splitMember(member);
            if (const auto unit = param(m.params, "qu");
                unit && !equalsIgnoreCase(*unit, "requests"))
                continue;
            Policy p;
            std::optional<std::int64_t> quota = parseCount(m.bare, 1);
            if (!quota) {
                p.name = unquote(m.bare);
                if (const auto q = param(m.params, "q"))
                    quota = parseCount(*q, 1);
            }
            if (!quota)
                continue;
            p.quota = *quota;
            if (const auto w = param(m.params, "w"))
                p.windowS = parseWindow(*w);
            policies[policyCount++] = p;
        }
    }

    // RateLimit: "p";r=50;t=30 (draft 07+) or limit=100, remaining=50, reset=5 (drafts 05/06)
    void addRateLimit(std::string_view value, std::optional<std::int64_t> nowMs)
    {
        std::string_view rest = value;
        std::string_view member;
        while (nextMember(rest, ',', member)) {
            const Member m = splitMember(member);
            const std::size_t eq = m.bare.find('=');
            if (eq != std::string_view::npos && m.bare.front() != '"') {
                const std::string_view key = m.bare.substr(0, eq);
                const std::string_view v = m.bare.substr(eq + 1);
                if (sameKey(key, "limit"))
                    standalone.setLimit(v, std::nullopt);
                else if (sameKey(key, "remaining"))
                    standalone.setRemaining(v);
                else if (sameKey(key, "reset"))
                    standalone.setReset(v, nowMs);
                continue;
            }
            if (itemCount >= kMax)
                continue;
            Item item;
            item.name = unquote(m.bare);
            if (const auto r = param(m.params, "r"))
                item.remaining = parseCount(*r, 0);
            if (const auto t = param(m.params, "t"))
                item.resetMs = parseReset(*t, nowMs);
            items[itemCount++] = item;
        }
    }

    Family resolve() const
    {
        Family out;
        std::string_view chosenName;
        bool fromPolicy = false;
        if (standalone.limit) {
            out.limit = standalone.limit;
            out.windowS = standalone.windowS;
            for (int k = 0; k < policyCount && !out.windowS; ++k) {
                if (policies[k].quota == *standalone.limit)
                    out.windowS = policies[k].windowS;
            }
        }
        for (int k = 0; k < policyCount; ++k) {
            const Policy &p = policies[k];
            if (!out.limit || p.quota < *out.limit
                || (p.quota == *out.limit && !out.windowS && p.windowS)) {
                out.limit = p.quota;
                out.windowS = p.windowS;
                chosenName = p.name;
                fromPolicy = true;
            }
        }
        const Item *match = nullptr;
        for (int k = 0; k < itemCount && fromPolicy && !match; ++k) {
            if (items[k].name == chosenName)
                match = &items[k];
        }
        out.remaining = match ? match->remaining : std::nullopt;
        out.resetMs = match ? match->resetMs : std::nullopt;
        if (!out.remaining)
            out.remaining = standalone.remaining;
        if (!out.resetMs)
            out.resetMs = standalone.resetMs;
        for (int k = 0; k < itemCount && !out.remaining; ++k)
            out.remaining = items[k].remaining;
        for (int k = 0; k < itemCount && !out.resetMs; ++k)
            out.resetMs = items[k].resetMs;
        return out;
    }
};

enum FamilyIndex { Skytells, OpenAi, Anthropic, Ietf, XRateLimit, Mistral, FamilyCount };

constexpr std::int64_t kPerMinute = 60;

} // namespace

std::optional<double> parseNumber(std::string_view text)
{
    std::string_view s = trim(text);
    if (s.empty())
        return std::nullopt;
    // Grammar first: std::from_chars alone would take "inf", "nan" and stop at garbage.
    std::size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        ++i;
    std::size_t digits = 0;
    while (i < s.size() && isDigit(s[i]))
        ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i, ++digits;
    }
    if (digits == 0)
        return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (i >= s.size() || !isDigit(s[i]))
            return std::nullopt;
        while (i < s.size() && isDigit(s[i]))
            ++i;
    }
    if (i != s.size())
        return std::nullopt;
    if (s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<double> parseGoDuration(std::string_view text)
{
    std::string_view s = trim(text);
    if (s.empty())
        return std::nullopt;
    bool negative = false;
    if (s.front() == '+' || s.front() == '-') {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s == "0")
        return 0.0;
    if (s.empty())
        return std::nullopt;
    double total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t numStart = i;
        std::size_t digits = 0;
        while (i < s.size() && isDigit(s[i]))
            ++i, ++digits;
        if (i < s.size() && s[i] == '.') {
            ++i;
            while (i < s.size() && isDigit(s[i]))
                ++i, ++digits;
        }
        if (digits == 0)
            return std::nullopt;
        double amount = 0;
        const auto res = std::from_chars(s.data() + numStart, s.data() + i, amount);
        if (res.ec != std::errc() || res.ptr != s.data() + i)
            return std::nullopt;
        const std::size_t unitStart = i;
        while (i < s.size() && !isDigit(s[i]) && s[i] != '.')
            ++i;
        const std::string_view unit = s.substr(unitStart, i - unitStart);
        double factor = 0;
        if (unit == "ns")
            factor = 1e-9;
        else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") // µs, μs
            factor = 1e-6;
        else if (unit == "ms")
            factor = 1e-3;
        else if (unit == "s")
            factor = 1;
        else if (unit == "m")
            factor = 60;
        else if (unit == "h")
            factor = 3600;
        else
            return std::nullopt;
        total += amount * factor;
        if (!std::isfinite(total) || total > 9223372036.854775807) // Go's int64 ns limit
            return std::nullopt;
    }
    return negative ? -total : total;
}

std::optional<double> parseRetryAfter(std::string_view value, std::optional<std::int64_t> nowMs)
{
    const std::string_view s = trim(value);
    if (s.empty())
        return std::nullopt;
    if (const auto n = parseNumber(s)) {
        if (*n < 0)
            return std::nullopt;
        return *n + 0.0; // -0 -> 0
    }
    const auto date = parseHttpDate(s);
    if (!date || !nowMs)
        return std::nullopt;
    const double delta = (static_cast<double>(*date) - static_cast<double>(*nowMs)) / 1000.0;
    return delta > 0 ? delta : 0.0;
}

RateLimitInfo readRateLimitHeaders(
    const std::vector<HeaderField> &headers, std::optional<std::int64_t> recordTimeMs)
{
    // Most records have no headers at all: skip setting up the per-family state (a few
    // hundred bytes initialised per record, ~3 % of loading a million records).
    if (headers.empty())
        return RateLimitInfo {};
    RateLimitInfo info;
    Family families[FamilyCount];
    IetfState ietf;
    std::optional<std::int64_t> skytellsWindow;
    auto takeRetryAfter = [&info](std::optional<double> v) {
        if (v && (!info.retryAfterS || *v > *info.retryAfterS))
            info.retryAfterS = v;
    };

    for (const HeaderField &h : headers) {
        const std::string_view name = trim(h.name);
        const std::string_view value = trim(h.value);
        if (equalsIgnoreCase(name, "retry-after")) {
            info.hasRetryAfter = true;
            if (const auto v = parseRetryAfter(value, recordTimeMs)) {
                takeRetryAfter(v);
            } else if (value.find(',') != std::string_view::npos) {
                std::string_view rest = value;
                std::string_view member;
                while (nextMember(rest, ',', member))
                    takeRetryAfter(parseRetryAfter(member, recordTimeMs));
            }
        } else if (equalsIgnoreCase(name, "x-ratelimit-limit")) {
            families[XRateLimit].setLimit(value, std::nullopt);
        } else if (equalsIgnoreCase(name, "x-ratelimit-remaining")) {
            families[XRateLimit].setRemaining(value);
            if (const auto n = parseNumber(value); n && *n == 0)
                info.remainingZero = true;
        } else if (equalsIgnoreCase(name, "x-ratelimit-reset")
            || equalsIgnoreCase(name, "x-ratelimit-reset-after")) {
            families[XRateLimit].setReset(value, recordTimeMs);
        } else if (equalsIgnoreCase(name, "ratelimit-limit")) {
            ietf.standalone.setLimit(value, std::nullopt);
        } else if (equalsIgnoreCase(name, "ratelimit-remaining")) {
            ietf.standalone.setRemaining(value);
        } else if (equalsIgnoreCase(name, "ratelimit-reset")) {
            ietf.standalone.setReset(value, recordTimeMs);
        } else if (equalsIgnoreCase(name, "ratelimit")) {
            ietf.addRateLimit(value, recordTimeMs);
        } else if (equalsIgnoreCase(name, "ratelimit-policy")) {
            ietf.addPolicies(value);
        } else if (equalsIgnoreCase(name, "x-skytells-ratelimit-limit-requests")) {
            families[Skytells].setLimit(value, std::nullopt);
        } else if (equalsIgnoreCase(name, "x-skytells-ratelimit-remaining-requests")) {
            families[Skytells].setRemaining(value);
        } else if (equalsIgnoreCase(name, "x-skytells-ratelimit-reset-requests")) {
            families[Skytells].setReset(value, recordTimeMs);
        } else if (equalsIgnoreCase(name, "x-skytells-ratelimit-window")) {
            if (!skytellsWindow)
                skytellsWindow = parseWindow(value);
        } else if (equalsIgnoreCase(name, "x-ratelimit-limit-requests")) {
            families[OpenAi].setLimit(value, kPerMinute);
        } else if (equalsIgnoreCase(name, "x-ratelimit-remaining-requests")) {
            families[OpenAi].setRemaining(value);
        } else if (equalsIgnoreCase(name, "x-ratelimit-reset-requests")) {
            families[OpenAi].setReset(value, recordTimeMs);
        } else if (equalsIgnoreCase(name, "x-ratelimit-limit-req-minute")) {
            families[Mistral].setLimit(value, kPerMinute);
        } else if (equalsIgnoreCase(name, "x-ratelimit-remaining-req-minute")) {
            families[Mistral].setRemaining(value);
        } else if (equalsIgnoreCase(name, "anthropic-ratelimit-requests-limit")) {
            families[Anthropic].setLimit(value, kPerMinute);
        } else if (equalsIgnoreCase(name, "anthropic-ratelimit-requests-remaining")) {
            families[Anthropic].setRemaining(value);
        } else if (equalsIgnoreCase(name, "anthropic-ratelimit-requests-reset")) {
            families[Anthropic].setReset(value, recordTimeMs);
        }
    }
    // The Skytells window is a header of its own, before or after the limit; it names the
    // window of that limit only.
    if (families[Skytells].limit && skytellsWindow)
        families[Skytells].windowS = skytellsWindow;
    families[Ietf] = ietf.resolve();

    int chosen = -1;
    for (int k = 0; k < FamilyCount; ++k) {
        const Family &f = families[k];
        if (!f.limit)
            continue;
        if (chosen < 0 || *f.limit < *families[chosen].limit
            || (*f.limit == *families[chosen].limit && f.windowS && !families[chosen].windowS))
            chosen = k;
    }
    if (chosen >= 0) {
        info.limit = families[chosen].limit;
        info.windowS = families[chosen].windowS;
        info.remaining = families[chosen].remaining;
        info.resetMs = families[chosen].resetMs;
    }
    for (int k = 0; k < FamilyCount && !info.remaining; ++k)
        info.remaining = families[k].remaining;
    for (int k = 0; k < FamilyCount && !info.resetMs; ++k)
        info.resetMs = families[k].resetMs;
    return info;
}
