#include "decode/recorddecoder.h"

#include "decode/jsonvalue.h"
#include "decode/timestamp.h"

#include <cstring>
#include <utility>

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

// Where a key was found; the same name means different things at different depths.
enum class Level { Record, Response, Body, Error, Request };

enum class K : std::uint8_t {
    other,
    k_client,
    k__timestamp,
    k_body,
    k_code,
    k_connected_account_id,
    k_connection_name,
    k_date,
    k_details,
    k_duration,
    k_duration_ms,
    k_error,
    k_error_code,
    k_error_id,
    k_error_message,
    k_headers,
    k_http_interactions,
    k_http_status,
    k_id,
    k_interactions,
    k_latency_ms,
    k_log,
    k_message,
    k_method,
    k_path,
    k_provider,
    k_rawHeaders,
    k_raw_status_code,
    k_recorded_at,
    k_request,
    k_request_url,
    k_response,
    k_response_body,
    k_response_headers,
    k_retry_after,
    k_scope,
    k_startedDateTime,
    k_started_at,
    k_status,
    k_statusCode,
    k_status_code,
    k_time,
    k_timestamp,
    k_tool,
    k_tool_call_logs,
    k_tool_error_info,
    k_tool_name,
    k_ts,
    k_type,
    k_uri,
    k_url,
};

// Known keys by length first: one size switch and a few compares instead of a chain.
K keyId(std::string_view k)
{
    switch (k.size()) {
    case 2:
        if (k == "id")
            return K::k_id;
        if (k == "ts")
            return K::k_ts;
        break;
    case 3:
        if (k == "log")
            return K::k_log;
        if (k == "uri")
            return K::k_uri;
        if (k == "url")
            return K::k_url;
        break;
    case 4:
        if (k == "body")
            return K::k_body;
        if (k == "code")
            return K::k_code;
        if (k == "date")
            return K::k_date;
        if (k == "path")
            return K::k_path;
        if (k == "time")
            return K::k_time;
        if (k == "tool")
            return K::k_tool;
        if (k == "type")
            return K::k_type;
        break;
    case 5:
        if (k == "error")
            return K::k_error;
        if (k == "scope")
            return K::k_scope;
        break;
    case 6:
        if (k == "client")
            return K::k_client;
        if (k == "method")
            return K::k_method;
        if (k == "status")
            return K::k_status;
        break;
    case 7:
        if (k == "details")
            return K::k_details;
        if (k == "headers")
            return K::k_headers;
        if (k == "message")
            return K::k_message;
        if (k == "request")
            return K::k_request;
        break;
    case 8:
        if (k == "duration")
            return K::k_duration;
        if (k == "error_id")
            return K::k_error_id;
        if (k == "provider")
            return K::k_provider;
        if (k == "response")
            return K::k_response;
        break;
    case 9:
        if (k == "timestamp")
            return K::k_timestamp;
        if (k == "tool_name")
            return K::k_tool_name;
        break;
    case 10:
        if (k == "@timestamp")
            return K::k__timestamp;
        if (k == "error_code")
            return K::k_error_code;
        if (k == "latency_ms")
            return K::k_latency_ms;
        if (k == "rawHeaders")
            return K::k_rawHeaders;
        if (k == "started_at")
            return K::k_started_at;
        if (k == "statusCode")
            return K::k_statusCode;
        break;
    case 11:
        if (k == "duration_ms")
            return K::k_duration_ms;
        if (k == "http_status")
            return K::k_http_status;
        if (k == "recorded_at")
            return K::k_recorded_at;
        if (k == "request_url")
            return K::k_request_url;
        if (k == "retry_after")
            return K::k_retry_after;
        if (k == "status_code")
            return K::k_status_code;
        break;
    case 12:
        if (k == "interactions")
            return K::k_interactions;
        break;
    case 13:
        if (k == "error_message")
            return K::k_error_message;
        if (k == "response_body")
            return K::k_response_body;
        break;
    case 14:
        if (k == "tool_call_logs")
            return K::k_tool_call_logs;
        break;
    case 15:
        if (k == "connection_name")
            return K::k_connection_name;
        if (k == "raw_status_code")
            return K::k_raw_status_code;
        if (k == "startedDateTime")
            return K::k_startedDateTime;
        if (k == "tool_error_info")
            return K::k_tool_error_info;
        break;
    case 16:
        if (k == "response_headers")
            return K::k_response_headers;
        break;
    case 17:
        if (k == "http_interactions")
            return K::k_http_interactions;
        break;
    case 20:
        if (k == "connected_account_id")
            return K::k_connected_account_id;
        break;
    default:
        break;
    }
    return K::other;
}

