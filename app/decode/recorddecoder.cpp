#include "decode/recorddecoder.h"

#include "decode/jsonvalue.h"
#include "decode/recorddecoder_p.h"
#include "decode/recordkeys_p.h"

#include <cstring>
#include <utility>

// The generic decoder: one NDJSON line, a JSON array, an API page, error bodies, and the
// public entry points. This is the hot path of a big NDJSON log: what it calls per record is
// in this translation unit (here, in recordkeys_p.h and at the end of recorddecoder_p.h) so
// that the compiler can inline it. The functions marked inline are used in this file only
// (inline as when they were defined in the class).

using simdjson::error_code;
using simdjson::SUCCESS;

std::string_view providerFromTool(std::string_view tool)
{
    const auto us = tool.find('_');
    return us == std::string_view::npos ? tool : tool.substr(0, us);
}

std::string_view endpointOf(std::string_view url)
{
    // hand-written scans: string_view::find_first_of calls memchr once per character
    const std::size_t n = url.size();
    std::size_t begin = 0;
    for (std::size_t i = 0; i + 2 < n && i < 16; ++i) {
        if (url[i] == ':' && url[i + 1] == '/' && url[i + 2] == '/') {
            begin = i + 3;
            break;
        }
    }
    std::size_t end = begin, slash = n, at = n;
    for (; end < n; ++end) {
        const char c = url[end];
        if (c == '?' || c == '#')
            break;
        if (c == '/' && slash == n)
            slash = end;
        else if (c == '@' && slash == n)
            at = end;
    }
    if (at != n)
        begin = at + 1; // user:password@ never leaves the record
    return url.substr(begin, end - begin);
}

// ---- error bodies (formats.md §1.3) and members ----------------------------------------------

inline error_code RecordDecoder::Impl::details(Ctx &c, od::value v, int depth)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t != od::json_type::array)
        return json::skip(v, depth);
    od::array a;
    if (auto e = v.get_array().get(a))
        return e;
    for (auto item : a) {
        od::value iv;
        if (auto e = item.get(iv))
            return e;
        od::json_type it;
        if (auto e = iv.type().get(it))
            return e;
        if (it != od::json_type::object) {
            if (auto e = json::skip(iv, depth + 1))
                return e;
            continue;
        }
        od::object o;
        if (auto e = iv.get_object().get(o))
            return e;
        for (auto f : o) {
            std::string_view k;
            if (auto e = json::key(f, k))
                return e;
            od::value fv;
            if (auto e = f.value().get(fv))
                return e;
            if (k == "error_code" && c.s.detailsErrorCode.empty()) {
                if (auto e = str(fv, c.s.detailsErrorCode, depth + 2))
                    return e;
            } else if (k == "tool_error_info") {
                if (auto e = toolErrorInfo(c, fv, depth + 2))
                    return e;
            } else if (auto e = json::skip(fv, depth + 2)) {
                return e;
            }
        }
    }
    return SUCCESS;
}

inline error_code RecordDecoder::Impl::toolErrorInfo(Ctx &c, od::value v, int depth)
{
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "tool_error_code")
            return str(fv, c.rec.error.toolErrorCode, depth + 1);
        if (k == "tool_error_message")
            return str(fv, c.rec.error.toolErrorMessage, depth + 1);
        if (k == "http_status") {
            std::optional<double> n;
            const error_code e = json::number(fv, n, depth + 1);
            if (auto st = toStatus(n))
                c.rec.error.httpStatus = *st;
            return e;
        }
        return json::skip(fv, depth + 1);
    });
}

inline error_code RecordDecoder::Impl::object(Ctx &c, od::value v, Level level, int depth)
{
    return fields(v, depth,
        [&](std::string_view key, od::value fv) { return member(c, key, fv, level, depth + 1); });
}

