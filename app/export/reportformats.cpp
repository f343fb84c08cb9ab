#include "export/reportformats.h"

#include "decode/timestamp.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

using ojson = nlohmann::ordered_json;

namespace {

std::string str(const QString &s)
{
    return s.toStdString();
}

ojson rejectedJson(const std::array<std::int64_t, kRejectionSourceCount> &r)
{
    ojson j;
    j["total"] = r[0] + r[1] + r[2];
    for (int k = 0; k < kRejectionSourceCount; ++k)
        j[std::string(sourceName(sourceFromIndex(k)))] = r[std::size_t(k)];
    return j;
}

ojson namedJson(const std::vector<NamedCount> &v, const char *countKey)
{
    ojson a = ojson::array();
    for (const NamedCount &n : v)
        a.push_back({ { "name", n.name }, { countKey, n.count } });
    return a;
}

ojson secondsJson(double s)
{
    const double ms = std::floor(s * 1000.0 + 0.5);
    if (std::fmod(ms, 1000.0) == 0 && std::fabs(ms) < 9e15)
        return std::int64_t(ms / 1000.0);
    return ms / 1000.0;
}

std::string limitText(const std::optional<LimitSpec> &l)
{
    if (!l)
        return {};
    if (l->perMinute())
        return std::to_string(l->requests);
    if (!l->windowS)
        return std::to_string(l->requests) + "/?";
    const std::int64_t w = *l->windowS;
    if (w % 3600 == 0)
        return std::to_string(l->requests) + "/" + std::to_string(w / 3600) + "h";
    if (w % 60 == 0)
        return std::to_string(l->requests) + "/" + std::to_string(w / 60) + "m";
    return std::to_string(l->requests) + "/" + std::to_string(w) + "s";
}

} // namespace

std::string formatSeconds(double s)
{
    const ojson j = secondsJson(s);
    return j.dump();
}

