// Reports people can paste — no secrets, inert HTML, neutral CSV, retry findings that
// are right where the answer is known (the demo traffic's simulated clients), a real PDF and chart.
#include "base/palette.h"
#include "export/redactor.h"
#include "export/report.h"
#include "export/reportformats.h"
#include "export/summary.h"
#include "render/chartimage.h"
#include "render/pdfreport.h"
#include "testutil.h"

#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>

#include <numeric>
#include <random>

namespace {

const char *const kSecrets[] = {
    "s3cr3t-bearer-token-value",
    "dXNlcjpodW50ZXIy",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlMTIz",
    "sk-live-apikey-998877",
    "cookie-session-4455",
    "setcookie-7788",
    "hunter2-password",
    "client-secret-xyz",
    "refresh-abc-123",
    "url-password-pw9",
    "query-token-qq77",
    "xkey-header-5566",
};

// A HAR with secrets in every place RateScope might show (tests/fixtures/secrets.har): headers,
// cookies, query strings, request bodies, URLs with user:password@, and the 429 messages.
QByteArray secretHar()
{
    QFile f(fixture(QStringLiteral("secrets.har")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing secrets.har");
    return f.readAll();
}

Summary reportOf(const QStringList &paths, std::optional<LimitSpec> limit = std::nullopt)
{
    Loaded l = loadFiles(paths);
    ReportOptions options;
    options.limit = limit;
    return makeReport(*l.store, std::move(l.reports), options);
}

} // namespace

class TestReports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noSecretLeavesInAnyFormat_data();
    void noSecretLeavesInAnyFormat();
    void rawRecordCopyIsRedacted();
    void freeText_data();
    void freeText();
    void rawRecordKeepsStatusNumbers_data();
    void rawRecordKeepsStatusNumbers();
    void htmlStaysInert();
    void csvCellsAreNeutralised_data();
    void csvCellsAreNeutralised();
    void retryFindingsMatchTheSimulatedClients();
    void retryFindingsDoNotDependOnEventOrder();
    void limitToAskFor();
    void guidanceNamesTheBindingAxis_data();
    void guidanceNamesTheBindingAxis();
    void pdfAndChart();

private:
    QTemporaryDir m_dir;
};

void TestReports::noSecretLeavesInAnyFormat_data()
{
    QTest::addColumn<QString>("format");
    for (const char *f : { "json", "md", "csv", "html" })
        QTest::addRow("%s", f) << QString::fromLatin1(f);
}

void TestReports::noSecretLeavesInAnyFormat()
{
    QFETCH(QString, format);
    const Summary s = reportOf({ fixture(QStringLiteral("secrets.har")) });
    QCOMPARE(s.rejected[0], 2); // the report is about something: both 429s were read
    QVERIFY(!s.incidents.empty() && !s.incidents.front().messages.empty());
    const RuleSet rules = RuleSet::builtIn();
    const QByteArray out = format == QLatin1String("json") ? summaryToJson(s)
        : format == QLatin1String("md")                    ? summaryToMarkdown(s, rules)
        : format == QLatin1String("csv")                   ? summaryToCsv(s)
                                                           : summaryToHtml(s, rules, {});
    for (const char *secret : kSecrets)
        QVERIFY2(!out.contains(secret), secret);
    if (format != QLatin1String("csv"))
        QVERIFY(out.contains("[REDACTED]"));
}

void TestReports::rawRecordCopyIsRedacted()
{
    const Redactor r = Redactor::builtIn();
    const std::string copied = r.record(secretHar().toStdString());
    for (const char *secret : kSecrets)
        QVERIFY2(copied.find(secret) == std::string::npos, secret);
    QVERIFY(copied.find("gmail_fetch_mails") != std::string::npos); // the rest stays readable
    QVERIFY(copied.find("RATE_LIMIT_EXCEEDED") != std::string::npos);
    // a PyGithub exchange (not JSON): header tuples and dicts
    const std::string py
        = r.record("https\nGET\napi.github.com\nNone\n/user\n{'Authorization': 'token "
                   "ghp_secret123456'}\nNone\n200\n"
                   "[('x-ratelimit-remaining', '0'), ('set-cookie', 'logged_in=yes-secret')]\n{}");
    QVERIFY2(py.find("ghp_secret123456") == std::string::npos, py.c_str());
    QVERIFY2(py.find("yes-secret") == std::string::npos, py.c_str());
    QVERIFY(py.find("x-ratelimit-remaining', '0'") != std::string::npos);
}

void TestReports::freeText_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::addRow("bearer") << "Authorization: Bearer abcdef123456"
                            << "Authorization: Bearer [REDACTED]";
    QTest::addRow("name=value") << "retry with api_key=abc123 later"
                                << "retry with api_key=[REDACTED] later";
    QTest::addRow("JSON pair") << R"({"client_secret": "xyz"})"
                               << R"({"client_secret": "[REDACTED]"})";
    QTest::addRow("name ignoring case, - and _") << "Access-Token: t0k3n"
                                                 << "Access-Token: [REDACTED]";
    QTest::addRow("JWT") << "jwt eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl ok"
                         << "jwt [REDACTED] ok";
    QTest::addRow("URL with password and token")
        << "see https://me:pw@host/p?token=t&a=1"
        << "see https://[REDACTED]@host/p?token=[REDACTED]&a=1";
    QTest::addRow("ordinary message stays")
        << "User-rate limit exceeded. Retry after 2026-01-05T10:03:00Z"
        << "User-rate limit exceeded. Retry after 2026-01-05T10:03:00Z";
    QTest::addRow("keyword without value stays") << "rate limit key exceeded"
                                                 << "rate limit key exceeded";
    QTest::addRow("status code stays") << "error code: 8, state=2"
                                       << "error code: 8, state=2";
    QTest::addRow("OAuth code goes") << "callback?x code=4/0AX4XfWh state=af0ifjsldkj"
                                     << "callback?x code=[REDACTED] state=[REDACTED]";
    QTest::addRow("numeric password goes") << "password=123456"
                                           << "password=[REDACTED]";
}

