#include "decode/pygithub.h"

#include "decode/recorddecoder.h"
#include "decode/timestamp.h"

#include <vector>

namespace {

std::vector<std::string_view> splitLines(std::string_view text, std::vector<std::uint64_t> &offsets)
{
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        offsets.push_back(pos);
        if (nl == text.size())
            break;
        pos = nl + 1;
    }
    return lines;
}

bool isMethod(std::string_view s)
{
    for (std::string_view m : { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" }) {
        if (s == m)
            return true;
    }
    return false;
}

// A Python string literal at text[i] ('...' or "..."); advances i past it.
bool pyString(std::string_view text, std::size_t &i, std::string_view &out, RawRecord &rec)
{
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"'))
        return false;
    const char q = text[i++];
    const std::size_t start = i;
    bool escaped = false;
    while (i < text.size() && text[i] != q) {
        if (text[i] == '\\') {
            escaped = true;
            ++i;
        }
        ++i;
    }
    if (i >= text.size())
        return false;
    out = text.substr(start, i - start);
    ++i;
    if (escaped) {
        std::string s;
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (out[k] == '\\' && k + 1 < out.size())
                ++k;
            s.push_back(out[k]);
        }
        out = rec.keep(std::move(s));
    }
    return true;
}

void skipSpaces(std::string_view t, std::size_t &i)
{
    while (i < t.size() && (t[i] == ' ' || t[i] == ','))
        ++i;
}

} // namespace

bool parsePythonHeaderList(std::string_view text, RawRecord &rec)
{
    std::size_t i = 0;
    skipSpaces(text, i);
    if (i >= text.size() || text[i] != '[')
        return false;
    ++i;
    for (;;) {
        skipSpaces(text, i);
        if (i >= text.size())
            return false;
        if (text[i] == ']')
            return true;
        if (text[i] != '(')
            return false;
        ++i;
        skipSpaces(text, i);
        std::string_view name, value;
        if (!pyString(text, i, name, rec))
            return false;
        skipSpaces(text, i);
        if (!pyString(text, i, value, rec))
            return false;
        skipSpaces(text, i);
        if (i >= text.size() || text[i] != ')')
            return false;
        ++i;
        rec.headers.push_back({ name, value });
    }
}

bool looksLikePyGithub(std::string_view text)
{
    std::vector<std::uint64_t> offsets;
    const auto nl1 = text.find('\n');
    if (nl1 == std::string_view::npos)
        return false;
    std::string_view scheme = text.substr(0, nl1);
    if (!scheme.empty() && scheme.back() == '\r')
        scheme.remove_suffix(1);
    if (scheme != "http" && scheme != "https")
        return false;
    auto nl2 = text.find('\n', nl1 + 1);
    std::string_view method
        = text.substr(nl1 + 1, nl2 == std::string_view::npos ? text.npos : nl2 - nl1 - 1);
    if (!method.empty() && method.back() == '\r')
        method.remove_suffix(1);
    return isMethod(method);
}

void readPyGithubReplay(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t, std::uint64_t)> &onRecord,
    const std::function<void(std::uint64_t, std::string_view)> &onError)
{
    std::vector<std::uint64_t> offsets;
    const std::vector<std::string_view> lines = splitLines(text, offsets);
    RawRecord rec;
    std::size_t i = 0;
    while (i < lines.size()) {
        if (lines[i].empty()) { // blank separators
            ++i;
            continue;
        }
        const std::size_t first = i;
        if (first + 10 > lines.size()) {
            onError(first + 1, "incomplete PyGithub exchange (fewer than 10 lines)");
            return;
        }
        const std::string_view scheme = lines[i], method = lines[i + 1], host = lines[i + 2],
                               port = lines[i + 3], path = lines[i + 4];
        if ((scheme != "http" && scheme != "https") || !isMethod(method)) {
            onError(first + 1, "not a PyGithub exchange (expected scheme and method)");
            // resynchronise at the next blank line
            while (i < lines.size() && !lines[i].empty())
                ++i;
            continue;
        }
        rec.clear();
        rec.method = method;
        std::string url = std::string(scheme) + "://" + std::string(host);
        if (port != "None" && !port.empty())
            url += ":" + std::string(port);
        url += std::string(path);
        rec.url = rec.keep(std::move(url));
        const std::string_view status = lines[i + 7];
        int st = 0;
        bool ok = !status.empty() && status.size() <= 3;
        for (char c : status) {
            ok = ok && c >= '0' && c <= '9';
            if (!ok)
                break; // a long status line would overflow st
            st = st * 10 + (c - '0');
        }
        if (!ok) {
            onError(first + 8, "not a PyGithub exchange (bad status line)");
            i = first + 11;
            continue;
        }
        rec.status = st;
        // unreadable header lists leave the record without headers; it is still a request
        parsePythonHeaderList(lines[i + 8], rec);
        decoder.decodeBodyText(lines[i + 9], rec);
        if (const std::string_view date = rec.header("date"); !date.empty())
            rec.timeMs = parseHttpDate(date);
        if (!rec.timeMs)
            rec.timeError = "no time (the response has no usable Date header)";
        onRecord(rec, first + 1, offsets[first]);
        i = first + 10;
    }
}