// Time keys in the order they win when a record has several (formats.md §1.1).
int timeRank(K k)
{
    switch (k) {
    case K::k_timestamp:
        return 0;
    case K::k_time:
        return 1;
    case K::k_ts:
        return 2;
    case K::k__timestamp:
        return 3;
    case K::k_started_at:
        return 4;
    case K::k_startedDateTime:
        return 5;
    case K::k_date:
        return 6;
    case K::k_recorded_at:
        return 7;
    default:
        return -1;
    }
}

bool isStatusKey(K k)
{
    return k == K::k_status || k == K::k_status_code || k == K::k_statusCode || k == K::k_http_status;
}

// Everything one record collects before it is finalized.
struct Slots
{
    int timeRank = 1000;
    std::string_view badTime; // text of the best-ranked unusable time
    int badTimeRank = 1000;
    std::optional<double> statusRecord, statusResponse;
    std::string_view scope, path;
    std::string_view recErrorCode, bodyErrorCode, detailsErrorCode, errorId, errErrorId, errCode,
            errType, type, code, errStatus;
    std::string_view recErrorMessage, message, errMessage;
    bool container = false; // the object held other records (HAR, page, cassette)
    bool nock = false;
    bool cassette = false; // a Betamax/VCR interaction
    bool har = false; // a HAR entry
    DocumentShape shape = DocumentShape::Record;
};

struct Ctx
{
    RawRecord &rec;
    Slots s;
};

std::string base64Decode(std::string_view in)
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

std::optional<int> toStatus(std::optional<double> d)
{
    if (!d || !(*d >= 0 && *d < 1000))
        return std::nullopt;
    return int(*d);
}

} // namespace

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

struct RecordDecoder::Impl
{
    RecordDecoder &d;
    const RecordSink &sink;
    const ErrorSink &errors;
    DocumentShape shape = DocumentShape::Unknown;

    // ---- scalars -------------------------------------------------------------------------

    error_code str(od::value v, std::string_view &out, int depth)
    {
        return json::scalarText(v, out, depth);
    }

