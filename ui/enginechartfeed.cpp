#include "enginechartfeed.h"

#include "model/engineframe.h"
#include "ratechart.h"

EngineChartFeed::EngineChartFeed(
    RateChart *chart, ClickHouseTarget target, EngineColumns columns, QObject *parent)
    : QObject(parent)
    , m_chart(chart)
    , m_columns(std::move(columns))
    , m_runner(std::move(target))
{
    connect(&m_runner, &ClickHouseQueryRunner::finished, this, &EngineChartFeed::finished);
    connect(&m_runner, &ClickHouseQueryRunner::failed, this, &EngineChartFeed::failed);
    connect(m_chart, &RateChart::rangeChanged, this,
        [this](qint64 fromMs, qint64 toMs, qint64) { rangeShown(fromMs, toMs); });
}

void EngineChartFeed::start()
{
    setStatus(tr("Asking ClickHouse for the table's span…"));
    m_spanQuery = m_runner.submit(engineSpanSql(m_columns));
}

void EngineChartFeed::rangeShown(qint64 fromMs, qint64 toMs)
{
    if (!m_haveSpan || toMs <= fromMs)
        return;
    const int columns = std::max(100, m_chart->width() - 80);
    const qint64 bucket = engineBucketMs(toMs - fromMs, columns, 6);
    if (fromMs == m_askedFrom && toMs == m_askedTo && bucket == m_askedBucket)
        return;
    m_askedFrom = fromMs;
    m_askedTo = toMs;
    m_askedBucket = bucket;
    const qint64 first = fromMs - ((fromMs % bucket) + bucket) % bucket;
    setStatus(tr("Counting in ClickHouse…"));
    m_frameQuery = m_runner.submit(engineBucketSql(m_columns, bucket, TimeRange { first, toMs }));
}

void EngineChartFeed::finished(quint64 generation, const QByteArray &rows)
{
    QString error;
    if (generation == m_spanQuery) {
        const auto span = parseEngineSpan(rows);
        if (!span) {
            setStatus(tr("The table has no rows."));
            return;
        }
        m_haveSpan = true;
        m_chart->setEngineSpan(span->first, span->second + 1); // then rangeShown asks
        return;
    }
    if (generation != m_frameQuery)
        return;
    const std::optional<EngineSeries> series = parseEngineBuckets(rows, m_askedBucket, &error);
    if (!series) {
        setStatus(tr("ClickHouse: %1 (the chart keeps what it had)").arg(error));
        return;
    }
    m_chart->setEngineFrame(engineFrame(*series, m_askedFrom, m_askedTo));
    setStatus(QString());
    Q_EMIT frameShown(m_askedBucket, series->requests);
}

void EngineChartFeed::failed(quint64 generation, const QString &error)
{
    if (generation != m_spanQuery && generation != m_frameQuery)
        return;
    if (generation == m_frameQuery)
        m_askedFrom = m_askedTo = m_askedBucket = 0; // asked again at the next range
    setStatus(tr("ClickHouse: %1 (the chart keeps what it had)").arg(error));
}

void EngineChartFeed::setStatus(const QString &text)
{
    m_status = text;
    Q_EMIT statusChanged(text);
}
