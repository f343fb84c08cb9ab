#pragma once

// The chart of a ClickHouse table (issue 21 "what runs where"): the table's span once, then
// for each range the chart shows, ONE engine query at that range's bucket size (per-bucket
// counts by scope and source, engineBucketSql), its rows turned into the frame the chart draws.
// Zoom and pan ask again; ClickHouseQueryRunner lets the newest query win (an older one is
// aborted and killed on the server). A failed query leaves the chart as it was and says why.

#include "engine/clickhouseaggregate.h"
#include "engine/clickhouseclient.h"

#include <QObject>
#include <QString>

class RateChart;

class EngineChartFeed : public QObject
{
    Q_OBJECT
public:
    EngineChartFeed(RateChart *chart, ClickHouseTarget target, EngineColumns columns,
        QObject *parent = nullptr);

    // Asks for the span; the first frame follows.
    void start();
    QString status() const { return m_status; }

Q_SIGNALS:
    // What the feed is doing or what went wrong ("ClickHouse: … (the chart keeps what it had)").
    void statusChanged(const QString &text);
    // A frame from the engine was handed to the chart: its bucket size and requests.
    void frameShown(qint64 bucketMs, quint64 requests);

private:
    void rangeShown(qint64 fromMs, qint64 toMs);
    void finished(quint64 generation, const QByteArray &rows);
    void failed(quint64 generation, const QString &error);
    void setStatus(const QString &text);

    RateChart *m_chart;
    EngineColumns m_columns;
    ClickHouseQueryRunner m_runner;
    quint64 m_spanQuery = 0;
    quint64 m_frameQuery = 0;
    qint64 m_askedFrom = 0, m_askedTo = 0, m_askedBucket = 0;
    bool m_haveSpan = false;
    QString m_status;
};