void TestReports::rawRecordKeepsStatusNumbers_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::addRow("gRPC code") << R"({"code":8,"message":"rate limit exceeded"})"
                               << R"({"code":8,"message":"rate limit exceeded"})";
    QTest::addRow("OAuth code string") << R"({"code":"4/0AX4XfWh"})"
                                       << R"({"code":"[REDACTED]"})";
    QTest::addRow("numeric password") << R"({"password":123456})"
                                      << R"({"password":"[REDACTED]"})";
    QTest::addRow("numeric token") << R"({"token":98765432})"
                                   << R"({"token":"[REDACTED]"})";
    QTest::addRow("code as a float") << R"({"code":8.5})"
                                     << R"({"code":"[REDACTED]"})";
}

void TestReports::rawRecordKeepsStatusNumbers()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(Redactor::builtIn().record(in.toStdString(), -1)), out);
}

void TestReports::freeText()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(Redactor::builtIn().text(in.toStdString())), out);
}

void TestReports::htmlStaysInert()
{
    const QByteArray line
        = R"({"timestamp":"2026-01-05T10:00:00Z","status":429,"tool_name":"x_<b>tool</b>","body":{"error_id":"RATE_LIMITED","message":"<script>alert(1)</script><img src=x onerror=alert(2)>"}})";
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("xss.ndjson"), line + "\n");
    const Summary s = reportOf({ path });
    const QByteArray html = summaryToHtml(s, RuleSet::builtIn(), {});
    QVERIFY(!html.contains("<script"));
    QVERIFY(!html.contains("<img src=x"));
    QVERIFY(!html.contains("<b>tool"));
    QVERIFY(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    QVERIFY(html.contains("Content-Security-Policy"));
    const QByteArray md = summaryToMarkdown(s, RuleSet::builtIn());
    QVERIFY(!md.contains("<script"));
}

