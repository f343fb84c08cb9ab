#pragma once

// A ClickHouse table's counts for the window (BucketQueryRunner): how its columns give the
// counts (clickHouseEngineColumns, the rollup when there is one) is asked once, then each
// query goes through a ClickHouseQueryRunner (an older one aborted and killed on the server).

#include "engine/bucketrunner.h"
#include "engine/clickhouseclient.h"
#include "engine/profile.h"

#include <memory>

class ClickHouseBucketRunner : public BucketQueryRunner
{
    Q_OBJECT
public:
    ClickHouseBucketRunner(ClickHouseTarget target, Profile profile, QObject *parent = nullptr);

    quint64 requestSpan() override;
    quint64 requestBuckets(std::int64_t bucketMs, const TimeRange &range) override;
    void setPassword(const QString &password) override;

private:
    void makeRunner();
    void finished(quint64 query, const QByteArray &rows);
    void failedLater(quint64 generation, const QString &error, bool authentication);

    ClickHouseTarget m_target;
    Profile m_profile;
    std::optional<EngineColumns> m_columns;
    std::unique_ptr<ClickHouseQueryRunner> m_runner;
    quint64 m_generation = 0; // what callers get; the inner runner's numbers restart with it
    quint64 m_spanQuery = 0, m_spanGeneration = 0; // the inner runner's number, and ours
    quint64 m_bucketQuery = 0, m_bucketGeneration = 0;
    std::int64_t m_bucketMs = 0;
};
