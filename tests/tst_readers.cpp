// Every reader against real captures from public projects (tests/fixtures/samples, see
// PROVENANCE.md).
#include "decode/timestamp.h"
#include "export/summary.h"
#include "testutil.h"

class TestReaders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realCaptures_data();
    void realCaptures();
    void statusZeroIsARequestNotARejection();
    void harOffsetsBecomeUtc();
    void github403RetryAfterIsRateLimited();
    void nockTimeComesFromDateHeader();
    void redditFloatHeadersAreNotRejections();
    void entryLineNumbersInPrettyDocuments();
};

void TestReaders::realCaptures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<int>("rateLimited");
    QTest::addColumn<int>("reportedLimit"); // -1: none
    QTest::addColumn<QString>("firstError"); // substring of the first error, "" for none

    QTest::addRow("HAR from Chrome: 304, 200 and a status-0 entry")
        << "mitmproxy_chrome.har"
        << "har" << 3 << 0 << 0 << -1 << "";
    QTest::addRow("HAR from Firefox with -07:00 offsets") << "mitmproxy_firefox.har"
                                                          << "har" << 14 << 0 << 0 << -1 << "";
    QTest::addRow("HAR starting with a UTF-8 BOM") << "mitmproxy_with-bom.har"
                                                   << "har" << 1 << 0 << 0 << -1 << "";
    QTest::addRow("HAR from Charles without blocked timings") << "mitmproxy_charles.har"
                                                              << "har" << 1 << 0 << 0 << -1 << "";
    QTest::addRow("HAR from Insomnia with -1 timings") << "mitmproxy_insomnia.har"
                                                       << "har" << 1 << 0 << 0 << -1 << "";
    QTest::addRow("HAR with status 0 and 405") << "mitmproxy_error_log.har"
                                               << "har" << 2 << 0 << 0 << -1 << "";
    QTest::addRow("HAR of event streams") << "mitmproxy_event_stream.har"
                                          << "har" << 2 << 0 << 0 << -1 << "";
    QTest::addRow("HAR entries without startedDateTime are skipped")
        << "haralyzer_missing_pageref.har"
        << "har" << 0 << 2 << 0 << -1 << "startedDateTime";
    QTest::addRow("large HAR: 292 entries of a page load") << "haralyzer_cnn-chrome.har"
                                                           << "har" << 292 << 0 << 0 << -1 << "";
    QTest::addRow("Polly HAR of GitHub with x-ratelimit-limit 60")
        << "pollyjs_github_getUser.har"
        << "har" << 1 << 0 << 0 << 60 << "";
    QTest::addRow("nock fixture with rawHeaders") << "octokit_errors.raw-fixture.json"
                                                  << "nock" << 3 << 0 << 0 << 5000 << "";
    QTest::addRow("nock fixture of 20 paginated requests")
        << "octokit_paginate-issues.raw-fixture.json"
        << "nock" << 20 << 0 << 0 << 5000 << "";
    QTest::addRow("nock fixture mixing core and search buckets")
        << "octokit_search-issues.raw-fixture.json"
        << "nock" << 5 << 0 << 0 << 30 << "";
    QTest::addRow("Betamax cassette of Reddit")
        << "praw_TestModNotes.test_delete_note__all_notes.json"
        << "betamax" << 29 << 0 << 0 << -1 << "";
    QTest::addRow("PyGithub primary rate limit: 403 with remaining 0")
        << "pygithub_SpecificExceptions.testRateLimitExceeded.txt"
        << "pygithub" << 2 << 0 << 1 << 60 << "";
    QTest::addRow("PyGithub secondary limit: 403 with Retry-After")
        << "pygithub_SpecificExceptions.testAuthenticatedRateLimitExceeded.txt"
        << "pygithub" << 2 << 0 << 1 << 30 << "";
    QTest::addRow("PyGithub rate_limit endpoint") << "pygithub_RateLimiting.testRateLimiting.txt"
                                                  << "pygithub" << 2 << 0 << 0 << 5000 << "";
}

