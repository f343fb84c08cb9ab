// The axes of a limit besides requests (limits.md §2, §4): tokens from every usage shape a
// response body has (chat, Responses, Anthropic with its cache fields, Gemini, and recorded SSE
// streams), requests in flight from start + duration, and their per-minute figures, limits
// and limit to ask in the summary.
#include "aggregate/axisseries.h"
#include "export/report.h"
#include "export/reportformats.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace {

constexpr std::int64_t kT0 = 1767607200000; // 2026-01-05T10:00:00Z
constexpr std::int64_t kMin = 60000;

// One NDJSON record to api.example whose response body is `body` (a JSON value; a string for
// recorded stream text).
QByteArray record(const QByteArray &body, int second = 0)
{
    return "{\"timestamp\":\"2026-01-05T10:00:" + QByteArray::number(second).rightJustified(2, '0')
        + "Z\",\"url\":\"https://api.example/v1/x\",\"status\":200,\"response\":{\"body\":" + body
        + "}}\n";
}

QByteArray sse(const QList<QByteArray> &events)
{
    QByteArray text;
    for (const QByteArray &e : events)
        text += "data: " + e + "\n\n";
    return QJsonDocument(QJsonArray { QString::fromUtf8(text) })
        .toJson(QJsonDocument::Compact)
        .mid(1)
        .chopped(1);
}

// One NDJSON exchange with `host` at 10:00:`second` with response headers `headers` ("name:
// value", one a line) and the response body `body` (a JSON value; none when empty).
QByteArray exchange(
    const QByteArray &host, int second, int status, const QString &headers, const QByteArray &body)
{
    QJsonObject h;
    for (const QString &line : headers.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        h[line.left(colon).trimmed()] = line.mid(colon + 1).trimmed();
    }
    return "{\"timestamp\":\"2026-01-05T10:00:" + QByteArray::number(second).rightJustified(2, '0')
        + "Z\",\"url\":\"https://" + host + "/v1/x\",\"status\":" + QByteArray::number(status)
        + ",\"headers\":" + QJsonDocument(h).toJson(QJsonDocument::Compact)
        + (body.isEmpty() ? QByteArray() : ",\"response\":{\"body\":" + body + "}") + "}\n";
}

// The response headers of a capture printed as a JS object literal ("'name': 'value',"), as
// issue_captures/anthropic_429_headers_anthropic-sdk-typescript-357.txt holds them.
QString capturedHeaders(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    QStringList lines;
    const QRegularExpression field(QStringLiteral("^\\s*'?([A-Za-z0-9-]+)'?: '([^']*)',?$"));
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch m = field.match(line);
        if (m.hasMatch())
            lines << m.captured(1) + QStringLiteral(": ") + m.captured(2);
    }
    return lines.join(QLatin1Char('\n'));
}

Loaded loadText(QTemporaryDir &dir, const QByteArray &text)
{
    return loadFiles({ writeFile(QDir(dir.path()), QStringLiteral("log.ndjson"), text) });
}

} // namespace

class TestAxes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void usageShapes_data();
    void usageShapes();
    void recordedStreamsInCassettes();
    void inFlightPerMinute_data();
    void inFlightPerMinute();
    void tokenLimitsInTheSummary();
    void tokenColumnsOnlyWhenUsed();
    void bindingOfRealRejections_data();
    void bindingOfRealRejections();
    void bindingByCounts();
    void bindingByHeaders_data();
    void bindingByHeaders();
    void reportedTokenLimits_data();
    void reportedTokenLimits();
};

