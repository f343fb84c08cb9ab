// The recordings LLM projects keep: YAML cassettes (vcrpy, pydantic-ai, Ruby VCR,
// R vcr), Go httprr traces and ReqLLM fixtures, against the ten real files of
// tests/fixtures/llm (PROVENANCE.md). Expected counts were checked independently with
// scripts/llm-fixture-count.py (PyYAML + the standard library).
#include "decode/timestamp.h"
#include "export/redactor.h"
#include "model/eventdetail.h"
#include "store/rawrecordreader.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <numeric>

namespace {

// The file's events in file order (by line): the store may order equal times differently.
std::vector<std::size_t> byLine(const EventStore &store)
{
    std::vector<std::size_t> idx(store.size());
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    std::sort(idx.begin(), idx.end(),
        [&](std::size_t a, std::size_t b) { return store.line(a) < store.line(b); });
    return idx;
}

QString joined(const EventStore &store, const std::function<QString(std::size_t)> &f)
{
    QStringList parts;
    for (std::size_t i : byLine(store))
        parts << f(i);
    return parts.join(QLatin1Char(' '));
}

QString llm(const char *name) { return fixture(QStringLiteral("llm/") + QLatin1String(name)); }

} // namespace

class TestCassettes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void realRecordings_data();
    void realRecordings();
    void aTwoHundredWithRetryAfterIsNotARejection();
    void recordedAtWithoutZoneIsUtc();
    void storedBodies_data();
    void storedBodies();
    void reqLlmHeaderArraysAndCapturedAt();
    void yamlThatIsNotACassetteIsNotALog();
    void summarizeReadsAllTen();
    void detailShowsTheDecodedGzipBody();
    void detailOfAnHttprrExchangeIsDechunked();
    void detailOfAnHttprrExchangeIsRedacted();

private:
    QTemporaryDir m_dir;
};

void TestCassettes::realRecordings_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("skipped"); // records without any time
    QTest::addColumn<QString>("statuses"); // of the records with a time, in file order
    QTest::addColumn<QString>("sources"); // "-": not a rejection
    QTest::addColumn<QString>("retryAfter"); // seconds, "-": none
    QTest::addColumn<QString>("serverLimits"); // request limit read from headers, "-": none
    QTest::addColumn<int>("reportedLimit"); // the input's reported request limit, -1: none
    QTest::addColumn<QString>("firstTime"); // UTC, "" when no record
    QTest::addColumn<QString>("firstError"); // "LINE: substring", "" for none

    QTest::addRow("vcrpy: OpenAI RPM 429 then three 200s (gzip !!binary bodies)")
        << "DataDog__dd-trace-py__openai_429_rpm_batch.yaml"
        << "vcr-yaml" << 0 << "429 200 200 200"
        << "RATE_LIMITED - - -"
        << "20 - - -"
        << "200 200 200 200" << 200 << "2024-04-02T14:03:49.000Z"
        << "";
    QTest::addRow("Ruby VCR: Groq SSE stream in a |+ block")
        << "alexrudall__ruby-openai__groq_stream.yml"
        << "vcr-yaml" << 0 << "200"
        << "-"
        << "-"
        << "14400" << 14400 << "2024-04-28T14:14:21.000Z"
        << "";
    QTest::addRow("Ruby VCR: Anthropic, Title-Case ratelimit headers")
        << "crmne__ruby_llm__anthropic_multiturn.yml"
        << "vcr-yaml" << 0 << "200 200"
        << "- -"
        << "- -"
        << "10000 10000" << 10000 << "2026-08-19T14:34:14.000Z"
        << "";
    QTest::addRow("Ruby VCR: Gemini RESOURCE_EXHAUSTED (error.status), no rate-limit headers")
        << "crmne__ruby_llm__gemini_429_quota_failure.yml"
        << "vcr-yaml" << 0 << "429"
        << "RATE_LIMITED"
        << "-"
        << "-" << -1 << "2026-08-19T14:35:11.000Z"
        << "";
    QTest::addRow("Ruby VCR: Mistral, second body a Ruby !binary")
        << "crmne__ruby_llm__mistral_multiturn.yml"
        << "vcr-yaml" << 0 << "200 200"
        << "- -"
        << "- -"
        << "100 100" << 100 << "2026-08-19T14:35:13.000Z"
        << "";
    QTest::addRow("pydantic-ai: trap 200 with retry-after, no time at all")
        << "pydantic__pydantic-ai__anthropic_retry_after_on_200.yaml"
        << "vcr-yaml" << 2 << ""
        << ""
        << ""
        << "" << -1 << ""
        << "2: no time";
    QTest::addRow("pydantic-ai: three OpenRouter upstream 429s, no time at all")
        << "pydantic__pydantic-ai__openrouter_upstream_429x3.yaml"
        << "vcr-yaml" << 3 << ""
        << ""
        << ""
        << "" << -1 << ""
        << "2: no time";
    QTest::addRow("ReqLLM: OpenRouter free-models-per-min 429")
        << "social-growth-studio__req_llm__openrouter_429_free_per_min.json"
        << "reqllm" << 0 << "429"
        << "RATE_LIMITED" // OpenRouter's own limit (limits.md §7)
        << "-"
        << "20" << 20 << "2025-10-07T13:56:56.000Z"
        << "";
    QTest::addRow("R vcr: insufficient_quota 429, then two 200s")
        << "tidyverse__ellmer__openai_429_insufficient_quota.yml"
        << "vcr-yaml" << 0 << "429 200 200"
        << "RATE_LIMITED - -"
        << "- - -"
        << "- 200 200" << 200 << "2025-05-13T14:05:55.000Z"
        << "";
    QTest::addRow("httprr: Anthropic concurrent-connections 429")
        << "tmc__langchaingo__anthropic_429_concurrency.httprr"
        << "httprr" << 0 << "429"
        << "RATE_LIMITED"
        << "-"
        << "-" << -1 << "2025-05-26T23:46:52.000Z"
        << "";
}

