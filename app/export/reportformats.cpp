#include "export/reportformats.h"

#include "base/palette.h"
#include "decode/timestamp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace {

// "tokens per 1m (the words of the 429: openai-tpm)", "concurrency (counts: use/limit)",
// "not known" (limits.md §5)
std::string bindingText(const Binding &b)
{
    if (!b.axis)
        return "not known";
    std::string t = limitAxisName(*b.axis).toStdString();
    if (b.windowS) {
        LimitSpec w;
        w.requests = 1;
        w.windowS = b.windowS;
        t += " per "
            + (w.perMinute() ? std::string("minute") : limitSpecText(w).mid(2).toStdString());
    }
    const char *why = b.evidence == Binding::Evidence::Message ? "the words of the 429"
        : b.evidence == Binding::Evidence::Headers             ? "the headers"
                                                               : "the counts before it";
    return t + " (" + why + (b.rule.empty() ? "" : ": " + b.rule) + ")";
}

std::string limitText(const std::optional<LimitSpec> &l)
{
    if (!l)
        return {};
    if (!l->windowS)
        return std::to_string(l->requests) + "/?";
    return limitSpecText(*l).toStdString();
}

} // namespace

std::string csvCell(std::string_view text)
{
    std::string v(text);
    if (!v.empty()
        && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'
            || v[0] == '\n'))
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
    // one row per scope and minute (limits.md §8), in time order, scopes by name within a minute
    struct Row
    {
        const BucketCounts *minute;
        const ScopeSummary *scope;
        const std::string *limit;
    };
    std::vector<std::vector<BucketCounts>> dense;
    std::vector<std::string> limits;
    dense.reserve(s.scopes.size());
    limits.reserve(s.scopes.size());
    std::vector<Row> rows;
    for (const ScopeSummary &sc : s.scopes) {
        dense.push_back(densify(sc.minutes, 60000));
        limits.push_back(limitText(sc.axes.empty() ? std::nullopt : sc.axes.front().limit));
        for (const BucketCounts &m : dense.back())
            rows.push_back({ &m, &sc, &limits.back() });
    }
    std::stable_sort(rows.begin(), rows.end(),
        [](const Row &a, const Row &b) { return a.minute->startMs < b.minute->startMs; });
    // limits.md §7: the categories' counts after the contract's columns (a reader by position
    // keeps working)
    std::string out = "minute,scope,requests,rejected,RATE_LIMITED,TOOL_ERROR,UNCLASSIFIED,limit,"
                      "QUOTA,OVERLOADED,HIDDEN_THROTTLE\n";
    for (const Row &r : rows) {
        const BucketCounts &m = *r.minute;
        const auto &tm = r.scope->throttleMinutes;
        const auto t = std::lower_bound(tm.begin(), tm.end(), m.startMs,
            [](const ScopeSummary::ThrottleMinute &x, std::int64_t ms) { return x.startMs < ms; });
        std::array<std::int64_t, kThrottleCategoryCount> categories {};
        if (t != tm.end() && t->startMs == m.startMs)
            categories = t->counts;
        // every text column goes through csvCell (summary.md), numbers cannot need it
        out += csvCell(formatUtcMinute(m.startMs));
        out += ',';
        out += csvCell(r.scope->name);
        char counts[96];
        std::snprintf(counts, sizeof counts, ",%u,%u,%u,%u,%u,", m.requests, m.rejectedTotal(),
            m.rejected[0], m.rejected[1], m.rejected[2]);
        out += counts;
        out += csvCell(*r.limit);
        std::snprintf(counts, sizeof counts, ",%lld,%lld,%lld\n", (long long)categories[0],
            (long long)categories[1], (long long)categories[2]);
        out += counts;
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
        std::snprintf(
            buf, sizeof buf, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
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
        out += std::string(sourceName(sourceFromIndex(k))) + " "
            + std::to_string(r[std::size_t(k)]);
    }
    return out;
}

// The first request limit in force for a scope (the incident's limit line).
std::optional<LimitSpec> scopeRequestLimit(const Summary &s, const std::string &scope)
{
    for (const ScopeSummary &sc : s.scopes) {
        if (sc.name == scope)
            return sc.axes.front().limit;
    }
    return std::nullopt;
}

