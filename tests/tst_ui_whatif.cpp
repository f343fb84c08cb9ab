// The window's What-if panel (issue 20) on the demo's Scalekit scope: the predicted refusals
// drawn over the chart per minute equal the requests over the limit counted from the file (a
// fixed window per UTC minute refuses exactly those), while the slider moves and once the exact
// replay is done; its smallest limit without a rejection is the busiest minute; 1300/min
// predicts none; hiding the panel takes the drawing away.
#include "chartadapter.h"
#include "mainwindow.h"
#include "model/session.h"
#include "model/whatifmodel.h"
#include "ratechart.h"
#include "testutil.h"
#include "theme.h"
#include "uisettings.h"
#include "whatifpanel.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <map>

namespace {

const QString kDemo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
const QString kScalekit = QStringLiteral("acme.scalekit.dev");
constexpr qint64 kMinute = 60000;

// Requests per UTC minute of the demo's Scalekit records, read with QJsonDocument.
std::map<qint64, qint64> scalekitMinutes()
{
    std::map<qint64, qint64> out;
    for (const auto &[t, record] : recordsOfHost(kDemo, kScalekit))
        ++out[t - t % kMinute];
    return out;
}

} // namespace

class TestUiWhatIf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void predictionIsTheMinutesOverTheLimit_data();
    void predictionIsTheMinutesOverTheLimit();
    void aLimitAboveTheBusiestMinutePredictsNone();
    void honourIsDrawnOnceReplayed();
    void hidingThePanelTakesTheDrawingAway();
    void cleanupTestCase();

private:
    void waitForExact();
    std::map<qint64, double> predictedPerMinute();

    QTemporaryDir m_dir;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<Theme> m_theme;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
    std::map<qint64, qint64> m_minutes;
};

void TestUiWhatIf::initTestCase()
{
    m_minutes = scalekitMinutes();
    QVERIFY(!m_minutes.empty());
    m_settings = std::make_unique<UiSettings>(m_dir.filePath(QStringLiteral("ui.ini")));
    m_theme = std::make_unique<Theme>(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    m_theme->apply(ThemeMode::Light);
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings, *m_theme);
    m_window->resize(1300, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->filter().setScope(kScalekit);
    m_session->open({ kDemo });
    QVERIFY(loaded.count() > 0 || loaded.wait(60000));
    QSignalSpy applied(m_session.get(), &Session::viewApplied);
    while (!m_session->isSettled())
        QVERIFY(applied.wait(20000));
    WhatIfModel *model = m_window->whatIfModel();
    QSignalSpy counted(model, &WhatIfModel::arrivalsChanged);
    m_window->whatIf()->show(); // View ▸ What if
    QVERIFY(model->isActive());
    QTRY_VERIFY_WITH_TIMEOUT(model->arrivals() != nullptr, 20000);
    QCOMPARE(model->arrivals()->scope, kScalekit.toStdString());
    QCOMPARE(model->arrivals()->requests, 66997);
    m_window->chart()->setFixedBucketMs(kMinute);
}

void TestUiWhatIf::cleanupTestCase()
{
    m_window.reset();
    m_session.reset();
    m_theme.reset();
    m_settings.reset();
}

void TestUiWhatIf::waitForExact()
{
    WhatIfModel *model = m_window->whatIfModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->exact().has_value() && !model->replaying(), 30000);
}

std::map<qint64, double> TestUiWhatIf::predictedPerMinute()
{
    m_window->chart()->redrawNow();
    return steps(m_window->chart()->adapter().points(ChartAdapter::SeriesId::Predicted), kMinute);
}

void TestUiWhatIf::predictionIsTheMinutesOverTheLimit_data()
{
    QTest::addColumn<int>("limit");
    QTest::addRow("600/min") << 600;
    QTest::addRow("900/min") << 900;
    QTest::addRow("1200/min") << 1200;
}