void TestCassettes::realRecordings()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(int, skipped);
    QFETCH(QString, statuses);
    QFETCH(QString, sources);
    QFETCH(QString, retryAfter);
    QFETCH(QString, serverLimits);
    QFETCH(int, reportedLimit);
    QFETCH(QString, firstTime);
    QFETCH(QString, firstError);

    const Loaded l = loadFiles({ fixture(QStringLiteral("llm/") + file) });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal)); // a log, even with no time at all (exit 0)
    QCOMPARE(r.format, format);
    QCOMPARE(r.skipped, std::int64_t(skipped));
    const EventStore &s = *l.store;
    QCOMPARE(joined(s, [&](std::size_t i) { return QString::number(s.status(i)); }), statuses);
    QCOMPARE(joined(s,
                 [&](std::size_t i) {
                     return s.source(i) == RejectionSource::None
                         ? QStringLiteral("-")
                         : QString::fromLatin1(sourceName(s.source(i)).data());
                 }),
        sources);
    QCOMPARE(joined(s,
                 [&](std::size_t i) {
                     return s.retryAfterMs(i) < 0 ? QStringLiteral("-")
                                                  : QString::number(s.retryAfterMs(i) / 1000.0);
                 }),
        retryAfter);
    QCOMPARE(joined(s,
                 [&](std::size_t i) {
                     return s.serverLimit(i) < 0 ? QStringLiteral("-")
                                                 : QString::number(s.serverLimit(i));
                 }),
        serverLimits);
    QCOMPARE(smallestReportedLimit(s), reportedLimit);
    if (!firstTime.isEmpty())
        QCOMPARE(QString::fromStdString(formatUtcMs(s.timeMs(byLine(s).front()))), firstTime);
    if (firstError.isEmpty()) {
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : qPrintable(r.errors.front().message));
    } else {
        QVERIFY(!r.errors.empty());
        const QString got
            = QStringLiteral("%1: %2").arg(r.errors.front().line).arg(r.errors.front().message);
        QVERIFY2(got.startsWith(firstError), qPrintable(got));
    }
}