void TestAxes::usageShapes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("input"); // -1: not known
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("total");
    QTest::newRow("OpenAI chat") << QByteArray(
        "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
        "30,\"total_tokens\":42}}")
                                 << qint64(12) << qint64(30) << qint64(42);
    QTest::newRow("OpenAI Responses")
        << QByteArray("{\"object\":\"response\",\"usage\":{\"input_tokens\":100,"
                      "\"input_tokens_details\":{\"cached_tokens\":40},\"output_tokens\":7,"
                      "\"total_tokens\":107}}")
        << qint64(100) << qint64(7) << qint64(107);
    // cache reads and writes are input tokens too (limits.md §4)
    QTest::newRow("Anthropic with cache")
        << QByteArray("{\"type\":\"message\",\"usage\":{\"input_tokens\":10,"
                      "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":1000,"
                      "\"output_tokens\":5}}")
        << qint64(1210) << qint64(5) << qint64(1215);
    QTest::newRow("Gemini") << QByteArray(
        "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":"
        "8,\"candidatesTokenCount\":2,\"totalTokenCount\":10}}")
                            << qint64(8) << qint64(2) << qint64(10);
    QTest::newRow("embeddings: input and total")
        << QByteArray("{\"object\":\"list\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}")
        << qint64(9) << qint64(0) << qint64(9);
    QTest::newRow("a total alone") << QByteArray("{\"usage\":{\"total_tokens\":77}}") << qint64(-1)
                                   << qint64(-1) << qint64(77);
    QTest::newRow("no usage") << QByteArray("{\"id\":\"x\"}") << qint64(-1) << qint64(-1)
                              << qint64(-1);
    QTest::newRow("usage null (a stream chunk)")
        << QByteArray("{\"usage\":null}") << qint64(-1) << qint64(-1) << qint64(-1);
    QTest::newRow("body as JSON text") << QByteArray("\"{\\\"usage\\\":{\\\"prompt_tokens\\\":3,"
                                                     "\\\"completion_tokens\\\":4}}\"")
                                       << qint64(3) << qint64(4) << qint64(7);
    // OpenAI with stream_options.include_usage: the last chunk carries it
    QTest::newRow("OpenAI stream")
        << sse({ "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}",
               "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,"
               "\"total_tokens\":6}}",
               "[DONE]" })
        << qint64(5) << qint64(1) << qint64(6);
    // message_start's input, the last message_delta's output
    QTest::newRow("Anthropic stream")
        << sse({ "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":25,"
                 "\"cache_read_input_tokens\":100,\"output_tokens\":1}}}",
               "{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"x\"}}",
               "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}",
               "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":40}}" })
        << qint64(125) << qint64(40) << qint64(165);
    QTest::newRow("Gemini stream")
        << sse({ "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":4,"
                 "\"totalTokenCount\":4}}",
               "{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":4,"
               "\"candidatesTokenCount\":9,\"totalTokenCount\":13}}" })
        << qint64(4) << qint64(9) << qint64(13);
    QTest::newRow("a stream without usage")
        << sse({ "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}", "[DONE]" }) << qint64(-1)
        << qint64(-1) << qint64(-1);
}

void TestAxes::usageShapes()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(qint64, total);
    QTemporaryDir dir;
    const Loaded l = loadText(dir, record(body));
    QCOMPARE(l.store->size(), std::size_t(1));
    QCOMPARE(l.store->inputTokens(0), input);
    QCOMPARE(l.store->outputTokens(0), output);
    QCOMPARE(l.store->totalTokens(0), total);
}

// Recorded streams in real cassettes (tests/fixtures/llm, PROVENANCE.md): Groq's last chunk
// carries its usage in x_groq (12 + 24 = 36, read off the file); the OpenRouter recording
// streams with include_usage but got a 429, so it has none.
void TestAxes::recordedStreamsInCassettes()
{
    const Loaded groq = loadFiles({ fixture("llm/alexrudall__ruby-openai__groq_stream.yml") });
    QCOMPARE(groq.store->size(), std::size_t(1));
    QCOMPARE(groq.store->inputTokens(0), 12);
    QCOMPARE(groq.store->outputTokens(0), 24);
    QCOMPARE(groq.store->totalTokens(0), 36);
    // dd-trace's batch: 3 of 4 answers have a usage (the 429 has none): 29 + 29 + 30, counted
    // with python3's yaml and gzip over the gzipped bodies
    const Loaded dd = loadFiles({ fixture("llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml") });
    qint64 sum = 0;
    int known = 0;
    for (std::size_t i = 0; i < dd.store->size(); ++i) {
        if (dd.store->totalTokens(i) >= 0) {
            sum += dd.store->totalTokens(i);
            ++known;
            QCOMPARE(dd.store->status(i), 200);
        }
    }
    QCOMPARE(known, 3);
    QCOMPARE(sum, 88);
}

