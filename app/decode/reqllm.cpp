#include "decode/reqllm.h"

#include "decode/bodycodec.h"
#include "decode/recorddecoder.h"
#include "decode/timestamp.h"

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

std::string_view skipSpace(std::string_view t)
{
    while (!t.empty()
        && (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t'))
        t.remove_prefix(1);
    return t;
}

const json *member(const json &o, const char *key)
{
    if (!o.is_object())
        return nullptr;
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &*it;
}

} // namespace

bool looksLikeReqLlm(std::string_view text)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    text = skipSpace(text);
    if (text.empty() || text.front() != '{')
        return false;
    text = skipSpace(text.substr(1));
    return text.substr(0, 9) == "\"request\"";
}

namespace {

// A body as ReqLLM stores it: text, {"b64": …}, or the JSON itself.
std::string bodyText(const json *b)
{
    std::string body;
    if (!b)
        return body;
    if (b->is_string())
        body = b->get<std::string>();
    else if (const json *b64 = member(*b, "b64"); b64 && b64->is_string())
        bodycodec::base64Decode(b64->get_ref<const std::string &>(), body);
    else if (b->is_object() || b->is_array())
        body = b->dump(-1, ' ', false, json::error_handler_t::replace);
    return body;
}

} // namespace

void readReqLlmFixture(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &onRecord,
    const std::function<void(std::uint64_t, std::string_view)> &onError)
{
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        onError(1, "not a ReqLLM fixture (not one JSON object)");
        return;
    }
    const json *request = member(doc, "request");
    const json *response = member(doc, "response");
    const json *status = response ? member(*response, "status") : nullptr;
    if (!status || !(status->is_number_integer() || status->is_string())) {
        onError(1, "not a ReqLLM fixture (no response.status)");
        return;
    }
    RawRecord rec;
    int st = -1;
    if (status->is_number_integer())
        st = status->get<int>();
    else
        st = std::atoi(status->get_ref<const std::string &>().c_str());
    if (st < 0 || st > 999) {
        onError(1, "ReqLLM fixture with an unreadable response.status");
        return;
    }
    rec.status = st;
    if (request) {
        if (const json *m = member(*request, "method"); m && m->is_string())
            rec.method = rec.keep(m->get<std::string>());
        if (const json *u = member(*request, "url"); u && u->is_string())
            rec.url = rec.keep(u->get<std::string>());
    }
    if (const json *h = member(*response, "headers"); h && h->is_object()) {
        for (auto it = h->begin(); it != h->end(); ++it) {
            const std::string_view name = rec.keep(it.key());
            if (it->is_string())
                rec.headers.push_back({ name, rec.keep(it->get<std::string>()) });
            else if (it->is_array()) {
                for (const json &v : *it) {
                    if (v.is_string())
                        rec.headers.push_back({ name, rec.keep(v.get<std::string>()) });
                }
            }
        }
    }
    if (request) {
        const json *canonical = member(*request, "canonical_json");
        const std::string body = bodyText(canonical ? canonical : member(*request, "body"));
        if (!body.empty())
            decoder.decodeRequestBodyText(body, rec);
    }
    if (const std::string body = bodyText(member(*response, "body")); !body.empty())
        decoder.decodeBodyText(body, rec);
    const json *capturedAt = member(doc, "captured_at");
    for (const char *where : { "meta", "metadata", "response", "request" }) {
        if (capturedAt)
            break;
        if (const json *o = member(doc, where))
            capturedAt = member(*o, "captured_at");
    }
    if (capturedAt && capturedAt->is_string()) {
        if (const auto t = parseTimestamp(capturedAt->get_ref<const std::string &>())) {
            rec.timeMs = t->ms;
            rec.timeHadNoZone = !t->hadZone;
        }
    } else if (capturedAt && capturedAt->is_number()) {
        rec.timeMs = timestampFromEpoch(capturedAt->get<double>());
    }
    if (!rec.timeMs) {
        if (const std::string_view date = rec.header("date"); !date.empty())
            rec.timeMs = parseHttpDate(date);
    }
    if (!rec.timeMs)
        rec.timeError = "no time (no captured_at and no usable Date header)";
    onRecord(rec, 1, 0);
}
