// Rate-limit headers of formats.md §3 (decode/ratelimitheaders.h). Rows built from real
// captures name the file in /work/shared/samples they were copied from.
#include "decode/ratelimitdialects.h"
#include "decode/ratelimitheaders.h"
#include "decode/timestamp.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <deque>
#include <limits>
#include <string>

class TestRateLimitHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void read_data();
    void read();
    void dialects_data();
    void dialects();
    void builtInSamples_data();
    void builtInSamples();
    void aWrongSampleIsCaught();
    void theTableDecides_data();
    void theTableDecides();
    void brokenTablesAreRefused_data();
    void brokenTablesAreRefused();
    void retryAfter_data();
    void retryAfter();
    void remainingZero_data();
    void remainingZero();
    void number_data();
    void number();
    void goDuration_data();
    void goDuration();
};

namespace {
constexpr qint64 kNone = std::numeric_limits<qint64>::min();
const double kNoRetry = std::numeric_limits<double>::quiet_NaN();
constexpr qint64 kT = 1698434345000; // 2023-10-27T19:19:05Z, the record time of most rows

// "Name: value" lines -> HeaderFields whose views point into `storage`.
std::vector<HeaderField> makeHeaders(const QStringList &lines, std::deque<std::string> &storage)
{
    std::vector<HeaderField> out;
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        storage.push_back(line.left(colon).toStdString());
        const std::string_view name = storage.back();
        storage.push_back(line.mid(colon + 1).toStdString()); // leading space kept: OWS
        out.push_back(HeaderField { name, storage.back() });
    }
    return out;
}

std::optional<std::int64_t> timeOrNone(qint64 t)
{
    return t == kNone ? std::nullopt : std::optional<std::int64_t>(t);
}

QByteArray builtInText()
{
    QFile f(QStringLiteral(":/rules/ratelimit-dialects.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no compiled-in dialect table");
    return f.readAll();
}

// resources/rules/ratelimit-dialects.json with an RFC 6902 JSON Patch applied.
std::optional<RateLimitDialects> patchedTable(const QByteArray &patch, QString *error)
{
    using nlohmann::json;
    const QByteArray text = builtInText();
    const json doc = json::parse(text.constBegin(), text.constEnd())
                         .patch(json::parse(patch.constBegin(), patch.constEnd()));
    return RateLimitDialects::fromJson(QByteArray::fromStdString(doc.dump()), error);
}

QString shown(std::optional<std::int64_t> v, bool time = false)
{
    if (!v)
        return QStringLiteral("null");
    return time ? QString::fromStdString(formatUtcMs(*v)) : QString::number(*v);
}

// What differs between a sample's expectation and what the reader makes of its headers
// ("" when nothing does).
QString sampleMismatch(const RateLimitDialects &table, const RateLimitDialects::Sample &sample)
{
    std::vector<HeaderField> headers;
    for (const auto &[name, value] : sample.headers)
        headers.push_back(HeaderField { name, value });
    const std::string url = sample.host.empty() ? std::string() : "https://" + sample.host + "/";
    const RateLimitInfo info = readRateLimitHeaders(headers, sample.timeMs, url, table);
    QStringList out;
    auto check = [&out](const char *what, std::optional<std::int64_t> got,
                     std::optional<std::int64_t> want, bool time = false) {
        if (got != want)
            out << QStringLiteral("%1: got %2, expected %3")
                       .arg(QLatin1String(what), shown(got, time), shown(want, time));
    };
    check("limit", info.limit, sample.limit);
    check("window_s", info.windowS, sample.windowS);
    check("remaining", info.remaining, sample.remaining);
    check("reset", info.resetMs, sample.resetMs, true);
    return out.join(QStringLiteral("; "));
}
}