std::string limitSentence(const LimitSpec &l, std::int64_t minutesOver)
{
    std::string window = "per minute";
    if (!l.windowS)
        window = "per window of unknown length";
    else if (!l.perMinute())
        window = "per " + limitText(l).substr(limitText(l).find('/') + 1);
    return "limit " + std::to_string(l.requests) + " requests " + window
        + (l.fromHeaders ? " (reported by the server)" : "")
        + (l.windowS ? ": " + std::to_string(minutesOver)
                    + (minutesOver == 1 ? " minute" : " minutes") + " over it"
                     : " (not compared: its window is not known)");
}

std::string driftLine(const LimitDrift &d)
{
    if (d.kind == LimitDrift::Kind::Configured)
        return "configured " + std::to_string(d.from) + " differs from the reported "
            + std::to_string(d.to);
    return "reported limit changed from " + std::to_string(d.from) + " to " + std::to_string(d.to)
        + " at " + formatUtcMs(*d.timeMs);
}

// limits.md §1, §8: a table of every scope, then a section for each scope with rejections.
std::string scopesMarkdown(const Summary &s)
{
    std::string o = "\n## Scopes\n\nScopes by " + scopeByName(s.scopeBy).toStdString()
        + ".\n\n| scope | requests | rejected | peak rpm | limit | minutes over limit |\n"
          "|---|---:|---:|---:|---|---:|\n";
    for (const ScopeSummary &sc : s.scopes) {
        const AxisFigures &a = sc.axes.front();
        o += "| " + cell(sc.name, 80) + " | " + std::to_string(sc.requests) + " | "
            + std::to_string(sc.rejectedTotal()) + " | " + (a.peak ? std::to_string(*a.peak) : "–")
            + " | "
            + (a.limit ? limitText(a.limit) + (a.limit->fromHeaders ? " (reported)" : "") : "–")
            + " | " + (a.limit && a.limit->windowS ? std::to_string(a.minutesOverLimit) : "–")
            + " |\n";
    }
    for (const ScopeSummary &sc : s.scopes) {
        if (sc.rejectedTotal() == 0)
            continue;
        o += "\n### " + cell(sc.name, 80) + "\n\n- " + std::to_string(sc.requests) + " requests, "
            + std::to_string(sc.rejectedTotal()) + " rejected (" + sourcesLine(sc.rejected) + ")\n";
        for (const AxisFigures &a : sc.axes) {
            if (a.axis == LimitAxis::Requests && a.limit)
                o += "- " + limitSentence(*a.limit, a.minutesOverLimit) + "\n";
        }
        for (const LimitDrift &d : s.drift) {
            if (d.scope == sc.name)
                o += "- Drift: " + driftLine(d) + "\n";
        }
    }
    return o;
}

// limits.md §7: one line per category with its count and the rules that gave it, then the
// providers gateway rules named; nothing when the log has none of them.
struct ThrottleLine
{
    std::string category, count, rules;
    std::string guidance; // the rules file's guidance for the category, when it has events
};
std::vector<ThrottleLine> throttleLines(const Summary &s, const RuleSet &ruleSet)
{
    std::vector<ThrottleLine> lines;
    std::int64_t any = 0;
    for (std::int64_t n : s.throttles)
        any += n;
    if (!any && s.providersNamed.empty())
        return lines;
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        const ThrottleCategory c = categoryFromIndex(k);
        ThrottleLine l { std::string(categoryName(c)), std::to_string(s.throttles[std::size_t(k)]),
            {}, {} };
        for (const Summary::RuleCount &r : s.throttleRules) {
            if (r.category == c)
                l.rules += (l.rules.empty() ? "" : "; ") + r.rule + " " + std::to_string(r.count);
        }
        if (s.throttles[std::size_t(k)] > 0)
            l.guidance = ruleSet.categoryGuidance(c).toStdString();
        lines.push_back(std::move(l));
    }
    return lines;
}

std::string providersNamedText(const Summary &s)
{
    std::string t;
    for (const NamedCount &n : s.providersNamed)
        t += (t.empty() ? "" : ", ") + n.name + " " + std::to_string(n.count);
    return t;
}

