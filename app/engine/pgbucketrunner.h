#pragma once

// A PostgreSQL table's counts for the window (BucketQueryRunner) from PgAggregator: its worker
// thread and connection, a newer request cancelling the older (pg_cancel_backend). The counts
// are by source, not by scope: the series has one scope, the table.

#include "engine/bucketrunner.h"
#include "engine/engineuri.h"
#include "engine/pgaggregate.h"
#include "engine/pgsource.h"
#include "rules/ruleset.h"

#include <memory>

class PgBucketRunner : public BucketQueryRunner
{
    Q_OBJECT
public:
    PgBucketRunner(
        EngineUri uri, RuleSet rules, EngineReadOptions options = {}, QObject *parent = nullptr);

    quint64 requestSpan() override;
    quint64 requestBuckets(std::int64_t bucketMs, const TimeRange &range) override;
    void setPassword(const QString &password) override;

private:
    void makeAggregator();
    void finished(const EngineAggregate &result);

    EngineUri m_uri;
    RuleSet m_rules;
    EngineReadOptions m_options;
    std::unique_ptr<PgAggregator> m_aggregator;
    quint64 m_base = 0; // generations of aggregators before this one (ours never repeat)
    quint64 m_last = 0; // the last generation handed out
    quint64 m_spanGeneration = 0;
};

// PgAggregator's counts as the series the chart's frame is made from (one scope).
EngineSeries engineSeries(const EngineAggregate &aggregate);