void TestRateLimitHeaders::read_data()
{
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<qint64>("recordTime");
    QTest::addColumn<bool>("hasRetryAfter");
    QTest::addColumn<double>("retryAfter");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("window");
    QTest::addColumn<qint64>("remaining");
    QTest::addColumn<qint64>("reset");
    QTest::addColumn<bool>("remainingZero");

    // har/pollyjs_github_getUser.har (startedDateTime 2022-02-19T05:56:54.149Z)
    QTest::addRow("github getUser, epoch reset")
        << QStringList { "x-ratelimit-limit: 60", "x-ratelimit-remaining: 59",
               "x-ratelimit-reset: 1645253814", "x-ratelimit-resource: core", "x-ratelimit-used: 1",
               "access-control-expose-headers: ETag, Link, Location, "
               "Retry-After, X-GitHub-OTP, X-RateLimit-Limit" }
        << qint64(1645250214149) << false << kNoRetry << qint64(60) << qint64(3600) << qint64(59)
        << qint64(1645253814000) << false;
    // har/haralyzer_missing_pageref.har: mixed-case names, entry without a time
    QTest::addRow("haralyzer mixed case, no record time")
        << QStringList { "X-Ratelimit-Limit: 150", "X-Ratelimit-Remaining: 146",
               "X-Ratelimit-Reset: 1521589680" }
        << kNone << false << kNoRetry << qint64(150) << kNone << qint64(146)
        << qint64(1521589680000) << false;
    // recorded_api/praw_TestModNotes.test_delete_note__all_notes.json, first interaction
    // (recorded_at 2022-04-30T21:52:49): float remaining, seconds-until reset, no limit
    QTest::addRow("reddit float remaining, seconds-until reset")
        << QStringList { "Date: Sat, 30 Apr 2022 21:52:49 GMT", "x-ratelimit-remaining: 596.0",
               "x-ratelimit-reset: 432", "x-ratelimit-used: 4" }
        << qint64(1651355569000) << false << kNoRetry << kNone << kNone << qint64(596)
        << qint64(1651356001000) << false;
    QTest::addRow("reddit seconds-until without record time")
        << QStringList { "x-ratelimit-remaining: 595.0", "x-ratelimit-reset: 431" } << kNone
        << false << kNoRetry << kNone << kNone << qint64(595) << kNone << false;
    // recorded_api/pygithub_SpecificExceptions.testRateLimitExceeded.txt, the 403
    QTest::addRow("pygithub primary limit 403, remaining 0")
        << QStringList { "status: 403 Forbidden", "x-ratelimit-remaining: 0",
               "x-ratelimit-limit: 60", "date: Fri, 17 May 2013 12:23:56 GMT" }
        << qint64(1368793436000) << false << kNoRetry << qint64(60) << kNone << qint64(0) << kNone
        << true;
    // recorded_api/pygithub_SpecificExceptions.testAuthenticatedRateLimitExceeded.txt, the 403
    QTest::addRow("pygithub secondary limit 403, Retry-After 60")
        << QStringList { "Date: Tue, 23 Oct 2018 06:16:56 GMT", "Status: 403 Forbidden",
               "Retry-After: 60", "X-RateLimit-Limit: 30", "X-RateLimit-Remaining: 25",
               "X-RateLimit-Reset: 1540275467" }
        << qint64(1540275416000) << true << 60.0 << qint64(30) << kNone << qint64(25)
        << qint64(1540275467000) << false;
    // issue_captures/anthropic_429_headers_anthropic-sdk-typescript-357.txt
    QTest::addRow("anthropic 429, RFC 3339 reset, tokens ignored")
        << QStringList { "anthropic-ratelimit-requests-limit: 5",
               "anthropic-ratelimit-requests-remaining: 0",
               "anthropic-ratelimit-requests-reset: 2024-03-26T20:00:00Z",
               "anthropic-ratelimit-tokens-limit: 25000",
               "anthropic-ratelimit-tokens-remaining: 16000",
               "anthropic-ratelimit-tokens-reset: 2024-03-26T20:00:00Z",
               "date: Tue, 26 Mar 2024 19:59:59 GMT", "x-should-retry: true" }
        << qint64(1711483199000) << false << kNoRetry << qint64(5) << qint64(60) << qint64(0)
        << qint64(1711483200000) << false;
    QTest::addRow("anthropic tokens only: no request limit")
        << QStringList { "anthropic-ratelimit-tokens-limit: 25000",
               "anthropic-ratelimit-input-tokens-limit: 100" }
        << kT << false << kNoRetry << kNone << kNone << kNone << kNone << false;

    // llm/crmne__ruby_llm__mistral_multiturn.yml: Mistral's per-minute request bucket, no reset
    QTest::addRow("mistral req-minute, tokens-minute ignored")
        << QStringList { "X-Ratelimit-Limit-Tokens-Minute: 100000",
               "X-Ratelimit-Remaining-Tokens-Minute: 98188", "X-Ratelimit-Tokens-Query-Cost: 166",
               "X-Ratelimit-Limit-Req-Minute: 100", "X-Ratelimit-Remaining-Req-Minute: 97" }
        << kT << false << kNoRetry << qint64(100) << qint64(60) << qint64(97) << kNone << false;
    // OpenAI (documented header names; request limits are per minute while resets are <= 60 s)
    QTest::addRow("openai requests, 6m0s reset: not per minute")
        << QStringList { "x-ratelimit-limit-requests: 10000", "x-ratelimit-limit-tokens: 200",
               "x-ratelimit-remaining-requests: 9999", "x-ratelimit-remaining-tokens: 150",
               "x-ratelimit-reset-requests: 6m0s", "x-ratelimit-reset-tokens: 1s" }
        << kT << false << kNoRetry << qint64(10000) << kNone << qint64(9999) << kT + 360000
        << false;
    QTest::addRow("openai 20ms reset")
        << QStringList { "x-ratelimit-limit-requests: 3", "x-ratelimit-reset-requests: 20ms" } << kT
        << false << kNoRetry << qint64(3) << qint64(60) << kNone << kT + 20 << false;
    QTest::addRow("openai 1s reset")
        << QStringList { "x-ratelimit-limit-requests: 3", "x-ratelimit-reset-requests: 1s" } << kT
        << false << kNoRetry << qint64(3) << qint64(60) << kNone << kT + 1000 << false;
    QTest::addRow("openai remaining-requests 0 is not remainingZero")
        << QStringList { "x-ratelimit-limit-requests: 3", "x-ratelimit-remaining-requests: 0" }
        << kT << false << kNoRetry << qint64(3) << qint64(60) << qint64(0) << kNone << false;
    QTest::addRow("openai reset without record time")
        << QStringList { "x-ratelimit-limit-requests: 3", "x-ratelimit-reset-requests: 6m0s" }
        << kNone << false << kNoRetry << qint64(3) << qint64(60) << kNone << kNone << false;
    QTest::addRow("openai tokens only: no request limit")
        << QStringList { "x-ratelimit-limit-tokens: 40000", "x-ratelimit-remaining-tokens: 0" }
        << kT << false << kNoRetry << kNone << kNone << kNone << kNone << false;

    // IETF drafts
    QTest::addRow("ietf RateLimit-Limit/-Remaining/-Reset")
        << QStringList { "RateLimit-Limit: 100", "RateLimit-Remaining: 50", "RateLimit-Reset: 5" }
        << kT << false << kNoRetry << qint64(100) << kNone << qint64(50) << kT + 5000 << false;
    QTest::addRow("ietf limit with quota policies")
        << QStringList { "RateLimit-Limit: 10, 10;w=1, 50;w=60", "RateLimit-Remaining: 9" } << kT
        << false << kNoRetry << qint64(10) << qint64(1) << qint64(9) << kNone << false;
    QTest::addRow("ietf combined RateLimit dictionary")
        << QStringList { "RateLimit: limit=100, remaining=50, reset=5" } << kT << false << kNoRetry
        << qint64(100) << kNone << qint64(50) << kT + 5000 << false;
    QTest::addRow("ietf RateLimit-Policy + RateLimit")
        << QStringList { "RateLimit-Policy: \"p\";q=100;w=60", "RateLimit: \"p\";r=50;t=30" } << kT
        << false << kNoRetry << qint64(100) << qint64(60) << qint64(50) << kT + 30000 << false;
    QTest::addRow("ietf RateLimit before RateLimit-Policy")
        << QStringList { "RateLimit: \"p\";r=50;t=30", "RateLimit-Policy: \"p\";q=100;w=60" } << kT
        << false << kNoRetry << qint64(100) << qint64(60) << qint64(50) << kT + 30000 << false;
    QTest::addRow("ietf two policies: smallest, matched by name")
        << QStringList { "RateLimit-Policy: \"burst\";q=100;w=60, \"daily\";q=1000;w=86400",
               "RateLimit: \"daily\";r=900;t=3000, \"burst\";r=5;t=10" }
        << kT << false << kNoRetry << qint64(100) << qint64(60) << qint64(5) << kT + 10000 << false;
    QTest::addRow("ietf policy in content-bytes is not a request limit")
        << QStringList { "RateLimit-Policy: \"bytes\";q=10;qu=\"content-bytes\";w=1, "
                         "\"req\";q=500;w=60" }
        << kT << false << kNoRetry << qint64(500) << qint64(60) << kNone << kNone << false;
    QTest::addRow("ietf older policy names the limit's window")
        << QStringList { "RateLimit-Limit: 100", "RateLimit-Policy: 100;w=60" } << kT << false
        << kNoRetry << qint64(100) << qint64(60) << kNone << kNone << false;

    // Skytells
    QTest::addRow("skytells window 60")
        << QStringList { "x-skytells-ratelimit-limit-requests: 100",
               "x-skytells-ratelimit-remaining-requests: 0", "x-skytells-ratelimit-window: 60" }
        << kT << false << kNoRetry << qint64(100) << qint64(60) << qint64(0) << kNone << false;
    QTest::addRow("skytells window 60s")
        << QStringList { "x-skytells-ratelimit-limit-requests: 100",
               "x-skytells-ratelimit-window: 60s" }
        << kT << false << kNoRetry << qint64(100) << qint64(60) << kNone << kNone << false;
    QTest::addRow("skytells window 1m, before the limit")
        << QStringList { "x-skytells-ratelimit-window: 1m",
               "x-skytells-ratelimit-limit-requests: 100" }
        << kT << false << kNoRetry << qint64(100) << qint64(60) << kNone << kNone << false;
    QTest::addRow("skytells window 10s")
        << QStringList { "X-Skytells-RateLimit-Limit-Requests: 20",
               "X-Skytells-RateLimit-Window: 10s" }
        << kT << false << kNoRetry << qint64(20) << qint64(10) << kNone << kNone << false;
    QTest::addRow("skytells limit without window")
        << QStringList { "x-skytells-ratelimit-limit-requests: 100" } << kT << false << kNoRetry
        << qint64(100) << kNone << kNone << kNone << false;
    QTest::addRow("skytells garbage window")
        << QStringList { "x-skytells-ratelimit-limit-requests: 100",
               "x-skytells-ratelimit-window: soon" }
        << kT << false << kNoRetry << qint64(100) << kNone << kNone << kNone << false;

    // Several request limits: the smallest, with its own window
    QTest::addRow("smallest: anthropic under github-style")
        << QStringList { "x-ratelimit-limit: 5000", "x-ratelimit-remaining: 4999",
               "anthropic-ratelimit-requests-limit: 50",
               "anthropic-ratelimit-requests-remaining: 49" }
        << kT << false << kNoRetry << qint64(50) << qint64(60) << qint64(49) << kNone << false;
    QTest::addRow("smallest: github-style under skytells")
        << QStringList { "x-skytells-ratelimit-limit-requests: 600",
               "x-skytells-ratelimit-window: 1m", "x-ratelimit-limit: 30" }
        << kT << false << kNoRetry << qint64(30) << kNone << kNone << kNone << false;
    QTest::addRow("smallest: skytells under ietf policy")
        << QStringList { "RateLimit-Policy: \"p\";q=100;w=60",
               "x-skytells-ratelimit-limit-requests: 20", "x-skytells-ratelimit-window: 10" }
        << kT << false << kNoRetry << qint64(20) << qint64(10) << kNone << kNone << false;

    // Values
    QTest::addRow("float limit and remaining")
        << QStringList { "x-ratelimit-limit: 600.0", "x-ratelimit-remaining: 596.0" } << kT << false
        << kNoRetry << qint64(600) << kNone << qint64(596) << kNone << false;
    QTest::addRow("reset as an HTTP-date")
        << QStringList { "x-ratelimit-reset: Fri, 27 Oct 2023 19:20:05 GMT" } << kT << false
        << kNoRetry << kNone << kNone << kNone << kT + 60000 << false;
    QTest::addRow("reset as epoch ms")
        << QStringList { "x-ratelimit-reset: 1645253814000" } << kT << false << kNoRetry << kNone
        << kNone << kNone << qint64(1645253814000) << false;
    QTest::addRow("reset as fractional epoch seconds")
        << QStringList { "x-ratelimit-reset: 1470173023.123" } << kT << false << kNoRetry << kNone
        << kNone << kNone << qint64(1470173023123) << false;
    QTest::addRow("garbage values ignored")
        << QStringList { "x-ratelimit-limit: abc", "x-ratelimit-remaining: -5",
               "x-ratelimit-reset: soon", "RateLimit: \"p\";r=;t=abc",
               "RateLimit-Policy: \"unterminated;q=5", "anthropic-ratelimit-requests-limit: NaN",
               "x-ratelimit-limit-requests: 1e400", "RateLimit-Limit: ,;,;", "RateLimit: ==,;=" }
        << kT << false << kNoRetry << kNone << kNone << kNone << kNone << false;
    QTest::addRow("zero and negative limits ignored")
        << QStringList { "x-ratelimit-limit: 0", "RateLimit-Limit: -10" } << kT << false << kNoRetry
        << kNone << kNone << kNone << kNone << false;
    QTest::addRow("no rate-limit headers")
        << QStringList { "Content-Type: application/json", "Server: cloudflare" } << kT << false
        << kNoRetry << kNone << kNone << kNone << kNone << false;
    QTest::addRow("no headers at all") << QStringList {} << kNone << false << kNoRetry << kNone
                                       << kNone << kNone << kNone << false;

    // Retry-After in context
    QTest::addRow("retry-after fractional seconds")
        << QStringList { "Retry-After: 1.5" } << kT << true << 1.5 << kNone << kNone << kNone
        << kNone << false;
    QTest::addRow("retry-after HTTP-date from the record time")
        << QStringList { "Retry-After: Fri, 27 Oct 2023 19:19:35 GMT" } << kT << true << 30.0
        << kNone << kNone << kNone << kNone << false;
    QTest::addRow("retry-after HTTP-date without record time")
        << QStringList { "Retry-After: Fri, 27 Oct 2023 19:19:35 GMT" } << kNone << true << kNoRetry
        << kNone << kNone << kNone << kNone << false;
    QTest::addRow("retry-after repeated: largest")
        << QStringList { "Retry-After: 12", "retry-after: 30", "RETRY-AFTER: 7" } << kT << true
        << 30.0 << kNone << kNone << kNone << kNone << false;
    QTest::addRow("retry-after repeated, negative ignored")
        << QStringList { "Retry-After: -50", "Retry-After: 3" } << kT << true << 3.0 << kNone
        << kNone << kNone << kNone << false;
    QTest::addRow("retry-after negative only: present, no value")
        << QStringList { "Retry-After: -5" } << kT << true << kNoRetry << kNone << kNone << kNone
        << kNone << false;
    QTest::addRow("retry-after garbage: present, no value")
        << QStringList { "Retry-After: soon" } << kT << true << kNoRetry << kNone << kNone << kNone
        << kNone << false;
    QTest::addRow("retry-after empty: present, no value")
        << QStringList { "Retry-After:" } << kT << true << kNoRetry << kNone << kNone << kNone
        << kNone << false;
    QTest::addRow("retry-after joined by a proxy")
        << QStringList { "Retry-After: 60, 120" } << kT << true << 120.0 << kNone << kNone << kNone
        << kNone << false;
    // har/haralyzer_cnn-chrome.har: 3xx responses with Retry-After: 0
    QTest::addRow("retry-after zero") << QStringList { "Retry-After: 0" } << kT << true << 0.0
                                      << kNone << kNone << kNone << kNone << false;
    // issue_captures/discord_429_global_mismatch_discord-api-docs-1575.txt (read as seconds)
    QTest::addRow("discord retry-after as written")
        << QStringList { "date: Sat, 02 May 2020 19:29:19 GMT", "retry-after: 1614885",
               "x-ratelimit-global: true" }
        << qint64(1588447759000) << true << 1614885.0 << kNone << kNone << kNone << kNone << false;
}

