// `ratescope --screenshot FILE --size WxH INPUT...` writes a PNG without a display, and the
// source colours of the palette appear in it (chart, legend, table, detail pane).
#include "sourcepalette.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestUiScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesAPngWithTheSourceColours_data();
    void writesAPngWithTheSourceColours();
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
    std::map<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x)
            ++counts[line[x] | 0xFF000000];
    }
    for (QRgb colour :
        { SourcePalette::kRateLimited, SourcePalette::kToolError, SourcePalette::kUnclassified }) {
        QVERIFY2(counts[colour] >= 40,
            qPrintable(
                QStringLiteral("%1: %2 pixels").arg(QColor(colour).name()).arg(counts[colour])));
    }
    QVERIFY2(counts.size() > 50, "an almost blank image");
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

QTEST_GUILESS_MAIN(TestUiScreenshot)
#include "tst_ui_screenshot.moc"
