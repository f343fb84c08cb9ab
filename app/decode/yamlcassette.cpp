#include "decode/yamlcassette.h"

#include "decode/bodycodec.h"
#include "decode/recorddecoder.h"
#include "decode/textlines.h"
#include "decode/timestamp.h"
#include "decode/yamltree.h"

#include <nlohmann/json.hpp>

namespace {

// The column-0 lines that open a YAML cassette, within the first 200 lines.
template <typename F> bool scanTopLines(std::string_view text, F &&onKey)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::size_t pos = 0;
    for (int n = 0; n < 200 && pos < text.size(); ++n) {
        const std::string_view line = nextLine(text, pos);
        if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#'
            || line.substr(0, 3) == "---" || line[0] == '%')
            continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return false;
        if (onKey(line.substr(0, colon), line.substr(colon + 1)))
            return true;
    }
    return false;
}

void forEachHeader(
    const YamlNode *headers, const std::function<void(const std::string &, const std::string &)> &f)
{
    if (!headers || !headers->isMap())
        return;
    for (std::size_t i = 0; i + 1 < headers->items.size(); i += 2) {
        const YamlNode &k = headers->items[i], &v = headers->items[i + 1];
        if (!k.isScalar())
            continue;
        if (v.isScalar()) {
            f(k.value, v.value);
        } else if (v.kind == YamlNode::Kind::Sequence) {
            for (const YamlNode &e : v.items) {
                if (e.isScalar())
                    f(k.value, e.value);
            }
        }
    }
}

std::string headerValue(const YamlNode *headers, std::string_view name)
{
    std::string out;
    forEachHeader(headers, [&](const std::string &k, const std::string &v) {
        if (out.empty() && equalsIgnoreCase(k, name))
            out = v;
    });
    return out;
}

bool parseStatus(const YamlNode *status, int &out)
{
    if (status && status->isMap())
        status = status->get("code"); // vcrpy, Ruby VCR: {code, message}
    if (!status || !status->isScalar())
        return false;
    const std::string_view s = status->text();
    if (s.empty() || s.size() > 3)
        return false;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

std::string asciiUpper(std::string_view s)
{
    std::string out(s);
    for (char &c : out) {
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    }
    return out;
}

// The stored body, decoded into body.text (or, for a plain string that needs nothing, left in
// place: *view points at it).
// The body of a request or a response mapping, decoded as its headers say.
CassetteBody decodeBody(const YamlNode *response, std::string_view *view)
{
    CassetteBody out;
    if (view)
        *view = {};
    if (!response || !response->isMap())
        return out;
    const YamlNode *headers = response->get("headers");
    const YamlNode *stored = nullptr;
    std::string how;
    bool base64 = false;
    if (const YamlNode *parsed = response->get("parsed_body")) { // pydantic-ai
        out.text = yamlToJson(*parsed);
        out.decoded = true;
        out.stored = "parsed_body (YAML) → " + bodycodec::groupedNumber(out.text.size())
            + " bytes of JSON";
        return out;
    }
    if (const YamlNode *body = response->get("body")) {
        if (body->isScalar()) {
            stored = body;
        } else if (const YamlNode *s = body->get("string"); s && s->isScalar()) {
            stored = s;
        } else if (const YamlNode *b = body->get("base64_string"); b && b->isScalar()) {
            stored = b;
            base64 = true;
            how = "base64_string";
        }
    }
    if (!stored || stored->value.empty())
        return out;
    if (stored->isBinary()) {
        base64 = true;
        how = stored->tag == "!binary" ? "!binary" : "!!binary";
    }
    if (how.empty())
        how = "text";
    std::string bytes;
    std::string_view data = stored->value;
    if (base64) {
        if (!bodycodec::base64Decode(stored->value, bytes)) {
            out.stored = how + ": not valid base64, body not read";
            return out;
        }
        data = bytes;
    }
    const std::string enc = asciiUpper(headerValue(headers, "content-encoding"));
    const bool gzip = enc.find("GZIP") != std::string::npos;
    const bool deflate = enc.find("DEFLATE") != std::string::npos;
    if ((gzip || deflate) && (bodycodec::looksCompressed(data) || (deflate && base64))) {
        how += gzip ? ", gzip" : ", deflate";
        std::string inflated;
        if (!bodycodec::inflate(data, inflated)) {
            out.stored = how + ": corrupt, or over 64 MiB inflated: body not read";
            return out;
        }
        bytes = std::move(inflated);
        data = bytes;
    } else if (gzip || deflate) {
        how += gzip ? " (Content-Encoding gzip, stored already decoded)"
                    : " (Content-Encoding deflate, stored already decoded)";
    }
    out.decoded = true;
    out.stored = how + " → " + bodycodec::groupedNumber(data.size()) + " bytes of "
        + bodycodec::describeContent(data);
    if (!bytes.empty() && data.data() == bytes.data())
        out.text = std::move(bytes);
    else if (view)
        *view = data; // the tree's own string: no copy
    else
        out.text = std::string(data);
    return out;
}

std::uint64_t lineStart(std::string_view text, std::uint64_t pos)
{
    if (pos > text.size())
        return 0;
    const std::size_t nl = text.rfind('\n', pos == 0 ? 0 : std::size_t(pos - 1));
    return nl == std::string_view::npos || pos == 0 ? 0 : nl + 1;
}

} // namespace