inline error_code RecordDecoder::Impl::body(Ctx &c, od::value v, int depth)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::object)
        return object(c, v, Level::Body, depth);
    if (t == od::json_type::string) {
        std::string_view text;
        if (auto e = v.get_string().get(text))
            return e;
        d.decodeBodyText(text, c.rec);
        return SUCCESS;
    }
    if (t == od::json_type::array) { // [{"error": …}]: Google's streaming endpoints
        od::array a;
        if (auto e = v.get_array().get(a))
            return e;
        bool first = true;
        for (auto item : a) {
            od::value iv;
            if (auto e = item.get(iv))
                return e;
            od::json_type it;
            if (auto e = iv.type().get(it))
                return e;
            const bool read = first && it == od::json_type::object;
            first = false;
            if (auto e = read ? object(c, iv, Level::Body, depth + 1) : json::skip(iv, depth + 1))
                return e;
        }
        return SUCCESS;
    }
    return json::skip(v, depth);
}

inline error_code RecordDecoder::Impl::member(
    Ctx &c, std::string_view key, od::value v, Level level, int depth)
{
    const K k = keyId(key);
    const bool top = level == Level::Record;
    const bool responseLike = top || level == Level::Response;
    if (level == Level::Request) {
        if (k == K::k_method && c.rec.method.empty())
            return str(v, c.rec.method, depth);
        if ((k == K::k_url || k == K::k_uri) && c.rec.url.empty())
            return str(v, c.rec.url, depth);
        if (k == K::k_tool_name && c.rec.tool.empty())
            return str(v, c.rec.tool, depth);
        if (k == K::k_model && c.rec.model.empty())
            return str(v, c.rec.model, depth);
        if (k == K::k_body) {
            od::json_type t;
            if (auto e = v.type().get(t))
                return e;
            if (t == od::json_type::object)
                return object(c, v, Level::Request, depth);
        }
        return json::skip(v, depth);
    }
    if (top) {
        if (const int rank = timeRank(k); rank >= 0)
            return time(c, v, rank, depth);
        if (k == K::k_method)
            return str(v, c.rec.method, depth);
        if (k == K::k_url || k == K::k_uri || k == K::k_request_url)
            return str(v, c.rec.url, depth);
        if (k == K::k_path)
            return str(v, c.s.path, depth);
        if (k == K::k_scope) {
            c.s.nock = true;
            return str(v, c.s.scope, depth);
        }
        if (k == K::k_tool_name || k == K::k_tool)
            return str(v, c.rec.tool, depth);
        if (k == K::k_provider)
            return str(v, c.rec.provider, depth);
        if (k == K::k_model && c.rec.model.empty()) // a gateway's log names the request's model
            return str(v, c.rec.model, depth);
        if (k == K::k_connection_name)
            return str(v, c.rec.connection, depth);
        if ((k == K::k_connected_account_id || k == K::k_client) && c.rec.connection.empty())
            return str(v, c.rec.connection, depth);
        if (k == K::k_duration_ms || k == K::k_duration || k == K::k_latency_ms) {
            std::optional<double> n;
            if (auto e = json::number(v, n, depth))
                return e;
            if (n)
                c.rec.durationMs = *n;
            return SUCCESS;
        }
        if (k == K::k_id) {
            od::json_type t;
            if (auto e = v.type().get(t))
                return e;
            if (t == od::json_type::string)
                return v.get_string().get(c.rec.id);
            return json::skip(v, depth);
        }
        if (k == K::k_request) {
            od::json_type t;
            if (auto e = v.type().get(t))
                return e;
            if (t == od::json_type::object)
                return object(c, v, Level::Request, depth);
            return json::skip(v, depth);
        }
        if (k == K::k_response) {
            od::json_type t;
            if (auto e = v.type().get(t))
                return e;
            if (t == od::json_type::object)
                return object(c, v, Level::Response, depth);
            return body(c, v, depth);
        }
        if (k == K::k_body && c.s.nock)
            return json::skip(v, depth); // nock: `body` is the request's, `response` the reply
        if (k == K::k_tool_call_logs)
            return page(c, v, depth);
        if (k == K::k_log)
            return harLog(c, v, depth);
        if (k == K::k_interactions || k == K::k_http_interactions)
            return cassette(c, v, depth);
        // k6's `--out json` lines: {"type": "Point", "data": {...}, "metric": "http_reqs"}
        if (k == K::k_data)
            return k6Data(c, v, depth);
        if (k == K::k_metric)
            return str(v, c.s.k6.metric, depth);
        if (k == K::k_type) {
            const error_code e = str(v, c.s.type, depth);
            c.s.k6.type = c.s.type;
            return e;
        }
    }
    if (responseLike) {
        if (isStatusKey(k) && !(k == K::k_http_status && !top)) {
            std::optional<double> n;
            if (auto e = json::number(v, n, depth))
                return e;
            if (n)
                (top ? c.s.statusRecord : c.s.statusResponse) = n;
            return SUCCESS;
        }
        if (k == K::k_headers || k == K::k_rawHeaders || k == K::k_response_headers)
            return headers(c, v, depth);
        if (k == K::k_body || k == K::k_response_body)
            return body(c, v, depth);
    }
    if (k == K::k_model && level == Level::Body && c.rec.responseModel.empty())
        return str(v, c.rec.responseModel, depth);
    if ((k == K::k_usage || k == K::k_usageMetadata) && (level == Level::Body || top)) {
        TokenUsage u;
        const error_code e = usage(u, v, depth);
        c.rec.usage.update(u);
        return e;
    }
    // error fields, at every level but Request
    if (k == K::k_error_code)
        return str(v, top ? c.s.recErrorCode : c.s.bodyErrorCode, depth);
    if (k == K::k_error_message)
        return str(v, top ? c.s.recErrorMessage : c.s.message, depth);
    if (k == K::k_error_id)
        return str(v, level == Level::Error ? c.s.errErrorId : c.s.errorId, depth);
    if (k == K::k_details)
        return details(c, v, depth);
    if (k == K::k_tool_error_info)
        return toolErrorInfo(c, v, depth);
    if (k == K::k_message)
        return str(v, level == Level::Error ? c.s.errMessage : c.s.message, depth);
    if (k == K::k_type)
        return str(v, level == Level::Error ? c.s.errType : c.s.type, depth);
    if (k == K::k_code) {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t != od::json_type::string)
            return json::skip(v, depth); // gRPC numeric codes name no source
        return str(v, level == Level::Error ? c.s.errCode : c.s.code, depth);
    }
    if (k == K::k_status && level == Level::Error) { // Gemini: error.status RESOURCE_EXHAUSTED
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t != od::json_type::string)
            return json::skip(v, depth);
        return str(v, c.s.errStatus, depth);
    }
    if (k == K::k_error) {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::object)
            return object(c, v, Level::Error, depth);
        if (t == od::json_type::string) { // {"error": "text"}: a code, or words to show
            const error_code e = str(v, c.s.errCode, depth);
            if (!e && c.s.errMessage.empty())
                c.s.errMessage = c.s.errCode;
            return e;
        }
        return json::skip(v, depth);
    }
    if (k == K::k_metadata && level == Level::Error) { // OpenRouter: provider_name, raw
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t != od::json_type::object)
            return json::skip(v, depth);
        c.rec.error.hasMetadata = true;
        return fields(v, depth, [&](std::string_view mk, od::value mv) -> error_code {
            if (mk == "provider_name" || mk == "raw") {
                if (auto e = mv.type().get(t))
                    return e;
                if (t == od::json_type::string)
                    return str(
                        mv, mk == "raw" ? c.rec.error.raw : c.rec.error.providerName, depth + 1);
            }
            return json::skip(mv, depth + 1);
        });
    }
    if (k == K::k_http_status || k == K::k_raw_status_code) {
        std::optional<double> n;
        if (auto e = json::number(v, n, depth))
            return e;
        if (auto st = toStatus(n))
            c.rec.error.httpStatus = *st;
        return SUCCESS;
    }
    if (k == K::k_retry_after) {
        std::optional<double> n;
        if (auto e = json::number(v, n, depth))
            return e;
        if (n && *n >= 0) {
            c.rec.error.bodyRetryAfterS = *n;
            c.rec.error.hasBodyRetryAfter = true;
        }
        return SUCCESS;
    }
    return json::skip(v, depth);
}