    error_code time(Ctx &c, od::value v, int rank, int depth)
    {
        if (rank >= c.s.timeRank)
            return json::skip(v, depth);
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::number) {
            std::int64_t i;
            std::optional<std::int64_t> ms;
            if (v.get_int64().get(i) == SUCCESS) {
                ms = timestampFromEpoch(i);
            } else {
                double dbl;
                if (auto e = v.get_double().get(dbl))
                    return e == simdjson::NUMBER_ERROR ? e : json::skip(v, depth);
                ms = timestampFromEpoch(dbl);
            }
            if (ms) {
                c.rec.timeMs = ms;
                c.rec.timeHadNoZone = false;
                c.s.timeRank = rank;
            } else if (rank < c.s.badTimeRank) {
                c.s.badTime = v.raw_json_token();
                c.s.badTimeRank = rank;
            }
            return SUCCESS;
        }
        std::string_view text;
        if (auto e = str(v, text, depth))
            return e;
        if (t != od::json_type::string)
            return SUCCESS; // object, array, bool, null: not a time
        if (auto p = parseTimestamp(text)) {
            c.rec.timeMs = p->ms;
            c.rec.timeHadNoZone = !p->hadZone;
            c.s.timeRank = rank;
        } else if (rank < c.s.badTimeRank) {
            c.s.badTime = text;
            c.s.badTimeRank = rank;
        }
        return SUCCESS;
    }

    // ---- headers: object {name: value | [values]}, [{name, value}], [[n, v]], [n, v, ...] --

    error_code headerValue(Ctx &c, std::string_view name, od::value v, int depth)
    {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::array) {
            od::array a;
            if (auto e = v.get_array().get(a))
                return e;
            for (auto item : a) {
                od::value iv;
                if (auto e = item.get(iv))
                    return e;
                std::string_view s;
                if (auto e = str(iv, s, depth + 1))
                    return e;
                c.rec.headers.push_back({ name, s });
            }
            return SUCCESS;
        }
        std::string_view s;
        if (auto e = str(v, s, depth))
            return e;
        c.rec.headers.push_back({ name, s });
        return SUCCESS;
    }

    error_code headers(Ctx &c, od::value v, int depth)
    {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::object) {
            od::object o;
            if (auto e = v.get_object().get(o))
                return e;
            for (auto field : o) {
                std::string_view name;
                if (auto e = json::key(field, name))
                    return e;
                if (auto e = headerValue(c, name, field.value(), depth + 1))
                    return e;
            }
            return SUCCESS;
        }
        if (t != od::json_type::array)
            return json::skip(v, depth);
        od::array a;
        if (auto e = v.get_array().get(a))
            return e;
        std::string_view pendingName;
        bool havePending = false;
        for (auto item : a) {
            od::value iv;
            if (auto e = item.get(iv))
                return e;
            od::json_type it;
            if (auto e = iv.type().get(it))
                return e;
            if (it == od::json_type::object) { // HAR {name, value}
                od::object ho;
                if (auto e = iv.get_object().get(ho))
                    return e;
                std::string_view name, value;
                for (auto f : ho) {
                    std::string_view k;
                    if (auto e = json::key(f, k))
                        return e;
                    od::value fv;
                    if (auto e = f.value().get(fv))
                        return e;
                    if (k == "name") {
                        if (auto e = str(fv, name, depth + 2))
                            return e;
                    } else if (k == "value") {
                        if (auto e = str(fv, value, depth + 2))
                            return e;
                    } else if (auto e = json::skip(fv, depth + 2)) {
                        return e;
                    }
                }
                if (!name.empty())
                    c.rec.headers.push_back({ name, value });
            } else if (it == od::json_type::array) { // [name, value]
                od::array pair;
                if (auto e = iv.get_array().get(pair))
                    return e;
                std::string_view parts[2];
                int n = 0;
                for (auto pv : pair) {
                    od::value pvv;
                    if (auto e = pv.get(pvv))
                        return e;
                    std::string_view s;
                    if (auto e = str(pvv, s, depth + 2))
                        return e;
                    if (n < 2)
                        parts[n] = s;
                    ++n;
                }
                if (n >= 2 && !parts[0].empty())
                    c.rec.headers.push_back({ parts[0], parts[1] });
            } else { // nock rawHeaders: name, value, name, value, ...
                std::string_view s;
                if (auto e = str(iv, s, depth + 1))
                    return e;
                if (!havePending) {
                    pendingName = s;
                    havePending = true;
                } else {
                    c.rec.headers.push_back({ pendingName, s });
                    havePending = false;
                }
            }
        }
        return SUCCESS;
    }

    // ---- error bodies (formats.md §1.3) -----------------------------------------------------

    error_code details(Ctx &c, od::value v, int depth)
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

    error_code toolErrorInfo(Ctx &c, od::value v, int depth)
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

    // A body, a response, a request or an error object given as an object.
    error_code object(Ctx &c, od::value v, Level level, int depth)
    {
        return fields(v, depth, [&](std::string_view key, od::value fv) {
            return member(c, key, fv, level, depth + 1);
        });
    }

    // A body: object, JSON text in a string, or plain text.
    error_code body(Ctx &c, od::value v, int depth)
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
        return json::skip(v, depth);
    }

    error_code member(Ctx &c, std::string_view key, od::value v, Level level, int depth)
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
            if (t == od::json_type::string)
                return str(v, c.s.errCode, depth);
            return json::skip(v, depth);
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

    // ---- containers ------------------------------------------------------------------------

    template<typename PerItem>
    error_code eachObject(od::value v, int depth, PerItem &&perItem)
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
            const char *start = iv.raw_json_token().data(); // does not consume the value
            od::json_type it;
            if (auto e = iv.type().get(it))
                return e;
            error_code e = SUCCESS;
            if (it != od::json_type::object) {
                if (!(e = json::skip(iv, depth + 1)))
                    errors(start, "entry is not a JSON object");
            } else {
                e = perItem(iv, start);
            }
            if (e == simdjson::DEPTH_ERROR) // refuse this entry only: the others are read
                errors(start, json::reason(e));
            else if (e)
                return e;
        }
        return SUCCESS;
    }

    error_code page(Ctx &c, od::value v, int depth)
    {
        c.s.container = true;
        shape = DocumentShape::ApiPage;
        return eachObject(v, depth, [&](od::value item, const char *start) {
            return genericRecord(item, start, depth + 1);
        });
    }

    error_code genericRecord(od::value item, const char *start, int depth)
    {
        RawRecord &inner = d.m_inner;
        inner.clear();
        Ctx ic { inner, {} };
        if (auto e = object(ic, item, Level::Record, depth))
            return e;
        finish(ic);
        sink(inner, start);
        return SUCCESS;
    }

    // Calls f(key, value) for each member of an object value; anything else is validated and
    // skipped. The one loop every shape below shares.
    template<typename F>
    error_code fields(od::value v, int depth, F &&f)
    {
        if (depth > json::kMaxDepth)
            return simdjson::DEPTH_ERROR;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t != od::json_type::object)
            return json::skip(v, depth);
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        for (auto field : o) {
            std::string_view k;
            if (auto e = json::key(field, k))
                return e;
            od::value fv;
            if (auto e = field.value().get(fv))
                return e;
            if (auto e = f(k, fv))
                return e;
        }
        return SUCCESS;
    }

    // A record inside a container: decoded into m_inner, finished and handed to the sink.
    template<typename Decode>
    error_code innerRecord(const char *start, Decode &&decode, bool har, bool cassette)
    {
        RawRecord &inner = d.m_inner;
        inner.clear();
        Ctx ic { inner, {} };
        ic.s.har = har;
        ic.s.cassette = cassette;
        if (auto e = decode(ic))
            return e;
        finish(ic);
        sink(inner, start);
        return SUCCESS;
    }

    error_code harLog(Ctx &c, od::value v, int depth)
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

    error_code harEntry(Ctx &c, od::value v, int depth)
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

    error_code harRequest(Ctx &c, od::value v, int depth)
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
                    toolFromRequestBody(c, text);
                return e;
            }
            return json::skip(fv, depth + 1);
        });
    }

    // postData / content: {text, encoding} -> the text, base64-decoded when it says so.
    error_code harContentText(od::value v, std::string_view &text, int depth)
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

    // The tool of an execute_tool call lives in the request body (summary.md: tool/provider).
    void toolFromRequestBody(Ctx &c, std::string_view text)
    {
        if (text.size() > (1 << 20) || text.find("tool_name") == std::string_view::npos)
            return;
        simdjson::padded_string padded(text);
        od::document doc;
        od::value root;
        if (d.m_extraParser.iterate(padded).get(doc) || doc.get_value().get(root))
            return;
        fields(root, 1, [&](std::string_view k, od::value fv) -> error_code {
            if (k != "tool_name")
                return json::skip(fv, 2);
            std::string_view s;
            if (fv.get_string().get(s) == SUCCESS)
                c.rec.tool = c.rec.keep(std::string(s));
            return simdjson::TAPE_ERROR; // found: stop reading (the error is not reported)
        });
    }

    error_code harResponse(Ctx &c, od::value v, int depth)
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

    error_code cassette(Ctx &c, od::value v, int depth)
    {
        c.s.container = true;
        shape = DocumentShape::Betamax;
        return eachObject(v, depth, [&](od::value item, const char *start) {
            return innerRecord(
                    start, [&](Ctx &ic) { return interaction(ic, item, depth + 1); }, false, true);
        });
    }

    error_code interaction(Ctx &c, od::value v, int depth)
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

    error_code cassetteRequest(Ctx &c, od::value v, int depth)
    {
        return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
            if (k == "method")
                return str(fv, c.rec.method, depth + 1);
            if (k == "uri" || k == "url")
                return str(fv, c.rec.url, depth + 1);
            return json::skip(fv, depth + 1);
        });
    }

    error_code cassetteResponse(Ctx &c, od::value v, int depth)
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

    // Betamax {string, encoding} / VCR {string} / {base64_string}
    error_code cassetteBody(Ctx &c, od::value v, std::string_view &text, int depth)
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

    // ---- finishing a record ----------------------------------------------------------------

    void finish(Ctx &c)
    {
        RawRecord &r = c.rec;
        Slots &s = c.s;
        ErrorInfo &err = r.error;
        // formats.md §2: the record's top-level error_code decides, then the body's own.
        for (std::string_view code : { s.recErrorCode, s.bodyErrorCode, s.detailsErrorCode,
                                       s.errorId, s.errErrorId, s.errCode, s.errType, s.type,
                                       s.code, s.errStatus })
            err.addCode(code);
        if (!s.recErrorMessage.empty())
            err.message = s.recErrorMessage;
        else if (!s.message.empty())
            err.message = s.message;
        else if (!s.errMessage.empty())
            err.message = s.errMessage;

        if (auto st = toStatus(s.statusRecord ? s.statusRecord : s.statusResponse))
            r.status = *st;
        if (r.status == 0)
            r.noResponse = true;

        if (s.nock) {
            shape = DocumentShape::Nock;
            if (r.url.empty())
                r.url = r.keep(std::string(s.scope) + std::string(s.path));
        } else if (r.url.empty() && !s.path.empty()) {
            r.url = s.path;
        }
        if (r.provider.empty())
            r.provider = providerFromTool(r.tool);

        if (!r.timeMs && (s.nock || s.cassette)) {
            // Recorders carry the time in the response's Date header (formats.md §1.5);
            // other shapes never take a time from a header: a time is never guessed.
            const std::string_view date = r.header("date");
            if (!date.empty()) {
                if (auto ms = parseHttpDate(date))
                    r.timeMs = ms;
            }
        }
        if (!r.timeMs) {
            if (s.badTimeRank < 1000)
                r.timeError = r.keep("unusable time \"" + std::string(s.badTime.substr(0, 64))
                                     + "\"");
            else if (s.har)
                r.timeError = "HAR entry without startedDateTime";
            else if (s.cassette)
                r.timeError = "interaction without recorded_at or a Date header";
            else if (s.nock)
                r.timeError = "nock entry without a Date header";
            else
                r.timeError = "no time (expected one of timestamp, time, ts, @timestamp, "
                              "started_at, startedDateTime, date, or a Date header)";
        }
    }
};

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
                                            std::size_t capacity, const RecordSink &sink,
                                            const ErrorSink &errors)
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
        Ctx c { m_record, {} };
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
                e = tracked.member(c, key, fv, Level::Record, 1);
            }
        }
        if (!e) {
            if (c.s.container) {
                result.shape = tracked.shape;
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

void RecordDecoder::decodeBodyText(std::string_view text, RawRecord &rec)
{
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r'
                               || text[i] == '\t'))
        ++i;
    if (i >= text.size())
        return;
    if (text[i] != '{') {
        // plain text: a short one is the message (e.g. "Too Many Requests")
        if (text.size() <= 512 && rec.error.message.empty())
            rec.error.message = rec.keep(std::string(text));
        return;
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
    RecordSink noSink = [](RawRecord &, const char *) {};
    ErrorSink noErrors = [](const char *, std::string_view) {};
    Impl impl { *this, noSink, noErrors };
    Ctx c { tmp, {} };
    for (auto field : o) {
        std::string_view key;
        if (json::key(field, key))
            return;
        od::value fv;
        if (field.value().get(fv))
            return;
        if (impl.member(c, key, fv, Level::Body, 2))
            return;
    }
    ErrorInfo &dst = rec.error;
    const Slots &s = c.s;
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
    if (!dst.hasBodyRetryAfter && tmp.error.hasBodyRetryAfter) {
        dst.hasBodyRetryAfter = true;
        dst.bodyRetryAfterS = tmp.error.bodyRetryAfterS;
    }
}
