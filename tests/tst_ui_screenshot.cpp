// `ratescope --screenshot FILE --size WxH INPUT...` writes a PNG without a display; the
// screenshot of the demo traffic has the 429 bars inside the chart's plot area, where the
// demo's incidents are (the legend's swatches alone used to satisfy a count over the whole
// window, so a blank chart passed).
#include "base/palette.h"
#include "chartadapter.h"
#include "mainwindow.h"
#include "model/session.h"
#include "ratechart.h"
#include "screenshotrunner.h"
#include "sourcepalette.h"
#include "theme.h"
#include "uisettings.h"

#include <QApplication>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>

class TestUiScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesAPngWithTheSourceColours_data();
    void writesAPngWithTheSourceColours();
    void barsStandWhereTheIncidentsAre_data();
    void barsStandWhereTheIncidentsAre();
    void usageErrors_data();
    void usageErrors();

private:
    QTemporaryDir m_dir;
};

void TestUiScreenshot::writesAPngWithTheSourceColours_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addRow("light theme") << QStringLiteral("light");
    QTest::addRow("dark theme") << QStringLiteral("dark");
}

void TestUiScreenshot::writesAPngWithTheSourceColours()
{
    QFETCH(QString, theme);
    const QString png = m_dir.filePath(theme + QStringLiteral(".png"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // no display at all: it must choose offscreen itself
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(RATESCOPE_BINARY),
        { QStringLiteral("--screenshot"), png, QStringLiteral("--size"), QStringLiteral("1200x800"),
            QStringLiteral("--theme"), theme, QStringLiteral("--limit"), QStringLiteral("6"),
            QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson") });
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
        p.readAllStandardError().constData());

    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1200, 800));
    image = image.convertToFormat(QImage::Format_RGB32);
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        colours.insert(line, line + image.width());
    }
    QVERIFY2(colours.size() > 50, "an almost blank image");
    // what the chart shows in it: barsStandWhereTheIncidentsAre, on the same ScreenshotRunner
}

void TestUiScreenshot::barsStandWhereTheIncidentsAre_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addColumn<QString>("scope"); // "": every scope
    QTest::addColumn<QString>("axis");
    QTest::addRow("light theme") << QStringLiteral("light") << QString()
                                 << QStringLiteral("requests");
    QTest::addRow("dark theme") << QStringLiteral("dark") << QString()
                                << QStringLiteral("requests");
    // docs/screenshot.png: the OpenAI scope whose tokens per minute bind (limits.md §5)
    QTest::addRow("OpenAI scope on the tokens axis")
        << QStringLiteral("light") << QStringLiteral("api.openai.com") << QStringLiteral("tokens");
}