void TestRateLimitHeaders::read()
{
    QFETCH(QStringList, headers);
    QFETCH(qint64, recordTime);
    QFETCH(bool, hasRetryAfter);
    QFETCH(double, retryAfter);
    QFETCH(qint64, limit);
    QFETCH(qint64, window);
    QFETCH(qint64, remaining);
    QFETCH(qint64, reset);
    QFETCH(bool, remainingZero);

    std::deque<std::string> storage;
    const RateLimitInfo info
        = readRateLimitHeaders(makeHeaders(headers, storage), timeOrNone(recordTime));
    QCOMPARE(info.hasRetryAfter, hasRetryAfter);
    QCOMPARE(info.retryAfterS.has_value(), !std::isnan(retryAfter));
    if (info.retryAfterS)
        QCOMPARE(*info.retryAfterS, retryAfter);
    QCOMPARE(qint64(info.limit.value_or(kNone)), limit);
    QCOMPARE(qint64(info.windowS.value_or(kNone)), window);
    QCOMPARE(qint64(info.remaining.value_or(kNone)), remaining);
    QCOMPARE(qint64(info.resetMs.value_or(kNone)), reset);
    QCOMPARE(info.remainingZero, remainingZero);
}

void TestRateLimitHeaders::dialects_data()
{
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<QString>("url");
    QTest::addColumn<qint64>("recordTime");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("window");
    QTest::addColumn<qint64>("remaining");
    QTest::addColumn<qint64>("reset");
    const QString none;
    const QString groq = "https://api.groq.com/openai/v1/chat/completions";

    // limits.md §3, row by row
    QTest::addRow("openai requests, 6ms reset: a minute")
        << QStringList { "x-ratelimit-limit-requests: 500", "x-ratelimit-remaining-requests: 499",
               "x-ratelimit-reset-requests: 6ms" }
        << none << kT << qint64(500) << qint64(60) << qint64(499) << kT + 6;
    QTest::addRow("openai requests, 60s reset: still a minute")
        << QStringList { "x-ratelimit-limit-requests: 500", "x-ratelimit-reset-requests: 1m0s" }
        << none << kT << qint64(500) << qint64(60) << kNone << kT + 60000;
    QTest::addRow("openai requests, 1m0.001s reset: unknown")
        << QStringList { "x-ratelimit-limit-requests: 500", "x-ratelimit-reset-requests: 1m0.001s" }
        << none << kT << qint64(500) << kNone << kNone << kT + 60001;
    QTest::addRow("openai free tier, 7m12s reset: unknown")
        << QStringList { "x-ratelimit-limit-requests: 200", "x-ratelimit-reset-requests: 7m12s" }
        << none << kT << qint64(200) << kNone << kNone << kT + 432000;
    QTest::addRow("openai free tier, 21m36.001s reset: unknown") << QStringList {
        "x-ratelimit-limit-requests: 200", "x-ratelimit-reset-requests: 21m36.001s"
    } << none << kT << qint64(200) << kNone << kNone << kT + 1296001;
    QTest::addRow("openai tokens and input images are not requests")
        << QStringList { "x-ratelimit-limit-tokens: 30", "x-ratelimit-remaining-tokens: 1",
               "x-ratelimit-reset-tokens: 1s", "x-ratelimit-limit-input-images: 5",
               "x-ratelimit-remaining-input-images: 4", "x-ratelimit-reset-input-images: 2s" }
        << none << kT << kNone << kNone << kNone << kNone;
    QTest::addRow("openai project requests under the organisation's") << QStringList {
        "x-ratelimit-limit-requests: 5000", "x-ratelimit-limit-project-requests: 50",
        "x-ratelimit-remaining-project-requests: 49"
    } << none << kT << qint64(50) << qint64(60) << qint64(49) << kNone;
    QTest::addRow("groq requests: a day")
        << QStringList { "x-ratelimit-limit-requests: 14400",
               "x-ratelimit-remaining-requests: 14399", "x-ratelimit-reset-requests: 6s",
               "x-ratelimit-limit-tokens: 12000" }
        << groq << kT << qint64(14400) << qint64(86400) << qint64(14399) << kT + 6000;
    QTest::addRow("groq host in another case, with its port")
        << QStringList { "X-Ratelimit-Limit-Requests: 14400" }
        << "https://user@API.Groq.COM:443/openai/v1/models?x=1" << kT << qint64(14400)
        << qint64(86400) << kNone << kNone;
    QTest::addRow("groq as an endpoint without scheme")
        << QStringList { "x-ratelimit-limit-requests: 30" } << "api.groq.com/openai/v1" << kT
        << qint64(30) << qint64(86400) << kNone << kNone;
    QTest::addRow("groq-like host is not groq")
        << QStringList { "x-ratelimit-limit-requests: 30" } << "https://api.groq.com.evil/v1" << kT
        << qint64(30) << qint64(60) << kNone << kNone;
    QTest::addRow("groq tokens only: no request limit")
        << QStringList { "x-ratelimit-limit-tokens: 6000", "x-ratelimit-reset-tokens: 30ms" }
        << groq << kT << kNone << kNone << kNone << kNone;
    QTest::addRow("azure openai: renewal period in seconds")
        << QStringList { "x-ratelimit-limit-requests: 100",
               "x-ratelimit-renewalperiod-requests: 10", "x-ratelimit-renewalperiod-tokens: 60",
               "x-ratelimit-limit-tokens: 1000" }
        << "https://x.openai.azure.com/openai/deployments/d" << kT << qint64(100) << qint64(10)
        << kNone << kNone;
    QTest::addRow("renewal period before the limit, as a duration")
        << QStringList { "x-ratelimit-renewalperiod-requests: 1m",
               "x-ratelimit-limit-requests: 100", "x-ratelimit-reset-requests: 5m" }
        << none << kT << qint64(100) << qint64(60) << kNone << kT + 300000;
    QTest::addRow("renewal period wins over the groq host") << QStringList {
        "x-ratelimit-limit-requests: 100", "x-ratelimit-renewalperiod-requests: 60"
    } << groq << kT << qint64(100) << qint64(60) << kNone << kNone;
    QTest::addRow("github models: x-ratelimit-type names a minute")
        << QStringList { "x-ratelimit-limit-requests: 15", "x-ratelimit-type: UserByModelByMinute" }
        << "https://models.github.ai/inference" << kT << qint64(15) << qint64(60) << kNone << kNone;
    QTest::addRow("github models: x-ratelimit-type names a day")
        << QStringList { "x-ratelimit-limit-requests: 150", "x-ratelimit-type: userbymodelbyday",
               "x-ratelimit-reset-requests: 2h" }
        << none << kT << qint64(150) << qint64(86400) << kNone << kT + 7200000;
    QTest::addRow("mistral requests per minute")
        << QStringList { "x-ratelimit-limit-req-minute: 100",
               "x-ratelimit-remaining-req-minute: 97" }
        << none << kT << qint64(100) << qint64(60) << qint64(97) << kNone;
    QTest::addRow("mistral requests per 10 seconds")
        << QStringList { "X-RateLimit-Limit-Req-10-Second: 6" } << none << kT << qint64(6)
        << qint64(10) << kNone << kNone;
    QTest::addRow("mistral per second under per minute: the smallest")
        << QStringList { "x-ratelimit-limit-req-minute: 60", "x-ratelimit-limit-req-second: 2",
               "x-ratelimit-remaining-req-second: 1", "x-ratelimit-remaining-req-minute: 59" }
        << none << kT << qint64(2) << qint64(1) << qint64(1) << kNone;
    QTest::addRow("mistral tokens per minute and month: no request limit") << QStringList {
        "x-ratelimit-limit-tokens-minute: 500000", "x-ratelimit-limit-tokens-month: 1000000000",
        "x-ratelimit-remaining-tokens-month: 5"
    } << none << kT << kNone << kNone << kNone << kNone;
    QTest::addRow("anthropic requests: a minute, RFC 3339 reset") << QStringList {
        "anthropic-ratelimit-requests-limit: 50", "anthropic-ratelimit-requests-remaining: 49",
        "anthropic-ratelimit-requests-reset: 2023-10-27T19:19:06Z"
    } << none << kT << qint64(50) << qint64(60) << qint64(49) << kT + 1000;
    QTest::addRow("anthropic input and output tokens: no request limit")
        << QStringList { "anthropic-ratelimit-input-tokens-limit: 40000",
               "anthropic-ratelimit-output-tokens-limit: 8000",
               "anthropic-ratelimit-output-tokens-reset: 2023-10-27T19:19:06Z" }
        << none << kT << kNone << kNone << kNone << kNone;
    QTest::addRow("skytells: the window header")
        << QStringList { "x-skytells-ratelimit-limit-requests: 120",
               "x-skytells-ratelimit-window: 60" }
        << none << kT << qint64(120) << qint64(60) << kNone << kNone;
    QTest::addRow("ietf policy in tokens is not the request limit")
        << QStringList { "RateLimit-Policy: \"t\";q=5000;qu=\"tokens\";w=60, \"r\";q=10;w=1" }
        << none << kT << qint64(10) << qint64(1) << kNone << kNone;
    QTest::addRow("RateLimit-Limit alone: unknown window")
        << QStringList { "RateLimit-Limit: 120" } << none << kT << qint64(120) << kNone << kNone
        << kNone;
    QTest::addRow("X-RateLimit-Limit alone: unknown window")
        << QStringList { "X-RateLimit-Limit: 120" } << none << kT << qint64(120) << kNone << kNone
        << kNone;
    QTest::addRow("github core: an hour")
        << QStringList { "X-RateLimit-Limit: 5000", "X-RateLimit-Resource: core" } << none << kT
        << qint64(5000) << qint64(3600) << kNone << kNone;
    QTest::addRow("github search: a minute")
        << QStringList { "x-ratelimit-resource: search", "x-ratelimit-limit: 30" } << none << kT
        << qint64(30) << qint64(60) << kNone << kNone;
    QTest::addRow("github resource in capitals")
        << QStringList { "x-ratelimit-limit: 5000", "x-ratelimit-resource: CORE" } << none << kT
        << qint64(5000) << qint64(3600) << kNone << kNone;
    QTest::addRow("github code_search: not documented here, unknown")
        << QStringList { "x-ratelimit-limit: 10", "x-ratelimit-resource: code_search" } << none
        << kT << qint64(10) << kNone << kNone << kNone;
    QTest::addRow("resource header without a limit")
        << QStringList { "x-ratelimit-resource: core" } << none << kT << kNone << kNone << kNone
        << kNone;

    // reset values in every form of §3
    QTest::addRow("reset: seconds until") << QStringList { "x-ratelimit-reset: 30" } << none << kT
                                          << kNone << kNone << kNone << kT + 30000;
    QTest::addRow("reset: fractional seconds until")
        << QStringList { "x-ratelimit-reset-after: 1.25" } << none << kT << kNone << kNone << kNone
        << kT + 1250;
    QTest::addRow("reset: Go duration 6m0s") << QStringList { "x-ratelimit-reset: 6m0s" } << none
                                             << kT << kNone << kNone << kNone << kT + 360000;
    QTest::addRow("reset: Go duration 12ms")
        << QStringList { "x-ratelimit-limit-requests: 9", "x-ratelimit-reset-requests: 12ms" }
        << none << kT << qint64(9) << qint64(60) << kNone << kT + 12;
    QTest::addRow("reset: Go duration 21m36.001s")
        << QStringList { "anthropic-ratelimit-requests-limit: 9",
               "anthropic-ratelimit-requests-reset: 21m36.001s" }
        << none << kT << qint64(9) << qint64(60) << kNone << kT + 1296001;
    QTest::addRow("reset: epoch seconds") << QStringList { "x-ratelimit-reset: 1698434400" } << none
                                          << kT << kNone << kNone << kNone << qint64(1698434400000);
    QTest::addRow("reset: epoch milliseconds (openrouter)")
        << QStringList { "X-RateLimit-Limit: 20", "X-RateLimit-Reset: 1754667660000" } << none << kT
        << qint64(20) << kNone << kNone << qint64(1754667660000);
    QTest::addRow("reset: RFC 3339") << QStringList { "x-ratelimit-reset: 2023-10-27T19:20:05Z" }
                                     << none << kT << kNone << kNone << kNone << kT + 60000;
    QTest::addRow("reset: RFC 3339 with an offset and a fraction")
        << QStringList { "x-skytells-ratelimit-limit-requests: 5",
               "x-skytells-ratelimit-reset-requests: 2023-10-27T21:20:05.5+02:00" }
        << none << kT << qint64(5) << kNone << kNone << kT + 60500;
    QTest::addRow("reset: 1e9 is still seconds until")
        << QStringList { "x-ratelimit-reset: 1000000000" } << none << kT << kNone << kNone << kNone
        << kT + qint64(1000000000) * 1000;
    QTest::addRow("reset: just above 1e9 is epoch seconds")
        << QStringList { "x-ratelimit-reset: 1000000001" } << none << kT << kNone << kNone << kNone
        << qint64(1000000001000);
    QTest::addRow("reset: seconds until without a record time")
        << QStringList { "x-ratelimit-reset: 30" } << none << kNone << kNone << kNone << kNone
        << kNone;
    QTest::addRow("reset: epoch without a record time")
        << QStringList { "x-ratelimit-reset: 1698434400" } << none << kNone << kNone << kNone
        << kNone << qint64(1698434400000);
}

