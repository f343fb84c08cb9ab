// summarize's outputs match reviewed golden files byte for byte (style.md rule 11): the
// report made in process by makeReport() (what the window exports) and the standard output of
// the real `ratescope summarize`, so neither can drift from the other.
// Regenerate on purpose: RATESCOPE_UPDATE_GOLDEN=1 ctest --test-dir build -R golden, then
// review the git diff.
#include "export/report.h"
#include "export/reportformats.h"
#include "testutil.h"

#include <QProcess>

class TestGolden : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaries_data();
    void summaries();
    void binaryMatchesTheGoldenFiles_data() { summaries_data(); }
    void binaryMatchesTheGoldenFiles();

private:
    static QByteArray format(const Summary &s, const QString &ext);
    static void compareWithGolden(const QByteArray &actual, const QString &golden, const char *tag);
};

QByteArray TestGolden::format(const Summary &s, const QString &ext)
{
    return ext == QLatin1String("json") ? summaryToJson(s)
        : ext == QLatin1String("csv")   ? summaryToCsv(s)
                                        : summaryToMarkdown(s, RuleSet::builtIn());
}

void TestGolden::compareWithGolden(const QByteArray &actual, const QString &golden, const char *tag)
{
    QFile file(QStringLiteral(RATESCOPE_GOLDEN_DIR "/") + golden);
    QVERIFY2(file.open(QIODevice::ReadOnly),
        qPrintable(file.fileName() + QStringLiteral(" is missing")));
    const QByteArray expected = file.readAll();
    if (actual != expected) {
        QFile out(file.fileName() + QStringLiteral(".") + QLatin1String(tag));
        if (out.open(QIODevice::WriteOnly))
            out.write(actual);
        QFAIL(qPrintable(QStringLiteral("differs from %1; see %1.%2 (diff -u)")
                             .arg(file.fileName(), QLatin1String(tag))));
    }
}

void TestGolden::summaries_data()
{
    QTest::addColumn<QString>("dir"); // inputs are named relative to it, as a user would type them
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QString>("limit");
    QTest::addColumn<QString>("golden");

    const QString fixtures = QStringLiteral(RATESCOPE_FIXTURE_DIR);
    const QString demo = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo");
    for (const char *ext : { "json", "md", "csv" }) {
        QTest::addRow("gateway mix, limit from headers, %s", ext)
            << fixtures << QStringList { QStringLiteral("gateway_mix.ndjson") } << QString()
            << QStringLiteral("gateway_mix.") + QLatin1String(ext);
        QTest::addRow("demo traffic, --limit 600, %s", ext)
            << demo << QStringList { QStringLiteral("demo.ndjson.gz") } << QStringLiteral("600")
            << QStringLiteral("demo.") + QLatin1String(ext);
    }
    QTest::addRow("real captures together, json")
        << fixtures + QStringLiteral("/samples")
        << QStringList { QStringLiteral("pygithub_SpecificExceptions.testRateLimitExceeded.txt"),
               QStringLiteral("pygithub_SpecificExceptions.testAuthenticatedRateLimitExceeded.txt"),
               QStringLiteral("octokit_search-issues.raw-fixture.json"),
               QStringLiteral("mitmproxy_chrome.har"),
               QStringLiteral("haralyzer_missing_pageref.har") }
        << QString() << QStringLiteral("captures.json");
}

void TestGolden::summaries()
{
    QFETCH(QString, dir);
    QFETCH(QStringList, inputs);
    QFETCH(QString, limit);
    QFETCH(QString, golden);

    const QString cwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir));
    Loaded l = loadFiles(inputs);
    QDir::setCurrent(cwd);
    ReportOptions options; // as `summarize` does: its defaults, findings, redaction
    QString error;
    if (!limit.isEmpty())
        options.limit = parseLimitSpec(limit, &error);
    const Summary s = makeReport(*l.store, std::move(l.reports), options);
    const QByteArray actual = format(s, golden.section(QLatin1Char('.'), -1));

    if (qEnvironmentVariableIsSet("RATESCOPE_UPDATE_GOLDEN")) {
        QFile file(QStringLiteral(RATESCOPE_GOLDEN_DIR "/") + golden);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(actual), qint64(actual.size()));
        return;
    }
    compareWithGolden(actual, golden, "actual");
}

// The real `ratescope summarize --format EXT [--limit N] INPUT...` on standard output.
void TestGolden::binaryMatchesTheGoldenFiles()
{
    QFETCH(QString, dir);
    QFETCH(QStringList, inputs);
    QFETCH(QString, limit);
    QFETCH(QString, golden);

    QStringList args { QStringLiteral("summarize"), QStringLiteral("--format"),
        golden.section(QLatin1Char('.'), -1) };
    if (!limit.isEmpty())
        args << QStringLiteral("--limit") << limit;
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral(RATESCOPE_BINARY), args + inputs);
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
        p.readAllStandardError().constData());
    compareWithGolden(p.readAllStandardOutput(), golden, "binary");
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
