#pragma once

// Reading back from the capture file the events the window let go of (issue 22). Every line a
// live session receives is appended to the capture before it is decoded, and every event
// keeps its origin there (segment, line, byte offset). When the window lets events go it keeps,
// per minute of record time and segment, the span of capture bytes their lines lie in
// (CaptureSpan: a few dozen bytes a minute, whatever the rate). Drilling into an old bucket
// reads those spans again, decodes and classifies their lines as the live ingest did, and
// keeps the events of the bucket: the same events, with the same fields and origin, that a
// store of every event would give.
//
// Lines in a span that were not events of the bucket are dropped again for the same reasons:
// another time, a bad line, a record without a time, or a duplicate id the ingest dropped
// (CaptureDuplicate: the ingest notes where each one was, so read-back drops exactly those).
// A span in a segment deleted by rotation (--capture-keep) is an error that names the
// segment; nothing is guessed.

#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

struct CaptureSpan
{
    std::int64_t minuteMs = 0; // record time, floored to the minute
    std::uint16_t file = 0; // the capture segment (the session's file index)
    std::uint32_t firstLine = 0; // line of the record at firstOffset (1-based)
    std::uint64_t firstOffset = 0; // where the first of the minute's records starts
    std::uint64_t lastOffset = 0; // where the last of them starts
};

// A record the live ingest dropped as a duplicate of an earlier id: where it was, and its id.
struct CaptureDuplicate
{
    std::uint16_t file = 0;
    std::uint64_t offset = 0;
    std::uint64_t idHash = 0;

    friend bool operator<(const CaptureDuplicate &a, const CaptureDuplicate &b)
    {
        return a.file != b.file    ? a.file < b.file
            : a.offset != b.offset ? a.offset < b.offset
                                   : a.idHash < b.idHash;
    }
};

// Adds the origins of `events` (indices into store) to spans, kept sorted by (minute, file).
void addCaptureSpans(std::vector<CaptureSpan> &spans, const EventStore &store,
    const std::vector<std::uint32_t> &events);

struct CaptureReadBack
{
    // The events of the range, in capture order; its file table is the session's (the one of
    // `files`), so RawRecordReader reads each record again.
    std::shared_ptr<EventStore> events;
    QString error; // why the range could not be read back (no event is given then)
    std::uint64_t bytesRead = 0;
};

// The events with fromMs <= time < toMs among the spans' lines. `files`: a store of the
// session (its file table and removed segments). duplicates: sorted.
CaptureReadBack readBackCapture(const EventStore &files, const std::vector<CaptureSpan> &spans,
    const std::vector<CaptureDuplicate> &duplicates, const RuleSet &rules, std::int64_t fromMs,
    std::int64_t toMs);