void TestRateLimitHeaders::dialects()
{
    QFETCH(QStringList, headers);
    QFETCH(QString, url);
    QFETCH(qint64, recordTime);
    QFETCH(qint64, limit);
    QFETCH(qint64, window);
    QFETCH(qint64, remaining);
    QFETCH(qint64, reset);

    std::deque<std::string> storage;
    const std::string u = url.toStdString();
    const RateLimitInfo info
        = readRateLimitHeaders(makeHeaders(headers, storage), timeOrNone(recordTime), u);
    QCOMPARE(qint64(info.limit.value_or(kNone)), limit);
    QCOMPARE(qint64(info.windowS.value_or(kNone)), window);
    QCOMPARE(qint64(info.remaining.value_or(kNone)), remaining);
    QCOMPARE(qint64(info.resetMs.value_or(kNone)), reset);
}

void TestRateLimitHeaders::builtInSamples_data()
{
    QTest::addColumn<int>("index");
    const auto &samples = RateLimitDialects::builtIn().samples();
    QVERIFY(samples.size() >= 13); // one dialect at least each
    for (std::size_t i = 0; i < samples.size(); ++i)
        QTest::addRow("%s: %s", samples[i].dialect.c_str(), samples[i].name.c_str()) << int(i);
}

void TestRateLimitHeaders::builtInSamples()
{
    QFETCH(int, index);
    const RateLimitDialects &table = RateLimitDialects::builtIn();
    const QString mismatch = sampleMismatch(table, table.samples()[std::size_t(index)]);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestRateLimitHeaders::aWrongSampleIsCaught()
{
    // the sample check is not a tautology: a sample expecting another window fails it
    QString error;
    const auto table = patchedTable(
        R"([{"op":"replace","path":"/dialects/1/samples/2/expect/window_s","value":60}])", &error);
    QVERIFY2(table, qPrintable(error));
    const auto &samples = table->samples();
    const auto groq = std::find_if(samples.begin(), samples.end(),
        [](const RateLimitDialects::Sample &s) { return s.name == "groq: requests per day"; });
    QVERIFY(groq != samples.end());
    QCOMPARE(sampleMismatch(*table, *groq), QStringLiteral("window_s: got 86400, expected 60"));
}

void TestRateLimitHeaders::theTableDecides_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/rules/ratelimit-dialects.json
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<qint64>("builtInWindow");
    QTest::addColumn<qint64>("patchedWindow");
    QTest::addColumn<qint64>("patchedLimit");
    QTest::addRow("anthropic documented as 30 s")
        << QByteArray(R"([{"op":"replace","path":"/dialects/5/window/0/seconds","value":30}])")
        << QStringList { "anthropic-ratelimit-requests-limit: 50" } << qint64(60) << qint64(30)
        << qint64(50);
    QTest::addRow("github graphql added to the resources")
        << QByteArray(
               R"([{"op":"add","path":"/dialects/10/window/0/values/graphql","value":3600}])")
        << QStringList { "x-ratelimit-limit: 5000", "x-ratelimit-resource: graphql" } << kNone
        << qint64(3600) << qint64(5000);
    QTest::addRow("openai tokens read as requests")
        << QByteArray(R"([{"op":"replace","path":"/dialects/3/axis","value":"requests"}])")
        << QStringList { "x-ratelimit-limit-tokens: 40000", "x-ratelimit-reset-tokens: 1s" }
        << kNone << qint64(60) << qint64(40000);
    QTest::addRow("mistral names a week") << QByteArray(
        R"([{"op":"add","path":"/dialects/11/window/0/from_name/-","value":"2-week"}])")
                                          << QStringList { "x-ratelimit-limit-req-2-week: 9" }
                                          << kNone << qint64(14 * 86400) << qint64(9);
}