void TestCassettes::aTwoHundredWithRetryAfterIsNotARejection()
{
    // pydantic-ai's cassette has no time; give each interaction one and read it again: the
    // 200 of /v1/messages carries retry-after: '19' and is still not a rejection.
    QFile in(llm("pydantic__pydantic-ai__anthropic_retry_after_on_200.yaml"));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QByteArray text = in.readAll();
    text.replace("\n  response:\n", "\n  recorded_at: '2025-11-17T10:00:00Z'\n  response:\n");
    const Loaded l
        = loadFiles({ writeFile(QDir(m_dir.path()), QStringLiteral("timed.yaml"), text) });
    QCOMPARE(l.reports.front().records, std::int64_t(2));
    const std::vector<std::size_t> idx = byLine(*l.store);
    QCOMPARE(l.store->status(idx[1]), 200);
    QCOMPARE(l.store->retryAfterMs(idx[1]), 19000); // read, shown ...
    QCOMPARE(l.store->source(idx[1]), RejectionSource::None); // ... and not a rejection
    QCOMPARE(countSource(*l.store, RejectionSource::None), 2);
}

void TestCassettes::recordedAtWithoutZoneIsUtc()
{
    const Loaded l = loadFiles({ llm("tidyverse__ellmer__openai_429_insufficient_quota.yml") });
    const std::size_t first = byLine(*l.store).front();
    QVERIFY(l.store->flags(first) & FlagTimeNoZone); // "recorded_at: 2025-05-13 14:05:55"
    QVERIFY(l.store->flags(first) & FlagQuota); // insufficient_quota: billing, not backoff
    QCOMPARE(l.store->line(first), 2u); // the interaction's "- request:" line
}

void TestCassettes::storedBodies_data()
{
    QTest::addColumn<QByteArray>("body"); // the YAML of response.body (indented 4)
    QTest::addColumn<QByteArray>("contentEncoding");
    QTest::addColumn<QString>("source");

    const QByteArray json = R"({"error":{"code":"rate_limit_exceeded","message":"slow down"}})";
    const QByteArray zlib = qCompress(json).mid(4); // qCompress: a 4-byte length, then zlib
    QTest::addRow("plain string") << "{string: '" + json + "'}" << QByteArray() << "RATE_LIMITED";
    QTest::addRow("!!binary, plain")
        << "{string: !!binary " + json.toBase64() + "}" << QByteArray() << "RATE_LIMITED";
    QTest::addRow("Ruby !binary") << "{encoding: ASCII-8BIT, string: !binary " + json.toBase64()
            + "}" << QByteArray() << "RATE_LIMITED";
    QTest::addRow("base64_string")
        << "{base64_string: " + json.toBase64() + "}" << QByteArray() << "RATE_LIMITED";
    QTest::addRow("!!binary, deflate (zlib)")
        << "{string: !!binary " + zlib.toBase64() + "}" << QByteArray("deflate") << "RATE_LIMITED";
    QTest::addRow("!!binary, raw deflate")
        << "{string: !!binary " + zlib.mid(2, zlib.size() - 6).toBase64() + "}"
        << QByteArray("deflate") << "RATE_LIMITED";
    QTest::addRow("gzip said, text stored (R vcr)")
        << "{string: '" + json + "'}" << QByteArray("gzip") << "RATE_LIMITED";
    QTest::addRow("parsed_body (pydantic-ai)")
        << QByteArray("\n    parsed_body: {error: {code: rate_limit_exceeded}}") << QByteArray()
        << "RATE_LIMITED";
    QTest::addRow("not base64: status and headers kept")
        << QByteArray("{string: !!binary '%%%not base64'}") << QByteArray() << "UNCLASSIFIED";
    const QByteArray bomb
        = qCompress(QByteArray(80 << 20, ' ') + json, 9).mid(4); // 80 MiB from ~80 KiB
    QTest::addRow("deflate bomb over 64 MiB: status and headers kept")
        << "{string: !!binary " + bomb.toBase64() + "}" << QByteArray("deflate") << "UNCLASSIFIED";
    QTest::addRow("corrupt gzip: status and headers kept")
        << QByteArray("{string: !!binary H4sIAAAAAAAAA1SQS0}") << QByteArray("gzip")
        << "UNCLASSIFIED";
}

