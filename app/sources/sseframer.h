#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

// One Server-Sent Event as the WHATWG HTML standard's "interpret an event stream" defines it.
struct SseEvent
{
    std::string_view data; // the data: lines joined with "\n" (empty for a lone "data:" line, as
                           // WHATWG dispatches it)
    std::string_view type; // the event: field, "message" when none
    std::string_view lastEventId; // the last event id at dispatch
    std::uint64_t number = 0; // 1-based among the events with data (dropped ones included)
};

// Parses a text/event-stream body (WHATWG HTML §9.2.5/9.2.6). Pure: no Qt, no I/O, so it can
// be unit-tested and fuzzed on its own (tests/fuzz/).
// - Lines end at CRLF, LF or CR (a CRLF split across two feeds is one break); a UTF-8 BOM at
//   the start of a stream is skipped.
// - "" dispatches; ":..." is a comment; "name:value" (one space after the colon removed) or
//   "name" alone (empty value). data appends value + "\n"; event sets the type; id sets the
//   event's id unless it contains NUL (it becomes the last event id when the event is
//   complete: at its blank line); retry sets the reconnection time when the value is
//   ASCII digits only (else ignored); other names are ignored.
// - Dispatch: the last event id is updated; with empty data nothing is given; otherwise the
//   data's final "\n" is removed and the event is given.
// - finish(): the stream ended. An unfinished event (no blank line yet) is discarded, as is
//   an unfinished line. The last event id and the reconnection time are kept for the next
//   stream (they are what a reconnect sends / waits), everything else is reset.
// - Memory is bounded: an event whose data would exceed maxEventBytes is dropped (reported
//   to the drop sink with its number and data length at its dispatch); a comment or other
//   field line longer than that is ignored. At most about maxEventBytes are held.
// Views given to the sinks are valid only during the call.
class SseFramer
{
public:
    static constexpr std::size_t kDefaultMaxEventBytes = std::size_t(1) << 20;

    using EventSink = std::function<void(const SseEvent &event)>;
    using DropSink = std::function<void(std::uint64_t number, std::uint64_t bytes)>;

    explicit SseFramer(std::size_t maxEventBytes = kDefaultMaxEventBytes);

    void feed(const char *data, std::size_t size, const EventSink &onEvent, const DropSink &onDrop);
    // End of one stream; returns true when an unfinished event or line was discarded.
    bool finish();

    // Sent back as Last-Event-ID on reconnect ("" : none).
    const std::string &lastEventId() const { return m_lastEventId; }
    void setLastEventId(std::string id)
    {
        m_lastEventId = id;
        m_idBuffer = std::move(id);
    }
    // The reconnection time a retry: field set, in ms; -1 when none was.
    std::int64_t retryMs() const { return m_retryMs; }

    std::uint64_t events() const { return m_number; } // given + dropped
    std::uint64_t dropped() const { return m_dropped; }
    std::uint64_t comments() const { return m_comments; }

private:
    void line(std::string_view l, bool tooLong, const EventSink &onEvent, const DropSink &onDrop);
    void dispatch(const EventSink &onEvent, const DropSink &onDrop);
    void endLine(const EventSink &onEvent, const DropSink &onDrop);

    std::size_t m_max;
    std::string m_line; // the current line's first bytes (at most m_max + 8)
    std::size_t m_lineSize = 0; // its full length so far
    std::string m_data;
    std::uint64_t m_dataSize = 0; // full length of the data, also past the cap
    bool m_tooLong = false; // the current event's data went over the cap
    std::string m_type;
    std::string m_idBuffer; // the id: of the event being read
    std::string m_lastEventId; // the id of the last complete event
    std::int64_t m_retryMs = -1;
    bool m_afterCr = false; // the last break was a CR: a following LF belongs to it
    int m_bomMatched = 0; // bytes of a BOM seen at the stream's start
    bool m_atStart = true;
    std::uint64_t m_number = 0;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_comments = 0;
};
