#include "decode/ratelimitheaders.h"

#include "decode/ratelimitdialects.h"
#include "decode/recorddecoder.h"
#include "decode/timestamp.h"

#include <charconv>
#include <cmath>

// Rate-limit headers (formats.md §3, limits.md §3). Pure, allocation-free, never throws; garbage
// values are ignored one header at a time.
//
// Which header carries what is data: the dialect table (decode/ratelimitdialects.h,
// resources/rules/ratelimit-dialects.json, docs/rules.md), compiled once into a lookup keyed by
// the lower-cased header name. What stays here is grammar: numbers, durations, dates, the IETF
// structured fields (RateLimit-Policy, RateLimit), Retry-After, and how dialects combine.
//
// Decisions the spec leaves open:
// - `limit` is the smallest request limit of all dialects (ties: the one with a known window,
//   then the dialect earlier in the table); windowS, remaining and resetMs come from the same
//   dialect, and remaining/resetMs fall back to the first dialect (table order) that has them
//   when that one has none. Dialects of other axes (tokens, images) are not read at all.
// - A limit must be >= 1, a remaining count >= 0; floats ("596.0") are floored.
// - A repeated limit or remaining header keeps the smallest value; a repeated reset the first.
// - Reset values, in every reset header: a plain number > 1e9 is an epoch time (seconds, or
//   ms/us/ns by magnitude as in timestampFromEpoch: OpenRouter's 1754667660000 is ms); a
//   number <= 1e9 is seconds until the reset, counted from the record's time (none without a
//   record time). 1e9 s is 31.7 years: no window is that long, and no epoch second of a real
//   log (after 2001-09-09) is that small. Go durations ("6m0s", "12ms", "21m36.001s") count
//   from the record's time too; dates (RFC 3339, HTTP-date) are read by parseTimestamp.
//   Seconds are taken to the microsecond, then floored to ms.
// - Window values (a window rule's header, w=) are seconds or a Go duration ("60", "60s",
//   "1m"), rounded to whole seconds, >= 1. A w= on the limit value itself ("100;w=60", IETF
//   drafts 00-03) names that limit's window before any rule of the table. A window rule's
//   header keeps its first value.
// - "while_reset_at_most_s" (OpenAI): the window is judged per record; a reset further away
//   than that from the record's time makes this record's window unknown. A record without a
//   reset (or without a time) keeps the fixed window.
// - remainingZero is set only by a header named x-ratelimit-remaining (any case), as formats.md
//   §2 rule 2 says; OpenAI's and Anthropic's remaining-requests: 0 do not set it.
// - Retry-After: an HTTP-date earlier than the record's time gives 0 (retry now), not a
//   negative value. A value that does not parse but holds commas (repeated headers joined
//   by a proxy: "60, 120") is read member by member, largest wins.
// - At most 8 request dialects per record are read (more is no real response), and 8 values
//   of window headers.

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
    bool windowByReset = false; // windowS is judged by this record's reset (RateLimitInfo)
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

// "https://Api.Groq.com:443/v1/x" -> "Api.Groq.com" (case kept: compared ignoring case).
std::string_view hostOf(std::string_view url)
{
    std::string_view host = endpointOf(url);
    host = host.substr(0, host.find('/'));
    const std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos)
        host = host.substr(0, colon);
    return host;
}

struct WindowValue
{
    std::int16_t window = -1;
    std::string_view value;
};

using Rule = RateLimitDialects::WindowRule;

