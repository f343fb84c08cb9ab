#pragma once

#include "decode/rawrecord.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

class RecordDecoder;
struct YamlNode;

// YAML cassettes (formats.md §1.5): vcrpy (`interactions:`, `!!binary` bodies, pydantic-ai's
// `parsed_body`), Ruby VCR and R vcr (`http_interactions:`, Ruby `!binary`, scalar status and
// headers). One record per interaction; the time is its `recorded_at` (no zone = UTC), else
// the response's Date header, never guessed. Bodies are decoded as stored (base64, then gzip
// or deflate per Content-Encoding) before RecordDecoder::decodeBodyText reads them.

// A top-level `interactions:` or `http_interactions:` key among the first lines.
bool looksLikeYamlCassette(std::string_view text);
// Something YAML-like that is not JSON ("---", "%YAML", "key:" or "- " at column 0 first).
bool looksLikeYaml(std::string_view text);

void readYamlCassette(std::string_view text, RecordDecoder &decoder,
    const std::function<void(RawRecord &, std::uint64_t line, std::uint64_t offset)> &onRecord,
    const std::function<void(std::uint64_t line, std::string_view reason)> &onError);

// How a body was stored and what it became: "!!binary, gzip → 1,234 bytes of JSON".
struct CassetteBody
{
    std::string text; // the decoded body ("" when there is none or it could not be decoded)
    std::string stored; // the description above
    bool decoded = false;
};
// The body of one interaction's response, decoded.
CassetteBody cassetteResponseBody(const YamlNode &interaction);

// One interaction as RawRecordReader cut it from a cassette ("- request: …" up to the next
// item), as pretty JSON for the detail pane: the request and response with their headers, the
// decoded body, and "body_stored" saying how it was stored. Empty with *error set when the text
// is not an interaction.
std::string yamlInteractionForDisplay(std::string_view text, std::string *error);
