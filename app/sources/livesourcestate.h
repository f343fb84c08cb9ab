#pragma once

#include <QMetaType>
#include <QString>

#include <cstdint>

// What the status bar (and `monitor`'s status line) shows for one live source. A value:
// sources send copies of it across threads.
struct LiveSourceState
{
    enum class Kind { File, Stdin, Listener, Url };
    enum class Status {
        Starting,
        Waiting, // file: the name does not exist (yet / any more); retrying
        Following, // file: open and read to its end
        Listening, // listener: bound; connections counts the open ones
        Connected, // URL: a stream is open; stdin: open
        Reconnecting, // URL: waiting reconnectInMs before the next attempt
        Ended, // stdin at EOF: no more lines will come
        Failed, // gave up (URL 204 / 4xx, a listener that cannot bind); message says why
    };

    int id = -1; // index of the source in LiveOptions::sources
    Kind kind = Kind::File;
    QString name; // the file, "-", the URL or tcp://HOST:PORT (summary.md inputs[].path)
    QString format = QStringLiteral("ndjson"); // "ndjson" or "sse"
    Status status = Status::Starting;
    QString message; // the last thing worth telling ("file truncated", an HTTP error, ...)
    std::int64_t reconnectInMs = -1; // Reconnecting: the wait that was scheduled
    std::int64_t reconnectAtMs = 0; // Reconnecting: wall-clock ms when it happens
    int connections = 0; // listener: open connections; URL: 1 while connected
    std::uint64_t lines = 0; // complete non-blank lines (SSE: events) handed on
    std::uint64_t bytes = 0; // bytes read
    std::uint64_t droppedLines = 0; // longer than the maximum: dropped, never analysed
    std::uint64_t rejectedConnections = 0; // listener: HTTP request, bad token
    std::uint64_t reconnects = 0; // URL: attempts after the first; file: rotations
    std::uint64_t pauses
        = 0; // times the analysis fell behind and reading stopped (nothing is lost)
    // Filled in by LiveSession from what the ingest made of the lines:
    std::uint64_t records = 0;
    std::uint64_t skipped = 0;
    std::uint64_t duplicates = 0;
    double recordsPerSecond = 0;

    bool finished() const { return status == Status::Ended || status == Status::Failed; }
};

// "following", "reconnecting in 3 s", ... for a status bar.
QString statusText(const LiveSourceState &s);
// statusText plus the rate and what was dropped: "following, 1200 records/s, 3 dropped".
QString sourceStatusText(const LiveSourceState &s);

Q_DECLARE_METATYPE(LiveSourceState)
