#include "decode/ratelimitdialects.h"

#include "decode/jsoncheck.h"
#include "decode/timestamp.h"

#include <QFile>

#include <array>

// Reading resources/rules/ratelimit-dialects.json (docs/rules.md). The file is checked as
// rules.json is: an unknown or missing field anywhere (outside a sample's headers) is refused
// with its JSON path. Only request dialects reach the lookup: the other axes are listed (and
// their header names kept unique) so that the table can say them, but the reader does not
// take them for the request limit.

namespace {

using namespace jsoncheck;

constexpr std::size_t kMaxName = 96; // longer header names are in no dialect
constexpr std::string_view kWindowPlaceholder = "{window}";

constexpr char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = lowerAscii(c);
    return out;
}

std::uint32_t hashLower(std::string_view lowered)
{
    std::uint32_t h = 2166136261u; // FNV-1a
    for (char c : lowered)
        h = (h ^ std::uint8_t(c)) * 16777619u;
    return h;
}

struct AxisName
{
    RateLimitDialects::Axis axis;
    std::string_view name;
};
constexpr AxisName kAxes[] = {
    { RateLimitDialects::Axis::Requests, "requests" },
    { RateLimitDialects::Axis::Tokens, "tokens" },
    { RateLimitDialects::Axis::InputTokens, "input_tokens" },
    { RateLimitDialects::Axis::OutputTokens, "output_tokens" },
    { RateLimitDialects::Axis::Images, "images" },
};

RateLimitDialects::Axis axis(const json &j, const std::string &path)
{
    const std::string name = value<std::string>(j, path, "a string");
    for (const AxisName &a : kAxes) {
        if (a.name == name)
            return a.axis;
    }
    fail(path,
        "unknown axis \"" + name + "\" (requests, tokens, input_tokens, output_tokens, images)");
}

std::int64_t positive(const json &j, const std::string &path)
{
    if (!j.is_number_integer() || j.get<std::int64_t>() < 1
        || j.get<std::int64_t>() > 100LL * 365 * 86400)
        fail(path, "not a whole number of seconds from 1 to 100 years");
    return j.get<std::int64_t>();
}

// "minute", "10-second", "month" (30 d): the window a Mistral header name carries.
std::int64_t windowFromName(const std::string &name, const std::string &path)
{
    static constexpr std::pair<std::string_view, std::int64_t> kUnits[]
        = { { "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 },
              { "week", 7 * 86400 }, { "month", 30 * 86400 } };
    std::string_view unit = name;
    std::int64_t count = 1;
    if (const std::size_t dash = name.find('-'); dash != std::string::npos) {
        const std::string_view digits = std::string_view(name).substr(0, dash);
        count = 0;
        for (char c : digits) {
            if (c < '0' || c > '9' || count > 100000)
                count = -1;
            else if (count >= 0)
                count = count * 10 + (c - '0');
        }
        if (digits.empty() || count < 1)
            fail(path, "\"" + name + "\" is not a window name (N-unit or unit)");
        unit = unit.substr(dash + 1);
    }
    for (const auto &[u, s] : kUnits) {
        if (u == unit)
            return count * s;
    }
    fail(path,
        "\"" + name
            + "\" is not a window name (second, minute, hour, day, week, month, "
              "optionally N- before)");
}

// A header name field: one name or a list of names, lower-cased.
std::vector<std::string> headerNames(const json &j, const std::string &path)
{
    std::vector<std::string> out;
    if (j.is_string()) {
        out.push_back(lower(j.get<std::string>()));
    } else {
        for (std::size_t i = 0; i < array(j, path).size(); ++i)
            out.push_back(lower(value<std::string>(j[i], item(path, i), "a header name")));
        if (out.empty())
            fail(path, "empty: name at least one header");
    }
    for (const std::string &n : out) {
        if (n.empty() || n.size() > kMaxName || n.find_first_of(" \t:\r\n") != std::string::npos)
            fail(path, "\"" + n + "\" is not a header name");
    }
    return out;
}

std::string replaced(std::string name, std::string_view with)
{
    const std::size_t at = name.find(kWindowPlaceholder);
    if (at != std::string::npos)
        name.replace(at, kWindowPlaceholder.size(), with);
    return name;
}

std::optional<std::int64_t> nullableCount(const json &j, const std::string &path)
{
    if (j.is_null())
        return std::nullopt;
    if (!j.is_number_integer() || j.get<std::int64_t>() < 0)
        fail(path, "not null or a whole number >= 0");
    return j.get<std::int64_t>();
}

} // namespace

std::string_view dialectAxisName(RateLimitDialects::Axis a)
{
    for (const AxisName &n : kAxes) {
        if (n.axis == a)
            return n.name;
    }
    return {};
}