std::string throttlesMarkdown(const Summary &s, const RuleSet &rules)
{
    const std::vector<ThrottleLine> lines = throttleLines(s, rules);
    if (lines.empty())
        return {};
    std::string o = "\n## Quota, overload and hidden throttles\n\n";
    for (const ThrottleLine &l : lines) {
        o += "- " + l.category + ": " + l.count
            + (l.rules.empty() ? "" : " (" + cell(l.rules) + ")") + "\n";
        if (!l.guidance.empty())
            o += "  - " + cell(l.guidance, 2000) + "\n";
    }
    if (!s.providersNamed.empty())
        o += "- Upstream providers named by gateways: " + cell(providersNamedText(s)) + "\n";
    return o;
}

} // namespace

QByteArray summaryToMarkdown(const Summary &s, const RuleSet &rules, const QString &chartFile)
{
    std::string o;
    o += "# Rate-limit report\n\n";
    if (!s.spanStartMs) {
        o += "No requests in the input.\n";
    } else {
        o += "**" + formatUtcMs(*s.spanStartMs) + " – " + formatUtcMs(*s.spanEndMs)
            + "** (UTC): " + std::to_string(s.requests) + " requests, "
            + std::to_string(s.rejectedTotal()) + " rejected (" + sourcesLine(s.rejected) + ").";
        if (s.peakRpm)
            o += " Peak " + std::to_string(*s.peakRpm) + " requests/min at "
                + formatUtcMinute(*s.peakMinuteMs) + ".";
        if (s.limit) {
            std::string sentence = limitSentence(*s.limit, s.minutesOverLimit);
            sentence[0] = 'L';
            o += " " + sentence
                + (s.scopes.size() > 1 ? " (scope `" + cell(s.topScope, 80) + "`)" : "") + ".";
        }
        o += "\n";
    }
    if (!chartFile.isEmpty())
        o += "\n![Requests per minute against the limit](" + chartFile.toStdString() + ")\n";

    o += "\n## Inputs\n\n| file | format | records | skipped | duplicates "
         "|\n|---|---|---:|---:|---:|\n";
    for (const InputReport &in : s.inputs) {
        o += "| " + cell(in.path.toStdString()) + " | " + in.format.toStdString()
            + (in.gzip ? " (gzip)" : "") + " | " + std::to_string(in.records) + " | "
            + std::to_string(in.skipped) + " | " + std::to_string(in.duplicates) + " |\n";
    }
    for (const InputReport &in : s.inputs) {
        if (in.failed())
            o += "\n- **" + cell(in.path.toStdString()) + "**: " + cell(in.fatal.toStdString())
                + "\n";
    }

    o += scopesMarkdown(s);
    o += throttlesMarkdown(s, rules);

    o += "\n## Incidents\n\n";
    if (s.incidents.empty()) {
        o += "No rate-limit rejections.\n";
    } else {
        o += "| # | scope | start (UTC) | duration | requests | rejected | dominant source | peak "
             "rpm | max Retry-After |\n"
             "|---:|---|---|---|---:|---:|---|---:|---:|\n";
        int n = 0;
        for (const Incident &inc : s.incidents) {
            o += "| " + std::to_string(++n) + " | " + cell(inc.scope, 80) + " | "
                + formatUtcMs(inc.startMs) + " | " + duration(inc.endMs - inc.startMs) + " | "
                + std::to_string(inc.requests) + " | " + std::to_string(inc.rejectedTotal()) + " | "
                + std::string(sourceName(inc.dominant)) + " | " + std::to_string(inc.peakRpm)
                + " | " + (inc.maxRetryAfterS ? formatSeconds(*inc.maxRetryAfterS) + " s" : "–")
                + " |\n";
        }
        n = 0;
        for (const Incident &inc : s.incidents) {
            o += "\n### Incident " + std::to_string(++n) + ": " + formatUtcMs(inc.startMs) + " – "
                + formatUtcMs(inc.endMs) + "\n\n";
            o += "- Scope: `" + cell(inc.scope, 80) + "`\n";
            o += "- Rejections: " + sourcesLine(inc.rejected) + "\n";
            o += "- Limit that bit first: " + bindingText(inc.binding) + "\n";
            o += "- Requests in its minutes: " + std::to_string(inc.requests) + ", peak "
                + std::to_string(inc.peakRpm) + "/min";
            const std::optional<LimitSpec> limit = scopeRequestLimit(s, inc.scope);
            if (limit && limit->perMinute())
                o += " (limit " + std::to_string(limit->requests) + ")";
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
                + cell(
                    rules.guidance(inc.dominant, inc.quota, inc.binding.axis).toStdString(), 2000)
                + "\n";
        }
    }
    if (!s.findings.empty()) {
        o += "\n## Retry behaviour\n\n";
        for (const RetryFinding &f : s.findings) {
            const char *title = f.kind == RetryFinding::Kind::IgnoredRetryAfter
                ? "Retry-After not honoured"
                : f.kind == RetryFinding::Kind::SynchronizedRetries
                ? "Synchronized retries (no jitter)"
                : "Polling hot spot";
            o += std::string("- **") + title + ":** " + cell(f.evidence(), 600) + " " + f.advice()
                + "\n";
        }
    } else if (s.rejectedTotal() > 0) {
        o += "\n## Retry behaviour\n\nNo client retried before its Retry-After, at a fixed delay, "
             "or polled an endpoint at a fixed short interval.\n";
    }
    // per scope whose own limit rejected requests: a higher limit is asked of that API
    std::string asks;
    for (const ScopeSummary &sc : s.scopes) {
        const std::optional<LimitAsk> &ask = sc.axes.front().limitAsk;
        if (!ask || sc.rejected[0] == 0)
            continue;
        asks += (s.scopes.size() > 1 ? "- `" + cell(sc.name, 80) + "`: peak " : "Peak ")
            + std::to_string(ask->peakRpm) + " requests/min (" + formatUtcMinute(ask->minuteMs)
            + ") + " + std::to_string(ask->headroomPercent) + " % headroom = **"
            + std::to_string(ask->requestsPerMinute) + " requests/min**.\n";
    }
    if (!asks.empty())
        o += "\n## The limit to ask for\n\n" + asks;
    return QByteArray::fromStdString(o);
}