void TestUiWhatIf::predictionIsTheMinutesOverTheLimit()
{
    QFETCH(int, limit);
    WhatIfPanel *panel = m_window->whatIf();
    panel->windowBox()->setCurrentIndex(panel->windowBox()->findData(60));
    panel->algorithmBox()->setCurrentIndex(0); // fixed window
    panel->retryBox()->setCurrentIndex(0); // as recorded
    panel->slider()->setValue(limit); // a slider step: the per-second replay, drawn at once
    QCOMPARE(panel->limitBox()->value(), limit);
    WhatIfModel *model = m_window->whatIfModel();
    QVERIFY(!model->curve().exact);
    qint64 expected = 0;
    std::map<qint64, double> want;
    for (const auto &[minute, n] : m_minutes) {
        want[minute] = double(std::max<qint64>(0, n - limit));
        expected += std::max<qint64>(0, n - limit);
    }
    QVERIFY(expected > 0);
    QCOMPARE(model->curve().rejected, expected);
    for (int pass = 0; pass < 2; ++pass) { // the per-second replay, then the exact one
        const auto drawn = predictedPerMinute();
        for (const auto &[minute, n] : want) {
            QVERIFY2(drawn.count(minute), qPrintable(QString::number(minute)));
            QCOMPARE(drawn.at(minute), n);
        }
        if (pass == 0)
            waitForExact();
    }
    QVERIFY(model->curve().exact);
    QCOMPARE(model->exact()->predicted.rejected, expected);
    const qint64 busiest
        = std::max_element(m_minutes.begin(), m_minutes.end(), [](const auto &a, const auto &b) {
              return a.second < b.second;
          })->second;
    QCOMPARE(model->exact()->smallestLimit.value_or(-1), busiest);
    const QString text = panel->result()->text();
    QVERIFY2(text.contains(QLocale().toString(qlonglong(expected)))
            && text.contains(QStringLiteral("exact")),
        qPrintable(text));
    QVERIFY2(text.contains(QLocale().toString(qlonglong(busiest))), qPrintable(text));
}

void TestUiWhatIf::aLimitAboveTheBusiestMinutePredictsNone()
{
    // issue 20: on the demo, 1300/1m predicts no rejection on the Scalekit scope
    WhatIfPanel *panel = m_window->whatIf();
    panel->windowBox()->setCurrentIndex(panel->windowBox()->findData(60));
    panel->limitBox()->setValue(1300);
    QCOMPARE(m_window->whatIfModel()->curve().rejected, 0);
    waitForExact();
    QCOMPARE(m_window->whatIfModel()->exact()->predicted.rejected, 0);
    for (const auto &[minute, n] : predictedPerMinute())
        QCOMPARE(n, 0.0);
}

void TestUiWhatIf::honourIsDrawnOnceReplayed()
{
    WhatIfPanel *panel = m_window->whatIf();
    panel->limitBox()->setValue(600);
    panel->retryBox()->setCurrentIndex(panel->retryBox()->findData(int(RetryPolicy::Mode::Honour)));
    WhatIfModel *model = m_window->whatIfModel();
    QVERIFY(model->curve().refusedPerSecond.empty()); // no per-second form for added retries
    QVERIFY2(panel->result()->text().contains(QStringLiteral("replaying")),
        qPrintable(panel->result()->text()));
    waitForExact();
    QVERIFY(model->exact()->logRetries > 0);
    QVERIFY(model->exact()->retryDelayP50S.has_value());
    double drawn = 0;
    for (const auto &[minute, n] : predictedPerMinute())
        drawn += n;
    QCOMPARE(qint64(drawn), model->exact()->predicted.rejected);
    panel->retryBox()->setCurrentIndex(0);
}

void TestUiWhatIf::hidingThePanelTakesTheDrawingAway()
{
    m_window->whatIf()->limitBox()->setValue(700);
    QVERIFY(!predictedPerMinute().empty());
    m_window->whatIf()->hide();
    QVERIFY(!m_window->whatIfModel()->isActive());
    m_window->chart()->redrawNow();
    QVERIFY(m_window->chart()->adapter().points(ChartAdapter::SeriesId::Predicted).isEmpty());
}

QTEST_MAIN(TestUiWhatIf)
#include "tst_ui_whatif.moc"
