#pragma once

#include "live/capturereadback.h"
#include "sources/loader.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QMetaType>

#include <cstdint>
#include <memory>
#include <vector>

// What the ingest made of one source's lines since the previous batch.
struct LiveSourceDelta
{
    int source = -1;
    std::int64_t lines = 0; // lines analysed
    std::int64_t records = 0; // events added (duplicates excluded)
    std::int64_t skipped = 0; // bad lines and records without a usable time, dropped lines
    std::int64_t duplicates = 0;
    std::vector<LocatedError> errors; // the source's first InputReport::kMaxErrors only
};

// One hand-off from the live ingest, at most every batch interval (50 ms) or batch size
// (4096 records): never one per record. Immutable once sent; receivers share it.
struct LiveBatch
{
    std::uint64_t sequence = 0; // 1, 2, 3, ...
    // The new events, with their own string pool (EventStore::appendShard merges them).
    // Their origin is the capture file: file index 0 (events.filePath(0) is its path), the
    // line and byte offset of the record there, so RawRecordReader reads it back. With
    // --capture-max, file index k is the capture's segment k: the file table lists every
    // segment so far (deleted ones too, in events.removedFiles()), so that indexes are the
    // same in every batch and store of the session (EventStore::addFilesFrom); a batch's
    // events are all in one segment.
    EventStore events;
    std::vector<LiveSourceDelta> sources; // sources with anything new
    // Where each record dropped as a duplicate was in the capture (read-back drops it again).
    std::vector<CaptureDuplicate> duplicates;
    std::int64_t oldestReceivedMs = 0; // wall clock when its oldest line was received
    std::int64_t sentMs = 0; // wall clock when it was handed on
    std::uint64_t captureBytes = 0; // size of the capture file (its segment) after this batch
};

Q_DECLARE_METATYPE(std::shared_ptr<const LiveBatch>)
