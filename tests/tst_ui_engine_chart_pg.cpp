// The chart of a PostgreSQL table drawn from the engine's counts (issue 21), against a real
// PostgreSQL 15 started for the run (pgserver.h) holding LiteLLM's spend log fixture, read
// through a view that can be made slow: the first frame counts every row of the table, a zoom
// asks again at a finer bucket and counts what the range holds, the server stopped in the
// middle of a query leaves the chart as it was and says so; a password refused (none given,
// or a wrong one) is asked for, the message never holds it, and the right one draws the chart.
#include "engine/bucketrunner.h"
#include "engine/engineuri.h"
#include "engine/pgbucketrunner.h"
#include "enginechartfeed.h"
#include "pgserver.h"
#include "ratechart.h"
#include "scriptedprompt.h"

#include <QSignalSpy>
#include <QtTest>

namespace {

std::uint64_t frameRequests(const SeriesFrame &f)
{
    std::uint64_t n = 0;
    for (const FrameSlot &s : f.slots)
        n += s.requestsMax;
    return n;
}

std::uint64_t frameRejected(const SeriesFrame &f)
{
    std::uint64_t n = 0;
    for (const FrameSlot &s : f.slots)
        n += s.stackedTotal();
    return n;
}

} // namespace

class TestUiEngineChartPg : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void wrongPasswordIsAskedAgainRightOneDraws();
    void declinedPromptSaysWhyWithoutThePassword();
    void emptyTableSaysSo();
    void firstFrameZoomAndAServerStoppedMidQuery();

private:
    EngineUri uri(bool withPassword, const QString &table = QStringLiteral("spendlogs")) const;
    std::uint64_t count(const QString &where);
    PgServer m_pg;
};

EngineUri TestUiEngineChartPg::uri(bool withPassword, const QString &table) const
{
    QString text = m_pg.uri(
        QStringLiteral("litellm"), QStringLiteral("table=%1&profile=litellm-spendlogs").arg(table));
    if (withPassword)
        text.replace(QStringLiteral("ratescope@"),
            QStringLiteral("ratescope:") + m_pg.password() + QLatin1Char('@'));
    QString error;
    const std::optional<EngineUri> u = parseEngineUri(text, &error);
    return u.value_or(EngineUri {});
}

std::uint64_t TestUiEngineChartPg::count(const QString &where)
{
    std::uint64_t n = 0;
    {
        QSqlDatabase d = m_pg.connect(QStringLiteral("count"), QStringLiteral("litellm"));
        QSqlQuery q(d);
        if (q.exec(QStringLiteral("SELECT count(*) FROM \"LiteLLM_SpendLogs\" WHERE ") + where)
            && q.next())
            n = q.value(0).toULongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

void TestUiEngineChartPg::initTestCase()
{
    // no password from the environment: only the URI's or the prompt's
    qunsetenv("PGPASSWORD");
    qputenv("PGPASSFILE", "/nonexistent/ratescope-test-pgpass");
    PG_START_WITH_LITELLM_OR_SKIP(m_pg);
    QString error;
    // the table the window reads: the spend logs, each row slept on while slow.on is true
    QVERIFY2(m_pg.createSlowSpendLogs(QStringLiteral("litellm"), &error), qPrintable(error));
    QVERIFY2(m_pg.exec(QStringLiteral("litellm"),
                 QStringLiteral("CREATE VIEW no_spendlogs AS SELECT * FROM \"LiteLLM_SpendLogs\" "
                                "WHERE false"),
                 &error),
        qPrintable(error));
    QVERIFY(count(QStringLiteral("TRUE")) > 1000);
}

// No password anywhere: the prompt is asked; a wrong answer is refused with the server's words
// (without it) and asked again; the right one draws the whole table.
void TestUiEngineChartPg::wrongPasswordIsAskedAgainRightOneDraws()
{
    const QString wrong = QStringLiteral("wrong-Pw-91c2");
    RateChart chart;
    chart.resize(1000, 400);
    chart.show();
    EngineChartFeed feed(&chart, std::make_unique<PgBucketRunner>(uri(false), RuleSet::builtIn()),
        uri(false).display());
    ScriptedPrompt user({ wrong, m_pg.password() });
    user.attach(feed);
    QSignalSpy shown(&feed, &EngineChartFeed::frameShown);
    feed.start();
    QVERIFY(shown.count() > 0 || shown.wait(30000));
    QCOMPARE(user.whys.size(), 2);
    QVERIFY2(user.whys.at(0).contains(QStringLiteral("no password supplied")),
        qPrintable(user.whys.at(0)));
    QVERIFY2(user.whys.at(1).contains(QStringLiteral("password authentication failed")),
        qPrintable(user.whys.at(1)));
    QVERIFY(user.targets.at(0).startsWith(QStringLiteral("postgresql://ratescope@127.0.0.1:")));
    // the refusal was said in the status bar, the password never
    QVERIFY2(user.statuses.filter(QStringLiteral("password authentication failed")).size() == 1,
        qPrintable(user.statuses.join(QLatin1Char('\n'))));
    QVERIFY2(user.leaked({ wrong, m_pg.password() }).isEmpty(),
        qPrintable(user.leaked({ wrong, m_pg.password() })));
    QTRY_COMPARE_WITH_TIMEOUT(frameRequests(chart.frame()), count(QStringLiteral("TRUE")), 5000);
}

// Declined after a wrong password: the status bar keeps the server's refusal and says the
// prompt was cancelled; no chart.
void TestUiEngineChartPg::declinedPromptSaysWhyWithoutThePassword()
{
    const QString wrong = QStringLiteral("also-Wrong-77d0");
    RateChart chart;
    chart.resize(1000, 400);
    EngineChartFeed feed(&chart, std::make_unique<PgBucketRunner>(uri(false), RuleSet::builtIn()),
        uri(false).display());
    ScriptedPrompt user({ wrong, std::nullopt });
    user.attach(feed);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        feed.status().contains(QStringLiteral("the password prompt was cancelled")), 30000);
    QCOMPARE(user.whys.size(), 2);
    // the table named with the password given cut out
    QVERIFY2(feed.status().startsWith(QStringLiteral("PostgreSQL: postgresql://ratescope:***@")),
        qPrintable(feed.status()));
    QVERIFY2(feed.status().contains(QStringLiteral("password authentication failed")),
        qPrintable(feed.status()));
    QVERIFY2(user.leaked({ wrong }).isEmpty(), qPrintable(user.leaked({ wrong })));
    QCOMPARE(frameRequests(chart.frame()), std::uint64_t(0));
}

// A table without rows: said in the status bar and on the chart, no frame asked for.
void TestUiEngineChartPg::emptyTableSaysSo()
{
    RateChart chart;
    chart.resize(1000, 400);
    const EngineUri empty = uri(true, QStringLiteral("no_spendlogs"));
    EngineChartFeed feed(
        &chart, std::make_unique<PgBucketRunner>(empty, RuleSet::builtIn()), empty.display());
    QSignalSpy shown(&feed, &EngineChartFeed::frameShown);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status(), QStringLiteral("The table has no rows."), 20000);
    QCOMPARE(shown.count(), 0);
}