error_code RecordDecoder::Impl::usage(TokenUsage &out, od::value v, int depth)
{
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        std::int64_t *slot = nullptr;
        if (k == "prompt_tokens" || k == "input_tokens" || k == "promptTokenCount")
            slot = &out.input;
        else if (k == "completion_tokens" || k == "output_tokens" || k == "candidatesTokenCount")
            slot = &out.output;
        else if (k == "total_tokens" || k == "totalTokenCount")
            slot = &out.total;
        else if (k == "cache_read_input_tokens")
            slot = &out.cacheRead;
        else if (k == "cache_creation_input_tokens")
            slot = &out.cacheCreation;
        if (!slot)
            return json::skip(fv, depth + 1);
        std::optional<double> n;
        const error_code e = json::number(fv, n, depth + 1);
        if (n && *n >= 0 && *n < 1e15)
            *slot = std::int64_t(*n);
        return e;
    });
}

// ---- containers ----------------------------------------------------------------------------

inline error_code RecordDecoder::Impl::page(Ctx &c, od::value v, int depth)
{
    c.s.container = true;
    shape = DocumentShape::ApiPage;
    return eachObject(v, depth,
        [&](od::value item, const char *start) { return genericRecord(item, start, depth + 1); });
}

inline error_code RecordDecoder::Impl::genericRecord(od::value item, const char *start, int depth)
{
    RawRecord &inner = d.m_inner;
    inner.clear();
    Ctx ic { inner, {} };
    if (auto e = object(ic, item, Level::Record, depth))
        return e;
    bool k6Request = false;
    if (ic.s.k6.data && k6Line(ic, &k6Request)) { // a k6 line in an array (`jq -s` of k6's output)
        if (k6Request)
            sink(inner, start);
        return SUCCESS;
    }
    finish(ic);
    sink(inner, start);
    return SUCCESS;
}

