#include "enginechartfeed.h"

#include "model/engineframe.h"
#include "model/timeticks.h"
#include "ratechart.h"

#include <QLocale>
#include <QMetaObject>

EngineChartFeed::EngineChartFeed(
    RateChart *chart, std::unique_ptr<BucketQueryRunner> runner, QString target, QObject *parent)
    : QObject(parent)
    , m_chart(chart)
    , m_runner(std::move(runner))
    , m_target(std::move(target))
{
    connect(m_runner.get(), &BucketQueryRunner::spanReady, this, &EngineChartFeed::spanReady);
    connect(m_runner.get(), &BucketQueryRunner::bucketsReady, this, &EngineChartFeed::bucketsReady);
    connect(m_runner.get(), &BucketQueryRunner::failed, this, &EngineChartFeed::failed);
    connect(m_chart, &RateChart::rangeChanged, this,
        [this](qint64 fromMs, qint64 toMs, qint64) { rangeShown(fromMs, toMs); });
}

EngineChartFeed::~EngineChartFeed() = default;

void EngineChartFeed::start()
{
    setStatus(tr("Asking %1 for the table's span…").arg(m_runner->engineName()));
    if (!m_spanShown) { // the chart says what it waits for, not an empty log's axis
        m_chart->setEmptyText(tr("Asking %1 for the table's counts…").arg(m_runner->engineName()));
        SeriesFrame none;
        none.bucketMs = 1000; // as an empty chart's
        m_chart->setEngineFrame(none);
    }
    m_spanQuery = m_runner->requestSpan();
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
    setStatus(tr("Counting in %1…").arg(m_runner->engineName()));
    m_frameQuery = m_runner->requestBuckets(bucket, TimeRange { first, toMs });
}

void EngineChartFeed::spanReady(quint64 generation, const EngineSpan &span)
{
    if (generation != m_spanQuery)
        return;
    if (!span) {
        setStatus(tr("The table has no rows."));
        m_chart->setEmptyText(tr("The table has no rows."));
        return;
    }
    m_haveSpan = true;
    if (m_spanShown) {
        // the span again (a password given mid-session): the range shown is asked for again
        m_askedFrom = m_askedTo = m_askedBucket = 0;
        rangeShown(m_chart->visibleFromMs(), m_chart->visibleToMs());
        return;
    }
    m_spanShown = true;
    m_chart->setEngineSpan(span->first, span->second + 1); // then rangeShown asks
}

void EngineChartFeed::bucketsReady(quint64 generation, const EngineSeries &series)
{
    if (generation != m_frameQuery)
        return;
    m_chart->setEngineFrame(engineFrame(series, m_askedFrom, m_askedTo));
    setStatus(tr("%1 requests in the range shown, counted by %2 in %3 buckets")
                  .arg(QLocale().toString(qulonglong(series.requests)), m_runner->engineName(),
                      formatDuration(m_askedBucket)));
    Q_EMIT frameShown(m_askedBucket, series.requests);
}

void EngineChartFeed::failed(quint64 generation, const QString &text, bool authentication)
{
    if (generation != m_spanQuery && generation != m_frameQuery)
        return;
    const QString error = text.simplified(); // the status bar's one line (libpq writes several)
    if (generation == m_frameQuery)
        m_askedFrom = m_askedTo = m_askedBucket = 0; // asked again at the next range
    if (authentication && m_prompt) {
        // out of the runner's signal: the prompt waits for the user, and a password given
        // replaces the runner's connection
        setStatus(tr("%1: %2 (asking for the password)").arg(m_runner->engineName(), error));
        QMetaObject::invokeMethod(
            this, [this, error] { askPassword(error); }, Qt::QueuedConnection);
        return;
    }
    setStatus(tr("%1: %2 (the chart keeps what it had)").arg(m_runner->engineName(), error));
    noCounts();
    Q_EMIT queryFailed();
}

void EngineChartFeed::askPassword(const QString &why)
{
    const std::optional<QString> password = m_prompt(m_target, why);
    if (!password) {
        setStatus(tr("%1: %2 (not connected: the password prompt was cancelled)")
                      .arg(m_runner->engineName(), why));
        noCounts();
        Q_EMIT queryFailed();
        return;
    }
    m_runner->setPassword(*password);
    Q_EMIT passwordGiven(*password);
    m_haveSpan = false;
    start();
}

void EngineChartFeed::noCounts()
{
    if (!m_spanShown)
        m_chart->setEmptyText(
            tr("No counts from %1: the status bar says why.").arg(m_runner->engineName()));
}

void EngineChartFeed::setStatus(const QString &text)
{
    m_status = text;
    Q_EMIT statusChanged(text);
}
