// formats.md §2 as data: every sample in resources/rules/rules.json, and the real 429 bodies
// users pasted into public issues (tests/fixtures/samples, see PROVENANCE.md).
#include "decode/ratelimitheaders.h"
#include "decode/recorddecoder.h"
#include "testutil.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <set>

namespace {

struct Verdict
{
    Classification cls;
    bool decoded = false;
    std::string message;
    std::string provider;
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
            v.message
                = v.cls.message.empty() ? std::string(rec.error.providerMessage()) : v.cls.message;
            v.provider = v.cls.provider.empty() ? std::string(rec.provider) : v.cls.provider;
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

// resources/rules/rules.json with an RFC 6902 JSON Patch applied.
std::optional<RuleSet> patchedRules(const QByteArray &patch, QString *error)
{
    using nlohmann::json;
    QFile f(QStringLiteral(":/rules/rules.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no compiled-in rules");
    const QByteArray text = f.readAll();
    const json doc = json::parse(text.constBegin(), text.constEnd())
                         .patch(json::parse(patch.constBegin(), patch.constEnd()));
    return RuleSet::fromJson(QByteArray::fromStdString(doc.dump()), error);
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
    void conditionsComeFromTheFile_data();
    void conditionsComeFromTheFile();
    void unknownAndBadFieldsAreNamed_data();
    void unknownAndBadFieldsAreNamed();
    void guidanceNamesTheFix();
    void guidancePerCategory_data();
    void guidancePerCategory();
    void quotaGuidanceKeepsItsOldName_data();
    void quotaGuidanceKeepsItsOldName();
    void everyGatewayAndCategoryRuleHasASample();
    void additionsExtendTheBuiltIn();
    void additionsAreChecked_data();
    void additionsAreChecked();
    void readmeGatewayExample();
    void guidanceNamesTheBindingAxis_data();
    void guidanceNamesTheBindingAxis();

private:
    RuleSet m_rules = RuleSet::builtIn();
};

void TestRuleSet::builtInSamples_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expect");
    QTest::addColumn<bool>("quota");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("provider"); // null: the sample does not say
    QTest::addColumn<QString>("message"); // null: the sample does not say
    QVERIFY(m_rules.samples().size() >= 20);
    for (const RuleSet::Sample &s : m_rules.samples())
        QTest::addRow("%s", qPrintable(s.name))
            << s.record << QString::fromLatin1(sourceName(s.expect).data()) << s.quota
            << QString::fromLatin1(categoryName(s.category).data())
            << s.provider.value_or(QString()) << s.message.value_or(QString());
}

void TestRuleSet::builtInSamples()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expect);
    QFETCH(bool, quota);
    QFETCH(QString, category);
    QFETCH(QString, provider);
    QFETCH(QString, message);
    const Verdict v = classifyLine(m_rules, line);
    QVERIFY(v.decoded);
    QCOMPARE(QString::fromLatin1(sourceName(v.cls.source).data()), expect);
    QCOMPARE(v.cls.quota, quota);
    QCOMPARE(QString::fromLatin1(categoryName(v.cls.category).data()), category);
    QCOMPARE(v.cls.category == ThrottleCategory::None, v.cls.categoryRule.empty());
    if (!provider.isNull())
        QCOMPARE(QString::fromStdString(v.provider), provider);
    if (!message.isNull())
        QCOMPARE(QString::fromStdString(v.message), message);
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
        << record(429, sample(QStringLiteral("mistral_429_body_web.json"))) << "RATE_LIMITED"
        << "Rate limit exceeded";
    QTest::addRow("OpenAI code null names no source")
        << record(429, sample(QStringLiteral("openai_429_body_code-null_chatanywhere-46.json")))
        << "UNCLASSIFIED"
        << "Rate limit reached for default-gpt-4";
    const QByteArray discord
        = sample(QStringLiteral("discord_429_global_mismatch_discord-api-docs-1575.txt"));
    QTest::addRow("Discord body retry_after")
        << record(429, discord.mid(discord.indexOf("{\"global\"")).trimmed(),
               R"({"retry-after":"1614885","x-ratelimit-global":"true"})")
        << "RATE_LIMITED"
        << "You are being rate limited.";
    QTest::addRow("Anthropic invalid_request_error on a 429 is unclassified")
        << record(429, sample(QStringLiteral("vercel-ai_anthropic-issue-17366-error.json")))
        << "UNCLASSIFIED"
        << "messages.2.content.0";
    QTest::addRow("the same body on a 400 is not a rejection")
        << record(400, sample(QStringLiteral("vercel-ai_anthropic-issue-17366-error.json")))
        << "NONE"
        << "messages.2.content.0";
    const QList<QByteArray> chunks
        = sample(QStringLiteral("vercel-ai_openai-error.1.chunks.txt")).split('\n');
    QTest::addRow("OpenAI insufficient_quota stream error as a 429 body")
        << record(429, chunks.at(2)) << "RATE_LIMITED"
        << "You exceeded your current quota";
    QTest::addRow("OpenAI SDK repr is plain text: unclassified") << record(429,
        "\""
            + sample(QStringLiteral("openai_429_python-repr_gpt-newspaper-10.txt"))
                  .trimmed()
                  .replace("\\", "\\\\")
                  .replace("\"", "\\\"")
            + "\"") << "UNCLASSIFIED"
                                                                 << "openai.RateLimitError";
    QTest::addRow("body as a JSON string")
        << record(429, R"("{\"error_id\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"slow down\"}")")
        << "RATE_LIMITED"
        << "slow down";
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
    json.replace(R"({"code": "TOOL_ERROR",)",
        R"({"code": "GATEWAY_THROTTLED", "source": "RATE_LIMITED"}, {"code": "TOOL_ERROR",)");
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
    QTest::addRow("codes alone") << QByteArray(
        R"({"codes":[{"code":"X","source":"RATE_LIMITED"}]})")
                                 << "rejection_statuses: missing";
}

void TestRuleSet::brokenRulesAreRefusedWithAReason()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!RuleSet::fromJson(json, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestRuleSet::conditionsComeFromTheFile_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/rules/rules.json
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("builtIn");
    QTest::addColumn<QString>("patched");
    const QByteArray remainingZero = record(
        403, R"({"message":"API rate limit exceeded"})", R"({"x-ratelimit-remaining":"0"})");
    const QByteArray retryAfter
        = record(403, R"({"message":"abuse detection"})", R"({"Retry-After":"60"})");
    QTest::addRow("403 with Retry-After, when names only remaining 0") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/when","value":["x-ratelimit-remaining is 0"]}])")
                                                                       << retryAfter
                                                                       << "RATE_LIMITED"
                                                                       << "NONE";
    QTest::addRow("403 with remaining 0, when names only Retry-After") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/when","value":["Retry-After present"]}])")
                                                                       << remainingZero
                                                                       << "RATE_LIMITED"
                                                                       << "NONE";
    QTest::addRow("403 with Retry-After, when names only Retry-After") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/when","value":["Retry-After present"]}])")
                                                                       << retryAfter
                                                                       << "RATE_LIMITED"
                                                                       << "RATE_LIMITED";
    QTest::addRow("header names in conditions ignore case") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/when","value":["X-RateLimit-Remaining IS 0"]}])")
                                                            << remainingZero << "RATE_LIMITED"
                                                            << "RATE_LIMITED";
    QTest::addRow("the rule covers 401 instead of 403: a 403")
        << QByteArray(R"([{"op":"replace","path":"/limit_spent_statuses/0/status","value":401}])")
        << remainingZero << "RATE_LIMITED"
        << "NONE";
    QTest::addRow("the rule covers 401 instead of 403: a 401")
        << QByteArray(R"([{"op":"replace","path":"/limit_spent_statuses/0/status","value":401}])")
        << record(401, "{}", R"({"x-ratelimit-remaining":"0"})") << "NONE"
        << "RATE_LIMITED";
    QTest::addRow("the 403 rule's source") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/source","value":"UNCLASSIFIED"}])")
                                           << retryAfter << "RATE_LIMITED"
                                           << "UNCLASSIFIED";
    QTest::addRow("no limit-spent statuses: a 403 is never a rejection")
        << QByteArray(R"([{"op":"remove","path":"/limit_spent_statuses"}])") << remainingZero
        << "RATE_LIMITED"
        << "NONE";
    QTest::addRow("no body markers: a Discord body is unclassified")
        << QByteArray(R"([{"op":"remove","path":"/body_markers/0"}])")
        << record(429,
               R"({"global":false,"retry_after":12.5,"message":"You are being rate limited."})")
        << "RATE_LIMITED"
        << "UNCLASSIFIED";
    QTest::addRow("rejection statuses: 420 instead of 429")
        << QByteArray(R"([{"op":"replace","path":"/rejection_statuses","value":[420]}])")
        << record(429, R"({"error_code":"RATE_LIMITED"})") << "RATE_LIMITED"
        << "NONE";
}

