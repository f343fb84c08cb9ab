#pragma once

// What a read of a table into an EventStore takes, whichever engine holds it (issue 21):
// PostgreSQL's EngineReadOptions (pgsource.h) and ClickHouse's ClickHouseReadOptions
// (clickhousesource.h) add their own to it.

#include "engine/pollcursor.h"
#include "store/eventbuilder.h"

#include <QMap>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct TableReadOptions
{
    TimeRange range;
    int pageRows = 50000; // rows per keyset page
    std::optional<QMap<QString, QString>> map; // --map: wins over the URI's profile
    const std::atomic<bool> *cancel = nullptr;
    std::function<void(std::uint64_t rows)> progress; // rows read so far, once per page
    // In: read only the rows after it; out: where this read ended (`monitor`). Needs the
    // profile's id column.
    PollCursor *cursor = nullptr;
    int storeFile = -1; // the store's file index of an earlier read of the same table
    // A drill-down's cap (issue 21): the read stops after the keyset page that brings it to
    // this many rows (0: all; a cap that is a multiple of pageRows is met exactly).
    std::uint64_t maxRows = 0;
    // Out, when given: the raw record of each event added to the store, by event index (the
    // row as a JSON object of its columns), for the detail pane (EventStore::keptRecords).
    std::vector<std::string> *rowsAsJson = nullptr;
    std::uint64_t rowsBefore = 0; // rows of earlier reads (row numbers go on from there)
};
