#pragma once

#include "engine/engineuri.h"
#include "store/eventstore.h"

#include <QIODevice>
#include <QString>

#include <cstdint>
#include <functional>

// `ratescope push LOG... --to postgresql://…` (issue 21): the events a log gave, classified by
// the same rules as `summarize`, loaded into the table whose DDL pushTableDdl() writes (the
// README shows it; the `ratescope` profile reads it back). In batches, each its own statement
// (committed on its own): a push that stops part way keeps the batches it loaded, and the
// same push run again resumes, because every event has an id and a row whose id is already
// there is skipped (INSERT … ON CONFLICT (id) DO NOTHING). An event's id is a digest of its
// values (time to the ms, status, source, method, endpoint, actors, message, codes, limits,
// tokens) and of how many identical events came before it in the push, so the same log
// pushed twice adds nothing and two identical requests in one log are both kept.
struct PushOptions
{
    int batchRows = 5000;
    int connectTimeoutS = 10;
    int attempts = 3; // per batch, reconnecting between them
    std::function<void(std::int64_t done)> afterBatch; // events handled so far
};

struct PushResult
{
    std::int64_t events = 0; // in the store
    std::int64_t inserted = 0; // new rows
    std::int64_t existing = 0; // ids already in the table (an earlier push)
    QString error; // why it stopped (no password in it); empty when every batch went in
};

// CREATE TABLE IF NOT EXISTS … and the index on (time, id) that paging and the per-minute
// counts use.
QString pushTableDdl(const QString &quotedTable);

// The rows push would load, as CSV for COPY … FROM … (FORMAT csv) in pushedEventColumns()
// order, ids as push makes them (bench_engine loads 10M events this way).
void writePushCsv(const EventStore &store, QIODevice &out);

// The table of the URI (?table=T, default ratescope_events).
PushResult pushToPostgres(
    const EngineUri &uri, const EventStore &store, const PushOptions &options);