void TestRuleSet::conditionsComeFromTheFile()
{
    QFETCH(QByteArray, patch);
    QFETCH(QByteArray, line);
    QFETCH(QString, builtIn);
    QFETCH(QString, patched);
    QString error;
    const auto custom = patchedRules(patch, &error);
    QVERIFY2(custom, qPrintable(error));
    const Verdict before = classifyLine(m_rules, line);
    const Verdict after = classifyLine(*custom, line);
    QVERIFY(before.decoded && after.decoded);
    QCOMPARE(QString::fromLatin1(sourceName(before.cls.source).data()), builtIn);
    QCOMPARE(QString::fromLatin1(sourceName(after.cls.source).data()), patched);
}

void TestRuleSet::unknownAndBadFieldsAreNamed_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/rules/rules.json
    QTest::addColumn<QString>("reason");
    QTest::addRow("unknown top-level field")
        << QByteArray(R"([{"op":"add","path":"/colour","value":"blue"}])")
        << "colour: unknown field (known: codes, rejection_statuses, unknown_code_source, "
           "tool_error_without_status, guidance, schema, about, body_markers, "
           "limit_spent_statuses, gateways, categories, samples)";
    QTest::addRow("unknown source")
        << QByteArray(R"([{"op":"replace","path":"/codes/1/source","value":"SOMEONE"}])")
        << R"(codes[1].source: unknown source "SOMEONE")";
    QTest::addRow("unknown field in a code")
        << QByteArray(R"([{"op":"add","path":"/codes/2/sourc","value":"RATE_LIMITED"}])")
        << "codes[2].sourc: unknown field (known: code, source, quota, seen_in)";
    QTest::addRow("unknown field in a body marker")
        << QByteArray(R"([{"op":"add","path":"/body_markers/0/header","value":"retry-after"}])")
        << "body_markers[0].header: unknown field";
    QTest::addRow("a body field the decoder does not report")
        << QByteArray(R"([{"op":"replace","path":"/body_markers/0/field","value":"global"}])")
        << R"(body_markers[0].field: "global" is not a body field the rules can test (retry_after))";
    QTest::addRow("unknown field in a limit-spent status")
        << QByteArray(R"([{"op":"add","path":"/limit_spent_statuses/0/unless","value":[]}])")
        << "limit_spent_statuses[0].unless: unknown field (known: status, when, source, seen_in)";
    QTest::addRow("a condition in free text")
        << QByteArray(
               R"([{"op":"replace","path":"/limit_spent_statuses/0/when/1","value":"a Retry-After header is present"}])")
        << R"(limit_spent_statuses[0].when[1]: "a Retry-After header is present" is not a condition)";
    QTest::addRow("a header the reader does not test")
        << QByteArray(
               R"([{"op":"replace","path":"/limit_spent_statuses/0/when/0","value":"x-ratelimit-limit is 0"}])")
        << R"(limit_spent_statuses[0].when[0]: "x-ratelimit-limit is 0" is not a condition)";
    QTest::addRow("no condition") << QByteArray(
        R"([{"op":"replace","path":"/limit_spent_statuses/0/when","value":[]}])")
                                  << "limit_spent_statuses[0].when: empty";
    QTest::addRow("missing when") << QByteArray(
        R"([{"op":"remove","path":"/limit_spent_statuses/0/when"}])")
                                  << "limit_spent_statuses[0].when: missing";
    QTest::addRow("unknown field in tool_error_without_status")
        << QByteArray(
               R"([{"op":"add","path":"/tool_error_without_status/statuses","value":[429]}])")
        << "tool_error_without_status.statuses: unknown field";
    QTest::addRow("unknown field in a gateway rule")
        << QByteArray(R"([{"op":"add","path":"/gateways/0/provider","value":"x"}])")
        << "gateways[0].provider: unknown field (known: name, statuses, when, source, seen_in, "
           "provider_from, message_from)";
    QTest::addRow("a gateway rule without seen_in")
        << QByteArray(R"([{"op":"remove","path":"/gateways/1/seen_in"}])")
        << "gateways[1].seen_in: missing";
    QTest::addRow("a field a gateway rule cannot read")
        << QByteArray(R"([{"op":"replace","path":"/gateways/0/when/0/field","value":"body"}])")
        << R"(gateways[0].when[0].field: "body" is not a body field the rules can test (message, provider_name, raw, metadata))";
    QTest::addRow("a pattern without contains")
        << QByteArray(R"([{"op":"remove","path":"/gateways/2/when/0/contains"}])")
        << "gateways[2].when[0].pattern: needs contains";
    QTest::addRow("a bad pattern")
        << QByteArray(R"([{"op":"replace","path":"/gateways/2/when/0/pattern","value":"(x"}])")
        << "gateways[2].when[0].pattern: bad pattern (x";
    QTest::addRow("unknown category")
        << QByteArray(R"([{"op":"replace","path":"/categories/0/category","value":"BILLING"}])")
        << R"(categories[0].category: unknown category "BILLING")";
    QTest::addRow("OVERLOADED on a 429")
        << QByteArray(R"([{"op":"add","path":"/categories/3/statuses/0","value":429}])")
        << "categories[3].statuses[0]: a rejection status: OVERLOADED and HIDDEN_THROTTLE are "
           "never rejections";
    QTest::addRow("unknown field in a condition")
        << QByteArray(R"([{"op":"add","path":"/categories/0/when/0/regex","value":"x"}])")
        << "categories[0].when[0].regex: unknown field (known: code, field, contains, pattern)";
    QTest::addRow("a category rule that names a provider") << QByteArray(
        R"X([{"op":"replace","path":"/categories/4/when/0/pattern","value":"(?<provider>overloaded)"}])X")
                                                           << "categories[4].when[0].pattern: "
                                                              "names a provider or message";
    QTest::addRow("misspelt guidance source")
        << QByteArray(R"([{"op":"add","path":"/guidance/RATE_LIMTED","value":"slow down"}])")
        << "guidance.RATE_LIMTED: unknown field";
    QTest::addRow("misspelt guidance axis")
        << QByteArray(
               R"([{"op":"add","path":"/guidance/rate_limited_by_axis/tokns","value":"fewer"}])")
        << "guidance.rate_limited_by_axis.tokns: unknown field (known: requests, tokens, "
           "input_tokens, output_tokens, concurrency)";
    QTest::addRow("guidance axis text not a string") << QByteArray(
        R"([{"op":"replace","path":"/guidance/rate_limited_by_axis/concurrency","value":3}])")
                                                     << "guidance.rate_limited_by_axis.concurrency:"
                                                        " not a string";
    QTest::addRow("unknown field in a sample")
        << QByteArray(R"([{"op":"add","path":"/samples/3/expected","value":"NONE"}])")
        << "samples[3].expected: unknown field (known: name, expect, record, quota, category, "
           "provider, message)";
    QTest::addRow("a status as a string")
        << QByteArray(R"([{"op":"replace","path":"/rejection_statuses/0","value":"429"}])")
        << "rejection_statuses[0]: not an HTTP status";
    QTest::addRow("another schema")
        << QByteArray(R"([{"op":"replace","path":"/schema","value":"ratescope.rules/2"}])")
        << R"(schema: not "ratescope.rules/1")";
}

