#pragma once

// `ratescope push LOG... --to clickhouse://host:8123/db.table` (issue 21): the events a log
// gave, classified by the same rules as `summarize`, loaded into a `ratescope` events table
// (clickhouseddl.h: created with its per-second rollup and the view that fills it when the
// table is missing), in batches of INSERT … FORMAT JSONEachRow. The same semantics as the
// PostgreSQL push (pgpush.h): the same ids (pushids.h), a push that stops part way keeps the
// batches it loaded, and the same push run again loads only the rest.
//
// ClickHouse (18.16, and MergeTree in every version) has no unique key, so "never load a
// duplicate id twice" is done by asking first: before each batch, the ids of the batch that
// are already in the table (one SELECT over the batch's time range, which the primary key
// (time, id) narrows to a few granules), and only the others are inserted. Not
// ReplacingMergeTree: it drops duplicates only when parts merge, at a time of the server's
// choosing, so every read would need FINAL (slow on 18.16) or argMax, and the materialized
// view that keeps the per-second rollup counts every row inserted, duplicates included, for
// good. Not insert_deduplicate: 18.16 deduplicates retried blocks of Replicated tables only. A
// retried batch asks again first, so a batch the server took whose answer was lost is not
// inserted twice. What asking first cannot prevent: two pushes of the same events running at
// the same moment (both may find an id missing); run one push at a time into a table.

#include "engine/engineuri.h"
#include "engine/pushoptions.h"
#include "store/eventstore.h"

// The table of the URI (its db.table). The password comes from the URI or CLICKHOUSE_PASSWORD
// and is never in the result's error.
PushResult pushToClickHouse(
    const EngineUri &uri, const EventStore &store, const PushOptions &options);
