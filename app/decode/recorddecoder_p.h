#pragma once

// RecordDecoder's insides, shared by its translation units and by nothing else:
//   recorddecoder.cpp           the generic decoder (NDJSON lines, arrays, API pages, error
//                               bodies, headers) and finishing a record: the hot path, kept in
//                               one translation unit so that it stays inlined
//   recorddecoder_har.cpp       HAR logs
//   recorddecoder_cassettes.cpp Betamax/VCR cassettes recorded as JSON
//   recorddecoder_k6.cpp        k6's `k6 run --out json` lines
// (YAML cassettes are decode/yamlcassette.*.)

#include "decode/jsonvalue.h"
#include "decode/recorddecoder.h"
#include "decode/timestamp.h"

#include <optional>
#include <string>
#include <string_view>

namespace od = simdjson::ondemand;

struct RecordDecoder::Impl
{
    using error_code = simdjson::error_code;

    // Where a key was found; the same name means different things at different depths.
    enum class Level { Record, Response, Body, Error, Request };

    // What makes a record a line of k6's JSON output (recorddecoder_k6.cpp): its top-level
    // `type` and `metric`, and whether it had a `data` object (read into the decoder's
    // m_k6Data as it comes: the keys may come in any order). Small on purpose: every record
    // of every log carries these slots.
    struct K6Slots
    {
        std::string_view type;
        std::string_view metric;
        bool data = false;
    };

    // Everything one record collects before it is finalized.
    struct Slots
    {
        int timeRank = 1000;
        std::string_view badTime; // text of the best-ranked unusable time
        int badTimeRank = 1000;
        std::optional<double> statusRecord, statusResponse;
        std::string_view scope, path;
        std::string_view recErrorCode, bodyErrorCode, detailsErrorCode, errorId, errErrorId,
            errCode, errType, type, code, errStatus;
        std::string_view recErrorMessage, message, errMessage;
        bool container = false; // the object held other records (HAR, page, cassette)
        bool nock = false;
        bool cassette = false; // a Betamax/VCR interaction
        bool har = false; // a HAR entry
        DocumentShape shape = DocumentShape::Record;
        K6Slots k6;
    };

    struct Ctx
    {
        RawRecord &rec;
        Slots s;
    };

    RecordDecoder &d;
    const RecordSink &sink;
    const ErrorSink &errors;

    // An Impl for a body, a request body or a stream read outside a document: nothing to hand
    // records or errors to. Defined after Impl.
    struct Detached;
    DocumentShape shape = DocumentShape::Unknown;

    // ---- the generic decoder (recorddecoder.cpp) ------------------------------------------

    error_code str(od::value v, std::string_view &out, int depth)
    {
        return json::scalarText(v, out, depth);
    }

    static std::optional<int> toStatus(std::optional<double> d)
    {
        if (!d || !(*d >= 0 && *d < 1000))
            return std::nullopt;
        return int(*d);
    }

    // What every shape reads (defined at the end of this header).
    error_code time(Ctx &c, od::value v, int rank, int depth);
    // headers: object {name: value | [values]}, [{name, value}], [[n, v]], [n, v, ...]
    error_code headerValue(Ctx &c, std::string_view name, od::value v, int depth);
    error_code headers(Ctx &c, od::value v, int depth);
    void finish(Ctx &c);

    // Inline, defined in recorddecoder.cpp and used there only (the hot path).
    // error bodies (formats.md §1.3)
    inline error_code details(Ctx &c, od::value v, int depth);
    inline error_code toolErrorInfo(Ctx &c, od::value v, int depth);
    // usage / usageMetadata: the tokens of a response (limits.md §4)
    error_code usage(TokenUsage &out, od::value v, int depth);
    // A body, a response, a request or an error object given as an object.
    inline error_code object(Ctx &c, od::value v, Level level, int depth);
    // A body: object, JSON text in a string, or plain text.
    inline error_code body(Ctx &c, od::value v, int depth);
    inline error_code member(Ctx &c, std::string_view key, od::value v, Level level, int depth);
    inline error_code page(Ctx &c, od::value v, int depth);
    inline error_code genericRecord(od::value item, const char *start, int depth);

    // ---- HAR (recorddecoder_har.cpp) ------------------------------------------------------

    error_code harLog(Ctx &c, od::value v, int depth);
    error_code harEntry(Ctx &c, od::value v, int depth);
    error_code harRequest(Ctx &c, od::value v, int depth);
    // postData / content: {text, encoding} -> the text, base64-decoded when it says so.
    error_code harContentText(od::value v, std::string_view &text, int depth);
    error_code harResponse(Ctx &c, od::value v, int depth);

    // ---- k6 `--out json` lines (recorddecoder_k6.cpp) --------------------------------------

