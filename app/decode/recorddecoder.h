#pragma once

#include "decode/rawrecord.h"

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>

// What a JSON document turned out to be (summary.md inputs[].format). K6: one line of k6's
// `k6 run --out json` output (a Metric declaration or a Point), whether it gave a record or not.
enum class DocumentShape { Unknown, Record, Array, ApiPage, Har, Nock, Betamax, K6 };

// Decodes JSON documents of every shape in formats.md §1 into RawRecords, on simdjson's
// On-Demand API (one pass, no DOM). One NDJSON line is a small document; a HAR file, a
// cassette or a JSON array is a big one. Not thread-safe: use one decoder per thread.
class RecordDecoder
{
public:
    // Called once per record (also for records without a usable time: rec.timeMs is empty
    // and rec.timeError says why). `start` points at the record's first byte in the input.
    using RecordSink = std::function<void(RawRecord &rec, const char *start)>;
    // Called for an entry that is broken but does not stop the document.
    using ErrorSink = std::function<void(const char *start, std::string_view reason)>;

    struct Result
    {
        simdjson::error_code error = simdjson::SUCCESS; // a document-level error
        const char *errorAt = nullptr; // start of the entry being read when it happened
        DocumentShape shape = DocumentShape::Unknown;
        bool scalar = false; // the document was not an object or array
    };

    // json must stay readable for capacity bytes (capacity >= size + SIMDJSON_PADDING).
    Result decode(const char *json, std::size_t size, std::size_t capacity, const RecordSink &sink,
        const ErrorSink &errors);

    // One NDJSON line as decode(), read again from a repaired copy when it holds invalid UTF-8
    // or lone surrogate escapes (both become U+FFFD, summary.md: the record is kept). The
    // sinks count their calls in `calls`; on a second pass `replayed` says how many calls
    // the first pass made, so those records and errors are not given twice. `scratch` holds
    // the copy (reused between lines).
    Result decodeRepairing(const char *json, std::size_t size, std::size_t capacity,
        const RecordSink &sink, const ErrorSink &errors, std::string &scratch, std::uint64_t &calls,
        std::uint64_t &replayed);

    // A body given as text (a JSON string, HAR content.text): reads its error fields if it is
    // JSON; otherwise keeps it as the message when it is short plain text. Strings that are
    // kept are copied into rec.scratch.
    void decodeBodyText(std::string_view text, RawRecord &rec);
    // A request body given as text: the tool of an execute_tool call (summary.md:
    // tool/provider) and the model asked for (limits.md §1), when rec has none yet.
    void decodeRequestBodyText(std::string_view text, RawRecord &rec);

private:
    // A recorded event stream (SSE text): the usage of the events that carry one, later values
    // winning field by field (limits.md §4).
    void streamUsage(std::string_view text, RawRecord &rec);

    struct Impl;
    simdjson::ondemand::parser m_parser;
    simdjson::ondemand::parser m_bodyParser;
    simdjson::ondemand::parser m_extraParser;
    std::string m_bodyBuffer;
    std::string m_scratchText; // a base64-decoded HAR text, valid while it is read
    RawRecord m_record; // the document's own record
    // What the last top-level `data` object said, for a line of k6's JSON output
    // (recorddecoder_k6.cpp): data.time and the tags a request is read from.
    struct K6Data
    {
        std::string_view time, status, method, url, name, errorCode, error;
    };
    K6Data m_k6Data;
    RawRecord m_inner; // records inside a container (HAR entries, arrays, pages)
};

// "gmail_fetch_mails" -> "gmail" (summary.md: provider defaults to the tool name's prefix).
std::string_view providerFromTool(std::string_view tool);
// "https://host:443/a/b?x=1" -> "host:443/a/b" (no scheme, no query, no fragment, no userinfo).
std::string_view endpointOf(std::string_view url);
