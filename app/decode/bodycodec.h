#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Bodies as recorders store them (formats.md §1.5): base64 (YAML !!binary / Ruby !binary,
// base64_string, ReqLLM b64) and gzip or deflate per Content-Encoding. Each step writes into
// a fresh string the size of its output; nothing is copied twice.
namespace bodycodec {

// Strict base64 (standard or URL alphabet; whitespace and '=' padding ignored). False on any
// other character or a dangling 6 bits: the body then stays undecoded.
bool base64Decode(std::string_view in, std::string &out);

// True when the bytes start like a gzip member (1f 8b) or a zlib stream (RFC 1950 header).
bool looksCompressed(std::string_view bytes);

// A body that inflates to more than this is not read (a gzip bomb in a cassette): the record
// keeps its status and headers.
constexpr std::size_t kMaxInflatedBody = std::size_t(64) << 20;

// Inflates gzip, zlib or raw deflate (the kind is read from the bytes: servers that say
// "deflate" send either). False when the data is corrupt, truncated or over maxOut bytes.
bool inflate(std::string_view in, std::string &out, std::size_t maxOut = kMaxInflatedBody);

// "JSON", "an event stream", "text" or "binary data": what the decoded body looks like, for the
// detail pane's "body: !!binary, gzip → 1,234 bytes of JSON".
const char *describeContent(std::string_view body);

// 1234567 -> "1,234,567"
std::string groupedNumber(std::size_t n);

// One header into the JSON object of a record shown decoded (the detail pane's read-back of a
// cassette interaction or an httprr exchange): a name seen again becomes an array of values.
template <typename Json>
void addHeader(Json &headers, const std::string &name, const std::string &value)
{
    if (!headers.contains(name))
        headers[name] = value;
    else if (headers[name].is_array())
        headers[name].push_back(value);
    else
        headers[name] = Json::array({ headers[name], value });
}

} // namespace bodycodec