RecordDecoder::Result RecordDecoder::decodeRepairing(const char *s, std::size_t len,
    std::size_t capacity, const RecordSink &sink, const ErrorSink &errors, std::string &scratch,
    std::uint64_t &calls, std::uint64_t &replayed)
{
    constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;
    calls = replayed = 0;
    Result r = decode(s, len, capacity, sink, errors);
    std::size_t n = 0; // bytes of scratch in use
    if (r.error == simdjson::UTF8_ERROR) {
        scratch = json::sanitizeUtf8(std::string_view(s, len));
        n = scratch.size();
        scratch.append(kPad, ' ');
        calls = 0;
        r = decode(scratch.data(), n, scratch.size(), sink, errors);
    }
    if (r.error == simdjson::STRING_ERROR) {
        // Lone surrogate escapes (a JavaScript slice cutting an emoji: "\ud83d") read as
        // U+FFFD too. The records and errors the first pass gave are not given again.
        if (n == 0) {
            scratch.assign(s, len);
            n = len;
            scratch.append(kPad, ' ');
        }
        if (json::replaceLoneSurrogates(scratch.data(), n)) {
            replayed = std::exchange(calls, 0);
            r = decode(scratch.data(), n, scratch.size(), sink, errors);
        }
    }
    return r;
}

