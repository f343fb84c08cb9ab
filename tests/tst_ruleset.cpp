// formats.md §2 as data: every sample in resources/rules/rules.json, and the real 429 bodies
// users pasted into public issues (tests/fixtures/samples, see PROVENANCE.md).
#include "decode/ratelimitheaders.h"
#include "decode/recorddecoder.h"
#include "testutil.h"

#include <simdjson.h>

namespace {

struct Verdict
{
    Classification cls;
    bool decoded = false;
    std::string message;
};

Verdict classifyLine(const RuleSet &rules, const QByteArray &line)
{
    Verdict v;
    RecordDecoder decoder;
    const simdjson::padded_string padded(line.constData(), std::size_t(line.size()));
    decoder.decode(
            padded.data(), padded.size(), padded.size() + simdjson::SIMDJSON_PADDING,
            [&](RawRecord &rec, const char *) {
                v.decoded = true;
                v.cls = rules.classify(rec, readRateLimitHeaders(rec.headers, rec.timeMs));
                v.message = std::string(rec.error.providerMessage());
            },
            [](const char *, std::string_view) {});
    return v;
}

QByteArray sample(const QString &name)
{
    QFile f(fixture(QStringLiteral("samples/") + name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

QByteArray record(int status, const QByteArray &body, const QByteArray &headers = "{}")
{
    return R"({"timestamp":"2024-01-01T00:00:00Z","status":)" + QByteArray::number(status)
            + R"(,"headers":)" + headers + R"(,"body":)" + body + "}";
}

} // namespace

class TestRuleSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtInSamples_data();
    void builtInSamples();
    void realBodies_data();
    void realBodies();
    void userRulesReplaceTheBuiltIn();
    void brokenRulesAreRefusedWithAReason_data();
    void brokenRulesAreRefusedWithAReason();
    void guidanceNamesTheFix();

private:
    RuleSet m_rules = RuleSet::builtIn();
};

void TestRuleSet::builtInSamples_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expect");
    QTest::addColumn<bool>("quota");
    QVERIFY(m_rules.samples().size() >= 20);
    for (const RuleSet::Sample &s : m_rules.samples())
        QTest::addRow("%s", qPrintable(s.name)) << s.record << QString::fromLatin1(sourceName(s.expect).data()) << s.quota;
}

void TestRuleSet::builtInSamples()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expect);
    QFETCH(bool, quota);
    const Verdict v = classifyLine(m_rules, line);
    QVERIFY(v.decoded);
    QCOMPARE(QString::fromLatin1(sourceName(v.cls.source).data()), expect);
    QCOMPARE(v.cls.quota, quota);
}

void TestRuleSet::realBodies_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expect");
    QTest::addColumn<QString>("message");

    QTest::addRow("Anthropic rate_limit_error (Trae #625)")
            << record(429, sample(QStringLiteral("anthropic_429_body_trae-625.json"))) << "RATE_LIMITED"
            << "This request would exceed the rate limit for your organization";
    QTest::addRow("Mistral rate_limited")
            << record(429, sample(QStringLiteral("mistral_429_body_web.json"))) << "RATE_LIMITED" << "Rate limit exceeded";
    QTest::addRow("OpenAI code null names no source")
            << record(429, sample(QStringLiteral("openai_429_body_code-null_chatanywhere-46.json"))) << "UNCLASSIFIED"
            << "Rate limit reached for default-gpt-4";
    const QByteArray discord = sample(QStringLiteral("discord_429_global_mismatch_discord-api-docs-1575.txt"));
    QTest::addRow("Discord body retry_after")
            << record(429, discord.mid(discord.indexOf("{\"global\"")).trimmed(), R"({"retry-after":"1614885","x-ratelimit-global":"true"})")
            << "RATE_LIMITED" << "You are being rate limited.";
    QTest::addRow("Anthropic invalid_request_error on a 429 is unclassified")
            << record(429, sample(QStringLiteral("vercel-ai_anthropic-issue-17366-error.json"))) << "UNCLASSIFIED" << "messages.2.content.0";
    QTest::addRow("the same body on a 400 is not a rejection")
            << record(400, sample(QStringLiteral("vercel-ai_anthropic-issue-17366-error.json"))) << "NONE" << "messages.2.content.0";
    const QList<QByteArray> chunks = sample(QStringLiteral("vercel-ai_openai-error.1.chunks.txt")).split('\n');
    QTest::addRow("OpenAI insufficient_quota stream error as a 429 body")
            << record(429, chunks.at(2)) << "RATE_LIMITED" << "You exceeded your current quota";
    QTest::addRow("OpenAI SDK repr is plain text: unclassified")
            << record(429, "\"" + sample(QStringLiteral("openai_429_python-repr_gpt-newspaper-10.txt")).trimmed().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
            << "UNCLASSIFIED" << "openai.RateLimitError";
    QTest::addRow("body as a JSON string")
            << record(429, R"("{\"error_id\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"slow down\"}")") << "RATE_LIMITED" << "slow down";
}

void TestRuleSet::realBodies()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expect);
    QFETCH(QString, message);
    const Verdict v = classifyLine(m_rules, line);
    QVERIFY(v.decoded);
    QCOMPARE(QString::fromLatin1(sourceName(v.cls.source).data()), expect);
    QVERIFY2(QString::fromStdString(v.message).contains(message), v.message.c_str());
}

void TestRuleSet::userRulesReplaceTheBuiltIn()
{
    QFile f(QStringLiteral(":/rules/rules.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray json = f.readAll();
    // a user teaches RateScope a code of their own gateway
    json.replace(R"({"code": "TOOL_ERROR",)", R"({"code": "GATEWAY_THROTTLED", "source": "RATE_LIMITED"}, {"code": "TOOL_ERROR",)");
    QString error;
    const auto custom = RuleSet::fromJson(json, &error);
    QVERIFY2(custom, qPrintable(error));
    const QByteArray line = record(429, R"({"error_code":"GATEWAY_THROTTLED"})");
    QCOMPARE(classifyLine(m_rules, line).cls.source, RejectionSource::Unclassified);
    QCOMPARE(classifyLine(*custom, line).cls.source, RejectionSource::RateLimited);
}

void TestRuleSet::brokenRulesAreRefusedWithAReason_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::addRow("not JSON") << QByteArray("{codes:") << "invalid rules";
    QTest::addRow("missing codes") << QByteArray("{}") << "codes";
    QTest::addRow("unknown source")
            << QByteArray(R"({"codes":[{"code":"X","source":"SOMEONE"}]})") << "unknown source";
}

void TestRuleSet::brokenRulesAreRefusedWithAReason()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!RuleSet::fromJson(json, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestRuleSet::guidanceNamesTheFix()
{
    QVERIFY(m_rules.guidance(RejectionSource::RateLimited, false).contains(QStringLiteral("Retry-After")));
    QVERIFY(m_rules.guidance(RejectionSource::RateLimited, false).contains(QStringLiteral("headroom")));
    QVERIFY(m_rules.guidance(RejectionSource::ToolError, false).contains(QStringLiteral("provider")));
    QVERIFY(m_rules.guidance(RejectionSource::RateLimited, true).contains(QStringLiteral("billing")));
    QVERIFY(m_rules.guidance(RejectionSource::None, false).isEmpty());
}

QTEST_GUILESS_MAIN(TestRuleSet)
#include "tst_ruleset.moc"