void TestAxes::inFlightPerMinute_data()
{
    QTest::addColumn<QList<qint64>>("starts"); // seconds after kT0
    QTest::addColumn<QList<qint64>>("durations"); // ms; -1: none
    QTest::addColumn<QList<qint64>>("peaks"); // per minute from kT0, 0 where none
    QTest::addColumn<double>("unknownShare");
    QTest::newRow("two overlap") << QList<qint64> { 0, 1 } << QList<qint64> { 5000, 5000 }
                                 << QList<qint64> { 2 } << 0.0;
    // an end at the same instant as a start is no overlap
    QTest::newRow("back to back") << QList<qint64> { 0, 5 } << QList<qint64> { 5000, 5000 }
                                  << QList<qint64> { 1 } << 0.0;
    // a long request is in flight in the minutes it spans, with the ones that start there
    QTest::newRow("across minutes")
        << QList<qint64> { 0, 70, 130 } << QList<qint64> { 150000, 1000, 1000 }
        << QList<qint64> { 1, 2, 2 } << 0.0;
    // a request "in flight" for 30 days is a broken record: left out, not 43,200 minutes
    QTest::newRow("over a day: left out and counted")
        << QList<qint64> { 0, 1 } << QList<qint64> { 10000, 30LL * 86400 * 1000 }
        << QList<qint64> { 1 } << 0.5;
    QTest::newRow("no duration: left out and counted")
        << QList<qint64> { 0, 1, 2, 3 } << QList<qint64> { 10000, -1, 10000, -1 }
        << QList<qint64> { 2 } << 0.5;
}

void TestAxes::inFlightPerMinute()
{
    QFETCH(QList<qint64>, starts);
    QFETCH(QList<qint64>, durations);
    QFETCH(QList<qint64>, peaks);
    QFETCH(double, unknownShare);
    EventStore store;
    store.addFile("test");
    for (int k = 0; k < starts.size(); ++k) {
        EventInput e;
        e.timeMs = kT0 + starts[k] * 1000;
        e.status = 200;
        e.endpoint = "api.example/x";
        if (durations[k] >= 0)
            e.durationMs = float(durations[k]);
        store.append(e);
    }
    const AxisSeries s = axisPerMinute(store, LimitAxis::Concurrency, nullptr);
    QCOMPARE(s.unknownShare(), unknownShare);
    QList<qint64> got;
    for (const AxisBucket &m : s.buckets) {
        while (kT0 + got.size() * kMin < m.startMs)
            got << 0;
        got << m.value;
    }
    QCOMPARE(got, peaks);
}

