#pragma once

// Where a poll of a table ended, for `monitor postgresql://…` and `monitor clickhouse://…`
// (issue 21: polling new rows every N s by time, with no row missed or counted twice across
// polls). Each poll reads the rows after it, by time: the cursor keeps the newest time read
// and the ids read at that time, so a row inserted later with that same time is read by the
// next poll, and one already read is not read again. The engine's reader writes the values as
// SQL literals of its own dialect (a ClickHouse `toDateTime(…)`, a PostgreSQL `CAST('…' AS …)`);
// the condition is the same SQL for both.
//
// What polling by time cannot see: a row inserted later with a time older than the newest time
// a poll read (a clock that goes back, a transaction that commits long after its rows' time).
// A table written with the current time, as gateways, LiteLLM and Langfuse do, loses nothing.

#include <QString>
#include <QStringList>

struct PollCursor
{
    QString time; // SQL literal of the newest time read; empty before the first row
    QStringList idsAtTime; // SQL literals of the ids read with that time
    // A read has ended (the rows without a time, which no poll reads in time order, are
    // counted by the first read only).
    bool started = false;

    // The rows after the cursor, given the quoted time and id columns: "" before the first row,
    // else `time >= T AND NOT (time = T AND id IN (…))`, which the time column's index serves.
    QString condition(const QString &timeSql, const QString &idSql) const;
    // A row read with these keys (SQL literals); rows come in (time, id) order.
    void advance(const QString &timeLiteral, const QString &idLiteral);
};