RecordDecoder::Result RecordDecoder::decode(const char *json, std::size_t size,
    std::size_t capacity, const RecordSink &sink, const ErrorSink &errors)
{
    Result result;
    od::document doc;
    if (auto e = m_parser.iterate(json, size, capacity).get(doc)) {
        result.error = e;
        result.errorAt = json;
        return result;
    }
    od::json_type t;
    if (auto e = doc.type().get(t)) {
        result.error = e;
        result.errorAt = json;
        return result;
    }
    const char *lastStart = json;
    auto trackingSink = [&](RawRecord &rec, const char *start) {
        lastStart = start ? start : lastStart;
        sink(rec, start);
    };
    auto trackingErrors = [&](const char *start, std::string_view reason) {
        lastStart = start ? start : lastStart;
        errors(start, reason);
    };
    Impl tracked { *this, trackingSink, trackingErrors };

    error_code e = SUCCESS;
    bool ownRecord = false;
    if (t == od::json_type::object) {
        m_record.clear();
        Impl::Ctx c { m_record, {} };
        od::object o;
        e = doc.get_object().get(o);
        // An object or array that failed to open (an unbalanced document: "{", "[1]x") must
        // not be iterated: its iterator is null (an assertion in simdjson, UB without one).
        if (!e) {
            for (auto field : o) {
                std::string_view key;
                if ((e = json::key(field, key)))
                    break;
                od::value fv;
                if ((e = field.value().get(fv)))
                    break;
                e = tracked.member(c, key, fv, Impl::Level::Record, 1);
            }
        }
        bool k6Request = false;
        if (!e) {
            if (c.s.container) {
                result.shape = tracked.shape;
            } else if (c.s.k6.data && tracked.k6Line(c, &k6Request)) {
                // a line of k6's JSON output: an http_reqs Point is a request, any other line
                // (a Metric declaration, another metric's Point) is neither a record nor a problem
                result.shape = DocumentShape::K6;
                ownRecord = k6Request;
            } else {
                tracked.finish(c);
                result.shape = tracked.shape == DocumentShape::Unknown ? DocumentShape::Record
                                                                       : tracked.shape;
                ownRecord = true; // given once nothing follows it: "{...}{...}" is no record
            }
        }
    } else if (t == od::json_type::array) {
        result.shape = DocumentShape::Array;
        od::array a;
        e = doc.get_array().get(a);
        if (!e) {
            for (auto item : a) {
                od::value iv;
                if ((e = item.get(iv)))
                    break;
                const char *start = iv.raw_json_token().data(); // does not consume the value
                lastStart = start;
                od::json_type it;
                if ((e = iv.type().get(it)))
                    break;
                if (it != od::json_type::object) {
                    if (!(e = json::skip(iv, 1)))
                        errors(start, "entry is not a JSON object");
                } else {
                    e = tracked.genericRecord(iv, start, 1);
                }
                if (e == simdjson::DEPTH_ERROR) { // refuse this entry only: the array goes on
                    errors(start, json::reason(e));
                    e = SUCCESS;
                } else if (e) {
                    break;
                }
            }
        }
        if (!e && tracked.shape == DocumentShape::Nock)
            result.shape = DocumentShape::Nock;
    } else {
        result.scalar = true;
        // validate the scalar so "not a record" and "invalid JSON" are told apart
        switch (t) {
        case od::json_type::number: {
            od::number n;
            e = doc.get_number().get(n);
            break;
        }
        case od::json_type::string: {
            std::string_view s;
            e = doc.get_string().get(s);
            break;
        }
        case od::json_type::boolean: {
            bool b;
            e = doc.get_bool().get(b);
            break;
        }
        default: {
            bool isNull = false;
            e = doc.is_null().get(isNull);
            if (!e && !isNull)
                e = simdjson::N_ATOM_ERROR;
        }
        }
    }
    const char *trailing = nullptr;
    if (!e && doc.current_location().get(trailing) == SUCCESS && trailing)
        e = simdjson::TRAILING_CONTENT; // something after the value (at the end: OUT_OF_BOUNDS)
    if (!e && ownRecord)
        sink(m_record, json);
    if (e) {
        result.error = e;
        result.errorAt = lastStart;
    }
    return result;
}