void TestReaders::realCaptures()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(int, records);
    QFETCH(int, skipped);
    QFETCH(int, rateLimited);
    QFETCH(int, reportedLimit);
    QFETCH(QString, firstError);

    const Loaded l = loadFiles({ fixture(QStringLiteral("samples/") + file) });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.format, format);
    QCOMPARE(r.records, records);
    QCOMPARE(r.skipped, skipped);
    QCOMPARE(int(l.store->size()), records);
    QCOMPARE(countSource(*l.store, RejectionSource::RateLimited), rateLimited);
    QCOMPARE(countSource(*l.store, RejectionSource::ToolError), 0);
    QCOMPARE(smallestReportedLimit(*l.store), reportedLimit);
    if (firstError.isEmpty()) {
        QVERIFY(r.errors.empty());
    } else {
        QVERIFY(!r.errors.empty());
        QVERIFY2(
            r.errors.front().message.contains(firstError), qPrintable(r.errors.front().message));
        QVERIFY(r.errors.front().line >= 1);
    }
}

void TestReaders::statusZeroIsARequestNotARejection()
{
    const Loaded l = loadFiles({ fixture(QStringLiteral("samples/mitmproxy_chrome.har")) });
    int failed = 0;
    for (std::size_t i = 0; i < l.store->size(); ++i) {
        if (l.store->flags(i) & FlagNoResponse) {
            ++failed;
            QCOMPARE(l.store->status(i), 0);
            QCOMPARE(l.store->source(i), RejectionSource::None);
        }
    }
    QCOMPARE(failed, 1);
}

void TestReaders::harOffsetsBecomeUtc()
{
    const Loaded l = loadFiles({ fixture(QStringLiteral("samples/mitmproxy_firefox.har")) });
    QVERIFY(l.store->size() > 0);
    // the first entry: "startedDateTime": "2023-03-29T16:58:59.303-07:00"
    QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(0))),
        QStringLiteral("2023-03-29T23:58:59.303Z"));
}

void TestReaders::github403RetryAfterIsRateLimited()
{
    const Loaded l = loadFiles({ fixture(QStringLiteral(
        "samples/pygithub_SpecificExceptions.testAuthenticatedRateLimitExceeded.txt")) });
    const Summary s = buildSummary(*l.store, {}, std::nullopt, 5);
    QCOMPARE(s.incidents.size(), std::size_t(1));
    const Incident &inc = s.incidents.front();
    QCOMPARE(inc.dominant, RejectionSource::RateLimited);
    QVERIFY(inc.maxRetryAfterS.has_value());
    QCOMPARE(*inc.maxRetryAfterS, 60.0);
    QCOMPARE(inc.messages.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(inc.messages.front().name)
                .startsWith(QStringLiteral("You have triggered an abuse detection mechanism")));
}

void TestReaders::nockTimeComesFromDateHeader()
{
    const Loaded l
        = loadFiles({ fixture(QStringLiteral("samples/octokit_errors.raw-fixture.json")) });
    QCOMPARE(l.store->size(), std::size_t(3));
    // Date: Tue, 19 Jul 2022 04:37:36 GMT on the first response
    QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(0))),
        QStringLiteral("2022-07-19T04:37:36.000Z"));
    QCOMPARE(l.store->status(0), 201);
    QCOMPARE(QString::fromUtf8(l.store->endpoint(0).data(), int(l.store->endpoint(0).size())),
        QStringLiteral("api.github.com:443/orgs/octokit-fixture-org/repos"));
}

void TestReaders::redditFloatHeadersAreNotRejections()
{
    const Loaded l = loadFiles(
        { fixture(QStringLiteral("samples/praw_TestModNotes.test_delete_note__all_notes.json")) });
    QCOMPARE(l.store->size(), std::size_t(29));
    int errors = 0;
    for (std::size_t i = 0; i < l.store->size(); ++i) {
        QCOMPARE(
            l.store->source(i), RejectionSource::None); // 500 and 400s are failures, not limits
        errors += l.store->status(i) >= 400;
    }
    QCOMPARE(errors, 7);
}

void TestReaders::entryLineNumbersInPrettyDocuments()
{
    const Loaded l = loadFiles(
        { fixture(QStringLiteral("samples/octokit_paginate-issues.raw-fixture.json")) });
    QCOMPARE(l.store->size(), std::size_t(20));
    QCOMPARE(l.store->line(0), 2u); // "[" on line 1, the first entry's "{" on line 2
    for (std::size_t i = 1; i < l.store->size(); ++i)
        QVERIFY(l.store->line(i) > l.store->line(i - 1));
}

QTEST_GUILESS_MAIN(TestReaders)
#include "tst_readers.moc"
