#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

// Cuts a byte stream into NDJSON lines (formats.md §1.6, §4). Pure: no Qt, no I/O, so it can
// be unit-tested and fuzzed on its own (tests/fuzz/).
//
// - A line ends at LF; a CR right before the LF is removed (CRLF). A lone CR is data.
// - A line is only given once its LF has arrived, or at finish() (the stream ended).
// - A line longer than maxLineBytes (terminator excluded) is never given: it is reported to
//   the drop sink once its end is seen, with its number and full length, and the stream
//   goes on with the next line. The framer holds at most maxLineBytes of a pending line.
// - Lines are numbered from 1 in the order their ends are seen; dropped lines take a
//   number too. Blank lines are given like any other (the caller decides).
// Views given to the sinks are valid only during the call.
class LineFramer
{
public:
    static constexpr std::size_t kDefaultMaxLineBytes = std::size_t(1) << 20;

    using LineSink = std::function<void(std::string_view text, std::uint64_t number)>;
    using DropSink = std::function<void(std::uint64_t number, std::uint64_t bytes)>;

    explicit LineFramer(std::size_t maxLineBytes = kDefaultMaxLineBytes);

    void feed(const char *data, std::size_t size, const LineSink &onLine, const DropSink &onDrop);
    // The stream ended: an unterminated last line counts (or is dropped when too long).
    void finish(const LineSink &onLine, const DropSink &onDrop);
    // Forgets a pending partial line (a new stream: truncated file, new connection) and
    // returns how many bytes it held. Numbering goes on.
    std::size_t discardPending();

    std::size_t maxLineBytes() const { return m_max; }
    std::size_t pendingBytes() const { return m_pendingSize; } // of an unfinished line
    std::uint64_t lines() const { return m_number; } // lines ended so far (given + dropped)
    std::uint64_t dropped() const { return m_dropped; }

private:
    void endLine(
        const char *tail, std::size_t tailSize, const LineSink &onLine, const DropSink &onDrop);

    std::size_t m_max;
    std::string m_buf; // the pending line's first bytes (at most m_max + 1)
    std::size_t m_pendingSize = 0; // the pending line's full length so far
    std::uint64_t m_number = 0;
    std::uint64_t m_dropped = 0;
    bool m_lastWasCr = false; // the pending line's last byte (m_buf may hold only its start)
};