bool looksLikeYamlCassette(std::string_view text)
{
    return scanTopLines(text, [](std::string_view key, std::string_view) {
        return key == "interactions" || key == "http_interactions";
    });
}

bool looksLikeYaml(std::string_view text)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::string_view line = nextLine(text, pos);
        if (line.empty() || line[0] == '#')
            continue;
        if (line.substr(0, 3) == "---" || line.substr(0, 5) == "%YAML" || line.substr(0, 2) == "- ")
            return true;
        const std::size_t colon = line.find(':');
        return line[0] != '{' && line[0] != '[' && line[0] != ' ' && colon != std::string_view::npos
            && colon > 0 && (colon + 1 == line.size() || line[colon + 1] == ' ');
    }
    return false;
}

CassetteBody cassetteResponseBody(const YamlNode &interaction)
{
    return decodeBody(interaction.get("response"), nullptr);
}

void readYamlCassette(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &onRecord,
    const std::function<void(std::uint64_t, std::string_view)> &onError)
{
    RawRecord rec;
    const std::vector<std::string_view> keys { "interactions", "http_interactions" };
    const YamlListRead r = readYamlListItems(text, keys, [&](const YamlNode &it) {
        const YamlNode *request = it.get("request");
        const YamlNode *response = it.get("response");
        if (!it.isMap() || !response || !response->isMap()) {
            onError(it.line, "not a cassette interaction (no response mapping)");
            return;
        }
        rec.clear();
        int status = 0;
        if (!parseStatus(response->get("status"), status)) {
            onError(it.line, "interaction without a readable response status");
            return;
        }
        rec.status = status;
        if (request && request->isMap()) {
            if (const YamlNode *m = request->get("method"); m && m->isScalar())
                rec.method = rec.keep(asciiUpper(m->value)); // Ruby VCR writes "post"
            const YamlNode *u = request->get("uri");
            if (!u)
                u = request->get("url");
            if (u && u->isScalar())
                rec.url = u->value;
            std::string_view requestInPlace;
            const CassetteBody requestBody = decodeBody(request, &requestInPlace);
            if (requestBody.decoded)
                decoder.decodeRequestBodyText(
                    requestInPlace.empty() ? std::string_view(requestBody.text) : requestInPlace,
                    rec);
        }
        forEachHeader(response->get("headers"), [&](const std::string &k, const std::string &v) {
            rec.headers.push_back({ k, v });
        });
        std::string_view inPlace;
        const CassetteBody body = decodeBody(response, &inPlace);
        if (body.decoded)
            decoder.decodeBodyText(inPlace.empty() ? std::string_view(body.text) : inPlace, rec);
        if (const YamlNode *at = it.get("recorded_at"); at && at->isScalar()) {
            if (const auto t = parseTimestamp(at->value)) {
                rec.timeMs = t->ms;
                rec.timeHadNoZone = !t->hadZone;
            }
        }
        if (!rec.timeMs) {
            if (const std::string_view date = rec.header("date"); !date.empty())
                rec.timeMs = parseHttpDate(date);
        }
        if (!rec.timeMs)
            rec.timeError = "no time (no recorded_at and no usable Date header)";
        onRecord(rec, it.line, lineStart(text, it.pos));
    });
    if (!r.ok)
        onError(r.errorLine, "YAML: " + r.error);
    else if (!r.rootIsMap || !r.sawList)
        onError(1, "not a cassette: no interactions list at the top level");
}

std::string yamlInteractionForDisplay(std::string_view text, std::string *error)
{
    YamlNode it;
    if (!readFirstListItem(text, it, error))
        return {};
    if (!it.isMap() || !it.get("response")) {
        if (error)
            *error = "not a cassette interaction";
        return {};
    }
    using json = nlohmann::ordered_json;
    auto headersOf = [](const YamlNode *h) {
        json o = json::object();
        forEachHeader(
            h, [&](const std::string &k, const std::string &v) { bodycodec::addHeader(o, k, v); });
        return o;
    };
    json out = json::object();
    if (const YamlNode *at = it.get("recorded_at"); at && at->isScalar())
        out["recorded_at"] = at->value;
    if (const YamlNode *req = it.get("request"); req && req->isMap()) {
        json r = json::object();
        for (const char *k : { "method", "uri", "url" }) {
            if (const YamlNode *v = req->get(k); v && v->isScalar())
                r[k] = v->value;
        }
        r["headers"] = headersOf(req->get("headers"));
        out["request"] = std::move(r);
    }
    const YamlNode *resp = it.get("response");
    json r = json::object();
    int status = 0;
    if (parseStatus(resp->get("status"), status))
        r["status"] = status;
    r["headers"] = headersOf(resp->get("headers"));
    const CassetteBody body = cassetteResponseBody(it);
    r["body_stored"] = body.stored.empty() ? std::string("no body") : body.stored;
    if (body.decoded) {
        json parsed = json::parse(body.text, nullptr, false);
        if (!parsed.is_discarded() && (parsed.is_object() || parsed.is_array()))
            r["body"] = std::move(parsed);
        else
            r["body"] = body.text;
    }
    out["response"] = std::move(r);
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}
