#include "decode/httprr.h"

#include "decode/bodycodec.h"
#include "decode/recorddecoder.h"
#include "decode/textlines.h"
#include "decode/timestamp.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace {

constexpr std::string_view kMagic = "httprr trace v1\n";

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool number(std::string_view s, std::uint64_t &out)
{
    if (s.empty() || s.size() > 15) // a petabyte: anything longer is not a length
        return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        out = out * 10 + std::uint64_t(c - '0');
    }
    return true;
}

// "N M" at text[0..]: the two lengths and the size of the line with its newline.
bool lengths(std::string_view text, std::uint64_t &n, std::uint64_t &m, std::size_t &lineSize)
{
    const std::size_t nl = text.substr(0, 64).find('\n');
    if (nl == std::string_view::npos)
        return false;
    const std::string_view line = trim(text.substr(0, nl));
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos || !number(line.substr(0, sp), n)
        || !number(line.substr(sp + 1), m))
        return false;
    lineSize = nl + 1;
    return true;
}

// A message head: the first line, the header fields, and the body after the blank line.
struct Message
{
    std::string_view startLine;
    std::string_view body;
    bool complete = false; // a blank line ended the head
};

Message parseMessage(std::string_view text, std::vector<HeaderField> *headers)
{
    Message msg;
    std::size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
        const std::string_view line = nextLine(text, pos);
        if (first) {
            msg.startLine = line;
            first = false;
            continue;
        }
        if (line.empty()) {
            msg.complete = true;
            msg.body = text.substr(pos);
            return msg;
        }
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && headers)
            headers->push_back({ trim(line.substr(0, colon)), trim(line.substr(colon + 1)) });
    }
    return msg;
}

std::string_view headerOf(const std::vector<HeaderField> &headers, std::string_view name)
{
    for (const HeaderField &h : headers) {
        if (equalsIgnoreCase(h.name, name))
            return h.value;
    }
    return {};
}

bool containsIgnoreCase(std::string_view hay, std::string_view needle)
{
    if (needle.size() > hay.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        if (equalsIgnoreCase(hay.substr(i, needle.size()), needle))
            return true;
    }
    return false;
}

// RFC 9112 §7.1 chunked coding; trailers are dropped. False when the framing is broken.
bool dechunk(std::string_view in, std::string &out)
{
    out.clear();
    std::size_t pos = 0;
    for (;;) {
        const std::size_t nl = in.find('\n', pos);
        if (nl == std::string_view::npos)
            return false;
        std::string_view sizeLine = trim(in.substr(pos, nl - pos));
        if (const std::size_t semi = sizeLine.find(';'); semi != std::string_view::npos)
            sizeLine = trim(sizeLine.substr(0, semi)); // chunk extensions
        if (sizeLine.empty() || sizeLine.size() > 15)
            return false;
        std::uint64_t size = 0;
        for (char c : sizeLine) {
            int v;
            if (c >= '0' && c <= '9')
                v = c - '0';
            else if (c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
            else
                return false;
            size = size * 16 + std::uint64_t(v);
        }
        pos = nl + 1;
        if (size == 0)
            return true;
        if (size > in.size() - pos)
            return false;
        out.append(in.data() + pos, std::size_t(size));
        pos += std::size_t(size);
        if (in.substr(pos, 2) == "\r\n")
            pos += 2;
        else if (in.substr(pos, 1) == "\n")
            pos += 1;
        else
            return false;
    }
}

// The response body as the rules should read it, and how it was stored.
bool decodeMessageBody(const std::vector<HeaderField> &headers, std::string_view raw,
    std::string &body, std::string &how)
{
    std::string dechunked;
    std::string_view data = raw;
    how = "raw";
    if (containsIgnoreCase(headerOf(headers, "transfer-encoding"), "chunked")) {
        if (!dechunk(raw, dechunked)) {
            how = "chunked: broken chunk framing, body not read";
            return false;
        }
        data = dechunked;
        how = "chunked";
    }
    const std::string_view enc = headerOf(headers, "content-encoding");
    const bool gzip = containsIgnoreCase(enc, "gzip"), deflate = containsIgnoreCase(enc, "deflate");
    if ((gzip || deflate) && !data.empty()) {
        how += gzip ? ", gzip" : ", deflate";
        std::string inflated;
        if (!bodycodec::inflate(data, inflated)) {
            how += ": corrupt, or over 64 MiB inflated: body not read";
            return false;
        }
        body = std::move(inflated);
    } else {
        body = data == std::string_view(dechunked) ? std::move(dechunked) : std::string(data);
    }
    how += " → " + bodycodec::groupedNumber(body.size()) + " bytes of "
        + bodycodec::describeContent(body);
    return true;
}

bool parseStatusLine(std::string_view line, int &status)
{
    // "HTTP/1.1 429 Too Many Requests"
    if (line.substr(0, 5) != "HTTP/")
        return false;
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos || line.size() < sp + 4)
        return false;
    int v = 0;
    for (std::size_t i = sp + 1; i < sp + 4; ++i) {
        if (line[i] < '0' || line[i] > '9')
            return false;
        v = v * 10 + (line[i] - '0');
    }
    if (line.size() > sp + 4 && line[sp + 4] != ' ')
        return false;
    status = v;
    return true;
}

} // namespace

bool looksLikeHttprr(std::string_view text)
{
    return text.substr(0, kMagic.size()) == kMagic
        || text.substr(0, kMagic.size() + 1) == "httprr trace v1\r\n";
}