void TestUiEngineChartPg::firstFrameZoomAndAServerStoppedMidQuery()
{
    RateChart chart;
    chart.resize(1000, 400);
    chart.show();
    EngineChartFeed feed(&chart, std::make_unique<PgBucketRunner>(uri(true), RuleSet::builtIn()),
        uri(true).display());
    QSignalSpy shown(&feed, &EngineChartFeed::frameShown);
    feed.start();
    QVERIFY(shown.wait(30000));
    // every row of the table, and its 429s, counted by the server
    QTRY_COMPARE_WITH_TIMEOUT(frameRequests(chart.frame()), count(QStringLiteral("TRUE")), 5000);
    QVERIFY(chart.engineMode());
    QVERIFY(frameRejected(chart.frame()) > 0);
    // the status bar says what the chart shows (the feed's own text, not "No log open")
    QVERIFY2(feed.status().contains(
                 QStringLiteral("requests in the range shown, counted by PostgreSQL in ")),
        qPrintable(feed.status()));
    const qint64 wholeBucket = chart.frame().bucketMs;

    // zoom into ten minutes: a new query at a finer bucket, counting those minutes' rows
    const qint64 from = (chart.visibleFromMs() / 60000 + 10) * 60000, to = from + 10 * 60000;
    shown.clear();
    chart.zoomTo(from, to);
    QVERIFY(shown.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(chart.frame().bucketMs < wholeBucket, 5000);
    const auto rows = [this](qint64 a, qint64 b) {
        return count(QStringLiteral("\"startTime\" >= to_timestamp(%1 / 1000.0) AND "
                                    "\"startTime\" < to_timestamp(%2 / 1000.0)")
                         .arg(a)
                         .arg(b));
    };
    const std::uint64_t inRange = rows(from, to);
    QVERIFY(inRange > 0);
    QCOMPARE(frameRequests(chart.frame()), inRange);
    QCOMPARE(shown.last().at(1).toULongLong(), inRange);

    // a zoom while the previous zoom's query runs slowly (the proxy's burst, 50 ms a row: half a
    // minute): the newer query cancels the older on the server, only the newer's counts are drawn
    const QString db = QStringLiteral("litellm");
    QVERIFY(m_pg.exec(db, QStringLiteral("UPDATE slow SET \"on\" = true")));
    shown.clear();
    chart.zoomTo(from, from + 5 * 60000);
    QTRY_VERIFY_WITH_TIMEOUT(m_pg.queryRunning(db), 20000);
    QVERIFY(m_pg.exec(db, QStringLiteral("UPDATE slow SET \"on\" = false"))); // for the newer
    chart.zoomTo(from + 5 * 60000, to);
    QVERIFY(shown.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pg.queryRunning(db), 5000); // not left running
    QCOMPARE(shown.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(frameRequests(chart.frame()), rows(from + 5 * 60000, to), 5000);

    // the server stopped while a zoom's query runs (the view made slow): the chart keeps its
    // frame and the status bar says why
    QVERIFY(m_pg.exec(db, QStringLiteral("UPDATE slow SET \"on\" = true")));
    const SeriesFrame before = chart.frame();
    shown.clear();
    chart.zoomTo(from, from + 5 * 60000);
    QTRY_VERIFY_WITH_TIMEOUT(m_pg.queryRunning(db), 20000);
    m_pg.stop();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().contains(QStringLiteral("keeps what it had")), 20000);
    QVERIFY2(feed.status().startsWith(QStringLiteral("PostgreSQL: ")), qPrintable(feed.status()));
    QCOMPARE(frameRequests(chart.frame()), frameRequests(before));
    QCOMPARE(chart.frame().bucketMs, before.bucketMs);
    QVERIFY(!feed.status().contains(m_pg.password()));
    QCOMPARE(shown.count(), 0);
    QVERIFY2(!feed.status().contains(QLatin1Char('\n')), qPrintable(feed.status())); // one line
}

QTEST_MAIN(TestUiEngineChartPg)
#include "tst_ui_engine_chart_pg.moc"
