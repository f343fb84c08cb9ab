#include "decode/jsonvalue.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace json {

simdjson::error_code skip(od::value v, int depth)
{
    if (depth > kMaxDepth)
        return simdjson::DEPTH_ERROR;
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    switch (t) {
    case od::json_type::object: {
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        for (auto field : o) {
            std::string_view key;
            if (auto e = json::key(field, key))
                return e;
            if (auto e = skip(field.value(), depth + 1))
                return e;
        }
        return simdjson::SUCCESS;
    }
    case od::json_type::array: {
        od::array a;
        if (auto e = v.get_array().get(a))
            return e;
        for (auto item : a) {
            od::value iv;
            if (auto e = item.get(iv))
                return e;
            if (auto e = skip(iv, depth + 1))
                return e;
        }
        return simdjson::SUCCESS;
    }
    case od::json_type::string: {
        std::string_view s;
        return v.get_string().get(s);
    }
    case od::json_type::number: {
        // get_number() validates the token and accepts big integers (as doubles);
        // 1e400 is refused by simdjson as NUMBER_ERROR, which is what JSONTestSuite allows.
        od::number n;
        return v.get_number().get(n);
    }
    case od::json_type::boolean: {
        bool b;
        return v.get_bool().get(b);
    }
    case od::json_type::null: {
        bool isNull = false;
        if (auto e = v.is_null().get(isNull))
            return e;
        return isNull ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    }
    return simdjson::TAPE_ERROR;
}

simdjson::error_code scalarText(od::value v, std::string_view &out, int depth)
{
    out = {};
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::string)
        return v.get_string().get(out);
    if (t == od::json_type::object || t == od::json_type::array)
        return skip(v, depth);
    std::string_view raw = v.raw_json_token();
    while (!raw.empty()
        && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n'))
        raw.remove_suffix(1);
    if (auto e = skip(v, depth)) // validates the token
        return e;
    out = raw == "null" ? std::string_view() : raw;
    return simdjson::SUCCESS;
}

simdjson::error_code number(od::value v, std::optional<double> &out, int depth)
{
    out.reset();
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::number) {
        double d;
        if (auto e = v.get_double().get(d)) {
            // big integers: fall back to the generic number
            od::number n;
            if (auto e2 = v.get_number().get(n))
                return e2 ? e2 : e;
            out = n.as_double();
            return simdjson::SUCCESS;
        }
        out = d;
        return simdjson::SUCCESS;
    }
    std::string_view s;
    if (auto e = scalarText(v, s, depth))
        return e;
    if (t == od::json_type::string) {
        while (!s.empty() && s.front() == ' ')
            s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ')
            s.remove_suffix(1);
        if (s.empty())
            return simdjson::SUCCESS;
        double d = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec == std::errc() && ptr == s.data() + s.size() && d == d)
            out = d;
    }
    return simdjson::SUCCESS;
}

std::string_view reason(simdjson::error_code e)
{
    switch (e) {
    case simdjson::UTF8_ERROR:
        return "invalid UTF-8";
    case simdjson::DEPTH_ERROR:
        return "nesting too deep";
    case simdjson::NUMBER_ERROR:
        return "invalid JSON: bad or out-of-range number";
    case simdjson::STRING_ERROR:
    case simdjson::UNCLOSED_STRING:
    case simdjson::UNESCAPED_CHARS:
        return "invalid JSON: bad string";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
        return "invalid JSON: bad literal";
    case simdjson::EMPTY:
        return "invalid JSON: empty";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return "invalid JSON: unexpected end of input";
    case simdjson::TRAILING_CONTENT:
        return "invalid JSON: trailing characters";
    case simdjson::CAPACITY:
        return "record too large";
    default:
        return "invalid JSON";
    }
}

namespace {

    // The code unit of a "\uXXXX" escape at p (p[0] == '\\'), or -1.
    int escapedUnit(const char *p, const char *end)
    {
        if (end - p < 6 || p[1] != 'u')
            return -1;
        int v = 0;
        for (int i = 2; i < 6; ++i) {
            const char c = p[i];
            const int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f'         ? c - 'a' + 10
                : c >= 'A' && c <= 'F'         ? c - 'A' + 10
                                               : -1;
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        return v;
    }

} // namespace

bool replaceLoneSurrogates(char *text, std::size_t size)
{
    bool changed = false;
    char *p = text;
    char *const end = text + size;
    while (p < end) {
        p = static_cast<char *>(std::memchr(p, '\\', std::size_t(end - p)));
        if (!p)
            break;
        const int unit = escapedUnit(p, end);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            const int next = escapedUnit(p + 6, end);
            if (next >= 0xDC00 && next <= 0xDFFF) {
                p += 12; // a proper pair
                continue;
            }
        }
        if (unit >= 0xD800 && unit <= 0xDFFF) {
            std::memcpy(p + 2, "fffd", 4);
            changed = true;
        }
        const std::size_t step = unit >= 0 ? 6 : 2; // "\\" and the like are skipped whole
        p = std::size_t(end - p) > step ? p + step : end;
    }
    return changed;
}

std::string sanitizeUtf8(std::string_view in, std::vector<Utf8Shift> *shifts)
{
    std::size_t grew = 0;
    std::string out;
    out.reserve(in.size() + 16);
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    const auto *end = p + in.size();
    static const char kReplacement[] = "\xEF\xBF\xBD";
    while (p < end) {
        const unsigned char c = *p;
        int len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            out.push_back(char(c));
            ++p;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && end - p >= len;
        for (int i = 1; ok && i < len; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (ok) {
            // overlong forms, surrogates and values above U+10FFFF are invalid
            const bool overlong
                = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
            ok = !overlong && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
        }
        if (ok) {
            out.append(reinterpret_cast<const char *>(p), std::size_t(len));
            p += len;
        } else {
            out.append(kReplacement, 3);
            ++p;
            grew += 2;
            if (shifts)
                shifts->push_back({ out.size(), grew });
        }
    }
    return out;
}

std::size_t inputOffset(const std::vector<Utf8Shift> &shifts, std::size_t pos)
{
    const auto after = std::upper_bound(shifts.begin(), shifts.end(), pos,
        [](std::size_t p, const Utf8Shift &s) { return p < s.at; });
    return after == shifts.begin() ? pos : pos - std::prev(after)->grew;
}

} // namespace json