void TestReports::csvCellsAreNeutralised_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    // summary.md: "neutralised (quoted with a leading ')": one row per starting character
    QTest::addRow("equals: a formula") << "=HYPERLINK(\"x\")"
                                       << "\"'=HYPERLINK(\"\"x\"\")\"";
    QTest::addRow("plus") << "+1"
                          << "\"'+1\"";
    QTest::addRow("minus") << "-2"
                           << "\"'-2\"";
    QTest::addRow("at") << "@SUM(A1)"
                        << "\"'@SUM(A1)\"";
    QTest::addRow("TAB") << "\tx"
                         << "\"'\tx\"";
    QTest::addRow("CR") << "\r=1+2"
                        << "\"'\r=1+2\"";
    QTest::addRow("LF") << "\n=1+2"
                        << "\"'\n=1+2\"";
    QTest::addRow("CR LF") << "\r\n@x"
                           << "\"'\r\n@x\"";
    QTest::addRow("LF inside is quoted, not neutralised") << "a\nb"
                                                          << "\"a\nb\"";
    QTest::addRow("quote inside is doubled") << "say \"hi\""
                                             << "\"say \"\"hi\"\"\"";
    QTest::addRow("comma is quoted") << "a,b"
                                     << "\"a,b\"";
    QTest::addRow("a minute") << "2026-01-05T10:00Z"
                              << "2026-01-05T10:00Z";
    QTest::addRow("plain") << "600"
                           << "600";
}

void TestReports::csvCellsAreNeutralised()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(csvCell(in.toStdString())), out);
}

