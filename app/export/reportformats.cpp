#include "export/reportformats.h"

#include "base/palette.h"
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
    // issue 6 additions under new keys; the keys above are the contract and do not change
    if (s.limitAsk) {
        j["limit_to_ask"] = { { "requests_per_minute", s.limitAsk->requestsPerMinute },
                              { "peak_rpm", s.limitAsk->peakRpm },
                              { "minute", formatUtcMinute(s.limitAsk->minuteMs) },
                              { "headroom_percent", s.limitAsk->headroomPercent } };
    }
    ojson findings = ojson::array();
    for (const RetryFinding &f : s.findings) {
        ojson examples = ojson::array();
        for (std::int64_t t : f.examplesMs)
            examples.push_back(formatUtcMs(t));
        ojson o;
        o["kind"] = RetryFinding::kindName(f.kind);
        o["client"] = f.client;
        o["target"] = f.target;
        o["count"] = f.count;
        o["out_of"] = f.total;
        o["seconds"] = secondsJson(f.seconds);
        if (f.kind == RetryFinding::Kind::IgnoredRetryAfter)
            o["median_retry_after_s"] = secondsJson(f.retryAfterS);
        if (f.kind == RetryFinding::Kind::Polling)
            o["rejected"] = f.rejected;
        o["first"] = formatUtcMs(f.firstMs);
        o["last"] = formatUtcMs(f.lastMs);
        o["examples"] = examples;
        o["evidence"] = f.evidence();
        o["advice"] = f.advice();
        findings.push_back(o);
    }
    j["findings"] = findings;
    // invalid UTF-8 cannot reach here (decoders replace it), but never throw on output
    return QByteArray::fromStdString(j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n");
}

std::string csvCell(std::string_view text)
{
    std::string v(text);
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' || v[0] == '\n'))
        v.insert(v.begin(), '\'');
    if (v.find_first_of(",\"\r\n'") == std::string::npos)
        return v;
    std::string q = "\"";
    for (char c : v) {
        if (c == '"')
            q += '"';
        q += c;
    }
    return q + "\"";
}