// tokens per minute against a TPM limit, a rolling token window, the limit to ask for, and
// the share of requests without usage beside the figure
void TestAxes::tokenLimitsInTheSummary()
{
    QByteArray log;
    // minute 0: 4 x 30 tokens = 120; minute 1: 2 x 30 = 60 and one answer without usage
    for (int k = 0; k < 4; ++k)
        log += record("{\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10}}", k);
    for (int k = 0; k < 3; ++k) {
        QByteArray r = record(
            k < 2 ? "{\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":10}}" : "{\"id\":1}",
            k);
        r.replace("10:00:", "10:01:");
        log += r;
    }
    QTemporaryDir dir;
    const Loaded l = loadText(dir, log);
    ReportOptions options;
    options.scoping.limits
        = { limitEntry("api.example:tokens=100/1m"), limitEntry("api.example:tokens=150/2m"),
              limitEntry("api.example:input_tokens=1000/1m"), limitEntry("concurrency=3") };
    options.headroomPercent = 30;
    const Summary s = makeReport(*l.store, {}, options);
    QCOMPARE(s.scopes.size(), std::size_t(1));
    const auto axis = [&](LimitAxis a, std::int64_t windowS) -> const AxisFigures * {
        for (const AxisFigures &f : s.scopes.front().axes) {
            if (f.axis == a && f.limit && f.limit->windowS.value_or(0) == windowS)
                return &f;
        }
        return nullptr;
    };
    const AxisFigures *tpm = axis(LimitAxis::Tokens, 60);
    QVERIFY(tpm);
    QCOMPARE(*tpm->peak, 120);
    QCOMPARE(*tpm->peakMinuteMs, kT0);
    QCOMPARE(tpm->minutesOverLimit, 1); // 120 > 100; 60 is not
    QCOMPARE(tpm->unknownShare, 1.0 / 7.0);
    QCOMPARE(tpm->limitAsk->requestsPerMinute, 156); // 120 + 30 %
    // 180 tokens within two minutes reach over 150 at the second minute's 2nd request
    const AxisFigures *rolling = axis(LimitAxis::Tokens, 120);
    QVERIFY(rolling);
    QCOMPARE(rolling->overLimitMinutes, std::vector<std::int64_t> { kT0 + kMin });
    const AxisFigures *input = axis(LimitAxis::InputTokens, 60);
    QVERIFY(input);
    QCOMPARE(*input->peak, 80);
    QCOMPARE(input->minutesOverLimit, 0);
    // no durations in these records: concurrency has no value, all unknown
    const AxisFigures *inFlight = axis(LimitAxis::Concurrency, 0);
    QVERIFY(inFlight);
    QCOMPARE(inFlight->unknownShare, 1.0);
    QVERIFY(!inFlight->peak);
    // the JSON
    const QJsonObject j = QJsonDocument::fromJson(summaryToJson(s)).object();
    const QJsonArray axes = j[QLatin1String("scopes")][0][QLatin1String("axes")].toArray();
    bool sawTpm = false;
    for (const auto &a : axes) {
        const QJsonObject o = a.toObject();
        if (o[QLatin1String("axis")] == QLatin1String("tokens")
            && o[QLatin1String("window_s")].toInt() == 60) {
            sawTpm = true;
            QCOMPARE(o[QLatin1String("peak")][QLatin1String("value")].toInt(), 120);
            QCOMPARE(o[QLatin1String("limit_to_ask")][QLatin1String("value")].toInt(), 156);
            QCOMPARE(o[QLatin1String("minutes_over_limit")].toInt(), 1);
        }
    }
    QVERIFY(sawTpm);
}

// A log without usage fields has no token columns (limits.md: "not a wide one for every event");
// the first event with tokens makes them, and the events before it read "not known".
void TestAxes::tokenColumnsOnlyWhenUsed()
{
    EventStore store;
    store.addFile("test");
    EventInput e;
    e.timeMs = kT0;
    e.endpoint = "api.example/x";
    for (int k = 0; k < 1000; ++k)
        store.append(e);
    const std::size_t without = store.bytesUsed();
    QVERIFY(!store.hasTokens());
    e.inputTokens = 3;
    e.outputTokens = 4;
    store.append(e);
    QVERIFY(store.hasTokens());
    QCOMPARE(store.totalTokens(0), -1);
    QCOMPARE(store.totalTokens(1000), 7);
    QVERIFY(store.bytesUsed() >= without + 1001 * 8);
    // copies and shards keep them
    EventStore copy = store.clone();
    QCOMPARE(copy.totalTokens(1000), 7);
    QCOMPARE(copy.totalTokens(999), -1);
    EventStore merged;
    merged.addFile("test");
    EventInput plain;
    plain.timeMs = kT0;
    merged.append(plain);
    merged.appendShard(store, {}, 0, 0);
    QCOMPARE(merged.size(), std::size_t(1002));
    QCOMPARE(merged.totalTokens(0), -1);
    QCOMPARE(merged.totalTokens(1001), 7);
    merged.appendShard(EventStore().clone(), {}, 0, 0);
    merged.popBack();
    QCOMPARE(merged.totalTokens(1000), -1);
}

