// The chart's axis switch (limits.md §2): on the demo's OpenAI scope the Tokens axis draws the
// tokens per bucket (checked against sums made from the file with QJsonDocument, not with our
// decoder), the token limit and the minutes over it, and keeps the 429s where they are; the
// limit box then edits the token limit. In flight draws the peak of requests at once with a
// count for its limit, and an axis the data has no values on is not offered.
#include "chartadapter.h"
#include "charttoolbar.h"
#include "legendbar.h"
#include "mainwindow.h"
#include "model/session.h"
#include "ratechart.h"
#include "scopelist.h"
#include "testutil.h"
#include "theme.h"
#include "uisettings.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>

#include <map>

namespace {

const QString kDemo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
const QString kOpenAi = QStringLiteral("api.openai.com");
constexpr qint64 kMinute = 60000;

// Per UTC minute of the demo's OpenAI records: the sum of usage.total_tokens, and the 429s.
struct DemoMinutes
{
    std::map<qint64, double> tokens;
    std::map<qint64, double> rejected;
};

DemoMinutes openAiMinutes()
{
    DemoMinutes out;
    for (const auto &[t, o] : recordsOfHost(kDemo, kOpenAi)) {
        const qint64 minute = t - t % kMinute;
        const QJsonValue usage = o.value(QLatin1String("body"))[QLatin1String("usage")];
        out.tokens[minute] += usage[QLatin1String("total_tokens")].toDouble();
        if (o.value(QLatin1String("status")).toInt() == 429)
            out.rejected[minute] += 1;
    }
    return out;
}

} // namespace

class TestUiAxes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void tokensAxisDrawsTheUsageAndTheTokenLimit();
    void hoverSaysWhatTheLastResponseHadLeft();
    void limitBoxEditsTheAxisShown();
    void anAxisWithoutValuesIsNotOffered();
    void inFlightDrawsThePeakAndACount_data();
    void inFlightDrawsThePeakAndACount();

private:
    void open(const QString &path);
    void chooseScope(const QString &scope);
    void waitForView();

    QTemporaryDir m_dir;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<Theme> m_theme;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestUiAxes::init()
{
    m_settings = std::make_unique<UiSettings>(m_dir.filePath(QStringLiteral("ui.ini")));
    m_settings->setLimits(
        { limitEntry("api.openai.com:500/1m"), limitEntry("api.openai.com:tokens=200000/1m") });
    m_theme = std::make_unique<Theme>(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    m_theme->apply(ThemeMode::Light);
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings, *m_theme);
    m_window->resize(1300, 850);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestUiAxes::cleanup()
{
    m_window.reset();
    m_session.reset();
    m_theme.reset();
    m_settings.reset();
}

void TestUiAxes::waitForView()
{
    QSignalSpy applied(m_session.get(), &Session::viewApplied);
    while (!m_session->isSettled())
        QVERIFY(applied.wait(20000));
}

void TestUiAxes::open(const QString &path)
{
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ path });
    QVERIFY(loaded.count() > 0 || loaded.wait(60000));
    waitForView();
}

void TestUiAxes::chooseScope(const QString &scope)
{
    m_session->filter().setScope(scope);
    waitForView();
    QCOMPARE(m_window->chart()->frame().slots.empty(), false);
}

