#include "engine/enginetable.h"

#include "engine/clickhousesource.h"
#include "engine/pgaggregate.h"
#include "engine/pgbucketrunner.h"
#include "engine/pgsource.h"

#include <thread>

std::optional<EngineSeries> countTable(const EngineUri &uri, const RuleSet &rules,
    std::int64_t bucketMs, const TimeRange &range, const std::atomic<bool> *cancel, QString *error)
{
    if (uri.kind == EngineUri::Kind::PostgreSql) {
        EngineReadOptions options;
        options.range = range;
        options.cancel = cancel;
        EngineAggregate counts;
        std::thread worker([&] { counts = aggregatePostgres(uri, rules, options, bucketMs); });
        worker.join();
        if (counts.cancelled || (cancel && cancel->load())) {
            *error = uri.display() + QStringLiteral(": cancelled");
            return std::nullopt;
        }
        if (!counts.error.isEmpty()) {
            *error = counts.error;
            return std::nullopt;
        }
        return engineSeries(counts);
    }
    const std::optional<Profile> profile = clickHouseProfile(uri, std::nullopt, error);
    if (!profile) {
        *error = uri.display() + QStringLiteral(": ") + *error;
        return std::nullopt;
    }
    ClickHouseClient client(clickHouseTarget(uri));
    const std::optional<EngineColumns> columns = clickHouseEngineColumns(client, *profile, error);
    if (!columns)
        return std::nullopt;
    return queryEngineBuckets(client, *columns, bucketMs, range, error, cancel);
}

InputReport readEngineTable(
    const EngineUri &uri, EventStore &store, const RuleSet &rules, const TableReadOptions &options)
{
    if (uri.kind == EngineUri::Kind::PostgreSql) {
        EngineReadOptions pg;
        static_cast<TableReadOptions &>(pg) = options;
        return readPostgresInWorker(uri, store, rules, pg);
    }
    ClickHouseReadOptions ch;
    static_cast<TableReadOptions &>(ch) = options;
    return readClickHouse(uri, store, rules, ch);
}