void TestRuleSet::unknownAndBadFieldsAreNamed()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!patchedRules(patch, &error));
    QVERIFY2(error.startsWith(QStringLiteral("invalid rules: ")), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestRuleSet::guidanceNamesTheFix()
{
    QVERIFY(m_rules.guidance(RejectionSource::RateLimited, false)
                .contains(QStringLiteral("Retry-After")));
    QVERIFY(
        m_rules.guidance(RejectionSource::RateLimited, false).contains(QStringLiteral("headroom")));
    QVERIFY(
        m_rules.guidance(RejectionSource::ToolError, false).contains(QStringLiteral("provider")));
    QVERIFY(
        m_rules.guidance(RejectionSource::RateLimited, true).contains(QStringLiteral("billing")));
    QVERIFY(m_rules.guidance(RejectionSource::None, false).isEmpty());
}

void TestRuleSet::guidanceNamesTheBindingAxis_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("axis"); // the incident's binding axis; "": not known
    QTest::addColumn<QString>("says"); // a part of the text
    QTest::addColumn<QString>("notSays"); // and one it must not have
    QTest::addRow("requests: the RATE_LIMITED text") << "RATE_LIMITED"
                                                     << "requests"
                                                     << "peak requests per minute plus headroom"
                                                     << "tokens";
    QTest::addRow("no binding: the RATE_LIMITED text") << "RATE_LIMITED"
                                                       << ""
                                                       << "peak requests per minute plus headroom"
                                                       << "tokens";
    QTest::addRow("tokens") << "RATE_LIMITED"
                            << "tokens"
                            << "ask for a higher tokens-per-minute limit"
                            << "peak requests per minute";
    QTest::addRow("input tokens") << "RATE_LIMITED"
                                  << "input_tokens"
                                  << "ask for a higher input-tokens-per-minute limit"
                                  << "peak requests per minute";
    QTest::addRow("output tokens") << "RATE_LIMITED"
                                   << "output_tokens"
                                   << "ask for a higher output-tokens-per-minute limit"
                                   << "peak requests per minute";
    QTest::addRow("concurrency") << "RATE_LIMITED"
                                 << "concurrency"
                                 << "fewer requests in flight"
                                 << "peak requests per minute";
    // an upstream provider's limit keeps its own text whatever the axis
    QTest::addRow("TOOL_ERROR on tokens: the provider's text")
        << "TOOL_ERROR"
        << "tokens"
        << "upstream provider limited this tool call"
        << "tokens-per-minute";
}