void TestRateLimitHeaders::theTableDecides()
{
    QFETCH(QByteArray, patch);
    QFETCH(QStringList, headers);
    QFETCH(qint64, builtInWindow);
    QFETCH(qint64, patchedWindow);
    QFETCH(qint64, patchedLimit);
    QString error;
    const auto table = patchedTable(patch, &error);
    QVERIFY2(table, qPrintable(error));
    std::deque<std::string> storage;
    const auto fields = makeHeaders(headers, storage);
    QCOMPARE(qint64(readRateLimitHeaders(fields, kT).windowS.value_or(kNone)), builtInWindow);
    const RateLimitInfo patched = readRateLimitHeaders(fields, kT, {}, *table);
    QCOMPARE(qint64(patched.windowS.value_or(kNone)), patchedWindow);
    QCOMPARE(qint64(patched.limit.value_or(kNone)), patchedLimit);
}

void TestRateLimitHeaders::brokenTablesAreRefused_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/rules/ratelimit-dialects.json
    QTest::addColumn<QString>("reason");
    QTest::addRow("unknown field in a dialect")
        << QByteArray(R"([{"op":"add","path":"/dialects/2/sene_in","value":"x"}])")
        << "dialects[2].sene_in: unknown field (known: name, axis, headers, seen_in, samples, "
           "window, grammar)";
    QTest::addRow("unknown field in a window rule")
        << QByteArray(
               R"([{"op":"add","path":"/dialects/1/window/3/while_reset_at_most","value":60}])")
        << "dialects[1].window[3].while_reset_at_most: unknown field";
    QTest::addRow("unknown field in a sample's expect")
        << QByteArray(R"([{"op":"add","path":"/dialects/0/samples/1/expect/windows","value":60}])")
        << "dialects[0].samples[1].expect.windows: unknown field";
    QTest::addRow("unknown top-level field")
        << QByteArray(R"([{"op":"add","path":"/dialect","value":[]}])") << "dialect: unknown field";
    QTest::addRow("unknown axis") << QByteArray(
        R"([{"op":"replace","path":"/dialects/3/axis","value":"token"}])")
                                  << "dialects[3].axis: unknown axis \"token\"";
    QTest::addRow("missing samples")
        << QByteArray(R"([{"op":"remove","path":"/dialects/4/samples"}])")
        << "dialects[4].samples: missing";
    QTest::addRow("no samples") << QByteArray(
        R"([{"op":"replace","path":"/dialects/4/samples","value":[]}])")
                                << "dialects[4].samples: empty";
    QTest::addRow("missing seen_in")
        << QByteArray(R"([{"op":"remove","path":"/dialects/9/seen_in"}])")
        << "dialects[9].seen_in: missing";
    QTest::addRow("a window name the grammar does not know")
        << QByteArray(
               R"([{"op":"add","path":"/dialects/11/window/0/from_name/0","value":"fortnight"}])")
        << "dialects[11].window[0].from_name[0]: \"fortnight\" is not a window name";
    QTest::addRow("{window} without from_name")
        << QByteArray(
               R"([{"op":"replace","path":"/dialects/0/headers/limit","value":"x-{window}"}])")
        << "dialects[0].headers.limit: \"x-{window}\" has {window}";
    QTest::addRow("a header named by two dialects") << QByteArray(
        R"([{"op":"replace","path":"/dialects/10/headers/limit","value":"X-RateLimit-Limit-Requests"}])")
                                                    << "dialects[10].headers.limit: "
                                                       "\"x-ratelimit-limit-requests\" is already "
                                                       "named at "
                                                       "dialects[1].headers.limit";
    QTest::addRow("zero seconds") << QByteArray(
        R"([{"op":"replace","path":"/dialects/5/window/0/seconds","value":0}])")
                                  << "dialects[5].window[0].seconds: not a whole number of seconds";
    QTest::addRow("a sample time that is no time")
        << QByteArray(
               R"([{"op":"replace","path":"/dialects/5/samples/0/time","value":"yesterday"}])")
        << "dialects[5].samples[0].time: \"yesterday\" is not an RFC 3339 time";
    QTest::addRow("a sample header without a colon")
        << QByteArray(
               R"([{"op":"add","path":"/dialects/5/samples/0/headers/0","value":"no colon"}])")
        << "dialects[5].samples[0].headers[0]: not \"Name: value\"";
    QTest::addRow("an expected limit that is text")
        << QByteArray(
               R"([{"op":"replace","path":"/dialects/5/samples/0/expect/limit","value":"5"}])")
        << "dialects[5].samples[0].expect.limit: not null or a whole number";
    QTest::addRow("a grammar the reader does not know")
        << QByteArray(R"([{"op":"replace","path":"/dialects/9/grammar","value":"sf"}])")
        << "dialects[9].grammar: \"sf\" is not a grammar";
    QTest::addRow("wrong schema") << QByteArray(
        R"([{"op":"replace","path":"/schema","value":"ratescope.ratelimit-dialects/2"}])")
                                  << "schema: not";
    QTest::addRow("not JSON at all") << QByteArray() << "invalid dialect table";
}