void TestAxes::bindingOfRealRejections_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("axis"); // "" when none
    QTest::addColumn<int>("windowS"); // -1: none
    QTest::addColumn<QString>("evidence");
    QTest::addColumn<QString>("rule");
    // recordings in tests/fixtures (PROVENANCE.md); the axis read off each 429's message
    QTest::newRow("OpenAI RPM (dd-trace-py)")
        << "llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml"
        << "requests" << 60 << "message"
        << "openai-rpm";
    QTest::newRow("Anthropic concurrency (langchaingo)")
        << "llm/tmc__langchaingo__anthropic_429_concurrency.httprr"
        << "concurrency" << -1 << "message"
        << "anthropic-concurrent";
    // its message names the metric (input token count) but not the window; the quotaId with
    // PerMinute is in the body's details, which the store does not keep
    QTest::newRow("Gemini free tier input tokens (ruby_llm)")
        << "llm/crmne__ruby_llm__gemini_429_quota_failure.yml"
        << "input_tokens" << -1 << "message"
        << "gemini-quota-metric";
    // insufficient_quota names no axis, and no limit is known: unknown
    QTest::newRow("OpenAI quota (ellmer)")
        << "llm/tidyverse__ellmer__openai_429_insufficient_quota.yml"
        << "" << -1 << "unknown"
        << "";
}

// Which limit bit first (limits.md §5), through the loader and the summary, on real 429s.
void TestAxes::bindingOfRealRejections()
{
    QFETCH(QString, file);
    QFETCH(QString, axis);
    QFETCH(int, windowS);
    QFETCH(QString, evidence);
    QFETCH(QString, rule);
    const Loaded l = loadFiles({ fixture(file) });
    const Summary s = makeReport(*l.store, {}, {});
    QCOMPARE(s.incidents.size(), std::size_t(1));
    const Binding &b = s.incidents.front().binding;
    QCOMPARE(b.axis ? limitAxisName(*b.axis) : QString(), axis);
    QCOMPARE(int(b.windowS.value_or(-1)), windowS);
    QCOMPARE(QString::fromLatin1(bindingEvidenceName(b.evidence)), evidence);
    QCOMPARE(QString::fromStdString(b.rule), rule);
}

// The story of a TPM limit: the request rate is far under its limit, the tokens are not, and
// the 429s say only "Too Many Requests" (OpenAI's code, so RATE_LIMITED): the counts before the
// first rejection name tokens.
void TestAxes::bindingByCounts()
{
    QByteArray log;
    for (int k = 0; k < 10; ++k) {
        QByteArray r = k < 7
            ? record("{\"usage\":{\"prompt_tokens\":1500,\"completion_tokens\":500}}", k)
            : record("{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Too Many "
                     "Requests\"}}",
                k);
        if (k >= 7)
            r.replace("\"status\":200", "\"status\":429");
        log += r;
    }
    QTemporaryDir dir;
    const Loaded l = loadText(dir, log);
    ReportOptions options;
    options.scoping.limits = { limitEntry("100"), limitEntry("tokens=10000/1m") };
    const Summary s = makeReport(*l.store, {}, options);
    QCOMPARE(s.incidents.size(), std::size_t(1));
    QCOMPARE(s.incidents.front().dominant, RejectionSource::RateLimited);
    const Binding &b = s.incidents.front().binding;
    QCOMPARE(int(b.evidence), int(Binding::Evidence::Counts));
    QCOMPARE(b.axis, std::optional<LimitAxis>(LimitAxis::Tokens)); // 14000/10000 against 8/100
    QCOMPARE(b.windowS, std::optional<std::int64_t>(60));
    // with only the request limit known, counts can only name requests
    options.scoping.limits.pop_back();
    const Summary r = makeReport(*l.store, {}, options);
    QCOMPARE(r.incidents.front().binding.axis, std::optional<LimitAxis>(LimitAxis::Requests));
}

