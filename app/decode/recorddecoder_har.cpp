#include "decode/recorddecoder_p.h"

// HAR logs: {"log": {"entries": [...]}}, one record per entry.

using simdjson::error_code;
using simdjson::SUCCESS;

std::string RecordDecoder::Impl::base64Decode(std::string_view in)
{
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+' || c == '-')
            return 62;
        if (c == '/' || c == '_')
            return 63;
        return -1;
    };
    std::string out;
    out.reserve(in.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const int v = val(c);
        if (v < 0)
            continue; // padding, whitespace
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((acc >> bits) & 0xFF));
        }
    }
    return out;
}

error_code RecordDecoder::Impl::harLog(Ctx &c, od::value v, int depth)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::object) {
        c.s.container = true;
        shape = DocumentShape::Har;
    }
    return fields(v, depth, [&](std::string_view k, od::value fv) {
        if (k != "entries")
            return json::skip(fv, depth + 1);
        return eachObject(fv, depth + 1, [&](od::value item, const char *start) {
            return innerRecord(
                start, [&](Ctx &ic) { return harEntry(ic, item, depth + 2); }, true, false);
        });
    });
}

error_code RecordDecoder::Impl::harEntry(Ctx &c, od::value v, int depth)
{
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "startedDateTime")
            return time(c, fv, 0, depth + 1);
        if (k == "time") {
            std::optional<double> n;
            const error_code e = json::number(fv, n, depth + 1);
            if (n && *n >= 0)
                c.rec.durationMs = *n;
            return e;
        }
        if (k == "request")
            return harRequest(c, fv, depth + 1);
        if (k == "response")
            return harResponse(c, fv, depth + 1);
        return json::skip(fv, depth + 1);
    });
}

error_code RecordDecoder::Impl::harRequest(Ctx &c, od::value v, int depth)
{
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "method")
            return str(fv, c.rec.method, depth + 1);
        if (k == "url")
            return str(fv, c.rec.url, depth + 1);
        if (k == "postData") {
            std::string_view text;
            const error_code e = harContentText(fv, text, depth + 1);
            if (!e && !text.empty())
                d.decodeRequestBodyText(text, c.rec);
            return e;
        }
        return json::skip(fv, depth + 1);
    });
}

error_code RecordDecoder::Impl::harContentText(od::value v, std::string_view &text, int depth)
{
    text = {};
    std::string_view encoding;
    const error_code e = fields(v, depth, [&](std::string_view k, od::value fv) {
        if (k == "text")
            return str(fv, text, depth + 1);
        if (k == "encoding")
            return str(fv, encoding, depth + 1);
        return json::skip(fv, depth + 1);
    });
    if (!e && encoding == "base64" && !text.empty())
        text = d.m_scratchText = base64Decode(text);
    return e;
}

error_code RecordDecoder::Impl::harResponse(Ctx &c, od::value v, int depth)
{
    std::string_view bodyText;
    const error_code e = fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "status") {
            std::optional<double> n;
            const error_code e2 = json::number(fv, n, depth + 1);
            c.s.statusRecord = n;
            return e2;
        }
        if (k == "headers")
            return headers(c, fv, depth + 1);
        if (k == "content") {
            const error_code e2 = harContentText(fv, bodyText, depth + 1);
            if (!e2 && !bodyText.empty())
                bodyText = c.rec.keep(std::string(bodyText));
            return e2;
        }
        if (k == "_error") { // Chrome: null, or the network error's name
            std::string_view why;
            const error_code e2 = str(fv, why, depth + 1);
            if (!why.empty())
                c.rec.noResponse = true;
            return e2;
        }
        return json::skip(fv, depth + 1);
    });
    if (!e && !bodyText.empty())
        d.decodeBodyText(bodyText, c.rec);
    return e;
}
