#include "engine/clickhousebucketrunner.h"

#include "engine/clickhousesource.h"

#include <QMetaObject>

ClickHouseBucketRunner::ClickHouseBucketRunner(
    ClickHouseTarget target, Profile profile, QObject *parent)
    : BucketQueryRunner(QStringLiteral("ClickHouse"), parent)
    , m_target(std::move(target))
    , m_profile(std::move(profile))
{
    makeRunner();
}

void ClickHouseBucketRunner::makeRunner()
{
    m_runner = std::make_unique<ClickHouseQueryRunner>(m_target);
    m_spanQuery = m_bucketQuery = 0;
    connect(
        m_runner.get(), &ClickHouseQueryRunner::finished, this, &ClickHouseBucketRunner::finished);
    connect(m_runner.get(), &ClickHouseQueryRunner::failed, this,
        [this](quint64 query, const QString &error, bool authentication) {
            if (query == m_spanQuery)
                Q_EMIT failed(m_spanGeneration, error, authentication);
            else if (query == m_bucketQuery)
                Q_EMIT failed(m_bucketGeneration, error, authentication);
        });
}

void ClickHouseBucketRunner::failedLater(
    quint64 generation, const QString &error, bool authentication)
{
    // after the caller has the generation
    QMetaObject::invokeMethod(
        this,
        [this, generation, error, authentication] {
            Q_EMIT failed(generation, error, authentication);
        },
        Qt::QueuedConnection);
}

quint64 ClickHouseBucketRunner::requestSpan()
{
    const quint64 generation = ++m_generation;
    if (!m_columns) {
        // once: whether the rollup is there (a short query, waited for here)
        ClickHouseClient client(m_target);
        QString error;
        bool authentication = false;
        m_columns = clickHouseEngineColumns(client, m_profile, &error, &authentication);
        if (!m_columns) {
            failedLater(generation, error, authentication);
            return generation;
        }
    }
    m_spanGeneration = generation;
    m_spanQuery = m_runner->submit(engineSpanSql(*m_columns));
    return generation;
}

quint64 ClickHouseBucketRunner::requestBuckets(std::int64_t bucketMs, const TimeRange &range)
{
    const quint64 generation = ++m_generation;
    if (!m_columns) {
        failedLater(generation, m_target.name() + QStringLiteral(": the span was not read"), false);
        return generation;
    }
    m_bucketGeneration = generation;
    m_bucketMs = bucketMs;
    m_bucketQuery = m_runner->submit(engineBucketSql(*m_columns, bucketMs, range));
    return generation;
}

void ClickHouseBucketRunner::setPassword(const QString &password)
{
    m_target.password = password;
    makeRunner(); // the old one's query, if any, is aborted with it
}

void ClickHouseBucketRunner::finished(quint64 query, const QByteArray &rows)
{
    if (query == m_spanQuery) {
        Q_EMIT spanReady(m_spanGeneration, parseEngineSpan(rows));
        return;
    }
    if (query != m_bucketQuery)
        return;
    QString error;
    const std::optional<EngineSeries> series = parseEngineBuckets(rows, m_bucketMs, &error);
    if (series)
        Q_EMIT bucketsReady(m_bucketGeneration, *series);
    else
        Q_EMIT failed(m_bucketGeneration, m_target.name() + QStringLiteral(": ") + error, false);
}