void TestAxes::bindingByHeaders_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QString>("okHeaders"); // of the five answered requests before, one a line
    QTest::addColumn<QStringList>("rejections"); // the headers of each 429, in time order
    QTest::addColumn<QByteArray>("body"); // of every 429 ("" none)
    QTest::addColumn<QStringList>("limits"); // configured (--limit)
    QTest::addColumn<QString>("axis"); // "" when none
    QTest::addColumn<int>("windowS"); // -1: none
    QTest::addColumn<QString>("evidence");

    const QByteArray tooMany
        = R"({"error":{"code":"rate_limit_exceeded","message":"Too Many Requests"}})";
    const QString openAiTokensSpent
        = QStringLiteral("x-ratelimit-limit-requests: 500\nx-ratelimit-remaining-requests: 480\n"
                         "x-ratelimit-reset-requests: 2.4s\nx-ratelimit-limit-tokens: 30000\n"
                         "x-ratelimit-remaining-tokens: 0\nx-ratelimit-reset-tokens: 2s");
    const QString openAiTokensLeft = QString(openAiTokensSpent)
                                         .replace(QStringLiteral("remaining-tokens: 0"),
                                             QStringLiteral("remaining-tokens: 5"));
    const QString bothSpent = QString(openAiTokensSpent)
                                  .replace(QStringLiteral("remaining-requests: 480"),
                                      QStringLiteral("remaining-requests: 0"));
    const QString requestsSpent = QString(openAiTokensLeft)
                                      .replace(QStringLiteral("remaining-requests: 480"),
                                          QStringLiteral("remaining-requests: 0"));

    // a real Anthropic 429 (tests/fixtures/samples, PROVENANCE.md): requests remaining 0 of 5
    // a minute, tokens 16000 of 25000 left; no body, so no words
    QTest::newRow("Anthropic 429, requests remaining 0 (anthropic-sdk-typescript#357)")
        << QByteArray("api.anthropic.com") << QString()
        << QStringList { capturedHeaders(fixture(
               QStringLiteral("samples/anthropic_429_headers_anthropic-sdk-typescript-357.txt"))) }
        << QByteArray() << QStringList() << "requests" << 60 << "headers";
    QTest::newRow("OpenAI tokens remaining 0, window from the reported limit")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensSpent }
        << tooMany << QStringList() << "tokens" << 60 << "headers";
    QTest::newRow("Anthropic output tokens remaining 0")
        << QByteArray("api.anthropic.com") << QString()
        << QStringList { QStringLiteral(
               "anthropic-ratelimit-requests-limit: 50\nanthropic-ratelimit-requests-remaining: "
               "41\nanthropic-ratelimit-output-tokens-limit: 8000\n"
               "anthropic-ratelimit-output-tokens-remaining: 0") }
        << QByteArray() << QStringList() << "output_tokens" << 60 << "headers";
    // the order of limits.md §5: message, then headers, then counts
    QTest::newRow("message before headers")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensSpent }
        << QByteArray(R"({"error":{"code":"rate_limit_exceeded","message":"Rate limit reached )"
                      R"(for gpt-4o in organization org-x on requests per min (RPM): Limit 3, )"
                      R"(Used 3, Requested 1."}})")
        << QStringList() << "requests" << 60 << "message";
    // counts alone would name requests (6 of 100 against 10,000 tokens of 1,000,000)
    QTest::newRow("headers before counts")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensSpent }
        << tooMany << QStringList { "100", "tokens=1000000/1m" } << "tokens" << 60 << "headers";
    QTest::newRow("counts when no remaining is 0")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensLeft }
        << tooMany << QStringList { "100", "tokens=1000000/1m" } << "requests" << 60 << "counts";
    // a configured token limit takes the reported one's place among the limits: the window
    // is still the reported limit's (a minute), not the configured hour
    QTest::newRow("configured token limit, the reported window")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensSpent }
        << tooMany << QStringList { "tokens=50000/1h" } << "tokens" << 60 << "headers";
    // GitHub's core limit without x-ratelimit-resource has no known window; the scope's other
    // bucket (500 a minute) does not lend it its window
    QTest::newRow("a limit of unknown window: none borrowed")
        << QByteArray("api.example") << openAiTokensLeft
        << QStringList { QStringLiteral("x-ratelimit-limit: 60\nx-ratelimit-remaining: 0") }
        << tooMany << QStringList() << "requests" << -1 << "headers";
    // the first rejection decides; the majority only between the axes at 0 there
    QTest::newRow("the first rejection decides")
        << QByteArray("api.openai.com") << openAiTokensLeft
        << QStringList { requestsSpent, openAiTokensSpent, openAiTokensSpent } << tooMany
        << QStringList() << "requests" << 60 << "headers";
    QTest::newRow("two axes at 0: the majority of the rejections")
        << QByteArray("api.openai.com") << openAiTokensLeft
        << QStringList { bothSpent, openAiTokensSpent, openAiTokensSpent } << tooMany
        << QStringList() << "tokens" << 60 << "headers";
    QTest::newRow("two axes at 0 as often: requests first")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { bothSpent } << tooMany
        << QStringList() << "requests" << 60 << "headers";
    // billing, not a rate: the headers are not read
    QTest::newRow("insufficient_quota with tokens at 0")
        << QByteArray("api.openai.com") << openAiTokensLeft << QStringList { openAiTokensSpent }
        << QByteArray(R"({"error":{"code":"insufficient_quota","message":"You exceeded your )"
                      R"(current quota."}})")
        << QStringList() << "" << -1 << "unknown";
}

