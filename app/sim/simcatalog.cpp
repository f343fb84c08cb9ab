#include "sim/simcatalog.h"

#include "decode/timestamp.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <stdexcept>
#include <string_view>

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string &path, const std::string &what)
{
    throw std::runtime_error(path + ": " + what);
}

std::string member(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string item(const std::string &path, std::size_t i)
{
    return path + "[" + std::to_string(i) + "]";
}

std::string listed(std::initializer_list<std::string_view> names)
{
    std::string out;
    for (std::string_view n : names)
        out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

// An object with exactly these fields: none missing, none unknown.
void expectFields(
    const json &j, const std::string &path, std::initializer_list<std::string_view> fields)
{
    if (!j.is_object())
        fail(path.empty() ? std::string("the catalog") : path, "not an object");
    for (const auto &[key, value] : j.items()) {
        if (std::find(fields.begin(), fields.end(), key) == fields.end())
            fail(member(path, key), "unknown field (known: " + listed(fields) + ")");
    }
    for (std::string_view f : fields) {
        if (!j.contains(std::string(f)))
            fail(member(path, f), "missing");
    }
}

std::string text(const json &j, const std::string &path)
{
    if (!j.is_string() || j.get_ref<const std::string &>().empty())
        fail(path, "not a non-empty string");
    return j.get<std::string>();
}

std::int64_t integer(const json &j, const std::string &path, std::int64_t lo, std::int64_t hi)
{
    if (!j.is_number_integer() || j.get<std::int64_t>() < lo || j.get<std::int64_t>() > hi)
        fail(path, "not an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return j.get<std::int64_t>();
}

const json &array(const json &j, const std::string &path)
{
    if (!j.is_array() || j.empty())
        fail(path, "not a non-empty array");
    return j;
}

// The text as it stands inside a JSON string: quotes, backslashes and controls escaped.
std::string escaped(const std::string &s)
{
    const std::string quoted = json(s).dump();
    return quoted.substr(1, quoted.size() - 2);
}

std::int64_t number(std::string_view s, const std::string &path)
{
    std::int64_t v = 0;
    if (s.empty() || s.size() > 15)
        fail(path, "a placeholder needs a number, not \"" + std::string(s) + "\"");
    for (char c : s) {
        if (c < '0' || c > '9')
            fail(path, "a placeholder needs a number, not \"" + std::string(s) + "\"");
        v = v * 10 + (c - '0');
    }
    return v;
}

SimTemplate::Part placeholder(std::string_view spec, const std::string &path)
{
    SimTemplate::Part p;
    const std::string what = "${" + std::string(spec) + "}";
    if (spec == "next_minute") {
        p.slot = SimTemplate::Slot::NextMinute;
    } else if (spec.substr(0, 4) == "hex:") {
        p.slot = SimTemplate::Slot::Hex;
        p.a = number(spec.substr(4), path);
        if (p.a < 1 || p.a > 16)
            fail(path, what + ": hex takes 1 to 16 digits");
    } else if (spec.substr(0, 7) == "digits:") {
        p.slot = SimTemplate::Slot::Digits;
        p.a = number(spec.substr(7), path);
        if (p.a < 1 || p.a > 30)
            fail(path, what + ": digits takes 1 to 30 digits");
    } else if (spec.substr(0, 4) == "int:" && spec.find("..") != std::string_view::npos) {
        p.slot = SimTemplate::Slot::Int;
        const std::size_t dots = spec.find("..");
        p.a = number(spec.substr(4, dots - 4), path);
        p.b = number(spec.substr(dots + 2), path);
        if (p.b < p.a || p.b - p.a >= 0xffffffffLL)
            fail(path, what + ": int needs LO..HI with LO <= HI < LO + 2^32 - 1");
    } else {
        fail(path,
            "unknown placeholder " + what
                + " (known: ${hex:N}, ${digits:N}, ${int:LO..HI}, ${next_minute})");
    }
    return p;
}

// inString: the text goes inside a JSON string (escape it); otherwise it is JSON text itself,
// which must parse once the placeholders are filled in.
SimTemplate parseTemplate(const json &j, const std::string &path, bool inString)
{
    const std::string raw = text(j, path);
    SimTemplate t;
    std::string sample; // the text with every placeholder filled in, to check JSON text
    std::size_t at = 0;
    while (at < raw.size()) {
        const std::size_t open = raw.find("${", at);
        const std::string literal
            = raw.substr(at, open == std::string::npos ? raw.npos : open - at);
        if (!literal.empty()) {
            t.parts.push_back({ SimTemplate::Slot::Text, inString ? escaped(literal) : literal });
            sample += literal;
        }
        if (open == std::string::npos)
            break;
        const std::size_t close = raw.find('}', open);
        if (close == std::string::npos)
            fail(path, "\"${\" without a closing \"}\"");
        const SimTemplate::Part p
            = placeholder(std::string_view(raw).substr(open + 2, close - open - 2), path);
        t.parts.push_back(p);
        if (p.slot == SimTemplate::Slot::Hex)
            sample += std::string(std::size_t(p.a), 'a');
        else if (p.slot == SimTemplate::Slot::NextMinute)
            sample += "2026-01-05T10:43:00Z";
        else
            sample += std::to_string(p.slot == SimTemplate::Slot::Int ? p.a : 1);
        at = close + 1;
    }
    if (!inString && !json::accept(sample))
        fail(path, "not JSON text once its placeholders are filled in: " + sample);
    return t;
}

SimProvider provider(const json &j, const std::string &path)
{
    expectFields(j, path,
        { "name", "latency_ms", "latency_spread_ms", "limit_message", "failure_message", "result",
            "tools" });
    SimProvider p;
    p.name = escaped(text(j["name"], member(path, "name")));
    p.latencyMs = int(integer(j["latency_ms"], member(path, "latency_ms"), 0, 3600000));
    p.latencySpreadMs
        = int(integer(j["latency_spread_ms"], member(path, "latency_spread_ms"), 2, 3600000));
    p.limitMessage = parseTemplate(j["limit_message"], member(path, "limit_message"), true);
    p.failureMessage = parseTemplate(j["failure_message"], member(path, "failure_message"), true);
    p.result = parseTemplate(j["result"], member(path, "result"), false);
    const std::string toolsPath = member(path, "tools");
    const json &tools = array(j["tools"], toolsPath);
    for (std::size_t i = 0; i < tools.size(); ++i)
        p.tools.push_back(escaped(text(tools[i], item(toolsPath, i))));
    return p;
}

int providerIndex(const SimCatalog &c, const std::string &name, const std::string &path)
{
    for (std::size_t i = 0; i < c.providers.size(); ++i) {
        if (c.providers[i].name == escaped(name))
            return int(i);
    }
    fail(path, "no provider named \"" + name + "\" in providers");
}

SimCatalog catalog(const json &doc, const std::vector<std::string> &clients)
{
    expectFields(
        doc, "", { "schema", "about", "providers", "client_providers", "incident_providers" });
    if (doc["schema"] != "ratescope.sim-catalog/1")
        fail("schema", "not \"ratescope.sim-catalog/1\"");
    text(doc["about"], "about");

    SimCatalog c;
    const json &providers = array(doc["providers"], "providers");
    std::set<std::string> names;
    std::set<std::string> tools;
    std::size_t toolCount = 0;
    for (std::size_t i = 0; i < providers.size(); ++i) {
        const std::string path = item("providers", i);
        c.providers.push_back(provider(providers[i], path));
        if (!names.insert(c.providers.back().name).second)
            fail(member(path, "name"), "a second provider named " + c.providers.back().name);
        for (const std::string &t : c.providers.back().tools) {
            if (!tools.insert(t).second)
                fail(member(path, "tools"), "a second tool named " + t);
        }
        toolCount += c.providers.back().tools.size();
    }
    if (c.providers.size() > 255 || toolCount > 65535)
        fail("providers", "more than 255 providers or 65,535 tools");

    const json &mix = doc["client_providers"];
    if (!mix.is_object())
        fail("client_providers", "not an object");
    for (const auto &[client, weights] : mix.items()) {
        if (std::find(clients.begin(), clients.end(), client) == clients.end()) {
            std::string known;
            for (const std::string &n : clients)
                known += (known.empty() ? "" : ", ") + n;
            fail(member("client_providers", client),
                "not a Scalekit client of the model (" + known + ")");
        }
    }
    for (const std::string &client : clients) {
        const std::string path = member("client_providers", client);
        if (!mix.contains(client))
            fail(path, "missing: every Scalekit client needs its providers");
        const json &weights = mix[client];
        if (!weights.is_object())
            fail(path, "not an object of provider weights");
        std::vector<int> w(c.providers.size(), 0);
        int total = 0;
        for (const auto &[name, weight] : weights.items()) {
            const std::string wPath = member(path, name);
            const int p = providerIndex(c, name, wPath);
            w[std::size_t(p)] = int(integer(weight, wPath, 0, 1000000));
            total += w[std::size_t(p)];
        }
        if (total == 0)
            fail(path, "no provider with a weight above 0");
        c.clientProviders.push_back(std::move(w));
    }

    const json &incidents = array(doc["incident_providers"], "incident_providers");
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const std::string path = item("incident_providers", i);
        c.incidentProviders.push_back(providerIndex(c, text(incidents[i], path), path));
    }
    return c;
}

} // namespace

void SimTemplate::write(NdjsonLineWriter &w, Xoshiro256 &rng, std::int64_t timeMs) const
{
    for (const Part &p : parts) {
        switch (p.slot) {
        case Slot::Text:
            w.lit(p.text);
            break;
        case Slot::Hex:
            w.hex(rng.next() >> (64 - 4 * p.a), int(p.a));
            break;
        case Slot::Digits:
            w.randomDigits(rng, int(p.a));
            break;
        case Slot::Int:
            w.uint(std::uint64_t(p.a) + rng.below(std::uint32_t(p.b - p.a + 1)));
            break;
        case Slot::NextMinute: {
            const std::string when = formatUtcMs(floorToMinute(timeMs) + 60000);
            w.lit(std::string_view(when).substr(0, 19)); // "2026-01-05T10:43:00"
            w.ch('Z');
            break;
        }
        }
    }
}

std::optional<SimCatalog> SimCatalog::fromJson(
    const QByteArray &text, const std::vector<std::string> &clients, QString *error)
{
    try {
        return catalog(json::parse(text.constBegin(), text.constEnd()), clients);
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid simulator catalog: %1").arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

std::optional<SimCatalog> SimCatalog::fromFile(
    const QString &path, const std::vector<std::string> &clients, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot open the simulator catalog: %2")
                     .arg(path, f.errorString());
        return std::nullopt;
    }
    auto c = fromJson(f.readAll(), clients, error);
    if (!c)
        *error = path + QStringLiteral(": ") + *error;
    return c;
}