const RateLimitDialects &RateLimitDialects::builtIn()
{
    // Immutable once built (a C++11 magic static, so the first use on any thread builds it
    // and the others wait): a constant table, not state; tests build their own with fromJson.
    static const RateLimitDialects table = [] {
        QFile f(QStringLiteral(":/rules/ratelimit-dialects.json"));
        QString error = QStringLiteral("cannot open the compiled-in dialect table");
        std::optional<RateLimitDialects> t;
        if (f.open(QIODevice::ReadOnly))
            t = fromJson(f.readAll(), &error);
        Q_ASSERT_X(t, "RateLimitDialects::builtIn", qPrintable(error));
        return t ? std::move(*t) : RateLimitDialects();
    }();
    return table;
}

const RateLimitDialects::Slot *RateLimitDialects::find(std::string_view name) const
{
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
        name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.remove_suffix(1);
    if (name.empty() || name.size() > kMaxName || m_buckets.empty())
        return nullptr;
    std::array<char, kMaxName> buf;
    std::uint32_t h = 2166136261u;
    for (std::size_t i = 0; i < name.size(); ++i) {
        buf[i] = lowerAscii(name[i]);
        h = (h ^ std::uint8_t(buf[i])) * 16777619u;
    }
    const std::string_view lowered(buf.data(), name.size());
    const std::size_t mask = m_buckets.size() - 1;
    for (std::size_t b = h & mask;; b = (b + 1) & mask) {
        const std::int16_t s = m_buckets[b];
        if (s < 0)
            return nullptr;
        if (m_slots[std::size_t(s)].name == lowered)
            return &m_slots[std::size_t(s)];
    }
}