void TestCassettes::storedBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentEncoding);
    QFETCH(QString, source);
    QByteArray yaml = "interactions:\n- request: {method: POST, uri: "
                      "'https://api.openai.com/v1/chat/completions'}\n"
                      "  response:\n    status: {code: 429, message: Too Many Requests}\n"
                      "    headers:\n      Date: ['Tue, 02 Apr 2024 14:03:49 GMT']\n";
    if (!contentEncoding.isEmpty())
        yaml += "      Content-Encoding: [" + contentEncoding + "]\n";
    yaml += body.startsWith('\n') ? body.mid(1) + "\n" : "    body: " + body + "\n";
    const Loaded l
        = loadFiles({ writeFile(QDir(m_dir.path()), QStringLiteral("body.yaml"), yaml) });
    QCOMPARE(l.reports.front().records, std::int64_t(1));
    QCOMPARE(l.store->status(0), 429);
    QCOMPARE(QString::fromLatin1(sourceName(l.store->source(0)).data()), source);
}

void TestCassettes::reqLlmHeaderArraysAndCapturedAt()
{
    // the other ReqLLM variant: header values as arrays, captured_at, a {"b64": …} body
    const QByteArray body = QByteArray(R"({"error":{"code":"rate_limit_exceeded"}})").toBase64();
    const QByteArray fixture = "{\n  \"request\": {\"method\": \"POST\", \"url\": "
                               "\"https://api.openai.com/v1/responses\"},\n"
                               "  \"response\": {\"status\": 429, \"headers\": {\"date\": [\"Tue, "
                               "07 Oct 2025 13:56:56 GMT\"],\n"
                               "    \"x-ratelimit-limit-requests\": [\"500\"], \"retry-after\": "
                               "[\"7\"]}, \"body\": {\"b64\": \""
        + body + "\"}},\n  \"captured_at\": \"2025-10-07T13:57:00.250Z\"\n}\n";
    const Loaded l
        = loadFiles({ writeFile(QDir(m_dir.path()), QStringLiteral("reqllm.json"), fixture) });
    QCOMPARE(l.reports.front().format, QStringLiteral("reqllm"));
    QCOMPARE(l.store->size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(0))),
        QStringLiteral("2025-10-07T13:57:00.250Z")); // not Date
    QCOMPARE(l.store->source(0), RejectionSource::RateLimited);
    QCOMPARE(l.store->serverLimit(0), 500);
    QCOMPARE(l.store->retryAfterMs(0), 7000);
}

void TestCassettes::yamlThatIsNotACassetteIsNotALog()
{
    const Loaded l = loadFiles({ fixture(QStringLiteral("torture/not-a-cassette.yaml")) });
    const InputReport &r = l.reports.front();
    QVERIFY(r.failed());
    QVERIFY(r.notALog);
    QVERIFY2(r.fatal.startsWith(QLatin1String("not a log: YAML, but not a cassette")),
        qPrintable(r.fatal));
    QVERIFY(r.errors.empty()); // one message, not one per line
}