void TestRateLimitHeaders::brokenTablesAreRefused()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, reason);
    QString error;
    std::optional<RateLimitDialects> table;
    if (patch.isEmpty())
        table = RateLimitDialects::fromJson("{\"dialects\": [", &error);
    else
        table = patchedTable(patch, &error);
    QVERIFY(!table);
    QVERIFY2(error.startsWith(QStringLiteral("invalid dialect table: ")), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestRateLimitHeaders::retryAfter_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<double>("expected"); // NaN: nullopt
    QTest::addRow("seconds") << "12" << kNone << 12.0;
    QTest::addRow("seconds with spaces") << "  12 " << kNone << 12.0;
    QTest::addRow("fractional seconds") << "0.25" << kNone << 0.25;
    QTest::addRow("float written seconds") << "596.0" << kNone << 596.0;
    QTest::addRow("zero") << "0" << kNone << 0.0;
    QTest::addRow("negative") << "-1" << kNone << kNoRetry;
    QTest::addRow("IMF-fixdate") << "Fri, 27 Oct 2023 19:20:05 GMT" << kT << 60.0;
    QTest::addRow("RFC 850 date") << "Friday, 27-Oct-23 19:20:05 GMT" << kT << 60.0;
    QTest::addRow("asctime date") << "Fri Oct 27 19:20:05 2023" << kT << 60.0;
    QTest::addRow("date with millisecond record time")
        << "Fri, 27 Oct 2023 19:19:06 GMT" << kT + 500 << 0.5;
    QTest::addRow("date in the past is 0") << "Fri, 27 Oct 2023 19:19:00 GMT" << kT << 0.0;
    QTest::addRow("date without now") << "Fri, 27 Oct 2023 19:20:05 GMT" << kNone << kNoRetry;
    QTest::addRow("garbage") << "later" << kT << kNoRetry;
    QTest::addRow("empty") << "" << kT << kNoRetry;
    QTest::addRow("NaN") << "NaN" << kT << kNoRetry;
    QTest::addRow("inf") << "inf" << kT << kNoRetry;
    QTest::addRow("number with unit") << "12s" << kT << kNoRetry;
    QTest::addRow("RFC 3339 is not an HTTP-date") << "2023-10-27T19:20:05Z" << kT << kNoRetry;
}