// The first rule of the dialect that gives a window. *byReset: a rule that holds only while the
// reset is short decided it (either way).
std::optional<std::int64_t> windowOf(const RateLimitDialects::Dialect &d, const Family &f,
    const WindowValue *windows, int windowCount, std::optional<std::int64_t> recordTimeMs,
    std::string_view url, bool *byReset)
{
    auto valueOf = [&](std::int16_t w) -> std::optional<std::string_view> {
        for (int k = 0; k < windowCount; ++k) {
            if (windows[k].window == w)
                return windows[k].value;
        }
        return std::nullopt;
    };
    for (const Rule &r : d.window) {
        switch (r.kind) {
        case Rule::Kind::Fixed:
            *byReset = r.resetAtMostS > 0;
            if (r.resetAtMostS > 0 && f.resetMs && recordTimeMs
                && *f.resetMs - *recordTimeMs > r.resetAtMostS * 1000)
                return std::nullopt;
            return r.seconds;
        case Rule::Kind::Header:
            if (const auto v = valueOf(r.window)) {
                if (const auto w = parseWindow(*v))
                    return w;
            }
            break;
        case Rule::Kind::HeaderValues:
            if (const auto v = valueOf(r.window)) {
                for (const auto &[key, seconds] : r.values) {
                    if (equalsIgnoreCase(*v, key))
                        return seconds;
                }
            }
            break;
        case Rule::Kind::Host:
            if (equalsIgnoreCase(hostOf(url), r.host))
                return r.seconds;
            break;
        }
    }
    return std::nullopt;
}

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

RateLimitInfo readRateLimitHeaders(const std::vector<HeaderField> &headers,
    std::optional<std::int64_t> recordTimeMs, std::string_view url)
{
    if (headers.empty())
        return RateLimitInfo {};
    return readRateLimitHeaders(headers, recordTimeMs, url, RateLimitDialects::builtIn());
}