std::uint64_t httprrExchangeSize(std::string_view text)
{
    std::uint64_t n = 0, m = 0;
    std::size_t lineSize = 0;
    if (!lengths(text, n, m, lineSize))
        return 0;
    return lineSize + n + m;
}

void readHttprrTrace(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &onRecord,
    const std::function<void(std::uint64_t, std::string_view)> &onError)
{
    std::size_t pos = text.find('\n');
    if (!looksLikeHttprr(text) || pos == std::string_view::npos) {
        onError(1, "not an httprr trace (the first line is not \"httprr trace v1\")");
        return;
    }
    ++pos;
    std::uint64_t line = 2;
    RawRecord rec;
    std::string body, how;
    while (pos < text.size()) {
        const std::uint64_t start = pos;
        std::uint64_t n = 0, m = 0;
        std::size_t lineSize = 0;
        if (!lengths(text.substr(pos), n, m, lineSize)) {
            onError(line, "httprr: expected a line \"N M\" (request and response lengths)");
            return;
        }
        const std::uint64_t remain = text.size() - pos - lineSize;
        if (n > remain || m > remain - n) {
            onError(line,
                "truncated httprr trace: the exchange declares " + std::to_string(n) + " + "
                    + std::to_string(m) + " bytes, " + std::to_string(remain) + " remain");
            return;
        }
        const std::string_view request = text.substr(pos + lineSize, std::size_t(n));
        const std::string_view response
            = text.substr(pos + lineSize + std::size_t(n), std::size_t(m));
        const std::uint64_t exchangeLine = line;
        line += 1 + std::uint64_t(std::count(request.begin(), request.end(), '\n'))
            + std::uint64_t(std::count(response.begin(), response.end(), '\n'));
        pos += lineSize + std::size_t(n) + std::size_t(m);

        rec.clear();
        std::vector<HeaderField> requestHeaders;
        const Message req = parseMessage(request, &requestHeaders);
        const Message resp = parseMessage(response, &rec.headers);
        int status = 0;
        if (!resp.complete || !parseStatusLine(resp.startLine, status)) {
            onError(exchangeLine, "httprr: the response has no readable status line and header");
            continue;
        }
        rec.status = status;
        // "POST https://host/path HTTP/1.1" (or a path and a Host header)
        const std::size_t sp1 = req.startLine.find(' ');
        const std::size_t sp2 = req.startLine.rfind(' ');
        if (sp1 != std::string_view::npos && sp2 > sp1) {
            rec.method = req.startLine.substr(0, sp1);
            const std::string_view target = req.startLine.substr(sp1 + 1, sp2 - sp1 - 1);
            const std::string_view host = headerOf(requestHeaders, "host");
            if (!target.empty() && target[0] == '/' && !host.empty())
                rec.url = rec.keep("https://" + std::string(host) + std::string(target));
            else
                rec.url = target;
        }
        if (decodeMessageBody(requestHeaders, req.body, body, how))
            decoder.decodeRequestBodyText(body, rec);
        if (decodeMessageBody(rec.headers, resp.body, body, how))
            decoder.decodeBodyText(body, rec);
        if (const std::string_view date = rec.header("date"); !date.empty())
            rec.timeMs = parseHttpDate(date);
        if (!rec.timeMs)
            rec.timeError = "no time (the response has no usable Date header)";
        onRecord(rec, exchangeLine, start);
    }
}

std::string httprrExchangeForDisplay(std::string_view text, std::string *error)
{
    std::uint64_t n = 0, m = 0;
    std::size_t lineSize = 0;
    if (!lengths(text, n, m, lineSize) || n + m > text.size() - lineSize) {
        if (error)
            *error = "not a complete httprr exchange";
        return {};
    }
    const std::string_view request = text.substr(lineSize, std::size_t(n));
    const std::string_view response = text.substr(lineSize + std::size_t(n), std::size_t(m));
    std::vector<HeaderField> requestHeaders, responseHeaders;
    const Message req = parseMessage(request, &requestHeaders);
    const Message resp = parseMessage(response, &responseHeaders);
    // JSON, like a cassette's interaction: the pane lists its rate-limit headers and the
    // redactor reads header names (X-Api-Key, Authorization) and body keys by structure.
    using json = nlohmann::ordered_json;
    auto headersOf = [](const std::vector<HeaderField> &headers) {
        json o = json::object();
        for (const HeaderField &h : headers)
            bodycodec::addHeader(o, std::string(h.name), std::string(h.value));
        return o;
    };
    auto bodyOf = [](const std::string &body) {
        json parsed = json::parse(body, nullptr, false);
        return !parsed.is_discarded() && (parsed.is_object() || parsed.is_array()) ? parsed
                                                                                   : json(body);
    };
    json out = json::object();
    json r = json::object();
    r["line"] = std::string(req.startLine);
    r["headers"] = headersOf(requestHeaders);
    if (req.complete && !req.body.empty())
        r["body"] = bodyOf(std::string(req.body.substr(0, 64 * 1024)));
    out["request"] = std::move(r);
    json s = json::object();
    s["line"] = std::string(resp.startLine);
    int status = 0;
    if (parseStatusLine(resp.startLine, status))
        s["status"] = status;
    s["headers"] = headersOf(responseHeaders);
    std::string body, how;
    if (resp.complete) {
        const bool ok = decodeMessageBody(responseHeaders, resp.body, body, how);
        s["body_stored"] = how;
        if (ok)
            s["body"] = bodyOf(body);
    }
    out["response"] = std::move(s);
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}