void TestRateLimitHeaders::retryAfter()
{
    QFETCH(QString, value);
    QFETCH(qint64, now);
    QFETCH(double, expected);
    const auto v = parseRetryAfter(value.toStdString(), timeOrNone(now));
    QCOMPARE(v.has_value(), !std::isnan(expected));
    if (v)
        QCOMPARE(*v, expected);
}

void TestRateLimitHeaders::remainingZero_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("zero");
    QTest::addRow("0") << "x-ratelimit-remaining"
                       << "0" << true;
    QTest::addRow("0.0 (reddit style)") << "x-ratelimit-remaining"
                                        << "0.0" << true;
    QTest::addRow("spaces around 0") << "x-ratelimit-remaining"
                                     << " 0 " << true;
    QTest::addRow("upper case name") << "X-RATELIMIT-REMAINING"
                                     << "0" << true;
    QTest::addRow("GitHub case name") << "X-RateLimit-Remaining"
                                      << "0" << true;
    QTest::addRow("00") << "x-ratelimit-remaining"
                        << "00" << true;
    QTest::addRow("1") << "x-ratelimit-remaining"
                       << "1" << false;
    QTest::addRow("0.5") << "x-ratelimit-remaining"
                         << "0.5" << false;
    QTest::addRow("abc") << "x-ratelimit-remaining"
                         << "abc" << false;
    QTest::addRow("empty") << "x-ratelimit-remaining"
                           << "" << false;
    QTest::addRow("0abc") << "x-ratelimit-remaining"
                          << "0abc" << false;
    QTest::addRow("other header") << "x-ratelimit-remaining-requests"
                                  << "0" << false;
    QTest::addRow("ietf header") << "ratelimit-remaining"
                                 << "0" << false;
}

