#pragma once

#include "export/summary.h"
#include "live/capturefile.h"
#include "live/liveingest.h"
#include "sources/filefollower.h"
#include "sources/httpstreamsource.h"
#include "sources/livesource.h"
#include "sources/tcplistener.h"

#include <QString>
#include <QUrl>

#include <optional>
#include <vector>

// One live input: what `monitor SOURCE` / `--listen` (or the Watch menu) names.
struct LiveSourceSpec
{
    enum class Kind { File, Stdin, Listen, Url };
    Kind kind = Kind::File;
    QString path; // File
    QUrl url; // Url
    ListenOptions listen; // Listen
};

// "-" standard input, "http://..." / "https://..." a URL, anything else a file path.
// False + *error for a URL that is not valid.
bool parseSourceSpec(const QString &text, LiveSourceSpec *out, QString *error);

struct LiveOptions
{
    std::vector<LiveSourceSpec> sources;
    LiveLimits limits; // max line length (default 1 MiB), read size
    std::size_t queueBytes = std::size_t(32) << 20; // sources stop reading beyond this
    IngestOptions ingest; // batch every 50 ms or 4096 records
    FollowOptions follow; // from start, poll interval
    UrlOptions url; // reconnection delay, jitter source
    // The capture file: this path, else a new file in captureDir, else in
    // CaptureFile::defaultDirectory().
    QString capturePath;
    QString captureDir;
    // --capture-max / --capture-keep: segments of at most maxBytes (a batch more), the newest
    // `keep` kept (CaptureFile). Default: one file, no rotation.
    CaptureRotation captureRotation;
    // Early warnings and the summary: the limit for every scope, and (limits.md §1) the limits
    // per scope; each scope is warned against its own.
    std::optional<LimitSpec> limit;
    std::vector<LimitEntry> scopeLimits;
    double mergeGapMinutes = 5.0;
    // The window's raw events (LiveFeed, issue 22): those of the last windowKeepMs of record
    // time, and of an incident that goes on, are held; older ones are let go (LiveHistory:
    // counts per scope, incidents) and stay in the capture file. <= 0: hold every event.
    std::int64_t windowKeepMs = 2 * 3600 * 1000;
    double warnShare = 0.9;
    // The session keeps every event in a store of its own, for store() and summary() (what
    // `monitor` prints at the end). The window turns it off: it builds its snapshots from the
    // batches, and a second copy of every event cost memory and, each time it doubled, a
    // stall of the GUI thread (a 24 MB copy at half a million events).
    bool keepStore = true;
    // Bounded memory (`monitor --bounded`, issue 22): instead of a store of every event, the
    // session keeps per-minute rollups of everything and the batches of the last
    // rollupReorderMs of record time (LiveRollup), scoped by rollupScopeBy; summaryOf() is
    // then made from those.
    std::optional<std::int64_t> rollupReorderMs;
    ScopeBy rollupScopeBy = ScopeBy::Host;
};
