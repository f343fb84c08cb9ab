#include "engine/clickhouseddl.h"

#include "engine/clickhouseclient.h"

QStringList clickHouseEventsDdl(const QString &database, const QString &table)
{
    const QString db = clickHouseIdentifier(database);
    const QString events = db + QLatin1Char('.') + clickHouseIdentifier(table);
    const QString seconds
        = db + QLatin1Char('.') + clickHouseIdentifier(table + QStringLiteral("_seconds"));
    const QString view
        = db + QLatin1Char('.') + clickHouseIdentifier(table + QStringLiteral("_rollup"));
    return {
        QStringLiteral(
            "CREATE TABLE %1 (id String, time Int64, status Int16, "
            "source Enum8('NONE' = 0, 'RATE_LIMITED' = 1, 'TOOL_ERROR' = 2, 'UNCLASSIFIED' = 3), "
            "flags UInt8, method String, scope String, endpoint String, tool String, "
            "provider String, client String, model String, message String, error_code String, "
            "category String, category_rule String, gateway_rule String, "
            "retry_after_ms Nullable(Int32), server_limit Nullable(Int32), "
            "server_window_s Nullable(Int32), duration_ms Nullable(Float32), "
            "input_tokens Nullable(Int64), output_tokens Nullable(Int64), "
            "total_tokens Nullable(Int64), reported_tokens Nullable(String)) "
            "ENGINE = MergeTree() PARTITION BY intDiv(time, 86400000) ORDER BY (time, id)")
            .arg(events),
        QStringLiteral("CREATE TABLE %1 (second UInt32, scope String, source UInt8, n UInt64) "
                       "ENGINE = SummingMergeTree(n) ORDER BY (second, scope, source)")
            .arg(seconds),
        QStringLiteral("CREATE MATERIALIZED VIEW %1 TO %2 AS SELECT toUInt32(intDiv(time, 1000)) "
                       "AS second, scope, toUInt8(source) AS source, count() AS n FROM %3 "
                       "GROUP BY second, scope, source")
            .arg(view, seconds, events),
    };
}