void TestUiAxes::tokensAxisDrawsTheUsageAndTheTokenLimit()
{
    open(kDemo);
    chooseScope(kOpenAi);
    ChartToolBar *bar = m_window->chartToolBar();
    QAction *tokens = bar->axisAction(LimitAxis::Tokens);
    QVERIFY(tokens->isVisible()); // the OpenAI responses carry usage
    QVERIFY(bar->axisAction(LimitAxis::Concurrency)->isVisible()); // and durations
    QVERIFY(!bar->axisAction(LimitAxis::InputTokens)->isVisible()); // no limit counts input alone
    tokens->trigger();
    RateChart *chart = m_window->chart();
    QCOMPARE(chart->shownAxis(), LimitAxis::Tokens);
    chart->setFixedBucketMs(kMinute);
    chart->redrawNow();

    const DemoMinutes demo = openAiMinutes();
    ChartAdapter &a = chart->adapter();
    const auto values = steps(a.points(ChartAdapter::SeriesId::Requests), kMinute);
    const auto rateLimited = steps(a.points(ChartAdapter::SeriesId::RateLimited), kMinute);
    QVERIFY(demo.tokens.size() > 100);
    int over = 0;
    for (const auto &[minute, sum] : demo.tokens) {
        QVERIFY2(values.count(minute), qPrintable(QString::number(minute)));
        QCOMPARE(values.at(minute), sum);
        // the 429s keep their counts, on their own scale
        QCOMPARE(
            rateLimited.at(minute), demo.rejected.count(minute) ? demo.rejected.at(minute) : 0);
        over += sum > 200000;
    }
    QCOMPARE(over, 10); // the demo's incidents: 10 minutes over the 200,000 TPM
    // the token limit, per minute, and the minutes over it banded
    const QList<QPointF> limit = a.points(ChartAdapter::SeriesId::Limit);
    QCOMPARE(limit.size(), 2);
    QCOMPARE(limit.front().y(), 200000.0);
    const auto band = steps(a.points(ChartAdapter::SeriesId::OverLimit), kMinute);
    for (const auto &[minute, sum] : demo.tokens)
        QCOMPARE(band.count(minute) && band.at(minute) > 0, sum > 200000);
    // the limit the responses reported (x-ratelimit-limit-tokens: 200000, per minute)
    QCOMPARE(chart->drawnServerWindowS(), std::optional<qint64>(60));
    const auto server = steps(a.points(ChartAdapter::SeriesId::ServerLimit), kMinute);
    QVERIFY(!server.empty());
    QCOMPARE(server.begin()->second, 200000.0);
    // the share without usage (the 429s) said beside the figure, the legend names the axis
    QVERIFY2(chart->limitNote().contains(QLatin1String("742 of 40,263 requests")),
        qPrintable(chart->limitNote()));
    QVERIFY(m_window->findChild<LegendBar *>()->findChildren<QToolButton *>().size() > 0);
    bool legendSaysTokens = false;
    for (const QToolButton *b : m_window->findChild<LegendBar *>()->findChildren<QToolButton *>())
        legendSaysTokens |= b->text() == QLatin1String("tokens");
    QVERIFY(legendSaysTokens);

    // back to requests: the request limit again
    bar->axisAction(LimitAxis::Requests)->trigger();
    chart->redrawNow();
    QCOMPARE(chart->shownAxis(), LimitAxis::Requests);
    QCOMPARE(a.points(ChartAdapter::SeriesId::Limit).front().y(), 500.0);
}

// The store keeps no remaining counts: the hover reads the bucket's last response back from
// the file and shows its x-ratelimit-remaining-tokens (compared with the line's own header).
void TestUiAxes::hoverSaysWhatTheLastResponseHadLeft()
{
    open(kDemo);
    chooseScope(kOpenAi);
    m_window->chartToolBar()->axisAction(LimitAxis::Tokens)->trigger();
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(kMinute);
    chart->redrawNow();
    const QPointF pos(chart->adapter().plotArea().center());
    QTRY_VERIFY_WITH_TIMEOUT(chart->toolTipAt(pos).contains(QLatin1String("tokens left")), 20000);
    const QString tip = chart->toolTipAt(pos);
    // the bucket the tooltip is about: "<b>2026-01-05 10:17:00 – 10:18:00</b>"
    const QRegularExpressionMatch m
        = QRegularExpression(QStringLiteral("<b>(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d) – "
                                            "(\\d\\d:\\d\\d:\\d\\d)</b>"))
              .match(tip);
    QVERIFY2(m.hasMatch(), qPrintable(tip));
    const auto utc = [&m](int k) {
        return QDateTime::fromString(
            m.captured(1) + QLatin1Char('T') + m.captured(k) + QLatin1Char('Z'), Qt::ISODate)
            .toMSecsSinceEpoch();
    };
    const qint64 from = utc(2), to = utc(3);
    // the last OpenAI record of that bucket, read with QJsonDocument
    QString error;
    QString remaining;
    qint64 last = -1;
    for (const QByteArray &line : readInflated(kDemo, &error).split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (QUrl(o.value(QLatin1String("url")).toString()).host() != kOpenAi)
            continue;
        const qint64 t = QDateTime::fromString(
            o.value(QLatin1String("timestamp")).toString(), Qt::ISODateWithMs)
                             .toMSecsSinceEpoch();
        if (t >= from && t < to && t >= last) {
            last = t;
            remaining
                = o.value(QLatin1String("headers"))[QLatin1String("x-ratelimit-remaining-tokens")]
                      .toString();
        }
    }
    QVERIFY(!remaining.isEmpty());
    QVERIFY2(tip.contains(QStringLiteral("<b>%1</b> of 200,000 tokens left")
                              .arg(QLocale().toString(remaining.toLongLong()))),
        qPrintable(tip + QStringLiteral(" / header: ") + remaining));
}

