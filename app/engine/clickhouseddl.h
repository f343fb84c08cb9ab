#pragma once

// The ClickHouse tables of a `ratescope` events table (README "ClickHouse"), in SQL that 18.16
// runs: the events (the columns push writes, pushedEventColumns(); time in epoch milliseconds,
// as 18.16 has no DateTime64; source an Enum8 whose numbers are sourceIndex() + 1), the
// per-second rollup beside it (TABLE_seconds: second, scope, source, n; SummingMergeTree) and
// the materialized view that keeps the rollup as rows are inserted. The engine-side counts
// read the rollup when it is there (clickHouseEngineColumns).

#include <QString>
#include <QStringList>

// CREATE TABLE db.table, CREATE TABLE db.table_seconds, CREATE MATERIALIZED VIEW
// db.table_rollup, in that order.
QStringList clickHouseEventsDdl(const QString &database, const QString &table);