// The guidance says which limit to raise or what to send less of (limits.md §5's binding).
void TestRuleSet::guidanceNamesTheBindingAxis()
{
    QFETCH(QString, source);
    QFETCH(QString, axis);
    QFETCH(QString, says);
    QFETCH(QString, notSays);
    const std::optional<RejectionSource> s = sourceFromName(source.toStdString());
    QVERIFY(s);
    const QString g = m_rules.guidance(*s, false, limitAxisFromName(axis));
    QVERIFY2(g.contains(says), qPrintable(g));
    QVERIFY2(!g.contains(notSays), qPrintable(g));
    if (*s == RejectionSource::RateLimited) // every text keeps the backoff
        QVERIFY2(g.contains(QLatin1String("Retry-After")), qPrintable(g));
    // a quota incident still says billing first
    QVERIFY(m_rules.guidance(*s, true, limitAxisFromName(axis))
                .startsWith(QLatin1String("Out of quota or credit")));
}

void TestRuleSet::guidancePerCategory_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("starts"); // the beginning of the text
    QTest::addColumn<QString>("says"); // a part of it
    QTest::addRow("QUOTA on a 429: billing first, then the source's backoff")
        << "RATE_LIMITED"
        << "QUOTA"
        << "Out of quota or credit"
        << "peak requests per minute plus headroom";
    QTest::addRow("QUOTA behind a gateway: billing, then the provider's text")
        << "TOOL_ERROR"
        << "QUOTA"
        << "Out of quota or credit"
        << "upstream provider limited this tool call";
    QTest::addRow("QUOTA on a 402 (no rejection): the category alone") << "NONE"
                                                                       << "QUOTA"
                                                                       << "Out of quota or credit"
                                                                       << "buy more credits";
    QTest::addRow("OVERLOADED (Anthropic's 529 words)") << "NONE"
                                                        << "OVERLOADED"
                                                        << "The service is temporarily overloaded"
                                                        << "The API is temporarily overloaded";
    QTest::addRow("HIDDEN_THROTTLE: back off as for a 429") << "NONE"
                                                            << "HIDDEN_THROTTLE"
                                                            << "The gateway hid a 429"
                                                            << "Back off as for one";
    QTest::addRow("a rejection without a category: its source's text") << "TOOL_ERROR"
                                                                       << "NONE"
                                                                       << "The upstream provider"
                                                                       << "provider's backoff";
    QTest::addRow("nothing at all") << "NONE"
                                    << "NONE"
                                    << ""
                                    << "";
}