void TestRateLimitHeaders::remainingZero()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(bool, zero);
    const std::string n = name.toStdString(), v = value.toStdString();
    const RateLimitInfo info = readRateLimitHeaders({ HeaderField { n, v } }, kT);
    QCOMPARE(info.remainingZero, zero);
}

void TestRateLimitHeaders::number_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("expected"); // NaN: nullopt
    QTest::addRow("integer") << "12" << 12.0;
    QTest::addRow("spaces") << "  12\t" << 12.0;
    QTest::addRow("negative fraction") << "-3.5" << -3.5;
    QTest::addRow("plus sign") << "+4" << 4.0;
    QTest::addRow("exponent") << "1e3" << 1000.0;
    QTest::addRow("negative exponent") << "25E-2" << 0.25;
    QTest::addRow("float written") << "596.0" << 596.0;
    QTest::addRow("leading dot") << ".5" << 0.5;
    QTest::addRow("trailing dot") << "5." << 5.0;
    QTest::addRow("empty") << "" << kNoRetry;
    QTest::addRow("spaces only") << "   " << kNoRetry;
    QTest::addRow("word") << "abc" << kNoRetry;
    QTest::addRow("hex") << "0x10" << kNoRetry;
    QTest::addRow("inf") << "inf" << kNoRetry;
    QTest::addRow("nan") << "nan" << kNoRetry;
    QTest::addRow("overflow 1e400") << "1e400" << kNoRetry;
    QTest::addRow("decimal comma") << "1,5" << kNoRetry;
    QTest::addRow("trailing garbage") << "12abc" << kNoRetry;
    QTest::addRow("inner space") << "1 2" << kNoRetry;
    QTest::addRow("double sign") << "--1" << kNoRetry;
    QTest::addRow("plus minus") << "+-1" << kNoRetry;
    QTest::addRow("dangling exponent") << "1e" << kNoRetry;
    QTest::addRow("exponent only") << "e5" << kNoRetry;
    QTest::addRow("lone dot") << "." << kNoRetry;
}

void TestRateLimitHeaders::number()
{
    QFETCH(QString, text);
    QFETCH(double, expected);
    const auto v = parseNumber(text.toStdString());
    QCOMPARE(v.has_value(), !std::isnan(expected));
    if (v)
        QCOMPARE(*v, expected);
}

void TestRateLimitHeaders::goDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("expected"); // NaN: nullopt
    QTest::addRow("6m0s (openai)") << "6m0s" << 360.0;
    QTest::addRow("1s") << "1s" << 1.0;
    QTest::addRow("20ms") << "20ms" << 0.02;
    QTest::addRow("0.5s") << "0.5s" << 0.5;
    QTest::addRow("1h2m3.5s") << "1h2m3.5s" << 3723.5;
    QTest::addRow("1.5h") << "1.5h" << 5400.0;
    QTest::addRow("300us") << "300us" << 0.0003;
    QTest::addRow("1 micro sign s") << "1\u00B5s" << 0.000001;
    QTest::addRow("1 greek mu s") << "1\u03BCs" << 0.000001;
    QTest::addRow("ns") << "1500ns" << 0.0000015;
    QTest::addRow("bare zero") << "0" << 0.0;
    QTest::addRow("negative") << "-1s" << -1.0;
    QTest::addRow("spaces") << " 1s " << 1.0;
    QTest::addRow("empty") << "" << kNoRetry;
    QTest::addRow("word") << "abc" << kNoRetry;
    QTest::addRow("bare number") << "1" << kNoRetry;
    QTest::addRow("unknown unit") << "1x" << kNoRetry;
    QTest::addRow("unit only") << "s" << kNoRetry;
    QTest::addRow("missing last unit") << "1s2" << kNoRetry;
    QTest::addRow("dot without digits") << ".s" << kNoRetry;
    QTest::addRow("exponent") << "1e3s" << kNoRetry;
    QTest::addRow("two dots") << "1.2.3s" << kNoRetry;
    QTest::addRow("overflow") << "9999999999h" << kNoRetry;
    QTest::addRow("lone sign") << "-" << kNoRetry;
}

void TestRateLimitHeaders::goDuration()
{
    QFETCH(QString, text);
    QFETCH(double, expected);
    const auto v = parseGoDuration(text.toStdString());
    QCOMPARE(v.has_value(), !std::isnan(expected));
    if (v)
        QCOMPARE(*v, expected); // qFuzzyCompare for doubles
}

QTEST_GUILESS_MAIN(TestRateLimitHeaders)
#include "tst_ratelimitheaders.moc"