void RecordDecoder::decodeRequestBodyText(std::string_view text, RawRecord &rec)
{
    const bool wantTool = rec.tool.empty() && text.find("tool_name") != std::string_view::npos;
    const bool wantModel = rec.model.empty() && text.find("\"model\"") != std::string_view::npos;
    if (text.size() > (1 << 20) || !(wantTool || wantModel))
        return;
    simdjson::padded_string padded(text);
    od::document doc;
    od::value root;
    if (m_extraParser.iterate(padded).get(doc) || doc.get_value().get(root))
        return;
    int wanted = int(wantTool) + int(wantModel);
    Impl::Detached detached(*this);
    Impl &impl = detached.impl;
    impl.fields(root, 1, [&](std::string_view k, od::value fv) -> simdjson::error_code {
        std::string_view *slot = wantTool && k == "tool_name" ? &rec.tool
            : wantModel && k == "model"                       ? &rec.model
                                                              : nullptr;
        if (!slot)
            return json::skip(fv, 2);
        std::string_view s;
        if (fv.get_string().get(s) == simdjson::SUCCESS && slot->empty()) {
            *slot = rec.keep(std::string(s));
            --wanted;
        }
        // both found: stop reading (the error is not reported)
        return wanted == 0 ? simdjson::TAPE_ERROR : simdjson::SUCCESS;
    });
}

void RecordDecoder::streamUsage(std::string_view text, RawRecord &rec)
{
    Impl::Detached detached(*this);
    Impl &impl = detached.impl;
    TokenUsage found;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.substr(0, 5) != "data:")
            continue;
        line.remove_prefix(5);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        // only events that carry a usage are parsed
        if (line.empty() || line.front() != '{'
            || (line.find("usage") == std::string_view::npos
                && line.find("TokenCount") == std::string_view::npos))
            continue;
        m_bodyBuffer.assign(line.data(), line.size());
        m_bodyBuffer.append(simdjson::SIMDJSON_PADDING, ' ');
        od::document doc;
        od::value root;
        if (m_bodyParser.iterate(m_bodyBuffer.data(), line.size(), m_bodyBuffer.size()).get(doc)
            || doc.get_value().get(root))
            continue;
        TokenUsage u;
        // usage / usageMetadata at the top (OpenAI's last chunk, Anthropic's message_delta,
        // Gemini), or in `message` (Anthropic's message_start) or `x_groq` (Groq's last chunk)
        (void)impl.fields(root, 1, [&](std::string_view k, od::value fv) -> simdjson::error_code {
            if (k == "usage" || k == "usageMetadata")
                return impl.usage(u, fv, 2);
            if (k == "message" || k == "x_groq")
                return impl.fields(fv, 2, [&](std::string_view mk, od::value mv) {
                    return mk == "usage" ? impl.usage(u, mv, 3) : json::skip(mv, 3);
                });
            return json::skip(fv, 2);
        });
        found.update(u);
    }
    if (found.any() && !rec.usage.any())
        rec.usage = found;
}

namespace {

constexpr std::size_t kMaxPlainMessageBytes = 4096;

// A Python repr of a dict ({'a': 'b', 'c': None}) as JSON; "" when it is not one. Strings in
// single or double quotes, None/True/False; anything else is copied and left to the parser.
std::string pythonReprToJson(std::string_view in)
{
    std::string out;
    out.reserve(in.size() + 16);
    std::size_t i = 0;
    while (i < in.size()) {
        const char ch = in[i];
        if (ch == '\'' || ch == '"') {
            out += '"';
            ++i;
            for (;; ++i) {
                if (i >= in.size())
                    return {};
                const char s = in[i];
                if (s == ch)
                    break;
                if (s == '\\' && i + 1 < in.size()) {
                    const char n = in[++i];
                    if (n == '\'')
                        out += '\'';
                    else if (n == 'x' && i + 2 < in.size())
                        out += "\\u00";
                    else {
                        out += '\\';
                        out += n;
                    }
                    continue;
                }
                if (s == '"')
                    out += "\\\"";
                else if (s == '\n')
                    out += "\\n";
                else
                    out += s;
            }
            out += '"';
            ++i;
            continue;
        }
        if (ch >= 'A' && ch <= 'Z') {
            std::string_view literal;
            for (auto [word, value] :
                { std::pair<std::string_view, std::string_view> { "None", "null" },
                    { "True", "true" }, { "False", "false" } }) {
                if (in.substr(i, word.size()) == word) {
                    literal = value;
                    i += word.size();
                    break;
                }
            }
            if (literal.empty())
                return {};
            out += literal;
            continue;
        }
        out += ch;
        ++i;
    }
    return out;
}

} // namespace

