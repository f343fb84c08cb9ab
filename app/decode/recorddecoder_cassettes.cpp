#include "decode/recorddecoder_p.h"

// Betamax and VCR cassettes recorded as JSON: {interactions | http_interactions: [...]},
// one record per interaction. YAML cassettes are decode/yamlcassette.*.

using simdjson::error_code;
using simdjson::SUCCESS;

error_code RecordDecoder::Impl::cassette(Ctx &c, od::value v, int depth)
{
    c.s.container = true;
    shape = DocumentShape::Betamax;
    return eachObject(v, depth, [&](od::value item, const char *start) {
        return innerRecord(
            start, [&](Ctx &ic) { return interaction(ic, item, depth + 1); }, false, true);
    });
}

error_code RecordDecoder::Impl::interaction(Ctx &c, od::value v, int depth)
{
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "recorded_at")
            return time(c, fv, 0, depth + 1);
        if (k == "request")
            return cassetteRequest(c, fv, depth + 1);
        if (k == "response")
            return cassetteResponse(c, fv, depth + 1);
        return json::skip(fv, depth + 1);
    });
}

error_code RecordDecoder::Impl::cassetteRequest(Ctx &c, od::value v, int depth)
{
    std::string_view bodyText;
    const error_code e = fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "method")
            return str(fv, c.rec.method, depth + 1);
        if (k == "uri" || k == "url")
            return str(fv, c.rec.url, depth + 1);
        if (k == "body")
            return cassetteBody(c, fv, bodyText, depth + 1);
        return json::skip(fv, depth + 1);
    });
    if (!e && !bodyText.empty())
        d.decodeRequestBodyText(bodyText, c.rec);
    return e;
}

error_code RecordDecoder::Impl::cassetteResponse(Ctx &c, od::value v, int depth)
{
    std::string_view bodyText;
    const error_code e = fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "status") {
            od::json_type st;
            if (auto e2 = fv.type().get(st))
                return e2;
            if (st != od::json_type::object) { // VCR: a number
                std::optional<double> n;
                const error_code e2 = json::number(fv, n, depth + 1);
                c.s.statusRecord = n;
                return e2;
            }
            return fields(fv, depth + 1, [&](std::string_view sk, od::value sv) -> error_code {
                if (sk != "code") // Betamax: {code, message}
                    return json::skip(sv, depth + 2);
                std::optional<double> n;
                const error_code e2 = json::number(sv, n, depth + 2);
                c.s.statusRecord = n;
                return e2;
            });
        }
        if (k == "headers")
            return headers(c, fv, depth + 1);
        if (k == "body")
            return cassetteBody(c, fv, bodyText, depth + 1);
        return json::skip(fv, depth + 1);
    });
    if (!e && !bodyText.empty())
        d.decodeBodyText(bodyText, c.rec);
    return e;
}

error_code RecordDecoder::Impl::cassetteBody(Ctx &c, od::value v, std::string_view &text, int depth)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::string) {
        if (auto e = v.get_string().get(text))
            return e;
        text = c.rec.keep(std::string(text));
        return SUCCESS;
    }
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        std::string_view s;
        if (k != "string" && k != "base64_string")
            return json::skip(fv, depth + 1);
        const error_code e = str(fv, s, depth + 1);
        if (!s.empty())
            text = c.rec.keep(k == "string" ? std::string(s) : base64Decode(s));
        return e;
    });
}
