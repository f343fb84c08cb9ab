#include "engine/pgbucketrunner.h"

PgBucketRunner::PgBucketRunner(
    EngineUri uri, RuleSet rules, EngineReadOptions options, QObject *parent)
    : BucketQueryRunner(QStringLiteral("PostgreSQL"), parent)
    , m_uri(std::move(uri))
    , m_rules(std::move(rules))
    , m_options(std::move(options))
{
    makeAggregator();
}

void PgBucketRunner::makeAggregator()
{
    m_base = m_last;
    m_aggregator.reset(); // its running query is cancelled, its thread ended
    m_aggregator = std::make_unique<PgAggregator>(m_uri, m_rules, m_options);
    connect(m_aggregator.get(), &PgAggregator::finished, this, &PgBucketRunner::finished);
}

quint64 PgBucketRunner::requestSpan()
{
    m_last = m_base + m_aggregator->requestSpan();
    m_spanGeneration = m_last;
    return m_last;
}

quint64 PgBucketRunner::requestBuckets(std::int64_t bucketMs, const TimeRange &range)
{
    m_last = m_base + m_aggregator->request(bucketMs, range);
    return m_last;
}

void PgBucketRunner::setPassword(const QString &password)
{
    m_uri.password = password;
    m_uri.hasPassword = true;
    makeAggregator();
}

void PgBucketRunner::finished(const EngineAggregate &result)
{
    const quint64 generation = m_base + result.generation;
    if (result.cancelled || generation != m_last)
        return; // a newer request took its place
    if (!result.error.isEmpty())
        Q_EMIT failed(generation, result.error, result.authentication);
    else if (generation == m_spanGeneration)
        Q_EMIT spanReady(generation, result.span);
    else
        Q_EMIT bucketsReady(generation, engineSeries(result));
}

EngineSeries engineSeries(const EngineAggregate &aggregate)
{
    EngineSeries s;
    s.bucketMs = aggregate.bucketMs;
    s.scopes = aggregate.scopes.isEmpty() ? QStringList { QString() } : aggregate.scopes;
    s.buckets.reserve(aggregate.buckets.size());
    for (const PgBucket &b : aggregate.buckets) {
        EngineBucket e;
        e.startMs = b.startMs;
        e.scope = b.scope;
        e.requests = std::uint64_t(b.requests);
        for (std::size_t k = 0; k < e.rejected.size(); ++k)
            e.rejected[k] = std::uint64_t(b.bySource[k]);
        s.requests += e.requests;
        s.buckets.push_back(e);
    }
    s.rows = aggregate.buckets.size();
    return s;
}
