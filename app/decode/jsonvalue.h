#pragma once

// Small helpers over simdjson's On-Demand API shared by every decoder.

#include "decode/rawrecord.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace json {

namespace od = simdjson::ondemand;

// Nesting deeper than this is refused (without recursion blowing the stack).
constexpr int kMaxDepth = 256;

// A field's key without copying it when it has no escapes (nearly always); keys with escapes
// or control characters go through simdjson's unescaping (which also validates them).
inline simdjson::error_code key(simdjson::simdjson_result<od::field> &field, std::string_view &out)
{
    if (field.error())
        return field.error();
    od::field &f = field.value_unsafe();
    const char *raw = reinterpret_cast<const char *>(f.key().raw());
    const char *q = raw;
    while (*q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20)
        ++q;
    if (*q == '"') {
        out = std::string_view(raw, std::size_t(q - raw));
        return simdjson::SUCCESS;
    }
    return f.unescaped_key().get(out);
}

// Consumes and fully validates a value we do not otherwise read: On-Demand only checks what
// is visited, and a line that is not valid JSON must be refused, whatever part is broken.
simdjson::error_code skip(od::value v, int depth);

// A scalar as text: strings unescaped, numbers/bools/null as their JSON token.
// Objects and arrays are validated, consumed, and give an empty view.
simdjson::error_code scalarText(od::value v, std::string_view &out, int depth);

// A number written as a JSON number or as a string ("429", "31.5"); nullopt otherwise.
// The value is always consumed.
simdjson::error_code number(od::value v, std::optional<double> &out, int depth);

// Human-readable reason for a simdjson error, for "FILE:LINE: reason" messages.
std::string_view reason(simdjson::error_code e);

// A replacement made the text longer: from `at` on (in the output) it is `grew` bytes longer
// than the input in all.
struct Utf8Shift
{
    std::size_t at;
    std::size_t grew;
};

// Replaces invalid UTF-8 sequences with U+FFFD (summary.md: such records are kept). Each
// replaced byte becomes three; `shifts`, when given, lists where, so that a position in the
// output maps back to the input (inputOffset).
std::string sanitizeUtf8(std::string_view in, std::vector<Utf8Shift> *shifts = nullptr);

// The input position of output position `pos` of sanitizeUtf8, from its shifts.
std::size_t inputOffset(const std::vector<Utf8Shift> &shifts, std::size_t pos);

// Rewrites escapes of lone UTF-16 surrogates ("\ud800" without its pair, as a JavaScript
// slice through an emoji leaves them) to "\ufffd", in place (the same length). simdjson
// refuses them; the record is kept like one with invalid UTF-8. True when any was rewritten.
bool replaceLoneSurrogates(char *text, std::size_t size);

} // namespace json