// limits.md §7: what to do about each category, from the rules file's guidance.
void TestRuleSet::guidancePerCategory()
{
    QFETCH(QString, source);
    QFETCH(QString, category);
    QFETCH(QString, starts);
    QFETCH(QString, says);
    const std::optional<RejectionSource> s = sourceFromName(source.toStdString());
    QVERIFY(s);
    ThrottleCategory c = ThrottleCategory::None;
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        if (categoryName(categoryFromIndex(k)) == category.toStdString())
            c = categoryFromIndex(k);
    }
    const QString g = m_rules.guidance(*s, false, std::nullopt, c);
    QCOMPARE(g.isEmpty(), starts.isEmpty());
    if (g.isEmpty())
        return;
    QVERIFY2(g.startsWith(starts), qPrintable(g));
    QVERIFY2(g.contains(says), qPrintable(g));
    if (c != ThrottleCategory::None)
        QVERIFY(g.startsWith(m_rules.categoryGuidance(c)));
}

void TestRuleSet::quotaGuidanceKeepsItsOldName_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/rules/rules.json
    QTest::addColumn<QString>("quota"); // QUOTA's text; "": the file is refused
    QTest::addColumn<QString>("error");
    QTest::addRow("the old key, as files before issue 19 have it")
        << QByteArray(R"([{"op":"remove","path":"/guidance/QUOTA"},
                          {"op":"add","path":"/guidance/quota","value":"billing, not backoff"}])")
        << "billing, not backoff"
        << "";
    QTest::addRow("neither: no QUOTA text")
        << QByteArray(R"([{"op":"remove","path":"/guidance/QUOTA"}])") << ""
        << "";
    QTest::addRow("both: refused, named")
        << QByteArray(R"([{"op":"add","path":"/guidance/quota","value":"billing"}])") << ""
        << "guidance.quota: the old name of guidance.QUOTA: give one of them";
    QTest::addRow("not a string") << QByteArray(
        R"([{"op":"replace","path":"/guidance/OVERLOADED","value":529}])")
                                  << ""
                                  << "guidance.OVERLOADED: not a string";
    QTest::addRow("a category misspelt")
        << QByteArray(R"([{"op":"add","path":"/guidance/OVERLOAD","value":"wait"}])") << ""
        << "guidance.OVERLOAD: unknown field (known: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED, "
           "QUOTA, OVERLOADED, HIDDEN_THROTTLE, quota, rate_limited_by_axis)";
}