QByteArray summaryToCsv(const Summary &s)
{
    std::string out = "minute,requests,rejected,RATE_LIMITED,TOOL_ERROR,UNCLASSIFIED,limit\n";
    const std::string limit = limitText(s.limit);
    for (const BucketCounts &m : densify(s.minutes, 60000)) {
        // every text column goes through csvCell (summary.md), numbers cannot need it
        out += csvCell(formatUtcMinute(m.startMs));
        char counts[96];
        std::snprintf(counts, sizeof counts, ",%u,%u,%u,%u,%u,", m.requests, m.rejectedTotal(),
                      m.rejected[0], m.rejected[1], m.rejected[2]);
        out += counts;
        out += csvCell(limit);
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
    if (!s.findings.empty()) {
        o += "\n## Retry behaviour\n\n";
        for (const RetryFinding &f : s.findings) {
            const char *title = f.kind == RetryFinding::Kind::IgnoredRetryAfter ? "Retry-After not honoured"
                    : f.kind == RetryFinding::Kind::SynchronizedRetries         ? "Synchronized retries (no jitter)"
                                                                                : "Polling hot spot";
            o += std::string("- **") + title + ":** " + cell(f.evidence(), 600) + " " + f.advice() + "\n";
        }
    } else if (s.rejectedTotal() > 0) {
        o += "\n## Retry behaviour\n\nNo client retried before its Retry-After, at a fixed delay, or polled an endpoint at a fixed short interval.\n";
    }
    if (s.limitAsk && s.rejected[0] > 0) {
        o += "\n## The limit to ask for\n\nPeak " + std::to_string(s.limitAsk->peakRpm) + " requests/min ("
                + formatUtcMinute(s.limitAsk->minuteMs) + ") + " + std::to_string(s.limitAsk->headroomPercent)
                + " % headroom = **" + std::to_string(s.limitAsk->requestsPerMinute) + " requests/min**.\n";
    }
    return QByteArray::fromStdString(o);
}

namespace {

std::string esc(std::string_view in)
{
    std::string out;
    out.reserve(in.size() + 16);
    for (char c : in) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string sourceChip(Source src)
{
    char color[8];
    std::snprintf(color, sizeof color, "#%06X", unsigned(sourceRgb(src) & 0xFFFFFF));
    return std::string("<span style=\"background:") + color + ";color:#fff;padding:1px 6px;border-radius:3px\">"
            + std::string(sourceName(src)) + "</span>";
}

// The report as HTML; chartSrc is the image URL (a data: URI, or a resource name for PDF).
} // namespace

std::string reportHtml(const Summary &s, const RuleSet &rules, const std::string &chartSrc, int imgWidth)
{
    std::string h;
    h += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Rate-limit report</title>\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
         "<style>body{font-family:sans-serif;max-width:1240px;margin:24px auto;color:#222}"
         "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
         "td.n{text-align:right}blockquote{background:#f5f5f5;border-left:4px solid #999;margin:8px 0;padding:6px 12px}"
         "img{max-width:100%}</style></head><body>\n<h1>Rate-limit report</h1>\n";
    if (!s.spanStartMs) {
        h += "<p>No requests in the input.</p>\n";
    } else {
        h += "<p><b>" + formatUtcMs(*s.spanStartMs) + " – " + formatUtcMs(*s.spanEndMs) + "</b> (UTC): "
                + std::to_string(s.requests) + " requests, " + std::to_string(s.rejectedTotal()) + " rejected: ";
        for (int k = 0; k < kRejectionSourceCount; ++k)
            h += sourceChip(sourceFromIndex(k)) + " " + std::to_string(s.rejected[std::size_t(k)]) + " ";
        if (s.peakRpm)
            h += ". Peak " + std::to_string(*s.peakRpm) + " requests/min at " + formatUtcMinute(*s.peakMinuteMs);
        if (s.limit)
            h += ". Limit " + esc(limitText(s.limit)) + (s.limit->fromHeaders ? " (reported by the server)" : "") + ": "
                    + std::to_string(s.minutesOverLimit) + " minutes over it";
        h += ".</p>\n";
    }
    if (!chartSrc.empty())
        h += "<p><img alt=\"Requests per minute against the limit\" src=\"" + chartSrc + "\""
                + (imgWidth > 0 ? " width=\"" + std::to_string(imgWidth) + "\"" : std::string()) + "></p>\n";
    h += "<h2>Inputs</h2>\n<table><tr><th>file</th><th>format</th><th>records</th><th>skipped</th><th>duplicates</th></tr>\n";
    for (const InputReport &in : s.inputs) {
        h += "<tr><td>" + esc(in.path.toStdString()) + (in.failed() ? "<br><i>" + esc(in.fatal.toStdString()) + "</i>" : "")
                + "</td><td>" + esc(in.format.toStdString()) + (in.gzip ? " (gzip)" : "") + "</td><td class=n>"
                + std::to_string(in.records) + "</td><td class=n>" + std::to_string(in.skipped) + "</td><td class=n>"
                + std::to_string(in.duplicates) + "</td></tr>\n";
    }
    h += "</table>\n<h2>Incidents</h2>\n";
    if (s.incidents.empty())
        h += "<p>No rate-limit rejections.</p>\n";
    int n = 0;
    for (const Incident &inc : s.incidents) {
        h += "<h3>Incident " + std::to_string(++n) + ": " + formatUtcMs(inc.startMs) + " – " + formatUtcMs(inc.endMs)
                + " " + sourceChip(inc.dominant) + "</h3>\n<ul>";
        h += "<li>Rejections: ";
        for (int k = 0; k < kRejectionSourceCount; ++k)
            h += std::string(sourceName(sourceFromIndex(k))) + " " + std::to_string(inc.rejected[std::size_t(k)]) + (k < 2 ? ", " : "");
        h += "</li><li>Requests in its minutes: " + std::to_string(inc.requests) + ", peak " + std::to_string(inc.peakRpm) + "/min</li>";
        auto list = [&](const char *title, const std::vector<NamedCount> &v) {
            if (v.empty())
                return;
            h += std::string("<li>") + title + ": ";
            for (std::size_t k = 0; k < v.size(); ++k)
                h += (k ? ", " : "") + std::string("<code>") + esc(v[k].name) + "</code> (" + std::to_string(v[k].count) + ")";
            h += "</li>";
        };
        list("Tools", inc.topTools);
        list("Providers", inc.topProviders);
        if (inc.maxRetryAfterS)
            h += "<li>Largest Retry-After: " + formatSeconds(*inc.maxRetryAfterS) + " s</li>";
        if (!inc.messages.empty()) {
            h += "<li>Provider messages:<ul>";
            for (const NamedCount &m : inc.messages)
                h += "<li>" + std::to_string(m.count) + " × “" + esc(m.name) + "”</li>";
            h += "</ul></li>";
        }
        h += "</ul>\n<blockquote><b>What to do (" + std::string(sourceName(inc.dominant)) + "):</b> "
                + esc(rules.guidance(inc.dominant, inc.quota).toStdString()) + "</blockquote>\n";
    }
    if (!s.findings.empty()) {
        h += "<h2>Retry behaviour</h2>\n<ul>";
        for (const RetryFinding &f : s.findings)
            h += "<li><b>" + std::string(RetryFinding::kindName(f.kind)) + ":</b> " + esc(f.evidence()) + " " + esc(f.advice()) + "</li>\n";
        h += "</ul>\n";
    }
    if (s.limitAsk && s.rejected[0] > 0)
        h += "<h2>The limit to ask for</h2>\n<p>Peak " + std::to_string(s.limitAsk->peakRpm) + " requests/min ("
                + formatUtcMinute(s.limitAsk->minuteMs) + ") + " + std::to_string(s.limitAsk->headroomPercent)
                + " % headroom = <b>" + std::to_string(s.limitAsk->requestsPerMinute) + " requests/min</b>.</p>\n";
    h += "</body></html>\n";
    return h;
}


QByteArray summaryToHtml(const Summary &s, const RuleSet &rules, const QByteArray &png)
{
    const std::string src = png.isEmpty() ? std::string() : "data:image/png;base64," + png.toBase64().toStdString();
    return QByteArray::fromStdString(reportHtml(s, rules, src));
}