// limits.md §5 step 2: the axis whose reported remaining was 0 at the first rejection, in its
// place between the words and the counts.
void TestAxes::bindingByHeaders()
{
    QFETCH(QByteArray, host);
    QFETCH(QString, okHeaders);
    QFETCH(QStringList, rejections);
    QFETCH(QByteArray, body);
    QFETCH(QStringList, limits);
    QFETCH(QString, axis);
    QFETCH(int, windowS);
    QFETCH(QString, evidence);
    QVERIFY(!rejections.front().isEmpty());
    QByteArray log;
    for (int k = 0; k < 5; ++k)
        log += exchange(
            host, k, 200, okHeaders, R"({"usage":{"prompt_tokens":1500,"completion_tokens":500}})");
    for (int k = 0; k < rejections.size(); ++k)
        log += exchange(host, 10 + k, 429, rejections[k], body);
    QTemporaryDir dir;
    const Loaded l = loadText(dir, log);
    QCOMPARE(l.store->size(), std::size_t(5 + rejections.size()));
    ReportOptions options;
    for (const QString &text : limits)
        options.scoping.limits.push_back(limitEntry(qPrintable(text)));
    const Summary s = makeReport(*l.store, {}, options);
    QCOMPARE(s.incidents.size(), std::size_t(1));
    const Binding &b = s.incidents.front().binding;
    QCOMPARE(b.axis ? limitAxisName(*b.axis) : QString(), axis);
    QCOMPARE(int(b.windowS.value_or(-1)), windowS);
    QCOMPARE(QString::fromLatin1(bindingEvidenceName(b.evidence)), evidence);
    if (b.evidence == Binding::Evidence::Headers)
        QCOMPARE(b.rule, std::string("remaining 0"));
    // the JSON names it
    const QJsonObject j = QJsonDocument::fromJson(summaryToJson(s)).object();
    const QJsonObject binding
        = j[QLatin1String("incidents")][0][QLatin1String("binding")].toObject();
    QCOMPARE(binding[QLatin1String("evidence")].toString(), evidence);
}