// Rules files written before the categories keep working: `guidance.quota` is QUOTA's text.
void TestRuleSet::quotaGuidanceKeepsItsOldName()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, quota);
    QFETCH(QString, error);
    QString why;
    const std::optional<RuleSet> rules = patchedRules(patch, &why);
    if (!error.isEmpty()) {
        QVERIFY(!rules);
        QVERIFY2(why.contains(error), qPrintable(why));
        return;
    }
    QVERIFY2(rules, qPrintable(why));
    QCOMPARE(rules->categoryGuidance(ThrottleCategory::Quota), quota);
    const QString g = rules->guidance(RejectionSource::RateLimited, true);
    QCOMPARE(g.startsWith(quota + QLatin1Char('\n')), !quota.isEmpty());
    QVERIFY(g.contains(QLatin1String("Retry-After")));
}

// As lnav's formats: every gateway and category rule of the built-in file is exercised by a
// sample, which fires that very rule.
void TestRuleSet::everyGatewayAndCategoryRuleHasASample()
{
    std::set<std::string> gateways, categories;
    for (const RuleSet::Sample &s : m_rules.samples()) {
        const Verdict v = classifyLine(m_rules, s.record);
        if (!v.cls.gatewayRule.empty())
            gateways.insert(std::string(v.cls.gatewayRule));
        if (!v.cls.categoryRule.empty())
            categories.insert(std::string(v.cls.categoryRule));
    }
    for (const std::string &name : m_rules.gatewayRuleNames())
        QVERIFY2(gateways.count(name), ("no sample fires the gateway rule " + name).c_str());
    for (const std::string &name : m_rules.categoryRuleNames())
        QVERIFY2(categories.count(name), ("no sample fires the category rule " + name).c_str());
    QVERIFY(m_rules.gatewayRuleNames().size() >= 8);
    QVERIFY(m_rules.categoryRuleNames().size() >= 7);
}