std::string escapeMarkup(std::string_view in)
{
    std::string out;
    out.reserve(in.size() + 16);
    for (char c : in) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

namespace {

std::string sourceChip(RejectionSource src)
{
    char color[8];
    std::snprintf(color, sizeof color, "#%06X", unsigned(sourceRgb(src) & 0xFFFFFF));
    return std::string("<span style=\"background:") + color
        + ";color:#fff;padding:1px 6px;border-radius:3px\">" + std::string(sourceName(src))
        + "</span>";
}

// limits.md §7 in HTML: as throttlesMarkdown.
std::string throttlesHtml(const Summary &s, const RuleSet &rules)
{
    const std::vector<ThrottleLine> lines = throttleLines(s, rules);
    if (lines.empty())
        return {};
    std::string h = "<h2>Quota, overload and hidden throttles</h2>\n<ul>";
    for (const ThrottleLine &l : lines)
        h += "<li>" + l.category + ": " + l.count
            + (l.rules.empty() ? "" : " (" + escapeMarkup(l.rules) + ")")
            + (l.guidance.empty() ? "" : "<br>" + escapeMarkup(l.guidance)) + "</li>";
    if (!s.providersNamed.empty())
        h += "<li>Upstream providers named by gateways: " + escapeMarkup(providersNamedText(s))
            + "</li>";
    return h + "</ul>\n";
}

// limits.md §1, §8 in HTML: a table of every scope, a section for each scope with rejections.
std::string scopesHtml(const Summary &s)
{
    std::string h = "<h2>Scopes</h2>\n<p>Scopes by " + scopeByName(s.scopeBy).toStdString()
        + ".</p>\n<table><tr><th>scope</th><th>requests</th><th>rejected</th><th>peak rpm</th>"
          "<th>limit</th><th>minutes over limit</th></tr>\n";
    for (const ScopeSummary &sc : s.scopes) {
        const AxisFigures &a = sc.axes.front();
        h += "<tr><td>" + escapeMarkup(sc.name) + "</td><td class=n>" + std::to_string(sc.requests)
            + "</td><td class=n>" + std::to_string(sc.rejectedTotal()) + "</td><td class=n>"
            + (a.peak ? std::to_string(*a.peak) : "–") + "</td><td>"
            + (a.limit
                    ? escapeMarkup(limitText(a.limit)) + (a.limit->fromHeaders ? " (reported)" : "")
                    : "–")
            + "</td><td class=n>"
            + (a.limit && a.limit->windowS ? std::to_string(a.minutesOverLimit) : "–")
            + "</td></tr>\n";
    }
    h += "</table>\n";
    for (const ScopeSummary &sc : s.scopes) {
        if (sc.rejectedTotal() == 0)
            continue;
        h += "<h3>" + escapeMarkup(sc.name) + "</h3>\n<ul><li>" + std::to_string(sc.requests)
            + " requests, " + std::to_string(sc.rejectedTotal()) + " rejected</li>";
        for (const AxisFigures &a : sc.axes) {
            if (a.axis == LimitAxis::Requests && a.limit)
                h += "<li>" + escapeMarkup(limitSentence(*a.limit, a.minutesOverLimit)) + "</li>";
        }
        for (const LimitDrift &d : s.drift) {
            if (d.scope == sc.name)
                h += "<li>Drift: " + escapeMarkup(driftLine(d)) + "</li>";
        }
        h += "</ul>\n";
    }
    return h;
}

// The report as HTML; chartSrc is the image URL (a data: URI, or a resource name for PDF).
} // namespace

std::string reportHtml(
    const Summary &s, const RuleSet &rules, const std::string &chartSrc, int imgWidth)
{
    std::string h;
    h += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Rate-limit report</title>\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src "
         "data:; style-src 'unsafe-inline'\">\n"
         "<style>body{font-family:sans-serif;max-width:1240px;margin:24px auto;color:#222}"
         "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px "
         "8px;text-align:left}"
         "td.n{text-align:right}blockquote{background:#f5f5f5;border-left:4px solid "
         "#999;margin:8px 0;padding:6px 12px}"
         "img{max-width:100%}</style></head><body>\n<h1>Rate-limit report</h1>\n";
    if (!s.spanStartMs) {
        h += "<p>No requests in the input.</p>\n";
    } else {
        h += "<p><b>" + formatUtcMs(*s.spanStartMs) + " – " + formatUtcMs(*s.spanEndMs)
            + "</b> (UTC): " + std::to_string(s.requests) + " requests, "
            + std::to_string(s.rejectedTotal()) + " rejected: ";
        for (int k = 0; k < kRejectionSourceCount; ++k)
            h += sourceChip(sourceFromIndex(k)) + " " + std::to_string(s.rejected[std::size_t(k)])
                + " ";
        if (s.peakRpm)
            h += ". Peak " + std::to_string(*s.peakRpm) + " requests/min at "
                + formatUtcMinute(*s.peakMinuteMs);
        if (s.limit) {
            std::string sentence = limitSentence(*s.limit, s.minutesOverLimit);
            sentence[0] = 'L';
            h += ". " + escapeMarkup(sentence)
                + (s.scopes.size() > 1 ? " (scope " + escapeMarkup(s.topScope) + ")" : "");
        }
        h += ".</p>\n";
    }
    if (!chartSrc.empty())
        h += "<p><img alt=\"Requests per minute against the limit\" src=\"" + chartSrc + "\""
            + (imgWidth > 0 ? " width=\"" + std::to_string(imgWidth) + "\"" : std::string())
            + "></p>\n";
    h += "<h2>Inputs</h2>\n<table><tr><th>file</th><th>format</th><th>records</th><th>skipped</"
         "th><th>duplicates</th></tr>\n";
    for (const InputReport &in : s.inputs) {
        h += "<tr><td>" + escapeMarkup(in.path.toStdString())
            + (in.failed() ? "<br><i>" + escapeMarkup(in.fatal.toStdString()) + "</i>" : "")
            + "</td><td>" + escapeMarkup(in.format.toStdString()) + (in.gzip ? " (gzip)" : "")
            + "</td><td class=n>" + std::to_string(in.records) + "</td><td class=n>"
            + std::to_string(in.skipped) + "</td><td class=n>" + std::to_string(in.duplicates)
            + "</td></tr>\n";
    }
    h += "</table>\n" + scopesHtml(s) + throttlesHtml(s, rules) + "<h2>Incidents</h2>\n";
    if (s.incidents.empty())
        h += "<p>No rate-limit rejections.</p>\n";
    int n = 0;
    for (const Incident &inc : s.incidents) {
        h += "<h3>Incident " + std::to_string(++n) + ": " + formatUtcMs(inc.startMs) + " – "
            + formatUtcMs(inc.endMs) + " " + sourceChip(inc.dominant) + "</h3>\n<ul>";
        h += "<li>Scope: <code>" + escapeMarkup(inc.scope) + "</code></li><li>Rejections: ";
        for (int k = 0; k < kRejectionSourceCount; ++k)
            h += std::string(sourceName(sourceFromIndex(k))) + " "
                + std::to_string(inc.rejected[std::size_t(k)]) + (k < 2 ? ", " : "");
        h += "</li><li>Limit that bit first: " + escapeMarkup(bindingText(inc.binding));
        h += "</li><li>Requests in its minutes: " + std::to_string(inc.requests) + ", peak "
            + std::to_string(inc.peakRpm) + "/min</li>";
        auto list = [&](const char *title, const std::vector<NamedCount> &v) {
            if (v.empty())
                return;
            h += std::string("<li>") + title + ": ";
            for (std::size_t k = 0; k < v.size(); ++k)
                h += (k ? ", " : "") + std::string("<code>") + escapeMarkup(v[k].name) + "</code> ("
                    + std::to_string(v[k].count) + ")";
            h += "</li>";
        };
        list("Tools", inc.topTools);
        list("Providers", inc.topProviders);
        if (inc.maxRetryAfterS)
            h += "<li>Largest Retry-After: " + formatSeconds(*inc.maxRetryAfterS) + " s</li>";
        if (!inc.messages.empty()) {
            h += "<li>Provider messages:<ul>";
            for (const NamedCount &m : inc.messages)
                h += "<li>" + std::to_string(m.count) + " × “" + escapeMarkup(m.name) + "”</li>";
            h += "</ul></li>";
        }
        h += "</ul>\n<blockquote><b>What to do (" + std::string(sourceName(inc.dominant))
            + "):</b> "
            + escapeMarkup(rules.guidance(inc.dominant, inc.quota, inc.binding.axis).toStdString())
            + "</blockquote>\n";
    }
    if (!s.findings.empty()) {
        h += "<h2>Retry behaviour</h2>\n<ul>";
        for (const RetryFinding &f : s.findings)
            h += "<li><b>" + std::string(RetryFinding::kindName(f.kind)) + ":</b> "
                + escapeMarkup(f.evidence()) + " " + escapeMarkup(f.advice()) + "</li>\n";
        h += "</ul>\n";
    }
    std::string asks;
    for (const ScopeSummary &sc : s.scopes) {
        const std::optional<LimitAsk> &ask = sc.axes.front().limitAsk;
        if (!ask || sc.rejected[0] == 0)
            continue;
        asks += "<li>"
            + (s.scopes.size() > 1 ? "<code>" + escapeMarkup(sc.name) + "</code>: peak "
                                   : std::string("Peak "))
            + std::to_string(ask->peakRpm) + " requests/min (" + formatUtcMinute(ask->minuteMs)
            + ") + " + std::to_string(ask->headroomPercent) + " % headroom = <b>"
            + std::to_string(ask->requestsPerMinute) + " requests/min</b>.</li>\n";
    }
    if (!asks.empty())
        h += "<h2>The limit to ask for</h2>\n<ul>" + asks + "</ul>\n";
    h += "</body></html>\n";
    return h;
}

QByteArray summaryToHtml(const Summary &s, const RuleSet &rules, const QByteArray &png)
{
    const std::string src
        = png.isEmpty() ? std::string() : "data:image/png;base64," + png.toBase64().toStdString();
    return QByteArray::fromStdString(reportHtml(s, rules, src));
}
