// The chart of a ClickHouse table drawn from the engine's counts (issue 21), against a real
// clickhouse-server 18.16 started for the run: the first frame holds every row of the table
// without one leaving the server, a zoom asks again at a finer bucket and counts what the
// range holds, and a server gone mid-session leaves the chart as it was and says so.
#include "clickhouseserver.h"

#include "engine/clickhousebucketrunner.h"
#include "engine/clickhouseddl.h"
#include "engine/clickhousesource.h"
#include "engine/engineuri.h"
#include "engine/profile.h"
#include "enginechartfeed.h"
#include "ratechart.h"
#include "scriptedprompt.h"

#include <QApplication>
#include <QSignalSpy>
#include <QtTest>

namespace {

constexpr std::int64_t kStartMs = 1767225600000; // 2026-01-01T00:00:00Z
constexpr int kRows = 300000; // over two days

std::uint64_t frameRequests(const SeriesFrame &f)
{
    std::uint64_t n = 0;
    for (const FrameSlot &s : f.slots)
        n += s.requestsMax;
    return n;
}

} // namespace

class TestUiEngineChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void passwordAskedWhenRefused();
    void firstFrameZoomAndAServerGone();

private:
    std::uint64_t count(const QString &where);
    ClickHouseServer m_server;
};

std::uint64_t TestUiEngineChart::count(const QString &where)
{
    bool ok = false;
    return m_server
        .query(QStringLiteral("SELECT count() FROM rs.ratescope_events WHERE ") + where, &ok)
        .trimmed()
        .toULongLong();
}

void TestUiEngineChart::initTestCase()
{
    QString error;
    QVERIFY2(m_server.startWithEventsTable(&error), qPrintable(error));
    bool ok = false;
    const QByteArray out = m_server.query(
        QStringLiteral("INSERT INTO rs.ratescope_events (id, time, status, source, scope) "
                       "SELECT toString(number), %1 + intDiv(number * 172800000, %2), "
                       "if(number % 40 = 0, 429, 200), if(number % 40 = 0, 1, 0), "
                       "['api.openai.com', 'api.github.com'][number % 2 + 1] FROM numbers(%2)")
            .arg(kStartMs)
            .arg(kRows),
        &ok);
    QVERIFY2(ok, out.constData());
}

// No password given: the server refuses, the prompt is asked; a wrong answer is refused in
// words without it and asked again; the right one draws the table.
void TestUiEngineChart::passwordAskedWhenRefused()
{
    QString error;
    const std::optional<EngineUri> uri = parseEngineUri(
        m_server.uri(QStringLiteral("rs.ratescope_events"), QStringLiteral("ratescope")), &error);
    QVERIFY(uri);
    const std::optional<Profile> profile = loadProfile(QStringLiteral("ratescope"), &error);
    QVERIFY(profile);
    ClickHouseTarget target = clickHouseTarget(*uri);
    target.password.clear(); // as without CLICKHOUSE_PASSWORD
    const QString wrong = QStringLiteral("wrong-Pw-5e1b");
    const QString right = QLatin1String(ClickHouseServer::kPassword);
    RateChart chart;
    chart.resize(1000, 400);
    EngineChartFeed feed(
        &chart, std::make_unique<ClickHouseBucketRunner>(target, *profile), uri->display());
    ScriptedPrompt user({ wrong, right });
    user.attach(feed);
    QSignalSpy shown(&feed, &EngineChartFeed::frameShown);
    feed.start();
    QVERIFY(shown.count() > 0 || shown.wait(20000));
    QCOMPARE(user.whys.size(), 2);
    for (const QString &why : user.whys)
        QVERIFY2(why.contains(QStringLiteral("ClickHouse refused user")), qPrintable(why));
    QVERIFY2(
        user.whys.at(1).contains(QStringLiteral("Wrong password")), qPrintable(user.whys.at(1)));
    QVERIFY2(user.leaked({ wrong, right }).isEmpty(), qPrintable(user.leaked({ wrong, right })));
    QTRY_COMPARE_WITH_TIMEOUT(frameRequests(chart.frame()), std::uint64_t(kRows), 5000);
}

void TestUiEngineChart::firstFrameZoomAndAServerGone()
{
    QString error;
    const std::optional<EngineUri> uri = parseEngineUri(
        m_server.uri(QStringLiteral("rs.ratescope_events"), QStringLiteral("ratescope")), &error);
    QVERIFY(uri);
    ClickHouseClient client(clickHouseTarget(*uri));
    const std::optional<Profile> profile = loadProfile(QStringLiteral("ratescope"), &error);
    QVERIFY(profile);
    const std::optional<EngineColumns> columns = clickHouseEngineColumns(client, *profile, &error);
    QVERIFY2(columns, qPrintable(error));
    QVERIFY(columns->table.contains(QStringLiteral("_seconds"))); // the rollup

    RateChart chart;
    chart.resize(1000, 400);
    chart.show();
    EngineChartFeed feed(&chart,
        std::make_unique<ClickHouseBucketRunner>(clickHouseTarget(*uri), *profile), uri->display());
    QSignalSpy shown(&feed, &EngineChartFeed::frameShown);
    feed.start();
    QVERIFY(shown.wait(20000));
    QTRY_COMPARE_WITH_TIMEOUT(frameRequests(chart.frame()), std::uint64_t(kRows), 5000);
    QVERIFY(chart.engineMode());
    const qint64 wholeBucket = chart.frame().bucketMs;
    QVERIFY(chart.frame().maxRejected > 0);

    // zoom into one hour: a new query at a finer bucket, counting that hour's rows
    const qint64 from = kStartMs + 10 * 3600000, to = from + 3600000;
    shown.clear();
    chart.zoomTo(from, to);
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(chart.frame().bucketMs < wholeBucket, 5000);
    QCOMPARE(frameRequests(chart.frame()),
        count(QStringLiteral("time >= %1 AND time < %2").arg(from).arg(to)));
    QCOMPARE(shown.last().at(1).toULongLong(), frameRequests(chart.frame()));

    // the server gone: the next zoom fails, the chart keeps its frame and the feed says why
    const SeriesFrame before = chart.frame();
    m_server.kill();
    QSignalSpy status(&feed, &EngineChartFeed::statusChanged);
    chart.zoomTo(from, from + 600000);
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().startsWith(QStringLiteral("ClickHouse: ")), 20000);
    QVERIFY2(
        feed.status().contains(QStringLiteral("keeps what it had")), qPrintable(feed.status()));
    QCOMPARE(frameRequests(chart.frame()), frameRequests(before));
    QVERIFY(!feed.status().contains(QLatin1String(ClickHouseServer::kPassword)));
}

QTEST_MAIN(TestUiEngineChart)
#include "tst_ui_engine_chart.moc"