// `"extends": "built-in"`: a file of additions, put before the built-in rules.
void TestRuleSet::additionsExtendTheBuiltIn()
{
    QString error;
    const auto rules = RuleSet::fromJson(R"({"extends": "built-in",
        "codes": [{"code": "GATEWAY_THROTTLED", "source": "RATE_LIMITED"}],
        "categories": [{"name": "a 502 saying slow down", "category": "HIDDEN_THROTTLE",
                        "statuses": [502], "when": [{"field": "message", "contains": "slow down"}],
                        "seen_in": "this test"}],
        "samples": [{"name": "mine", "expect": "RATE_LIMITED",
                     "record": {"ts": 1, "status": 429, "body": {"error_code": "GATEWAY_THROTTLED"}}}]})",
        &error);
    QVERIFY2(rules, qPrintable(error));
    // the additions first, then every built-in rule and sample
    QCOMPARE(rules->samples().size(), m_rules.samples().size() + 1);
    QCOMPARE(rules->samples().front().name, QStringLiteral("mine"));
    QCOMPARE(rules->categoryRuleNames().front(), std::string("a 502 saying slow down"));
    QCOMPARE(rules->gatewayRuleNames(), m_rules.gatewayRuleNames());
    const QByteArray own = record(429, R"({"error_code":"GATEWAY_THROTTLED"})");
    QCOMPARE(classifyLine(m_rules, own).cls.source, RejectionSource::Unclassified);
    QCOMPARE(classifyLine(*rules, own).cls.source, RejectionSource::RateLimited);
    const QByteArray slowDown = record(502, R"({"message":"upstream says slow down"})");
    QCOMPARE(classifyLine(m_rules, slowDown).cls.category, ThrottleCategory::None);
    QCOMPARE(classifyLine(*rules, slowDown).cls.category, ThrottleCategory::HiddenThrottle);
    // the built-in rules still apply
    const QByteArray anthropic = record(429, R"({"error":{"type":"rate_limit_error"}})");
    QCOMPARE(classifyLine(*rules, anthropic).cls.source, RejectionSource::RateLimited);
    QCOMPARE(rules->guidance(RejectionSource::ToolError, false),
        m_rules.guidance(RejectionSource::ToolError, false));
}

void TestRuleSet::additionsAreChecked_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::addRow("another base") << QByteArray(R"({"extends": "my-rules.json"})")
                                  << R"(extends: only "built-in" can be extended)";
    QTest::addRow("guidance cannot be added")
        << QByteArray(R"({"extends": "built-in", "guidance": {}})")
        << "guidance: unknown field (known: extends, schema, about, codes, gateways, "
           "categories, samples)";
    QTest::addRow("an added rule is checked, its path its own") << QByteArray(
        R"({"extends": "built-in", "gateways": [{"name": "x", "statuses": [429], "when": [], "source": "TOOL_ERROR"}]})")
                                                                << "gateways[0].seen_in: missing";
    QTest::addRow("gateways not a list")
        << QByteArray(R"({"extends": "built-in", "gateways": {}})") << "gateways: not an array";
    QTest::addRow("another schema")
        << QByteArray(R"({"extends": "built-in", "schema": "ratescope.rules/2"})")
        << R"(schema: not "ratescope.rules/1")";
}

void TestRuleSet::additionsAreChecked()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!RuleSet::fromJson(json, &error));
    QVERIFY2(error.startsWith(QStringLiteral("invalid rules: ")), qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

// README.md's worked example, as written there: a made-up gateway added in a few lines of JSON
// classifies the made-up answer of the README's log as the README says.
void TestRuleSet::readmeGatewayExample()
{
    const QByteArray rulesJson = documentedExample(QStringLiteral("README.md"), "gateway-rules");
    QVERIFY2(rulesJson.count('\n') <= 10, rulesJson.constData()); // "in 10 lines of JSON"
    const QByteArray log = documentedExample(QStringLiteral("README.md"), "gateway-log").trimmed();
    QString error;
    const auto rules = RuleSet::fromJson(rulesJson, &error);
    QVERIFY2(rules, qPrintable(error));
    // without the rule, the relay's code says it was its own limit
    const Verdict before = classifyLine(m_rules, log);
    QVERIFY(before.decoded);
    QCOMPARE(before.cls.source, RejectionSource::RateLimited);
    QVERIFY(before.cls.gatewayRule.empty());
    // with it, the upstream provider's, named, in its own words
    const Verdict after = classifyLine(*rules, log);
    QCOMPARE(after.cls.source, RejectionSource::ToolError);
    QCOMPARE(after.provider, std::string("acme-llm"));
    QCOMPARE(after.message, std::string("slow down, 20 requests per minute"));
    QCOMPARE(after.cls.gatewayRule, std::string_view("Acme Relay: the upstream provider's 429"));
}

QTEST_GUILESS_MAIN(TestRuleSet)
#include "tst_ruleset.moc"