void TestCassettes::summarizeReadsAllTen()
{
    const QStringList files
        = QDir(fixture(QStringLiteral("llm"))).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 10);
    QStringList args { QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json") };
    for (const QString &f : files)
        args << fixture(QStringLiteral("llm/") + f);
    QProcess p;
    p.start(QStringLiteral(RATESCOPE_BINARY), args);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0); // every input read, the two without any time included
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    // scripts/llm-fixture-count.py: 15 requests with a time, 5 without; 429s with a time:
    // 4 name a code of rules.json, 1 is OpenRouter's own (a gateway rule, limits.md §7)
    QCOMPARE(o.value(QLatin1String("requests")).toInt(), 15);
    int skipped = 0;
    for (const QJsonValue in : o.value(QLatin1String("inputs")).toArray())
        skipped += in.toObject().value(QLatin1String("skipped")).toInt();
    QCOMPARE(skipped, 5);
    const QJsonObject by = o.value(QLatin1String("rejected")).toObject();
    QCOMPARE(by.value(QLatin1String("total")).toInt(), 5);
    QCOMPARE(by.value(QLatin1String("RATE_LIMITED")).toInt(), 5); // OpenRouter's, via ReqLLM
    QCOMPARE(by.value(QLatin1String("TOOL_ERROR")).toInt(), 0);
    QCOMPARE(by.value(QLatin1String("UNCLASSIFIED")).toInt(), 0);
}

void TestCassettes::detailShowsTheDecodedGzipBody()
{
    const Loaded l = loadFiles({ llm("DataDog__dd-trace-py__openai_429_rpm_batch.yaml") });
    const std::size_t second = byLine(*l.store)[1]; // a 200 stored as !!binary gzip
    QCOMPARE(l.store->status(second), 200);
    EventDetailInfo info = describeEvent(*l.store, second, RuleSet::builtIn());
    QString error;
    const QByteArray raw = RawRecordReader::read(*l.store, second, &error);
    QVERIFY2(!raw.isEmpty(), qPrintable(error));
    attachRawRecord(info, raw, Redactor::builtIn());
    QVERIFY2(info.raw.contains(
                 QRegularExpression(QStringLiteral("!!binary, gzip → [0-9,]+ bytes of JSON"))),
        qPrintable(info.raw));
    QVERIFY2(info.raw.contains(QLatin1String("\"total_tokens\"")),
        qPrintable(info.raw)); // the inflated body
    QVERIFY(!info.raw.contains(QLatin1String("H4sI"))); // not the stored base64
    bool limitHeader = false;
    for (const auto &h : info.headers)
        limitHeader = limitHeader
            || h.first.compare(QLatin1String("x-ratelimit-limit-requests"), Qt::CaseInsensitive)
                == 0;
    QVERIFY(limitHeader);
}

void TestCassettes::detailOfAnHttprrExchangeIsDechunked()
{
    const Loaded l = loadFiles({ fixture(QStringLiteral("torture/httprr-truncated.httprr")) });
    QCOMPARE(l.store->size(), std::size_t(1));
    QCOMPARE(
        l.store->source(0), RejectionSource::RateLimited); // the rules read the de-chunked body
    QString error;
    const QByteArray raw = RawRecordReader::read(*l.store, 0, &error);
    QVERIFY2(raw.contains(R"("body_stored":"chunked → 43 bytes of JSON")"), raw.constData());
    QVERIFY2(
        raw.contains(R"("body":{"error":{"type":"rate_limit_error"},"x":1})"), raw.constData());
}

void TestCassettes::detailOfAnHttprrExchangeIsRedacted()
{
    // the request carries "X-Api-Key: test-api-key": raw HTTP header lines, not JSON
    const Loaded l = loadFiles({ llm("tmc__langchaingo__anthropic_429_concurrency.httprr") });
    QCOMPARE(l.store->size(), std::size_t(1));
    EventDetailInfo info = describeEvent(*l.store, 0, RuleSet::builtIn());
    QString error;
    attachRawRecord(info, RawRecordReader::read(*l.store, 0, &error), Redactor::builtIn());
    QVERIFY2(info.raw.contains(QString::fromUtf8("\"body_stored\": \"raw → 261 bytes of JSON\"")),
        qPrintable(info.raw));
    QVERIFY2(info.raw.contains(QLatin1String("X-Api-Key")), qPrintable(info.raw));
    QVERIFY2(!info.raw.contains(QLatin1String("test-api-key")), qPrintable(info.raw));
}

QTEST_GUILESS_MAIN(TestCassettes)
#include "tst_cassettes.moc"
