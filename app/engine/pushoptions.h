#pragma once

// What `ratescope push` takes and gives (issue 21), whichever engine it loads into: PostgreSQL
// (pgpush.h) or ClickHouse (clickhousepush.h).

#include <QString>

#include <cstdint>
#include <functional>

struct PushOptions
{
    int batchRows = 5000;
    int connectTimeoutS = 10;
    int attempts = 3; // per batch (PostgreSQL reconnects between them)
    std::function<void(std::int64_t done)> afterBatch; // events handled so far
};

struct PushResult
{
    std::int64_t events = 0; // in the store
    std::int64_t inserted = 0; // new rows
    std::int64_t existing = 0; // ids already in the table (an earlier push)
    QString error; // why it stopped (no password in it); empty when every batch went in
};

// Why a push stopped at a batch, the same words for every engine: `table` as display() names
// it (no password), `done` events handled before the batch that failed, of `events`.
QString pushStoppedError(
    const QString &table, std::int64_t done, std::int64_t events, const QString &why);
