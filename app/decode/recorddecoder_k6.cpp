#include "decode/recorddecoder_p.h"

#include <charconv>

// k6's `k6 run --out json=FILE` output: one JSON object a line (NDJSON), written by k6's
// output/json as
//   {"type":"Metric","data":{"name":"http_reqs","type":"counter",…},"metric":"http_reqs"}
//   {"type":"Point","data":{"time":"2022-08-13T01:26:26.97176957Z","value":1,
//    "tags":{"status":"429","method":"GET","url":"https://…","name":"…",…}},"metric":"http_reqs"}
// Some k6 versions write `metric` first, `jq -S` sorts the keys: the order is not relied on.
// Every HTTP request gives one `http_reqs` Point (value 1) and, with the same time and tags,
// one Point each of http_req_duration, http_req_blocked, … (k6's Trail.SaveSamples). The
// request is the http_reqs Point; every other line is skipped without a word. The time of the
// Points is when the response ended (Trail.EndTime). A request that got no response (a
// timeout, a refused connection) has status "0", `error` (k6's message) and `error_code`
// (k6's code: 1050 a timeout, 1000 + the status for a 4xx/5xx answer).
//
// The request's duration is on the http_req_duration line that follows, not on the http_reqs
// line: pairing the two would hold a record across lines, across the loader's parallel chunks
// and across live batches, so k6 records carry no duration.

using simdjson::error_code;
using simdjson::SUCCESS;

error_code RecordDecoder::Impl::k6Data(Ctx &c, od::value v, int depth)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t != od::json_type::object)
        return json::skip(v, depth);
    c.s.k6.data = true;
    RecordDecoder::K6Data &k6 = d.m_k6Data;
    k6 = {};
    return fields(v, depth, [&](std::string_view k, od::value fv) -> error_code {
        if (k == "time")
            return str(fv, k6.time, depth + 1);
        if (k != "tags")
            return json::skip(fv, depth + 1);
        // tags: an object of strings (null on gauges such as vus)
        return fields(fv, depth + 1, [&](std::string_view tk, od::value tv) -> error_code {
            std::string_view *slot = nullptr;
            switch (tk.size()) {
            case 3:
                slot = tk == "url" ? &k6.url : nullptr;
                break;
            case 4:
                slot = tk == "name" ? &k6.name : nullptr;
                break;
            case 5:
                slot = tk == "error" ? &k6.error : nullptr;
                break;
            case 6:
                slot = tk == "status" ? &k6.status : tk == "method" ? &k6.method : nullptr;
                break;
            case 10:
                slot = tk == "error_code" ? &k6.errorCode : nullptr;
                break;
            default:
                break;
            }
            return slot ? str(tv, *slot, depth + 2) : json::skip(tv, depth + 2);
        });
    });
}

namespace {

// The status tag: "429" (k6 writes strings; a number is read too). 0 when it names none:
// missing, empty, "0" or not a status.
int k6Status(std::string_view text)
{
    int status = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), status);
    if (ec != std::errc() || end != text.data() + text.size() || status < 100 || status > 999)
        return 0;
    return status;
}

} // namespace

bool RecordDecoder::Impl::k6Line(Ctx &c, bool *request)
{
    const K6Slots &line = c.s.k6;
    *request = false;
    const bool k6Type = line.type == "Point" || line.type == "Metric";
    // a record of its own (a time or a status at the top) is never taken for a k6 line
    if (!k6Type || !line.data || line.metric.empty() || c.s.timeRank < 1000
        || c.s.badTimeRank < 1000 || c.s.statusRecord || c.s.statusResponse)
        return false;
    shape = DocumentShape::K6;
    if (line.type != "Point" || line.metric != "http_reqs")
        return true; // a Metric declaration or another metric's Point: nothing to count
    *request = true;
    const RecordDecoder::K6Data &k6 = d.m_k6Data;
    RawRecord &r = c.rec;
    if (k6.time.empty()) {
        r.timeError = "k6 http_reqs point without data.time";
    } else if (auto p = parseTimestamp(k6.time)) {
        r.timeMs = p->ms;
        r.timeHadNoZone = !p->hadZone;
    } else {
        r.timeError = r.keep("unusable time \"" + std::string(k6.time.substr(0, 64)) + "\"");
    }
    // formats.md §1.4's HAR status 0: a request without a response, never a 429
    r.status = k6Status(k6.status);
    r.noResponse = r.status == 0;
    r.method = k6.method;
    // the name tag is the URL unless the script named the request (then it is no URL)
    r.url = !k6.url.empty()                             ? k6.url
        : k6.name.find("://") != std::string_view::npos ? k6.name
                                                        : std::string_view();
    r.error.addCode(k6.errorCode);
    r.error.message = k6.error;
    return true;
}
