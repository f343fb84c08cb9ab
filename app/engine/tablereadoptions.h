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
    std::uint64_t rowsBefore = 0; // rows of earlier reads (row numbers go on from there)
};