QByteArray summaryToJson(const Summary &s)
{
    ojson j;
    j["schema"] = "ratescope.summary/1";
    if (s.limit) {
        ojson l;
        l["requests"] = s.limit->requests;
        l["window_s"] = s.limit->windowS ? ojson(*s.limit->windowS) : ojson(nullptr);
        if (s.limit->fromHeaders)
            l["from"] = "headers";
        j["limit"] = l;
    } else {
        j["limit"] = nullptr;
    }
    ojson inputs = ojson::array();
    for (const InputReport &in : s.inputs) {
        ojson i;
        i["path"] = str(in.path);
        i["format"] = str(in.format);
        if (in.gzip)
            i["compressed"] = "gzip";
        i["records"] = in.records;
        i["skipped"] = in.skipped;
        i["duplicates"] = in.duplicates;
        ojson errs = ojson::array();
        for (const LocatedError &e : in.errors)
            errs.push_back({ { "line", e.line }, { "message", str(e.message) } });
        i["errors"] = errs;
        if (in.failed())
            i["error"] = str(in.fatal); // the input as a whole could not be read
        inputs.push_back(i);
    }
    j["inputs"] = inputs;
    if (s.spanStartMs)
        j["span"] = { { "start", formatUtcMs(*s.spanStartMs) }, { "end", formatUtcMs(*s.spanEndMs) } };
    else
        j["span"] = nullptr;
    j["requests"] = s.requests;
    j["rejected"] = rejectedJson(s.rejected);
    if (s.peakRpm)
        j["peak_rpm"] = { { "value", *s.peakRpm }, { "minute", formatUtcMinute(*s.peakMinuteMs) } };
    else
        j["peak_rpm"] = nullptr;
    j["minutes_over_limit"] = s.minutesOverLimit;
    ojson incidents = ojson::array();
    for (const Incident &inc : s.incidents) {
        ojson i;
        i["start"] = formatUtcMs(inc.startMs);
        i["end"] = formatUtcMs(inc.endMs);
        i["requests"] = inc.requests;
        i["rejected"] = rejectedJson(inc.rejected);
        i["dominant_source"] = std::string(sourceName(inc.dominant));
        i["peak_rpm"] = inc.peakRpm;
        i["top_tools"] = namedJson(inc.topTools, "rejected");
        i["top_providers"] = namedJson(inc.topProviders, "rejected");
        ojson msgs = ojson::array();
        for (const NamedCount &m : inc.messages)
            msgs.push_back({ { "text", m.name }, { "count", m.count } });
        i["messages"] = msgs;
        i["max_retry_after_s"] = inc.maxRetryAfterS ? secondsJson(*inc.maxRetryAfterS) : ojson(nullptr);
        incidents.push_back(i);
    }
    j["incidents"] = incidents;
    // invalid UTF-8 cannot reach here (decoders replace it), but never throw on output
    return QByteArray::fromStdString(j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n");
}

QByteArray summaryToCsv(const Summary &s)
{
    std::string out = "minute,requests,rejected,RATE_LIMITED,TOOL_ERROR,UNCLASSIFIED,limit\n";
    const std::string limit = limitText(s.limit);
    for (const BucketCounts &m : densify(s.minutes, 60000)) {
        char row[160];
        std::snprintf(row, sizeof row, "%s,%u,%u,%u,%u,%u,", formatUtcMinute(m.startMs).c_str(),
                      m.requests, m.rejectedTotal(), m.rejected[0], m.rejected[1], m.rejected[2]);
        out += row;
        out += limit;
        out += '\n';
    }
    return QByteArray::fromStdString(out);
}

namespace {

// Markdown table cells: no pipes or newlines from the input break the table.
std::string cell(std::string_view text, std::size_t max = 160)
{
    std::string out;
    for (char c : text) {
        if (out.size() >= max) {
            out += "…";
            break;
        }
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string duration(std::int64_t ms)
{
    const std::int64_t s = ms / 1000;
    char buf[64];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%lldm %02llds", (long long)(s / 60), (long long)(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%llds", (long long)s);
    return buf;
}

std::string sourcesLine(const std::array<std::int64_t, kRejectionSourceCount> &r)
{
    std::string out;
    for (int k = 0; k < kRejectionSourceCount; ++k) {
        if (!out.empty())
            out += ", ";
        out += std::string(sourceName(sourceFromIndex(k))) + " " + std::to_string(r[std::size_t(k)]);
    }
    return out;
}

} // namespace

QByteArray summaryToMarkdown(const Summary &s, const RuleSet &rules, const QString &chartFile)
{
    std::string o;
    o += "# Rate-limit report\n\n";
    if (!s.spanStartMs) {
        o += "No requests in the input.\n";
    } else {
        o += "**" + formatUtcMs(*s.spanStartMs) + " – " + formatUtcMs(*s.spanEndMs) + "** (UTC): "
                + std::to_string(s.requests) + " requests, " + std::to_string(s.rejectedTotal())
                + " rejected (" + sourcesLine(s.rejected) + ").";
        if (s.peakRpm)
            o += " Peak " + std::to_string(*s.peakRpm) + " requests/min at "
                    + formatUtcMinute(*s.peakMinuteMs) + ".";
        if (s.limit) {
            std::string window = "per minute";
            if (!s.limit->windowS)
                window = "per window of unknown length";
            else if (!s.limit->perMinute())
                window = "per " + limitText(s.limit).substr(limitText(s.limit).find('/') + 1);
            o += " Limit " + std::to_string(s.limit->requests) + " requests " + window
                    + (s.limit->fromHeaders ? " (reported by the server)" : "") + ": "
                    + std::to_string(s.minutesOverLimit)
                    + (s.minutesOverLimit == 1 ? " minute" : " minutes") + " over it.";
        }
        o += "\n";
    }
    if (!chartFile.isEmpty())
        o += "\n![Requests per minute against the limit](" + chartFile.toStdString() + ")\n";

    o += "\n## Inputs\n\n| file | format | records | skipped | duplicates |\n|---|---|---:|---:|---:|\n";
    for (const InputReport &in : s.inputs) {
        o += "| " + cell(in.path.toStdString()) + " | " + in.format.toStdString()
                + (in.gzip ? " (gzip)" : "") + " | " + std::to_string(in.records) + " | "
                + std::to_string(in.skipped) + " | " + std::to_string(in.duplicates) + " |\n";
    }
    for (const InputReport &in : s.inputs) {
        if (in.failed())
            o += "\n- **" + cell(in.path.toStdString()) + "**: " + cell(in.fatal.toStdString()) + "\n";
    }

    o += "\n## Incidents\n\n";
    if (s.incidents.empty()) {
        o += "No rate-limit rejections.\n";
    } else {
        o += "| # | start (UTC) | duration | requests | rejected | dominant source | peak rpm | max Retry-After |\n"
             "|---:|---|---|---:|---:|---|---:|---:|\n";
        int n = 0;
        for (const Incident &inc : s.incidents) {
            o += "| " + std::to_string(++n) + " | " + formatUtcMs(inc.startMs) + " | "
                    + duration(inc.endMs - inc.startMs) + " | " + std::to_string(inc.requests)
                    + " | " + std::to_string(inc.rejectedTotal()) + " | "
                    + std::string(sourceName(inc.dominant)) + " | " + std::to_string(inc.peakRpm)
                    + " | " + (inc.maxRetryAfterS ? formatSeconds(*inc.maxRetryAfterS) + " s" : "–")
                    + " |\n";
        }
        n = 0;
        for (const Incident &inc : s.incidents) {
            o += "\n### Incident " + std::to_string(++n) + ": " + formatUtcMs(inc.startMs) + " – "
                    + formatUtcMs(inc.endMs) + "\n\n";
            o += "- Rejections: " + sourcesLine(inc.rejected) + "\n";
            o += "- Requests in its minutes: " + std::to_string(inc.requests) + ", peak "
                    + std::to_string(inc.peakRpm) + "/min";
            if (s.limit && s.limit->perMinute())
                o += " (limit " + std::to_string(s.limit->requests) + ")";
            o += "\n";
            auto list = [&](const char *title, const std::vector<NamedCount> &v) {
                if (v.empty())
                    return;
                o += std::string("- ") + title + ": ";
                for (std::size_t k = 0; k < v.size(); ++k)
                    o += (k ? ", " : "") + std::string("`") + cell(v[k].name, 80) + "` ("
                            + std::to_string(v[k].count) + ")";
                o += "\n";
            };
            list("Tools", inc.topTools);
            list("Providers", inc.topProviders);
            if (inc.maxRetryAfterS)
                o += "- Largest Retry-After: " + formatSeconds(*inc.maxRetryAfterS) + " s\n";
            if (!inc.messages.empty()) {
                o += "- Provider messages:\n";
                for (const NamedCount &m : inc.messages)
                    o += "  - " + std::to_string(m.count) + " × \"" + cell(m.name, 300) + "\"\n";
            }
            o += "\n> **What to do (" + std::string(sourceName(inc.dominant)) + "):** "
                    + cell(rules.guidance(inc.dominant, inc.quota).toStdString(), 2000) + "\n";
        }
    }
    if (s.peakRpm && s.rejected[0] > 0) {
        const std::int64_t ask = (*s.peakRpm * 130 + 99) / 100;
        o += "\n## The limit to ask for\n\nPeak " + std::to_string(*s.peakRpm)
                + " requests/min (" + formatUtcMinute(*s.peakMinuteMs) + ") + 30 % headroom = **"
                + std::to_string(ask) + " requests/min**.\n";
    }
    return QByteArray::fromStdString(o);
}
