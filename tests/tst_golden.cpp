// summarize's outputs match reviewed golden files byte for byte (style.md rule 11).
// Regenerate on purpose: RATESCOPE_UPDATE_GOLDEN=1 ctest --test-dir build -R golden, then
// review the git diff.
#include "export/redactor.h"
#include "export/reportformats.h"
#include "export/summary.h"
#include "testutil.h"

class TestGolden : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaries_data();
    void summaries();
};

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
    std::optional<LimitSpec> spec;
    QString error;
    if (!limit.isEmpty())
        spec = parseLimitSpec(limit, &error);
    // as `summarize` does: findings and the limit to ask for, then redaction
    Summary full = buildSummary(*l.store, std::move(l.reports), spec, l.limit, 5);
    addFindings(full, *l.store, 30);
    const Summary s = redactSummary(std::move(full), Redactor::builtIn());
    const QString ext = golden.section(QLatin1Char('.'), -1);
    const QByteArray actual = ext == QLatin1String("json") ? summaryToJson(s)
            : ext == QLatin1String("csv")                  ? summaryToCsv(s)
                                                           : summaryToMarkdown(s, RuleSet::builtIn());

    QFile file(QStringLiteral(RATESCOPE_GOLDEN_DIR "/") + golden);
    if (qEnvironmentVariableIsSet("RATESCOPE_UPDATE_GOLDEN")) {
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(actual), qint64(actual.size()));
        return;
    }
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName() + QStringLiteral(" is missing")));
    const QByteArray expected = file.readAll();
    if (actual != expected) {
        QFile out(file.fileName() + QStringLiteral(".actual"));
        if (out.open(QIODevice::WriteOnly))
            out.write(actual);
        QFAIL(qPrintable(QStringLiteral("differs from %1; see %1.actual (diff -u)").arg(file.fileName())));
    }
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
