#pragma once

#include "engine/engineuri.h"
#include "engine/pushoptions.h"
#include "store/eventstore.h"

#include <QIODevice>
#include <QString>

// `ratescope push LOG... --to postgresql://…` (issue 21): the events a log gave, classified by
// the same rules as `summarize`, loaded into the table whose DDL pushTableDdl() writes (the
// README shows it; the `ratescope` profile reads it back). In batches, each its own statement
// (committed on its own): a push that stops part way keeps the batches it loaded, and the
// same push run again resumes, because every event has an id and a row whose id is already
// there is skipped (INSERT … ON CONFLICT (id) DO NOTHING). An event's id (pushids.h) is a
// digest of its values and of how many identical events came before it in the push, so the
// same log pushed twice adds nothing and two identical requests in one log are both kept.

// CREATE TABLE IF NOT EXISTS … and the index on (time, id) that paging and the per-minute
// counts use.
QString pushTableDdl(const QString &quotedTable);

// The rows push would load, as CSV for COPY … FROM … (FORMAT csv) in pushedEventColumns()
// order, ids as push makes them (bench_engine loads 10M events this way).
void writePushCsv(const EventStore &store, QIODevice &out);

// The table of the URI (?table=T, default ratescope_events).
PushResult pushToPostgres(
    const EngineUri &uri, const EventStore &store, const PushOptions &options);
