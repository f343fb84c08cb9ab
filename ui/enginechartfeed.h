#pragma once

// The chart of a table in an engine (issue 21 "what runs where"), ClickHouse or PostgreSQL:
// the table's span once, then for each range the chart shows ONE engine query at that range's
// bucket size (per-bucket counts by source), its rows turned into the frame the chart draws.
// Zoom and pan ask again; the runner lets the newest query win (an older one is cancelled on
// the server). A failed query leaves the chart as it was and says why. When the server refuses
// the password (none in the environment, or a wrong one), the feed asks for one through its
// prompt and starts again with it; the password stays in the runner's memory only.

#include "engine/bucketrunner.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class RateChart;

// Asks the user for the password of `target` (a URI without one), saying `why` (the server's
// refusal, no password in it); nullopt when they decline.
using PasswordPrompt
    = std::function<std::optional<QString>(const QString &target, const QString &why)>;

class EngineChartFeed : public QObject
{
    Q_OBJECT
public:
    // `target` names the table in the prompt (EngineUri::display()).
    EngineChartFeed(RateChart *chart, std::unique_ptr<BucketQueryRunner> runner, QString target,
        QObject *parent = nullptr);
    ~EngineChartFeed() override;

    // Without one, a refused password is a failure like any other.
    void setPasswordPrompt(PasswordPrompt prompt) { m_prompt = std::move(prompt); }
    // Asks for the span; the first frame follows.
    void start();
    QString status() const { return m_status; }

Q_SIGNALS:
    // What the feed is doing, what it drew ("1,143 requests in the range shown, counted by …")
    // or what went wrong ("ClickHouse: … (the chart keeps what it had)").
    void statusChanged(const QString &text);
    // A frame from the engine was handed to the chart: its bucket size and requests.
    void frameShown(qint64 bucketMs, quint64 requests);
    // A query failed and no password will be asked for (the status says why).
    void queryFailed();
    // The prompt's answer, which the runner uses from now on (the panels' queries need it too;
    // it stays in memory).
    void passwordGiven(const QString &password);

private:
    void rangeShown(qint64 fromMs, qint64 toMs);
    void spanReady(quint64 generation, const EngineSpan &span);
    void bucketsReady(quint64 generation, const EngineSeries &series);
    void failed(quint64 generation, const QString &error, bool authentication);
    void askPassword(const QString &why);
    void noCounts(); // a failure before the first frame: the empty chart says so
    void setStatus(const QString &text);

    RateChart *m_chart;
    std::unique_ptr<BucketQueryRunner> m_runner;
    QString m_target;
    PasswordPrompt m_prompt;
    quint64 m_spanQuery = 0;
    quint64 m_frameQuery = 0;
    qint64 m_askedFrom = 0, m_askedTo = 0, m_askedBucket = 0;
    bool m_haveSpan = false;
    bool m_spanShown = false; // the chart has been given the span (and shows a range of it)
    QString m_status;
};