void TestAxes::reportedTokenLimits_data()
{
    QTest::addColumn<QStringList>("headers"); // of every response, "name: value"
    QTest::addColumn<QString>("axis");
    QTest::addColumn<int>("limit"); // the axis's limit in the summary, from the headers
    QTest::addColumn<int>("windowS"); // -1: unknown
    // header sets as the APIs send them (the dialect table's samples, resources/rules)
    QTest::newRow("OpenAI tokens per minute") << QStringList { "x-ratelimit-limit-requests: 500",
        "x-ratelimit-reset-requests: 120ms", "x-ratelimit-limit-tokens: 30000",
        "x-ratelimit-remaining-tokens: 29000", "x-ratelimit-reset-tokens: 2s" }
                                              << "tokens" << 30000 << 60;
    // a free tier's daily token bucket resets in minutes: its window is not known
    QTest::newRow("OpenAI tokens, long reset")
        << QStringList { "x-ratelimit-limit-tokens: 150000", "x-ratelimit-reset-tokens: 6m0s" }
        << "tokens" << 150000 << -1;
    QTest::newRow("Groq tokens per minute (documented)")
        << QStringList { "x-ratelimit-limit-requests: 14400", "x-ratelimit-limit-tokens: 6000",
               "x-ratelimit-reset-tokens: 7.66s" }
        << "tokens" << 6000 << 60;
    QTest::newRow("Anthropic input tokens") << QStringList {
        "anthropic-ratelimit-requests-limit: 50", "anthropic-ratelimit-input-tokens-limit: 40000",
        "anthropic-ratelimit-output-tokens-limit: 8000"
    } << "input_tokens" << 40000 << 60;
    QTest::newRow("Anthropic output tokens")
        << QStringList { "anthropic-ratelimit-input-tokens-limit: 40000",
               "anthropic-ratelimit-output-tokens-limit: 8000" }
        << "output_tokens" << 8000 << 60;
    QTest::newRow("Mistral tokens per month")
        << QStringList { "x-ratelimit-limit-tokens-month: 1000000000" } << "tokens" << 1000000000
        << 30 * 86400;
}

// A scope's reported token limits (limits.md §3) become its token axes' limits when none is
// given, each with its own window; the request limit stays the request axis's.
void TestAxes::reportedTokenLimits()
{
    QFETCH(QStringList, headers);
    QFETCH(QString, axis);
    QFETCH(int, limit);
    QFETCH(int, windowS);
    QJsonObject h;
    for (const QString &line : headers) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        h[line.left(colon)] = line.mid(colon + 1).trimmed();
    }
    const QByteArray host = axis == QLatin1String("tokens") && headers.size() == 3
            && headers.front().contains(QLatin1String("14400"))
        ? "api.groq.com"
        : "api.example";
    QByteArray log;
    for (int k = 0; k < 3; ++k)
        log += "{\"timestamp\":\"2026-01-05T10:00:0" + QByteArray::number(k)
            + "Z\",\"url\":\"https://" + host + "/v1/x\",\"status\":200,\"headers\":"
            + QJsonDocument(h).toJson(QJsonDocument::Compact)
            + ",\"response\":{\"body\":{\"usage\":{\"prompt_tokens\":10,"
              "\"completion_tokens\":5}}}}\n";
    QTemporaryDir dir;
    const Loaded l = loadText(dir, log);
    QCOMPARE(l.store->size(), std::size_t(3));
    const Summary s = makeReport(*l.store, {}, {});
    const AxisFigures *found = nullptr;
    for (const AxisFigures &a : s.scopes.front().axes) {
        if (limitAxisName(a.axis) == axis && a.limit)
            found = &a;
    }
    QVERIFY2(found, qPrintable(axis));
    QCOMPARE(found->limit->requests, limit);
    QVERIFY(found->limit->fromHeaders);
    QCOMPARE(found->limit->windowS.value_or(-1), std::int64_t(windowS));
    // listed in limits[] as from the headers
    bool listed = false;
    for (const ScopeLimit &sl : s.limits)
        listed = listed || (limitAxisName(sl.axis) == axis && sl.spec.requests == limit);
    QVERIFY(listed);
}

QTEST_GUILESS_MAIN(TestAxes)
#include "tst_axes.moc"
