#include "engine/bucketrunner.h"

#include "engine/clickhousebucketrunner.h"
#include "engine/clickhousesource.h"
#include "engine/engineuri.h"
#include "engine/pgbucketrunner.h"

std::unique_ptr<BucketQueryRunner> makeBucketQueryRunner(
    const EngineUri &uri, const RuleSet &rules, QString *error)
{
    if (uri.kind == EngineUri::Kind::PostgreSql)
        return std::make_unique<PgBucketRunner>(uri, rules);
    const std::optional<Profile> profile = clickHouseProfile(uri, std::nullopt, error);
    if (!profile)
        return nullptr;
    return std::make_unique<ClickHouseBucketRunner>(clickHouseTarget(uri), *profile);
}
