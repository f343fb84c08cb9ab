// The window watching a live file: the chart follows the newest records, the status bar shows
// the source and the capture file, the early warning appears over the chart, zooming pauses
// (and Resume catches up), Stop keeps what was received.
#include "livestatus.h"
#include "mainwindow.h"
#include "model/session.h"
#include "ratechart.h"
#include "theme.h"
#include "uisettings.h"
#include "warningbanner.h"
#include "watchmenu.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <set>

namespace {

// One record a second from 10:00:00, status 200 unless listed.
QByteArray records(int from, int to, const std::set<int> &rejected = {})
{
    QByteArray out;
    for (int s = from; s < to; ++s) {
        const int status = rejected.count(s) ? 429 : 200;
        out += "{\"timestamp\":\"2026-01-05T10:" + QByteArray::number(s / 60).rightJustified(2, '0')
            + ":" + QByteArray::number(s % 60).rightJustified(2, '0') + "Z\",\"status\":"
            + QByteArray::number(status) + ",\"tool_name\":\"gmail_fetch_mails\"";
        if (status == 429)
            out += ",\"body\":{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\"}}";
        out += "}\n";
    }
    return out;
}

void write(const QString &path, const QByteArray &bytes, QIODevice::OpenMode mode)
{
    QFile f(path);
    if (!f.open(mode) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// Requests the chart draws in its visible range (buckets, not decimated at this width).
qint64 drawn(const RateChart *chart)
{
    qint64 n = 0;
    for (const FrameSlot &slot : chart->frame().slots)
        n += slot.requestsMax;
    return chart->frame().decimated ? -1 : n;
}

constexpr qint64 k10h = 1767607200000; // 2026-01-05T10:00:00Z

} // namespace

class TestUiLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void chartFollowsTheNewestRecords();
    void earlyWarningShowsOverTheChart();
    void zoomingPausesAndResumeCatchesUp();
    void stopKeepsWhatWasReceived();
    void sourceThatCannotStartIsReported();
    void captureRotationFromTheCommandLine();

private:
    void watchLog();

    QTemporaryDir m_dir;
    QString m_log;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<Theme> m_theme;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestUiLive::init()
{
    m_log = m_dir.filePath(QStringLiteral("app.log"));
    write(m_log, records(0, 120), QIODevice::WriteOnly);
    m_settings = std::make_unique<UiSettings>(m_dir.filePath(QStringLiteral("ui.ini")));
    m_settings->setLimitPerMinute(100);
    m_settings->setValue(QStringLiteral("live/windowMinutes"), "5");
    m_settings->setValue(QStringLiteral("live/notify"), "0");
    m_theme = std::make_unique<Theme>(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    m_theme->apply(ThemeMode::Light);
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings, *m_theme);
    m_window->resize(1300, 850);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestUiLive::cleanup()
{
    m_window.reset();
    m_session.reset();
    m_theme.reset();
    m_settings.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("capture.ndjson")));
}

void TestUiLive::watchLog()
{
    LiveSourceSpec spec;
    spec.path = m_log;
    // the capture goes to the user's data directory; keep it in the test's directory instead
    LiveOptions o;
    o.sources = { spec };
    o.follow.fromStart = true;
    o.follow.pollMs = 20;
    o.capturePath = m_dir.filePath(QStringLiteral("capture.ndjson"));
    QString error;
    QVERIFY2(m_session->watch(o, &error), qPrintable(error));
}

void TestUiLive::chartFollowsTheNewestRecords()
{
    QVERIFY(!m_window->liveStatus()->isVisible());
    QVERIFY(!m_window->watchMenu()->pauseAction()->isEnabled());
    watchLog();
    QVERIFY(m_window->liveStatus()->isVisible());
    QVERIFY(m_window->watchMenu()->pauseAction()->isEnabled());
    QVERIFY(m_window->liveStatus()->captureText().contains(QLatin1String("capture.ndjson")));
    RateChart *chart = m_window->chart();
    QCOMPARE(chart->followWindowMs(), 5 * 60000);
    // two minutes of records: the right edge is just after the newest, 5 minutes wide
    QTRY_COMPARE(drawn(chart), 120);
    QVERIFY(chart->visibleToMs() >= k10h + 120000);
    QVERIFY(chart->visibleToMs() <= k10h + 120000 + 60000);
    QCOMPARE(chart->visibleToMs() - chart->visibleFromMs(), 5 * 60000);
    QTRY_VERIFY2(m_window->liveStatus()->sourceText(0).contains(QLatin1String("following")),
        qPrintable(m_window->liveStatus()->sourceText(0)));

    // three minutes later the chart has scrolled: the first minute is out of sight
    write(m_log, records(120, 360), QIODevice::Append);
    QTRY_VERIFY(chart->visibleToMs() >= k10h + 360000);
    QVERIFY(chart->visibleFromMs() > k10h + 60000);
    QTRY_COMPARE(m_session->filter().view()->requests(), 360);
    QVERIFY(m_window->windowTitle().startsWith(QLatin1String("Live")));
}

void TestUiLive::earlyWarningShowsOverTheChart()
{
    m_session->setLimitPerMinute(70); // 90 % = 63 requests in one minute
    watchLog();
    QTRY_COMPARE(m_session->filter().view()->requests(), 120);
    QVERIFY(!m_window->warningBanner()->isVisible());
    // a burst: 60 more records inside 10:01
    QByteArray burst;
    for (int i = 0; i < 60; ++i)
        burst += "{\"timestamp\":\"2026-01-05T10:01:30Z\",\"status\":200}\n";
    write(m_log, burst, QIODevice::Append);
    QTRY_VERIFY(m_window->warningBanner()->isVisible());
    QVERIFY2(m_window->warningBanner()->text().contains(QLatin1String("10:01")),
        qPrintable(m_window->warningBanner()->text()));
    QVERIFY(m_window->warningBanner()->text().contains(QLatin1String("70")));
}

void TestUiLive::zoomingPausesAndResumeCatchesUp()
{
    watchLog();
    RateChart *chart = m_window->chart();
    QTRY_COMPARE(drawn(chart), 120);
    chart->zoomIn(); // the user looks closer: the view must stop moving under them
    QVERIFY(m_session->live().isPaused());
    QVERIFY(m_window->watchMenu()->pauseAction()->isChecked());
    QCOMPARE(chart->followWindowMs(), 0);
    const qint64 from = chart->visibleFromMs(), to = chart->visibleToMs();
    write(m_log, records(120, 240), QIODevice::Append);
    QTRY_COMPARE(m_session->live().session()->requests(), 240);
    QCOMPARE(m_session->filter().view()->requests(), 120); // held still
    QCOMPARE(chart->visibleFromMs(), from);
    QCOMPARE(chart->visibleToMs(), to);

    m_window->watchMenu()->pauseAction()->trigger(); // Resume
    QVERIFY(!m_session->live().isPaused());
    QCOMPARE(chart->followWindowMs(), 5 * 60000);
    QTRY_COMPARE(m_session->filter().view()->requests(), 240);
    QTRY_VERIFY(chart->visibleToMs() >= k10h + 240000);
}

void TestUiLive::stopKeepsWhatWasReceived()
{
    watchLog();
    QTRY_COMPARE(m_session->filter().view()->requests(), 120);
    m_window->watchMenu()->stopAction()->trigger();
    QVERIFY(!m_session->live().isActive());
    QVERIFY(!m_window->watchMenu()->pauseAction()->isEnabled());
    QVERIFY(m_window->liveStatus()->sourceText(0).contains(QLatin1String("stopped")));
    QCOMPARE(m_window->chart()->followWindowMs(), 0);
    QTRY_COMPARE(m_session->filter().view()->requests(), 120);
}

void TestUiLive::sourceThatCannotStartIsReported()
{
    LiveSourceSpec spec;
    spec.kind = LiveSourceSpec::Kind::Listen;
    spec.listen.host = QStringLiteral("192.0.2.1"); // not loopback, not allowed
    spec.listen.port = 9;
    QVERIFY(!m_window->watch({ spec }));
    QVERIFY(!m_session->live().isActive());
    QVERIFY(!m_window->liveStatus()->isVisible());
    // said in a (non-blocking) message box
    QMessageBox *box = m_window->findChild<QMessageBox *>();
    QVERIFY(box);
    QVERIFY2(box->text().contains(QLatin1String("192.0.2.1")), qPrintable(box->text()));
}

// Issue 22 in the window: --capture-max / --capture-keep (WatchMenu::setCaptureRotation, as
// main() calls it) show checked in Watch ▸ Capture file, reach the session the menu starts,
// and the status bar names the segment being written.
void TestUiLive::captureRotationFromTheCommandLine()
{
    const QByteArray dataHome = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
    WatchMenu *menu = m_window->watchMenu();
    menu->setCaptureRotation({ 4096, 3 });
    QStringList checked;
    for (QAction *a : menu->findChildren<QAction *>()) {
        if (a->isChecked())
            checked << a->text();
    }
    QVERIFY2(checked.contains(QStringLiteral("New segment every 4 KiB (command line)")),
        qPrintable(checked.join(QLatin1Char('|'))));
    QVERIFY2(checked.contains(QStringLiteral("Keep the newest 3 segments (command line)")),
        qPrintable(checked.join(QLatin1Char('|'))));

    LiveSourceSpec spec;
    spec.path = m_log;
    QVERIFY(m_window->watch({ spec }, true));
    const LiveSession *live = m_session->live().session();
    QCOMPARE(live->options().captureRotation.maxBytes, std::uint64_t(4096));
    QCOMPARE(live->options().captureRotation.keep, 3);
    QTRY_COMPARE(live->requests(), std::int64_t(120)); // 12 KB: the first segment is full
    for (int minute = 2; minute < 6; ++minute) { // each minute goes to a new segment
        write(m_log, records(minute * 60, minute * 60 + 60), QIODevice::Append);
        QTRY_COMPARE(live->requests(), std::int64_t(minute * 60 + 60));
    }
    QVERIFY(live->captureSegmentCount() >= 5);
    QCOMPARE(live->captureSegments().size(), 3);
    const QString newest = QFileInfo(live->captureSegments().back()).fileName();
    QVERIFY2(newest.endsWith(QStringLiteral(".%1.ndjson").arg(live->captureSegmentCount())),
        qPrintable(newest));
    QTRY_COMPARE(m_window->liveStatus()->captureText(), QStringLiteral("capture: ") + newest);
    m_session->live().stop();
    if (dataHome.isNull())
        qunsetenv("XDG_DATA_HOME");
    else
        qputenv("XDG_DATA_HOME", dataHome);
}

QTEST_MAIN(TestUiLive)
#include "tst_ui_live.moc"