RateLimitInfo readRateLimitHeaders(const std::vector<HeaderField> &headers,
    std::optional<std::int64_t> recordTimeMs, std::string_view url, const RateLimitDialects &table)
{
    // Most records have no headers at all: skip setting up the per-dialect state.
    if (headers.empty())
        return RateLimitInfo {};
    using Role = RateLimitDialects::Role;
    constexpr int kMaxTouched = 12;
    RateLimitInfo info;
    // the dialects this record names, in the order met; their state is set up only then
    std::int16_t touchedId[kMaxTouched];
    Family families[kMaxTouched];
    int touched = 0;
    WindowValue windows[kMaxTouched];
    int windowCount = 0;
    std::optional<IetfState> ietf;
    std::int16_t ietfDialect = -1;
    auto familyOf = [&](std::int16_t dialect) -> Family * {
        for (int k = 0; k < touched; ++k) {
            if (touchedId[k] == dialect)
                return &families[k];
        }
        if (touched == kMaxTouched)
            return nullptr;
        touchedId[touched] = dialect;
        return &families[touched++];
    };
    auto ietfState = [&](std::int16_t dialect) -> IetfState & {
        if (!ietf) {
            ietf.emplace();
            ietfDialect = dialect;
        }
        return *ietf;
    };
    auto takeRetryAfter = [&info](std::optional<double> v) {
        if (v && (!info.retryAfterS || *v > *info.retryAfterS))
            info.retryAfterS = v;
    };

    for (const HeaderField &h : headers) {
        const RateLimitDialects::Slot *slot = table.find(h.name);
        if (!slot)
            continue;
        const std::string_view value = trim(h.value);
        if (slot->remainingZero) {
            if (const auto n = parseNumber(value); n && *n == 0)
                info.remainingZero = true;
        }
        Family *f = nullptr;
        switch (slot->role) {
        case Role::None:
            break;
        case Role::RetryAfter:
            info.hasRetryAfter = true;
            if (const auto v = parseRetryAfter(value, recordTimeMs)) {
                takeRetryAfter(v);
            } else if (value.find(',') != std::string_view::npos) {
                std::string_view rest = value;
                std::string_view member;
                while (nextMember(rest, ',', member))
                    takeRetryAfter(parseRetryAfter(member, recordTimeMs));
            }
            break;
        case Role::Limit:
            if ((f = familyOf(slot->dialect)))
                f->setLimit(value, std::nullopt);
            break;
        case Role::Remaining:
            if ((f = familyOf(slot->dialect)))
                f->setRemaining(value);
            break;
        case Role::Reset:
            if ((f = familyOf(slot->dialect)))
                f->setReset(value, recordTimeMs);
            break;
        case Role::WindowSource: {
            bool seen = false;
            for (int k = 0; k < windowCount; ++k)
                seen = seen || windows[k].window == slot->window;
            if (!seen && windowCount < kMaxTouched)
                windows[windowCount++] = WindowValue { slot->window, value };
            break;
        }
        case Role::IetfLimit:
            ietfState(slot->dialect).standalone.setLimit(value, std::nullopt);
            break;
        case Role::IetfRemaining:
            ietfState(slot->dialect).standalone.setRemaining(value);
            break;
        case Role::IetfReset:
            ietfState(slot->dialect).standalone.setReset(value, recordTimeMs);
            break;
        case Role::IetfPolicy:
            ietfState(slot->dialect).addPolicies(value);
            break;
        case Role::IetfCombined:
            ietfState(slot->dialect).addRateLimit(value, recordTimeMs);
            break;
        }
    }
    if (ietf) {
        if (Family *f = familyOf(ietfDialect))
            *f = ietf->resolve();
    }
    // Windows by the table's rules, for the limits whose value did not name one (w=).
    for (int k = 0; k < touched; ++k) {
        Family &f = families[k];
        const RateLimitDialects::Dialect &d = table.dialects()[std::size_t(touchedId[k])];
        if (f.limit && !f.windowS && !d.ietf)
            f.windowS = windowOf(d, f, windows, windowCount, recordTimeMs, url, &f.windowByReset);
    }

    using Axis = RateLimitDialects::Axis;
    const auto axisOf = [&](int k) { return table.dialects()[std::size_t(touchedId[k])].axis; };
    // the token axes (limits.md §3): the smallest limit of each, with its own window
    for (int k = 0; k < touched; ++k) {
        const Family &f = families[k];
        const Axis a = axisOf(k);
        if (!f.limit || a == Axis::Requests || a == Axis::Images)
            continue;
        AxisReading &r = info.tokenAxes[std::size_t(a) - std::size_t(Axis::Tokens)];
        if (!r.limit || *f.limit < *r.limit) {
            r.limit = f.limit;
            r.windowS = f.windowS;
            r.windowByReset = f.windowByReset;
            r.remaining = f.remaining;
        }
    }

    int chosen = -1;
    for (int k = 0; k < touched; ++k) {
        const Family &f = families[k];
        if (!f.limit || axisOf(k) != Axis::Requests)
            continue;
        if (chosen < 0) {
            chosen = k;
            continue;
        }
        const Family &c = families[chosen];
        const bool better = *f.limit != *c.limit             ? *f.limit < *c.limit
            : f.windowS.has_value() != c.windowS.has_value() ? f.windowS.has_value()
                                                             : touchedId[k] < touchedId[chosen];
        if (better)
            chosen = k;
    }
    if (chosen >= 0) {
        info.limit = families[chosen].limit;
        info.windowS = families[chosen].windowS;
        info.windowByReset = families[chosen].windowByReset;
        info.remaining = families[chosen].remaining;
        info.resetMs = families[chosen].resetMs;
    }
    // fallbacks: the first dialect in table order that has them
    int remainingFrom = -1, resetFrom = -1;
    for (int k = 0; k < touched; ++k) {
        if (axisOf(k) != Axis::Requests)
            continue;
        if (!info.remaining && families[k].remaining
            && (remainingFrom < 0 || touchedId[k] < touchedId[remainingFrom]))
            remainingFrom = k;
        if (!info.resetMs && families[k].resetMs
            && (resetFrom < 0 || touchedId[k] < touchedId[resetFrom]))
            resetFrom = k;
    }
    if (remainingFrom >= 0)
        info.remaining = families[remainingFrom].remaining;
    if (resetFrom >= 0)
        info.resetMs = families[resetFrom].resetMs;
    return info;
}