void TestReports::retryFindingsMatchTheSimulatedClients()
{
    // resources/demo is simulator output whose clients behave as app/sim documents: support
    // honours Retry-After, cal never retries, sales retries at once, inbox backs off ignoring
    // Retry-After, sync retries exactly 5 s later, image-studio polls every second.
    const Summary s
        = reportOf({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") },
            LimitSpec { 600, 60, false });
    auto flagged = [&](RetryFinding::Kind kind, const QString &prefix) {
        QStringList who;
        for (const RetryFinding &f : s.findings) {
            if (f.kind == kind && QString::fromStdString(f.client).startsWith(prefix))
                who << QString::fromStdString(f.client);
        }
        return who;
    };
    using K = RetryFinding::Kind;
    QVERIFY(flagged(K::IgnoredRetryAfter, QStringLiteral("support")).isEmpty());
    QVERIFY(flagged(K::IgnoredRetryAfter, QStringLiteral("cal")).isEmpty());
    QVERIFY(flagged(K::SynchronizedRetries, QStringLiteral("support")).isEmpty());
    QVERIFY(flagged(K::SynchronizedRetries, QStringLiteral("inbox")).isEmpty()); // jittered
    QVERIFY(
        flagged(K::SynchronizedRetries, QStringLiteral("sales")).isEmpty()); // immediate, not fixed
    QVERIFY(flagged(K::IgnoredRetryAfter, QStringLiteral("sales")).size() >= 1);
    QVERIFY(flagged(K::IgnoredRetryAfter, QStringLiteral("inbox")).size() >= 1);
    QVERIFY(flagged(K::IgnoredRetryAfter, QStringLiteral("sync")).size() >= 3);
    const QStringList sync = flagged(K::SynchronizedRetries, QStringLiteral("sync"));
    QVERIFY(sync.size() >= 3);
    for (const RetryFinding &f : s.findings) {
        if (f.kind == K::SynchronizedRetries)
            QVERIFY2(std::fabs(f.seconds - 5.0) < 0.1, f.evidence().c_str());
    }
    bool imageStudio = false;
    for (const RetryFinding &f : s.findings) {
        if (f.kind == K::Polling && f.client == "image-studio") {
            imageStudio = true;
            QVERIFY2(std::fabs(f.seconds - 1.0) < 0.05, f.evidence().c_str());
            QCOMPARE(f.target, std::string("GET api.skytells.ai/v1/predictions/{id}"));
            QVERIFY(f.rejected > 0);
        }
        QVERIFY(!(f.kind == K::Polling
            && QString::fromStdString(f.client).startsWith(QStringLiteral("sales"))));
    }
    QVERIFY(imageStudio);
}

void TestReports::retryFindingsDoNotDependOnEventOrder()
{
    // Logs are not always in time order (merged files, clock skew, a HAR's parallel requests):
    // the demo's events visited in a shuffled order must give the same findings, number for
    // number, as in file order (a group's events are put in time order before they are read).
    const Loaded l
        = loadFiles({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    const std::vector<RetryFinding> inOrder = analyzeRetries(*l.store);
    QVERIFY(inOrder.size() >= 8); // every kind is there to compare
    EventSubset shuffled(l.store->size());
    std::iota(shuffled.begin(), shuffled.end(), 0u);
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
    const std::vector<RetryFinding> outOfOrder = analyzeRetries(*l.store, &shuffled);
    QCOMPARE(outOfOrder.size(), inOrder.size());
    for (std::size_t i = 0; i < inOrder.size(); ++i) {
        const RetryFinding &a = inOrder[i], &b = outOfOrder[i];
        QCOMPARE(int(b.kind), int(a.kind));
        QCOMPARE(b.client, a.client);
        QCOMPARE(b.target, a.target);
        QCOMPARE(b.count, a.count);
        QCOMPARE(b.total, a.total);
        QCOMPARE(b.seconds, a.seconds);
        QCOMPARE(b.retryAfterS, a.retryAfterS);
        QCOMPARE(b.rejected, a.rejected);
        QCOMPARE(b.baseline, a.baseline);
        QCOMPARE(b.firstMs, a.firstMs);
        QCOMPARE(b.lastMs, a.lastMs);
        QCOMPARE(b.examplesMs, a.examplesMs);
    }
}

void TestReports::limitToAskFor()
{
    const Summary s = reportOf({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    QVERIFY(s.limitAsk);
    QCOMPARE(s.limitAsk->peakRpm, 12);
    QCOMPARE(s.limitAsk->requestsPerMinute, 16); // ceil(12 * 1.3)
    QVERIFY(summaryToMarkdown(s, RuleSet::builtIn()).contains("**16 requests/min**"));
}

void TestReports::guidanceNamesTheBindingAxis_data()
{
    QTest::addColumn<QString>("axis"); // every incident's binding
    QTest::addColumn<QString>("says");
    QTest::addRow("requests") << "requests"
                              << "ask for a higher limit: your expected peak requests per minute";
    QTest::addRow("tokens") << "tokens"
                            << "ask for a higher tokens-per-minute limit";
    QTest::addRow("input tokens") << "input_tokens"
                                  << "ask for a higher input-tokens-per-minute limit";
    QTest::addRow("output tokens") << "output_tokens"
                                   << "ask for a higher output-tokens-per-minute limit";
    QTest::addRow("concurrency") << "concurrency"
                                 << "Send fewer requests in flight";
}

// Each incident's "What to do" names the axis whose limit bit first (limits.md §5), in
// Markdown and HTML alike; the JSON has no guidance.
void TestReports::guidanceNamesTheBindingAxis()
{
    QFETCH(QString, axis);
    QFETCH(QString, says);
    Summary s = reportOf({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    int rateLimited = 0;
    for (Incident &inc : s.incidents) {
        inc.binding.axis = limitAxisFromName(axis);
        rateLimited += inc.dominant == RejectionSource::RateLimited;
    }
    QVERIFY(rateLimited > 0);
    const RuleSet rules = RuleSet::builtIn();
    const QString md = QString::fromUtf8(summaryToMarkdown(s, rules));
    const QString html = QString::fromUtf8(summaryToHtml(s, rules, QByteArray()));
    QCOMPARE(md.count(says), rateLimited);
    QCOMPARE(html.count(says), rateLimited);
}

void TestReports::pdfAndChart()
{
    const Summary s
        = reportOf({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") },
            LimitSpec { 600, 60, false });
    const QImage chart = renderRateChart(s, QSize(1200, 420));
    QHash<QRgb, int> seen;
    for (int y = 0; y < chart.height(); ++y)
        for (int x = 0; x < chart.width(); ++x)
            ++seen[chart.pixel(x, y) | 0xFF000000];
    QVERIFY(seen.value(sourceRgb(RejectionSource::RateLimited)) > 500); // the platform burst
    QVERIFY(seen.value(sourceRgb(RejectionSource::ToolError)) > 500); // the provider incidents
    const QByteArray pdf = summaryToPdf(s, RuleSet::builtIn(), chartPng(s));
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.size() > 20000);
    const QByteArray html = summaryToHtml(s, RuleSet::builtIn(), chartPng(s));
    QVERIFY(html.contains("src=\"data:image/png;base64,iVBOR"));
}

QTEST_MAIN(TestReports)
#include "tst_reports.moc"