std::optional<RateLimitDialects> RateLimitDialects::fromJson(const QByteArray &text, QString *error)
{
    RateLimitDialects t;
    try {
        const json doc = json::parse(text.constBegin(), text.constEnd());
        object(doc, "", { "dialects" }, { "schema", "about" }, "the dialect table");
        if (doc.contains("schema") && doc["schema"] != "ratescope.ratelimit-dialects/1")
            fail("schema", "not \"ratescope.ratelimit-dialects/1\"");
        // every header name of a limit, remaining or reset, with where it was first named
        std::vector<std::pair<std::string, std::string>> named;
        auto claim = [&named](const std::string &name, const std::string &path) {
            for (const auto &[n, where] : named) {
                if (n == name)
                    fail(path, "\"" + name + "\" is already named at " + where);
            }
            named.emplace_back(name, path);
        };
        std::vector<std::string> windowSources;
        auto windowSource = [&](const std::string &name, const std::string &path) {
            for (std::size_t k = 0; k < windowSources.size(); ++k) {
                if (windowSources[k] == name)
                    return std::int16_t(k);
            }
            for (const auto &[n, where] : named) {
                if (n == name)
                    fail(path,
                        "\"" + name + "\" is a limit, remaining or reset header (" + where
                            + "), not a window");
            }
            windowSources.push_back(name);
            return std::int16_t(windowSources.size() - 1);
        };

        const json &dialects = array(doc["dialects"], "dialects");
        for (std::size_t i = 0; i < dialects.size(); ++i) {
            const std::string path = item("dialects", i);
            const json &d = object(dialects[i], path,
                { "name", "axis", "headers", "seen_in", "samples" }, { "window", "grammar" });
            const std::string name
                = value<std::string>(d["name"], member(path, "name"), "a string");
            if (name.empty())
                fail(member(path, "name"), "empty");
            const Axis ax = axis(d["axis"], member(path, "axis"));
            const json &seen = d["seen_in"];
            const std::string seenPath = member(path, "seen_in");
            if (seen.is_array()) {
                if (seen.empty())
                    fail(seenPath, "empty: say where the dialect was seen");
                for (std::size_t k = 0; k < seen.size(); ++k)
                    value<std::string>(seen[k], item(seenPath, k), "a string");
            } else {
                value<std::string>(seen, seenPath, "a string or an array of strings");
            }

            const std::string hPath = member(path, "headers");
            bool ietf = false;
            if (d.contains("grammar")) {
                const std::string g
                    = value<std::string>(d["grammar"], member(path, "grammar"), "a string");
                if (g != "ietf")
                    fail(member(path, "grammar"),
                        "\"" + g + "\" is not a grammar the reader knows (ietf)");
                if (ax != Axis::Requests)
                    fail(member(path, "axis"), "the ietf grammar reads requests (qu= says more)");
                if (d.contains("window"))
                    fail(member(path, "window"), "the ietf grammar names its windows itself (w=)");
                ietf = true;
            }
            const json &h = ietf
                ? object(d["headers"], hPath, {},
                    { "limit", "remaining", "reset", "policy", "combined" })
                : object(d["headers"], hPath, { "limit" }, { "remaining", "reset" });

            // window rules (a from_name rule expands the entry into one dialect per name)
            std::vector<WindowRule> rules;
            std::vector<std::pair<std::string, std::int64_t>> fromName; // name -> seconds
            const std::string wPath = member(path, "window");
            if (!ietf) {
                if (!d.contains("window"))
                    fail(wPath, "missing");
                const json &w = array(d["window"], wPath);
                if (w.empty())
                    fail(wPath, "empty: name at least one rule (a fixed {\"seconds\": N} last)");
                for (std::size_t k = 0; k < w.size(); ++k) {
                    const std::string rPath = item(wPath, k);
                    const json &r = w[k];
                    WindowRule rule;
                    if (r.is_object() && r.contains("from_name")) {
                        object(r, rPath, { "from_name" });
                        if (w.size() != 1)
                            fail(rPath, "from_name must be the only rule");
                        const std::string fPath = member(rPath, "from_name");
                        const json &names = array(r["from_name"], fPath);
                        if (names.empty())
                            fail(fPath, "empty: list the window names");
                        for (std::size_t n = 0; n < names.size(); ++n) {
                            const std::string wn
                                = value<std::string>(names[n], item(fPath, n), "a string");
                            fromName.emplace_back(wn, windowFromName(wn, item(fPath, n)));
                        }
                        continue;
                    }
                    if (r.is_object() && r.contains("host")) {
                        object(r, rPath, { "host", "seconds" });
                        rule.kind = WindowRule::Kind::Host;
                        rule.host = lower(
                            value<std::string>(r["host"], member(rPath, "host"), "a host name"));
                        rule.seconds = positive(r["seconds"], member(rPath, "seconds"));
                    } else if (r.is_object() && r.contains("header")) {
                        object(r, rPath, { "header" }, { "values" });
                        const std::string hn = lower(value<std::string>(
                            r["header"], member(rPath, "header"), "a header name"));
                        rule.window = windowSource(hn, member(rPath, "header"));
                        rule.kind = WindowRule::Kind::Header;
                        if (r.contains("values")) {
                            rule.kind = WindowRule::Kind::HeaderValues;
                            const std::string vPath = member(rPath, "values");
                            const json &v = r["values"];
                            if (!v.is_object() || v.empty())
                                fail(vPath, "not an object of header values and their seconds");
                            for (const auto &[key, secs] : v.items())
                                rule.values.emplace_back(
                                    lower(key), positive(secs, member(vPath, key)));
                        }
                    } else {
                        object(r, rPath, { "seconds" }, { "while_reset_at_most_s" }, "a rule");
                        rule.kind = WindowRule::Kind::Fixed;
                        rule.seconds = positive(r["seconds"], member(rPath, "seconds"));
                        if (r.contains("while_reset_at_most_s"))
                            rule.resetAtMostS = positive(
                                r["while_reset_at_most_s"], member(rPath, "while_reset_at_most_s"));
                    }
                    rules.push_back(std::move(rule));
                }
            }

            // header names; {window} in them exactly when the window comes from the name
            struct Named
            {
                Role role;
                std::vector<std::string> names;
                std::string path;
            };
            std::vector<Named> roles;
            auto roleOf = [&](const char *key, Role role) {
                if (h.contains(key))
                    roles.push_back(
                        { role, headerNames(h[key], member(hPath, key)), member(hPath, key) });
            };
            if (ietf) {
                roleOf("limit", Role::IetfLimit);
                roleOf("remaining", Role::IetfRemaining);
                roleOf("reset", Role::IetfReset);
                roleOf("policy", Role::IetfPolicy);
                roleOf("combined", Role::IetfCombined);
            } else {
                roleOf("limit", Role::Limit);
                roleOf("remaining", Role::Remaining);
                roleOf("reset", Role::Reset);
            }
            for (const Named &n : roles) {
                for (const std::string &hn : n.names) {
                    const bool placeholder = hn.find(kWindowPlaceholder) != std::string::npos;
                    if (placeholder != !fromName.empty())
                        fail(n.path,
                            placeholder
                                ? "\"" + hn + "\" has {window} but the window is not from_name"
                                : "\"" + hn + "\" lacks {window}, which from_name needs");
                }
            }

            // one compiled dialect per window name (or one)
            const std::size_t variants = fromName.empty() ? 1 : fromName.size();
            for (std::size_t v = 0; v < variants; ++v) {
                const std::int16_t index = std::int16_t(t.m_dialects.size());
                for (const Named &n : roles) {
                    for (const std::string &hn : n.names) {
                        const std::string full
                            = fromName.empty() ? hn : replaced(hn, fromName[v].first);
                        claim(full, n.path);
                        Slot s;
                        s.name = full;
                        s.role = n.role;
                        s.dialect = index;
                        t.m_slots.push_back(std::move(s));
                    }
                }
                Dialect compiled;
                compiled.name = fromName.empty() ? name : name + "[" + fromName[v].first + "]";
                compiled.axis = ax;
                compiled.ietf = ietf;
                compiled.window = rules;
                if (!fromName.empty()) {
                    WindowRule fixed;
                    fixed.seconds = fromName[v].second;
                    compiled.window.push_back(std::move(fixed));
                }
                t.m_dialects.push_back(std::move(compiled));
                if (t.m_dialects.size() > 4000)
                    fail(path, "too many dialects");
            }

            // samples: every dialect documents and tests itself
            const std::string sPath = member(path, "samples");
            const json &samples = array(d["samples"], sPath);
            if (samples.empty())
                fail(sPath, "empty: a dialect needs at least one sample");
            for (std::size_t k = 0; k < samples.size(); ++k) {
                const std::string p = item(sPath, k);
                const json &s
                    = object(samples[k], p, { "name", "time", "headers", "expect" }, { "host" });
                Sample sample;
                sample.dialect = name;
                sample.name = value<std::string>(s["name"], member(p, "name"), "a string");
                if (s.contains("host"))
                    sample.host = value<std::string>(s["host"], member(p, "host"), "a string");
                const std::string time
                    = value<std::string>(s["time"], member(p, "time"), "a string");
                const auto parsed = parseTimestamp(time);
                if (!parsed)
                    fail(member(p, "time"), "\"" + time + "\" is not an RFC 3339 time");
                sample.timeMs = parsed->ms;
                const std::string hp = member(p, "headers");
                const json &hs = array(s["headers"], hp);
                for (std::size_t n = 0; n < hs.size(); ++n) {
                    const std::string line = value<std::string>(hs[n], item(hp, n), "a string");
                    const std::size_t colon = line.find(':');
                    if (colon == std::string::npos || colon == 0)
                        fail(item(hp, n), "not \"Name: value\"");
                    sample.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
                }
                const std::string ep = member(p, "expect");
                const json &e
                    = object(s["expect"], ep, { "limit", "window_s", "remaining", "reset" });
                sample.limit = nullableCount(e["limit"], member(ep, "limit"));
                sample.windowS = nullableCount(e["window_s"], member(ep, "window_s"));
                sample.remaining = nullableCount(e["remaining"], member(ep, "remaining"));
                if (!e["reset"].is_null()) {
                    const std::string r
                        = value<std::string>(e["reset"], member(ep, "reset"), "null or a time");
                    const auto reset = parseTimestamp(r);
                    if (!reset)
                        fail(member(ep, "reset"), "\"" + r + "\" is not an RFC 3339 time");
                    sample.resetMs = reset->ms;
                }
                t.m_samples.push_back(std::move(sample));
            }
        }

        // headers the reader knows without a dialect (formats.md §2 rule 2, §3)
        for (std::size_t k = 0; k < windowSources.size(); ++k) {
            Slot s;
            s.name = windowSources[k];
            s.role = Role::WindowSource;
            s.window = std::int16_t(k);
            t.m_slots.push_back(std::move(s));
        }
        t.m_windowSources = windowSources.size();
        Slot retryAfter;
        retryAfter.name = "retry-after";
        retryAfter.role = Role::RetryAfter;
        for (const Slot &s : t.m_slots) {
            if (s.name == retryAfter.name)
                fail("dialects", "retry-after is read by the reader itself, not a dialect");
        }
        t.m_slots.push_back(retryAfter);
        bool remainingNamed = false;
        for (Slot &s : t.m_slots) {
            if (s.name == "x-ratelimit-remaining") {
                s.remainingZero = true;
                remainingNamed = true;
            }
        }
        if (!remainingNamed) {
            Slot s;
            s.name = "x-ratelimit-remaining";
            s.role = Role::None;
            s.remainingZero = true;
            t.m_slots.push_back(std::move(s));
        }
        if (t.m_slots.size() > 8000)
            fail("dialects", "too many header names");

        std::size_t size = 16;
        while (size < t.m_slots.size() * 4)
            size *= 2;
        t.m_buckets.assign(size, -1);
        for (std::size_t k = 0; k < t.m_slots.size(); ++k) {
            for (std::size_t b = hashLower(t.m_slots[k].name) & (size - 1);;
                 b = (b + 1) & (size - 1)) {
                if (t.m_buckets[b] < 0) {
                    t.m_buckets[b] = std::int16_t(k);
                    break;
                }
            }
        }
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid dialect table: %1").arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
    return t;
}
