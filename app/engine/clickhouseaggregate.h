#pragma once

// The chart's counts computed by ClickHouse (issue 21 "what runs where"): ONE query per view
// gives the requests per bucket, per scope and per rejection source, so a table of 100M rows
// is charted without a row leaving the server. Zoom and pan ask again at their bucket size
// over their time range (ClickHouseQueryRunner: the newest query wins).

#include "base/rejectionsource.h"
#include "store/eventbuilder.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

class ClickHouseClient;

// How a table's columns give what the counts need, as SQL expressions of 18.16.
struct EngineColumns
{
    QString table; // `db`.`table`
    QString timeMs; // the request's time in epoch milliseconds (Int64)
    QString timeFilter; // the time column itself, for a WHERE the primary key can use
    // timeFilter's values for a range in ms: "%1" is replaced by a number of milliseconds
    QString timeLiteral = QStringLiteral("%1");
    QString scope; // the scope (limits.md §1): a String
    QString source; // 0 none, 1 RATE_LIMITED, 2 TOOL_ERROR, 3 UNCLASSIFIED (UInt8)
    QString count = QStringLiteral("count()"); // a rollup's: sum(n)
    QString exact; // "" when source is the rules' own verdict; else what it approximates
};

// The counts of one bucket of one scope: requests and rejections by source.
struct EngineBucket
{
    std::int64_t startMs = 0;
    int scope = 0; // index into EngineSeries::scopes
    std::uint64_t requests = 0;
    std::array<std::uint64_t, kRejectionSourceCount> rejected {}; // by sourceIndex()
};

// What one aggregate query gave: buckets by start, then scope name.
struct EngineSeries
{
    std::int64_t bucketMs = 60000;
    QStringList scopes; // sorted by name
    std::vector<EngineBucket> buckets;
    std::uint64_t requests = 0;
    std::uint64_t rows = 0; // rows of the query's result (bucket × scope × source)
};

// SELECT b, scope, src, count() … GROUP BY b, scope, src: the one query of a view. bucketMs
// is a whole number of seconds (or a divisor of one); `range` keeps from <= time < to.
QString engineBucketSql(
    const EngineColumns &columns, std::int64_t bucketMs, const TimeRange &range);

// A whole result (JSONEachRow text) into a series.
std::optional<EngineSeries> parseEngineBuckets(
    const QByteArray &rows, std::int64_t bucketMs, QString *error);

// Runs the query and parses its rows as they arrive.
std::optional<EngineSeries> queryEngineBuckets(ClickHouseClient &client,
    const EngineColumns &columns, std::int64_t bucketMs, const TimeRange &range, QString *error,
    const std::atomic<bool> *cancel = nullptr);

// SELECT min, max of timeMs as a and z, and its result (nullopt: an empty table, or rows that
// do not say). For a caller that runs it itself (ClickHouseQueryRunner).
QString engineSpanSql(const EngineColumns &columns);
std::optional<std::pair<std::int64_t, std::int64_t>> parseEngineSpan(const QByteArray &rows);

// The time span of the table: min and max of timeMs (nullopt when the table is empty).
std::optional<std::pair<std::int64_t, std::int64_t>> queryEngineSpan(
    ClickHouseClient &client, const EngineColumns &columns, QString *error);