void RecordDecoder::decodeBodyText(std::string_view text, RawRecord &rec)
{
    std::size_t i = 0;
    while (i < text.size()
        && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        ++i;
    if (i >= text.size())
        return;
    if (text[i] != '{') {
        if (text.substr(i, 5) == "data:" || text.substr(i, 6) == "event:")
            streamUsage(text, rec);
        // plain text: a short one is the message (e.g. "Too Many Requests"; a gateway's own
        // words, which the rules read, run to a few hundred bytes)
        else if (text.size() <= kMaxPlainMessageBytes && rec.error.message.empty())
            rec.error.message = rec.keep(std::string(text));
        return;
    }
    // {'error': {...}}: a Python repr, as SDKs print a body and users paste it; read as JSON
    std::string converted;
    if (i + 1 < text.size() && text[i + 1] == '\'') {
        converted = pythonReprToJson(text.substr(i));
        if (converted.empty()) {
            if (text.size() <= kMaxPlainMessageBytes && rec.error.message.empty())
                rec.error.message = rec.keep(std::string(text));
            return;
        }
        text = converted;
    }
    m_bodyBuffer.assign(text.data(), text.size());
    m_bodyBuffer.append(simdjson::SIMDJSON_PADDING, ' ');
    od::document doc;
    if (m_bodyParser.iterate(m_bodyBuffer.data(), text.size(), m_bodyBuffer.size()).get(doc))
        return;
    od::object o;
    if (doc.get_object().get(o))
        return;
    RawRecord tmp; // collect into a scratch record, then copy what matters
    Impl::Detached detached(*this);
    Impl &impl = detached.impl;
    Impl::Ctx c { tmp, {} };
    for (auto field : o) {
        std::string_view key;
        if (json::key(field, key))
            return;
        od::value fv;
        if (field.value().get(fv))
            return;
        if (impl.member(c, key, fv, Impl::Level::Body, 2))
            return;
    }
    ErrorInfo &dst = rec.error;
    const Impl::Slots &s = c.s;
    auto keep = [&](std::string_view v) {
        return v.empty() ? std::string_view() : rec.keep(std::string(v));
    };
    // body codes come after any the record itself named
    for (std::string_view code : { s.bodyErrorCode, s.detailsErrorCode, s.errorId, s.errErrorId,
             s.errCode, s.errType, s.type, s.code, s.errStatus })
        dst.addCode(keep(code));
    if (dst.toolErrorCode.empty())
        dst.toolErrorCode = keep(tmp.error.toolErrorCode);
    if (dst.toolErrorMessage.empty())
        dst.toolErrorMessage = keep(tmp.error.toolErrorMessage);
    if (dst.message.empty())
        dst.message = keep(!s.message.empty() ? s.message : s.errMessage);
    if (dst.httpStatus < 0)
        dst.httpStatus = tmp.error.httpStatus;
    if (!dst.hasMetadata && tmp.error.hasMetadata) {
        dst.hasMetadata = true;
        dst.providerName = keep(tmp.error.providerName);
        dst.raw = keep(tmp.error.raw);
    }
    if (rec.responseModel.empty())
        rec.responseModel = keep(tmp.responseModel);
    if (!rec.usage.any())
        rec.usage = tmp.usage;
    if (!dst.hasBodyRetryAfter && tmp.error.hasBodyRetryAfter) {
        dst.hasBodyRetryAfter = true;
        dst.bodyRetryAfterS = tmp.error.bodyRetryAfterS;
    }
}