    // A top-level `data` object: its time and tags into d.m_k6Data (anything else is validated
    // and skipped, as json::skip would); c.s.k6.data says there was one.
    error_code k6Data(Ctx &c, od::value v, int depth);
    // After a record's last field, when c.s.k6.data: true when it is a line of k6's JSON output
    // (`type` Point or Metric, a `metric`, a `data` object, no time or status of its own). An
    // http_reqs Point then fills c.rec (its time, status, method, url, error_code) and sets
    // *request; any other k6 line gives nothing: neither a record nor a problem.
    bool k6Line(Ctx &c, bool *request);

    // ---- JSON cassettes (recorddecoder_cassettes.cpp) -------------------------------------

    error_code cassette(Ctx &c, od::value v, int depth);
    error_code interaction(Ctx &c, od::value v, int depth);
    error_code cassetteRequest(Ctx &c, od::value v, int depth);
    error_code cassetteResponse(Ctx &c, od::value v, int depth);
    // Betamax {string, encoding} / VCR {string} / {base64_string}
    error_code cassetteBody(Ctx &c, od::value v, std::string_view &text, int depth);

    // Base64 as recorders write it, leniently: padding, whitespace and stray characters are
    // skipped (HAR content, cassette base64_string); bodycodec::base64Decode is the strict one.
    // In recorddecoder_har.cpp.
    static std::string base64Decode(std::string_view in);

    // ---- containers: what every shape shares ----------------------------------------------

    template <typename PerItem> error_code eachObject(od::value v, int depth, PerItem &&perItem)
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
            error_code e = simdjson::SUCCESS;
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
        return simdjson::SUCCESS;
    }

    // Calls f(key, value) for each member of an object value; anything else is validated and
    // skipped. The one loop every shape shares.
    template <typename F> error_code fields(od::value v, int depth, F &&f)
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
        return simdjson::SUCCESS;
    }

    // A record inside a container: decoded into m_inner, finished and handed to the sink.
    template <typename Decode>
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
        return simdjson::SUCCESS;
    }
};

struct RecordDecoder::Impl::Detached
{
    explicit Detached(RecordDecoder &decoder)
        : impl { decoder, noSink, noErrors }
    {
    }
    RecordSink noSink = [](RawRecord &, const char *) {};
    ErrorSink noErrors = [](const char *, std::string_view) {};
    Impl impl; // after the sinks it refers to
};

// ---- what every shape reads: its time, its headers, and finishing the record ---------------
// Inline here (as when they were defined in the class) so that the hot path in
// recorddecoder.cpp inlines them as before, and HAR and cassettes share them.

inline simdjson::error_code RecordDecoder::Impl::time(Ctx &c, od::value v, int rank, int depth)
{
    if (rank >= c.s.timeRank)
        return json::skip(v, depth);
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::number) {
        std::int64_t i;
        std::optional<std::int64_t> ms;
        if (v.get_int64().get(i) == simdjson::SUCCESS) {
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
        return simdjson::SUCCESS;
    }
    std::string_view text;
    if (auto e = str(v, text, depth))
        return e;
    if (t != od::json_type::string)
        return simdjson::SUCCESS; // object, array, bool, null: not a time
    if (auto p = parseTimestamp(text)) {
        c.rec.timeMs = p->ms;
        c.rec.timeHadNoZone = !p->hadZone;
        c.s.timeRank = rank;
    } else if (rank < c.s.badTimeRank) {
        c.s.badTime = text;
        c.s.badTimeRank = rank;
    }
    return simdjson::SUCCESS;
}

// headers: object {name: value | [values]}, [{name, value}], [[n, v]], [n, v, ...]

inline simdjson::error_code RecordDecoder::Impl::headerValue(
    Ctx &c, std::string_view name, od::value v, int depth)
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
        return simdjson::SUCCESS;
    }
    std::string_view s;
    if (auto e = str(v, s, depth))
        return e;
    c.rec.headers.push_back({ name, s });
    return simdjson::SUCCESS;
}

inline simdjson::error_code RecordDecoder::Impl::headers(Ctx &c, od::value v, int depth)
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
        return simdjson::SUCCESS;
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
    return simdjson::SUCCESS;
}

inline void RecordDecoder::Impl::finish(Ctx &c)
{
    RawRecord &r = c.rec;
    Slots &s = c.s;
    ErrorInfo &err = r.error;
    // formats.md §2: the record's top-level error_code decides, then the body's own.
    for (std::string_view code : { s.recErrorCode, s.bodyErrorCode, s.detailsErrorCode, s.errorId,
             s.errErrorId, s.errCode, s.errType, s.type, s.code, s.errStatus })
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
            r.timeError = r.keep("unusable time \"" + std::string(s.badTime.substr(0, 64)) + "\"");
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
