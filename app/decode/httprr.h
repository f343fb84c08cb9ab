#pragma once

#include "decode/rawrecord.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

class RecordDecoder;

// Go httprr traces (formats.md §1.5): "httprr trace v1\n", then per exchange a line "N M\n"
// followed by the raw HTTP/1.1 request (N bytes) and response (M bytes). A chunked response
// body is de-chunked (and gzip/deflate per Content-Encoding inflated) before the rules read it;
// the time is the response Date header. A length that runs past the end of the file, or a
// line that is not "N M", is a located error and ends the trace (nothing after it can be
// framed).
bool looksLikeHttprr(std::string_view text);

void readHttprrTrace(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t line, std::uint64_t offset)> &onRecord,
    const std::function<void(std::uint64_t line, std::string_view reason)> &onError);

// One exchange starting at its "N M" line (as RawRecordReader reads it back), for the detail
// pane, as JSON: request and response lines and headers, how the body was stored
// ("body_stored": "chunked → 43 bytes of JSON") and the decoded body. Empty with *error set
// when the text is not one.
std::string httprrExchangeForDisplay(std::string_view text, std::string *error);

// Bytes of the exchange that starts at text[0] ("N M\n" + N + M), or 0 when unreadable.
std::uint64_t httprrExchangeSize(std::string_view text);
