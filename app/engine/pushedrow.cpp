#include "engine/pushedrow.h"

#include <cmath>
#include <cstdio>

namespace {

void appendString(std::string &out, std::string_view s)
{
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    out += '"';
}

void key(std::string &out, const char *name)
{
    if (out.back() != '{')
        out += ',';
    out += '"';
    out += name;
    out += "\":";
}

// A number, or null for the "none" value.
void appendOptional(std::string &out, std::int64_t v, std::int64_t none)
{
    if (v == none)
        out += "null";
    else
        out += std::to_string(v);
}

} // namespace

void appendPushedEventJson(std::string &out, const EventStore &s, std::size_t i,
    std::string_view id, std::string_view scope)
{
    out += '{';
    key(out, "id");
    appendString(out, id);
    key(out, "time");
    out += std::to_string(s.timeMs(i));
    key(out, "status");
    out += std::to_string(s.status(i));
    key(out, "source");
    appendString(out, sourceName(s.source(i)));
    key(out, "flags");
    out += std::to_string(s.flags(i));
    const std::pair<const char *, std::string_view> texts[] = { { "method", s.method(i) },
        { "scope", scope }, { "endpoint", s.endpoint(i) }, { "tool", s.tool(i) },
        { "provider", s.provider(i) }, { "client", s.client(i) }, { "model", s.model(i) },
        { "message", s.message(i) }, { "error_code", s.errorCode(i) },
        { "category",
            s.category(i) == ThrottleCategory::None ? std::string_view()
                                                    : categoryName(s.category(i)) },
        { "category_rule", s.categoryRule(i) }, { "gateway_rule", s.gatewayRule(i) } };
    for (const auto &[name, text] : texts) {
        key(out, name);
        appendString(out, text);
    }
    key(out, "retry_after_ms");
    appendOptional(out, s.retryAfterMs(i), -1);
    key(out, "server_limit");
    appendOptional(out, s.serverLimit(i), -1);
    key(out, "server_window_s");
    appendOptional(out, s.serverWindowS(i), -1);
    key(out, "duration_ms");
    const float d = s.durationMs(i);
    if (std::isnan(d)) {
        out += "null";
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", double(d));
        out += buf;
    }
    key(out, "input_tokens");
    appendOptional(out, s.inputTokens(i), -1);
    key(out, "output_tokens");
    appendOptional(out, s.outputTokens(i), -1);
    key(out, "total_tokens");
    appendOptional(out, s.totalTokens(i), -1);
    key(out, "reported_tokens");
    const ReportedTokenLimits &r = s.reportedTokens(i);
    if (r == ReportedTokenLimits {}) {
        out += "null";
    } else {
        // [limit × 3, window × 3, windowByReset], as RowIngest reads it
        std::string a = "[";
        for (int k = 0; k < 3; ++k)
            a += std::to_string(r.limit[std::size_t(k)]) + ',';
        for (int k = 0; k < 3; ++k)
            a += std::to_string(r.windowS[std::size_t(k)]) + ',';
        a += std::to_string(r.windowByReset) + ']';
        appendString(out, a);
    }
    out += '}';
}