void TestUiAxes::limitBoxEditsTheAxisShown()
{
    open(kDemo);
    chooseScope(kOpenAi);
    ChartToolBar *bar = m_window->chartToolBar();
    QLineEdit *box = bar->limitBox();
    QCOMPARE(box->text(), QStringLiteral("500"));
    bar->axisAction(LimitAxis::Tokens)->trigger();
    QCOMPARE(box->text(), QStringLiteral("200000"));
    QVERIFY(bar->findChild<QLabel *>(QStringLiteral("limitLabel"))
                ->text()
                .contains(QLatin1String("Token limit of api.openai.com")));
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("150000"));
    QTest::keyClick(box, Qt::Key_Return);
    // the token limit changed; the request limit stays
    QCOMPARE(configuredLimit(m_session->limits(), "api.openai.com", LimitAxis::Tokens)->requests,
        150000);
    QCOMPARE(configuredLimit(m_session->limits(), "api.openai.com")->requests, 500);
    m_window->chart()->setFixedBucketMs(kMinute);
    m_window->chart()->redrawNow();
    QCOMPARE(
        m_window->chart()->adapter().points(ChartAdapter::SeriesId::Limit).front().y(), 150000.0);
    // the settings remember it in the CLI's grammar
    bool remembered = false;
    for (const LimitEntry &e : m_settings->limits())
        remembered |= limitEntryText(e) == QLatin1String("api.openai.com:tokens=150000");
    QVERIFY(remembered);
    // "a:b" is no token limit: refused where typed, the limit stays
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("x:5"));
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(configuredLimit(m_session->limits(), "api.openai.com", LimitAxis::Tokens)->requests,
        150000);
}

void TestUiAxes::anAxisWithoutValuesIsNotOffered()
{
    open(kDemo);
    chooseScope(kOpenAi);
    ChartToolBar *bar = m_window->chartToolBar();
    bar->axisAction(LimitAxis::Tokens)->trigger();
    QCOMPARE(m_window->chart()->shownAxis(), LimitAxis::Tokens);
    // Scalekit's tool calls carry no usage: the chart shows requests, and no Tokens button
    chooseScope(QStringLiteral("acme.scalekit.dev"));
    QCOMPARE(m_window->chart()->shownAxis(), LimitAxis::Requests);
    QVERIFY(!bar->axisAction(LimitAxis::Tokens)->isVisible());
    QVERIFY(bar->axisAction(LimitAxis::Requests)->isChecked());
    // back on OpenAI the axis asked for returns
    chooseScope(kOpenAi);
    QCOMPARE(m_window->chart()->shownAxis(), LimitAxis::Tokens);
    QVERIFY(bar->axisAction(LimitAxis::Tokens)->isChecked());
}

void TestUiAxes::inFlightDrawsThePeakAndACount_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addRow("10 s buckets") << qint64(10000);
    QTest::addRow("1 min buckets") << qint64(kMinute);
}

// Three requests overlap in 10:00:00–10:00:05, one more starts at 10:00:12 while the 30 s one
// still flies, one record has no duration.
void TestUiAxes::inFlightDrawsThePeakAndACount()
{
    QFETCH(qint64, bucketMs);
    const QString path = m_dir.filePath(QStringLiteral("flight.ndjson"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const char *records[] = {
        R"({"timestamp":"2026-01-05T10:00:00Z","url":"https://a.example/x","status":200,"duration_ms":30000})",
        R"({"timestamp":"2026-01-05T10:00:01Z","url":"https://a.example/x","status":200,"duration_ms":4000})",
        R"({"timestamp":"2026-01-05T10:00:02Z","url":"https://a.example/x","status":429,"duration_ms":1000})",
        R"({"timestamp":"2026-01-05T10:00:12Z","url":"https://a.example/x","status":200,"duration_ms":500})",
        R"({"timestamp":"2026-01-05T10:00:20Z","url":"https://a.example/x","status":200})",
    };
    for (const char *r : records)
        f.write(QByteArray(r) + '\n');
    f.close();
    m_settings->setLimits({ limitEntry("concurrency=2") });
    m_session->setLimits(m_settings->limits());
    open(path);
    ChartToolBar *bar = m_window->chartToolBar();
    QVERIFY(bar->axisAction(LimitAxis::Concurrency)->isVisible());
    QVERIFY(!bar->axisAction(LimitAxis::Tokens)->isVisible());
    bar->axisAction(LimitAxis::Concurrency)->trigger();
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(bucketMs);
    chart->redrawNow();
    const auto values = steps(chart->adapter().points(ChartAdapter::SeriesId::Requests), bucketMs);
    const qint64 t0 = QDateTime::fromString(QStringLiteral("2026-01-05T10:00:00Z"), Qt::ISODate)
                          .toMSecsSinceEpoch();
    if (bucketMs == 10000) {
        QCOMPARE(values.at(t0), 3.0); // 10:00:02 to :03, three at once
        QCOMPARE(values.at(t0 + 10000), 2.0); // the 30 s one and the one at :12
        QCOMPARE(values.at(t0 + 20000), 1.0); // carried in: no request starts here
    } else {
        QCOMPARE(values.at(t0), 3.0);
    }
    // a count is no rate: the same line at every bucket size
    QCOMPARE(chart->adapter().points(ChartAdapter::SeriesId::Limit).front().y(), 2.0);
    QCOMPARE(m_window->chartToolBar()->limitBox()->text(), QStringLiteral("2"));
    QVERIFY2(chart->limitNote().contains(QLatin1String("1 of 5 requests")),
        qPrintable(chart->limitNote()));
}

QTEST_MAIN(TestUiAxes)
#include "tst_ui_axes.moc"
