#pragma once

#include "decode/rawrecord.h"

#include <cstdint>
#include <functional>
#include <string_view>

class RecordDecoder;

// PyGithub ReplayData (formats.md §1.5): 11 lines per exchange — scheme, method, host, port,
// path, request headers, request body, status, response header pairs (a Python list of
// tuples), response body, blank line (the last exchange may lack it). The time is the
// response's Date header.
bool looksLikePyGithub(std::string_view text);

void readPyGithubReplay(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t line, std::uint64_t offset)> &onRecord,
    const std::function<void(std::uint64_t line, std::string_view reason)> &onError);

// Parses "[('name', 'value'), ...]" (Python repr, single or double quotes) into headers whose
// views point into text or into rec.scratch (for values with escapes).
bool parsePythonHeaderList(std::string_view text, RawRecord &rec);