// The demo traffic through the runner `--screenshot` uses (mainentry.cpp builds the same
// window), then the PNG it wrote, counted inside the chart's plot area only: each incident's
// dominant source colour stands in the columns of its time span, and outside every incident
// (with a bucket's margin) there is no 429 colour at all.
void TestUiScreenshot::barsStandWhereTheIncidentsAre()
{
    QFETCH(QString, theme);
    QFETCH(QString, scope);
    QFETCH(QString, axis);
    const QString png
        = m_dir.filePath(QStringLiteral("inproc-") + theme + axis + QStringLiteral(".png"));
    UiSettings settings(m_dir.filePath(theme + axis + QStringLiteral(".ini")));
    settings.setLimitPerMinute(600);
    QFile limitsFile(QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/limits.json"));
    QVERIFY(limitsFile.open(QIODevice::ReadOnly));
    QString error;
    const std::vector<LimitEntry> demoLimits = parseLimitsJson(limitsFile.readAll(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (!scope.isEmpty())
        settings.setLimits(demoLimits); // as `ratescope --limits resources/demo/limits.json`
    Theme look(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    look.apply(themeModeFromString(theme));
    Session session(RuleSet::builtIn());
    session.filter().setScope(scope);
    MainWindow window(session, settings, look);
    window.chart()->setAxis(*limitAxisFromName(axis));
    window.resize(1400, 900);
    window.show();
    ScreenshotRunner runner(window, session, png);
    QSignalSpy done(&runner, &ScreenshotRunner::done);
    runner.start({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    QVERIFY(done.count() > 0 || done.wait(60000));
    QCOMPARE(done.front().front().toInt(), 0);

    QImage image(png);
    QVERIFY(!image.isNull());
    image = image.convertToFormat(QImage::Format_RGB32);
    ChartAdapter &chart = window.chart()->adapter();
    const QRectF plotInViewport = chart.plotArea();
    const QPoint origin = chart.viewport()->mapTo(&window, QPoint(0, 0));
    const QRect plot = plotInViewport.translated(origin).toAlignedRect() & image.rect();
    QVERIFY2(plot.width() > 200 && plot.height() > 100, "no plot area");
    auto column = [&](double timeMs) { return int(chart.xPosition(timeMs)) + origin.x(); };
    // pixels of a colour in the plot's columns [x0, x1]
    auto count = [&](QRgb colour, int x0, int x1) {
        int n = 0;
        for (int y = plot.top(); y <= plot.bottom(); ++y) {
            const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = std::max(x0, plot.left()); x <= std::min(x1, plot.right()); ++x)
                n += (line[x] | 0xFF000000) == colour;
        }
        return n;
    };

    const auto view = session.filter().view();
    QVERIFY(view && view->incidents.size() >= 2); // the demo: a platform burst, provider incidents
    QCOMPARE(window.chart()->shownAxis(), *limitAxisFromName(axis));
    if (window.chart()->shownAxis() == LimitAxis::Tokens) {
        // the TPM limit line: 200,000 tokens a minute, across the plot at its height
        const double perBucket = 200000.0 * double(window.chart()->bucketMs()) / 60000.0;
        const int y = int(std::lround(chart.yPosition(perBucket))) + origin.y();
        QVERIFY(y > plot.top() && y < plot.bottom());
        const QRgb limit = Palette::kLimit | 0xFF000000;
        int across = 0;
        for (int x = plot.left(); x <= plot.right(); ++x) {
            bool hit = false;
            for (int dy = -2; dy <= 2; ++dy)
                hit |= (image.pixel(x, y + dy) | 0xFF000000) == limit;
            across += hit;
        }
        QVERIFY2(across > plot.width() * 9 / 10,
            qPrintable(QStringLiteral("the limit line covers %1 of %2 columns")
                           .arg(across)
                           .arg(plot.width())));
    }
    const int bucketPx = std::max(2,
        int(std::ceil(double(plot.width()) * double(window.chart()->bucketMs())
            / double(window.chart()->visibleToMs() - window.chart()->visibleFromMs()))));
    std::vector<std::pair<int, int>> spans;
    for (const Incident &inc : view->incidents) {
        const int x0 = column(double(inc.startMs)) - bucketPx;
        const int x1 = column(double(inc.endMs)) + bucketPx;
        spans.emplace_back(x0, x1);
        const QRgb colour = SourcePalette::color(inc.dominant).rgb();
        const int n = count(colour, x0, x1);
        QVERIFY2(n >= 20,
            qPrintable(QStringLiteral("incident at %1 px (%2): %3 pixels of %4")
                           .arg(x0)
                           .arg(int(inc.dominant))
                           .arg(n)
                           .arg(QColor(colour).name())));
    }
    // outside every incident: no 429 bars
    std::sort(spans.begin(), spans.end());
    int x = plot.left();
    for (const auto &[x0, x1] : spans) {
        for (QRgb colour : { Palette::kRateLimited, Palette::kToolError, Palette::kUnclassified })
            QCOMPARE(count(colour, x, x0 - 1), 0);
        x = std::max(x, x1 + 1);
    }
    for (QRgb colour : { Palette::kRateLimited, Palette::kToolError, Palette::kUnclassified })
        QCOMPARE(count(colour, x, plot.right()), 0);
}

void TestUiScreenshot::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("no input") << QStringList { QStringLiteral("--screenshot"),
        m_dir.filePath(QStringLiteral("x.png")) };
    QTest::addRow("bad size") << QStringList { QStringLiteral("--screenshot"),
        m_dir.filePath(QStringLiteral("x.png")), QStringLiteral("--size"), QStringLiteral("big"),
        QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson") };
}

void TestUiScreenshot::usageErrors()
{
    QFETCH(QStringList, args);
    QProcess p;
    p.start(QStringLiteral(RATESCOPE_BINARY), args);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.png"))));
}

QTEST_MAIN(TestUiScreenshot)
#include "tst_ui_screenshot.moc"
