// The words of a rejection (limits.md §4 last bullet, §5 item 1; decode/limitwords.h), against
// real 429 texts. Every row taken from a real text names where it was read: a public issue
// (its URL; the text as the reporter pasted it, cut to the error where the issue had more) or a
// fixture of tests/fixtures (PROVENANCE.md there). Rows marked "spec form" are built from the
// wording limits.md §5 gives, where no public text of that form was found.
#include "decode/httprr.h"
#include "decode/limitwords.h"
#include "decode/recorddecoder.h"
#include "decode/yamlcassette.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <vector>

namespace {

constexpr qint64 kNone = -1;

qint64 orNone(const std::optional<std::int64_t> &v) { return v ? qint64(*v) : kNone; }

QString axisText(const std::optional<LimitAxis> &axis)
{
    return axis ? limitAxisName(*axis) : QStringLiteral("-");
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

} // namespace

class TestLimitWords : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forms_data();
    void forms();
    void nothing_data();
    void nothing();
    void fixtureRejections_data();
    void fixtureRejections();
    void everyFixtureWith429HasARow();
};

void TestLimitWords::forms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("axis"); // limitAxisName, "-": none
    QTest::addColumn<qint64>("windowS"); // -1: none
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("used");
    QTest::addColumn<qint64>("requested");
    QTest::addColumn<QString>("rule");

    // --- OpenAI (and Groq, same wording) ---
    // tests/fixtures/llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml (DataDog/dd-trace-py
    // tests/contrib/langchain/cassettes/langchain_community/lcel_openai_chain_batch.yaml)
    QTest::addRow("openai RPM, vcrpy cassette")
        << "Rate limit reached for gpt-3.5-turbo in organization org-zIQe0qsKlsW7cksvlHpU411T on "
           "requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
           "https://platform.openai.com/account/rate-limits to learn more. You can increase your "
           "rate limit by adding a payment method to your account at "
           "https://platform.openai.com/account/billing."
        << "requests" << qint64(60) << qint64(3) << qint64(3) << qint64(1) << "openai-rpm";
    // https://github.com/FoundationAgents/MetaGPT/issues/523
    QTest::addRow("openai TPM, python SDK exception")
        << "openai.error.RateLimitError: Rate limit reached for gpt-4 in organization "
           "org-uVqpjtJiKqvVJMVfvpaounIh on tokens per min (TPM): Limit 10000, Used 8554, "
           "Requested 3082. Please try again in 9.816s. Visit "
           "https://platform.openai.com/account/rate-limits to learn more."
        << "tokens" << qint64(60) << qint64(10000) << qint64(8554) << qint64(3082) << "openai-tpm";
    // https://github.com/BuilderIO/micro-agent/issues/86
    QTest::addRow("openai TPM, gpt-4o")
        << "429 Rate limit reached for gpt-4o in organization org-uOtiSEwvUnroadaOnJJquBEC on "
           "tokens per min (TPM): Limit 30000, Used 29937, Requested 385. Please try again in "
           "644ms."
        << "tokens" << qint64(60) << qint64(30000) << qint64(29937) << qint64(385) << "openai-tpm";
    // spec form (limits.md §4: "Limit 30000, Used 28500, Requested 2400"), with separators
    QTest::addRow("openai TPM, thousands separators")
        << "Rate limit reached for gpt-4 in organization org-x on tokens per min (TPM): Limit "
           "30,000, Used 28,500, Requested 2,400. Please try again in 1.8s."
        << "tokens" << qint64(60) << qint64(30000) << qint64(28500) << qint64(2400) << "openai-tpm";
    // https://github.com/MSU-AI-Agents/fall-2025-course/issues/76
    QTest::addRow("openai RPD")
        << "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-3.5-turbo in "
           "organization org-pR2Z3LP86Rl3jvVG0S9Kv3IT on requests per day (RPD): Limit 10000, "
           "Used 10000, Requested 1. Please try again in 8.64s. Visit "
           "https://platform.openai.com/account/rate-limits to learn more.', 'type': 'requests', "
           "'param': None, 'code': 'rate_limit_exceeded'}}"
        << "requests" << qint64(86400) << qint64(10000) << qint64(10000) << qint64(1)
        << "openai-rpd";
    // https://github.com/continuedev/continue/issues/10920 (Groq)
    QTest::addRow("groq TPD, service tier")
        << "429 Rate limit reached for model `llama-3.3-70b-versatile` in organization "
           "`org_01kjh7p9n8f1qs6nz2bz77vy6b` service tier `on_demand` on tokens per day (TPD): "
           "Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s. Need more "
           "tokens%3F Upgrade to Dev Tier today at https://console.groq.com/settings/billing"
        << "tokens" << qint64(86400) << qint64(100000) << qint64(97050) << qint64(3619)
        << "openai-tpd";
    // https://github.com/crewAIInc/crewAI/issues/494 (Groq: "per minute", "Requested ~4251")
    QTest::addRow("groq TPM, per minute, approximate request")
        << "groq.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for "
           "model `llama3-70b-8192` in organization `org_123` on tokens per minute (TPM): Limit "
           "5000, Used 5747, Requested ~4251. Please try again in 59.977s. Visit "
           "https://console.groq.com/docs/rate-limits for more information.', 'type': 'tokens', "
           "'code': 'rate_limit_exceeded'}}"
        << "tokens" << qint64(60) << qint64(5000) << qint64(5747) << qint64(4251) << "openai-tpm";
    // https://github.com/ago19800/HomeMind/issues/29 (a log that wrapped the message)
    QTest::addRow("groq TPM, wrapped over lines")
        << "Error code: 429 - {'error': {'message': 'Rate limit reached for model\n"
           "`llama-3.3-70b-versatile` in organization\n"
           "`org_01kes94v04f9ramd2n1vj4gjnc` service tier `on_demand` on tokens\n"
           "per minute (TPM): Limit 12000, Used 2542, Requested 9855. Please try\n"
           "again in 1.984999999s."
        << "tokens" << qint64(60) << qint64(12000) << qint64(2542) << qint64(9855) << "openai-tpm";
    // https://github.com/agent0ai/agent-zero/issues/711 (no Used: the request alone is too big)
    QTest::addRow("openai request too large for TPM")
        << "litellm.exceptions.RateLimitError: litellm.RateLimitError: RateLimitError: "
           "OpenAIException - Request too large for gpt-5 in organization org-123456 on tokens "
           "per min (TPM): Limit 30000, Requested 36055. The input or output tokens must be "
           "reduced in order to run successfully."
        << "tokens" << qint64(60) << qint64(30000) << kNone << qint64(36055) << "openai-tpm";
    // tests/fixtures/samples/openai_429_body_code-null_chatanywhere-46.json
    // (https://github.com/chatanywhere/GPT_API_free/issues/46): the 2023 wording
    QTest::addRow("openai TPM, 2023 wording 'Limit: N / min'")
        << "Rate limit reached for default-gpt-4 in organization org-ATlb4GCUpG1s9F0EOR0L0xhf on "
           "tokens per min. Limit: 40000 / min. Please try again in 1ms. Contact us through our "
           "help center at help.openai.com if you continue to have issues."
        << "tokens" << qint64(60) << qint64(40000) << kNone << kNone << "openai-tpm";
    // https://github.com/mmz-001/knowledge_gpt/issues/5: "Current" is what was used
    QTest::addRow("openai RPM, 2023 wording with Current")
        << "Rate limit reached for default-global-with-image-limits in organization "
           "org-Yu8pTMWbwQ0jvtsUA1H1py29 on requests per min. Limit: 60.000000 / min. Current: "
           "70.000000 / min. Contact [support@openai.com](mailto:support@openai.com) if you "
           "continue to have issues. Please add a payment method to your account to increase "
           "your rate limit. Visit https://platform.openai.com/account/billing to add a payment "
           "method."
        << "requests" << qint64(60) << qint64(60) << qint64(70) << kNone << "openai-rpm";
    // https://github.com/jesselau76/ebook-GPT-translator/issues/64
    QTest::addRow("openai RPD, 2023 wording")
        << "openai.error.RateLimitError: Rate limit reached for default-gpt-3.5-turbo in "
           "organization org-Y6mrIS1Sezqe4ctrP6VS7Ncl on requests per day. Limit: 200 / day. "
           "Please try again in 7m12s. Contact us through our help center at help.openai.com if "
           "you continue to have issues."
        << "requests" << qint64(86400) << qint64(200) << kNone << kNone << "openai-rpd";
    // https://github.com/songquanpeng/one-api/issues/881 (dall-e-3): images are no axis of
    // limits.md §2, so no axis; the window and numbers are kept
    QTest::addRow("openai images per minute, 2023 wording")
        << "Rate limit exceeded for images per minute in organization "
           "org-ToDJZKfhy1BqRrAohva3yiai. "
           "Limit: 0/1min. Current: 1/1min. Please visit "
           "https://platform.openai.com/docs/guides/rate-limits to learn how to increase your "
           "rate limit."
        << "-" << qint64(60) << qint64(0) << qint64(1) << kNone << "openai-ipm";
    // spec form (limits.md §5 "images per min"; no public text with numbers found)
    QTest::addRow("openai IPM")
        << "Rate limit reached for dall-e-3 in organization org-x on images per min (IPM): Limit "
           "5, Used 5, Requested 1. Please try again in 12s."
        << "-" << qint64(60) << qint64(5) << qint64(5) << qint64(1) << "openai-ipm";
    // spec form (limits.md §5; no public text found)
    QTest::addRow("openai active requests")
        << "You have reached the maximum of 50 active requests for this organization."
        << "concurrency" << qint64(0) << qint64(50) << kNone << kNone << "openai-active-requests";

    // --- Anthropic ---
    // tests/fixtures/samples/anthropic_429_body_trae-625.json
    // (https://github.com/Trae-AI/TRAE/issues/625)
    QTest::addRow("anthropic input tokens per minute, org id")
        << "This request would exceed the rate limit for your organization (---) of 20,000 input "
           "tokens per minute. For details, refer to: "
           "https://docs.anthropic.com/en/api/rate-limits. "
           "You can see the response headers for current usage."
        << "input_tokens" << qint64(60) << qint64(20000) << kNone << kNone << "anthropic-itpm";
    // https://github.com/FoundationAgents/OpenManus/issues/746 (no org id, OpenAI-shaped)
    QTest::addRow("anthropic input tokens per minute, no org id")
        << "OpenAI API error: Error code: 429 - {'error': {'code': 'rate_limit_error', 'message': "
           "'This request would exceed the rate limit for your organization of 20,000 input "
           "tokens per minute. For details, refer to: "
           "https://docs.anthropic.com/en/api/rate-limits. "
           "You can see the response headers for current usage.', 'type': "
           "'invalid_request_error', 'param': None}}"
        << "input_tokens" << qint64(60) << qint64(20000) << kNone << kNone << "anthropic-itpm";
    // https://github.com/continuedev/continue/issues/12057 (the 2026 wording)
    QTest::addRow("anthropic input tokens per minute, organization's rate limit")
        << "{\"type\":\"rate_limit_error\",\"message\":\"This request would exceed your "
           "organization's rate limit of 30,000 input tokens per minute (org: "
           "ef36bf5a-434a-4c52-b7a0-ba958aef9dfd, model: claude-sonnet-4-20250514). For details, "
           "refer to: https://docs.claude.com/en/api/rate-limits.\"}"
        << "input_tokens" << qint64(60) << qint64(30000) << kNone << kNone << "anthropic-itpm";
    // spec form (limits.md §5 "output tokens per minute"; seen in public files the index did
    // not name a repository for)
    QTest::addRow("anthropic output tokens per minute")
        << "This request would exceed the rate limit for your organization (org-x) of 8,000 "
           "output tokens per minute. For details, refer to: "
           "https://docs.anthropic.com/en/api/rate-limits."
        << "output_tokens" << qint64(60) << qint64(8000) << kNone << kNone << "anthropic-otpm";
    // https://github.com/cline/cline/issues/42 ("request tokens" are the request's: input)
    QTest::addRow("anthropic request tokens per-minute")
        << "429 {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number "
           "of request tokens has exceeded your per-minute rate limit "
           "(https://docs.anthropic.com/en/api/rate-limits); see the response headers for current "
           "usage. Please reduce the prompt length or the maximum tokens requested, or try again "
           "later.\"}}"
        << "input_tokens" << qint64(60) << kNone << kNone << kNone << "anthropic-number-itpm";
    // https://github.com/cline/cline/issues/124
    QTest::addRow("anthropic request tokens daily")
        << "Number of request tokens has exceeded your daily rate limit"
        << "input_tokens" << qint64(86400) << kNone << kNone << kNone << "anthropic-number-itpd";
    // tests/fixtures/llm/tmc__langchaingo__anthropic_429_concurrency.httprr
    QTest::addRow("anthropic concurrent connections")
        << "Number of concurrent connections has exceeded your rate limit. Please try again later "
           "or contact sales at https://www.anthropic.com/contact-sales to discuss your options "
           "for a rate limit increase."
        << "concurrency" << qint64(0) << kNone << kNone << kNone << "anthropic-concurrent";

    // --- Gemini ---
    // tests/fixtures/llm/crmne__ruby_llm__gemini_429_quota_failure.yml: error.message alone
    // names the metric (no window) and the limit
    QTest::addRow("gemini message, paid tier input token metric")
        << "You exceeded your current quota, please check your plan and billing details. For more "
           "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. "
           "To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded "
           "for metric: "
           "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count, "
           "limit: 1000000, model: gemini-2.5-flash\nPlease retry in 48.939935699s."
        << "input_tokens" << kNone << qint64(1000000) << kNone << kNone << "gemini-quota-metric";
    // the same fixture's body, abridged (its Help entry and message left out): the quota id
    // names the window
    QTest::addRow("gemini body, paid tier input tokens per minute")
        << R"({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "details": [
             {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
               {"quotaMetric": "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count",
                "quotaId": "GenerateContentPaidTierInputTokensPerModelPerMinute",
                "quotaDimensions": {"model": "gemini-2.5-flash", "location": "<GOOGLE_CLOUD_LOCATION>"},
                "quotaValue": "1000000"}]},
             {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "48s"}]}})"
        << "input_tokens" << qint64(60) << qint64(1000000) << kNone << kNone << "gemini-quota-id";
    // https://github.com/google-gemini/gemini-cli-action/issues/36 (cut after the QuotaFailure)
    QTest::addRow("gemini body, free tier input tokens per minute")
        << R"({
  "error": {
    "code": 429,
    "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [
          {
            "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
            "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier",
            "quotaDimensions": {
              "location": "global",
              "model": "gemini-2.5-pro"
            },
            "quotaValue": "250000"
          }
        ]
      }]}})"
        << "input_tokens" << qint64(60) << qint64(250000) << kNone << kNone << "gemini-quota-id";
    // https://github.com/google-gemini/gemini-cli/issues/6985: the body as an escaped string
    // inside another message, wrapped by the terminal
    QTest::addRow("gemini body escaped in a message")
        << R"x([API Error: {"error":{"message":"{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, please check your plan and billing details. For more 
  information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\",\n    \"status\": \"RESOURCE_EXHAUSTED\",\n    \"details\": [\n      {\n        \"@type\": 
  \"type.googleapis.com/google.rpc.QuotaFailure\",\n        \"violations\": [\n          {\n            \"quotaMetric\": 
  \"generativelanguage.googleapis.com/generate_content_free_tier_input_token_count\",\n            \"quotaId\": \"GenerateContentInputTokensPerModelPerMinute-FreeTier\",\n            
  \"quotaDimensions\": {\n              \"location\": \"global\",\n              \"model\": \"gemini-2.5-pro\"\n            },\n            \"quotaValue\": \"125000\"\n          }\n       
   ]\n      },)x"
        << "input_tokens" << qint64(60) << qint64(125000) << kNone << kNone << "gemini-quota-id";
    // https://github.com/langgenius/dify/issues/19838 (paid, per day, Python repr)
    QTest::addRow("gemini requests per day, python repr")
        << "429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'You exceeded your current "
           "quota. Go to https://aistudio.google.com/apikey to upgrade your quota tier, or submit "
           "a quota increase request in "
           "https://ai.google.dev/gemini-api/docs/rate-limits#request-rate-limit-increase', "
           "'status': 'RESOURCE_EXHAUSTED', 'details': [{'@type': "
           "'type.googleapis.com/google.rpc.QuotaFailure', 'violations': [{'quotaMetric': "
           "'generativelanguage.googleapis.com/generate_requests_per_model_per_day', 'quotaId': "
           "'GenerateRequestsPerDayPerProjectPerModel'}]}"
        << "requests" << qint64(86400) << kNone << kNone << kNone << "gemini-quota-id";
    // https://github.com/google-gemini/gemini-cli/issues/8437: three violations, the first in
    // the text is read (input tokens per minute, then requests per minute and per day)
    QTest::addRow("gemini three violations, first one read")
        << "Generate error: 429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'You "
           "exceeded your current quota, please check your plan and billing details.', 'status': "
           "'RESOURCE_EXHAUSTED', 'details': [{'@type': "
           "'type.googleapis.com/google.rpc.QuotaFailure', 'violations': [{'quotaMetric': "
           "'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count', "
           "'quotaId': 'GenerateContentInputTokensPerModelPerMinute-FreeTier', "
           "'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, "
           "{'quotaMetric': "
           "'generativelanguage.googleapis.com/generate_content_free_tier_requests', "
           "'quotaId': 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'quotaDimensions': "
           "{'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, {'quotaMetric': "
           "'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': "
           "'GenerateRequestsPerDayPerProjectPerModel-FreeTier', 'quotaDimensions': {'model': "
           "'gemini-2.5-flash-preview-image', 'location': 'global'}}]}"
        << "input_tokens" << qint64(60) << kNone << kNone << kNone << "gemini-quota-id";
    // https://github.com/continuedev/continue/issues/9570: doubly escaped message, requests first
    QTest::addRow("gemini free tier requests metric, limit 0")
        << R"x({"error":{"message":"{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3-pro\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3-pro\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-3-pro\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-3-pro\\nPlease retry in 45.578569677s.\",)x"
        << "requests" << kNone << qint64(0) << kNone << kNone << "gemini-quota-metric";
    // https://github.com/GoogleCloudPlatform/Open_Data_QnA/issues/61 (Vertex AI)
    QTest::addRow("vertex requests per minute metric")
        << "google.api_core.exceptions.ResourceExhausted: 429 Quota exceeded for "
           "aiplatform.googleapis.com/"
           "generate_content_requests_per_minute_per_project_per_base_model "
           "with base model: gemini-pro. Please submit a quota increase request. "
           "https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai."
        << "requests" << qint64(60) << kNone << kNone << kNone << "gemini-quota-metric";
    // https://github.com/home-assistant/core/issues/132832: the 2024 ErrorInfo; its quota_limit
    // is a quota id
    QTest::addRow("gemini 2024 ErrorInfo quota_limit")
        << "Error generating content: 429 Quota exceeded for quota metric 'Generate Content API "
           "requests per minute' and limit 'GenerateContent request limit per minute for a "
           "region' of service 'generativelanguage.googleapis.com' for consumer "
           "'project_number:***********'. [reason: \"RATE_LIMIT_EXCEEDED\" domain: "
           "\"googleapis.com\" metadata { key: \"service\" value: "
           "\"generativelanguage.googleapis.com\" } metadata { key: \"quota_metric\" value: "
           "\"generativelanguage.googleapis.com/generate_content_requests\" } metadata { key: "
           "\"quota_location\" value: \"us-west4\" } metadata { key: \"quota_limit\" value: "
           "\"GenerateContentRequestsPerMinutePerProjectPerRegion\" } metadata { key: "
           "\"quota_limit_value\" value: \"0\" } metadata { key: \"consumer\" value: "
           "\"projects/***********\" }"
        << "requests" << qint64(60) << kNone << kNone << kNone << "gemini-quota-id";

    // --- LiteLLM proxy ---
    // https://github.com/BerriAI/litellm/issues/13898 (tokens: 12260 >= 5000)
    QTest::addRow("litellm crossed, tokens reached")
        << "429: LiteLLM Rate Limit Handler for rate limit type = team. Crossed TPM / RPM / Max "
           "Parallel Request Limit. current rpm: 1, rpm limit: 15, current tpm: 12260, tpm limit: "
           "5000, current max_parallel_requests: 0, max_parallel_requests: 9223372036854775807"
        << "tokens" << qint64(60) << qint64(5000) << qint64(12260) << kNone << "litellm-crossed";
    // spec form (limits.md §5, the same sentence with requests at their limit)
    QTest::addRow("litellm crossed, requests reached")
        << "LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel "
           "Request Limit. current rpm: 15, rpm limit: 15, current tpm: 348, tpm limit: 5000, "
           "current max_parallel_requests: 0, max_parallel_requests: 9223372036854775807"
        << "requests" << qint64(60) << qint64(15) << qint64(15) << kNone << "litellm-crossed";
    // spec form (the same sentence with requests in flight at their limit)
    QTest::addRow("litellm crossed, parallel reached")
        << "LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel "
           "Request Limit. current rpm: 3, rpm limit: 100, current tpm: 348, tpm limit: 5000, "
           "current max_parallel_requests: 4, max_parallel_requests: 4"
        << "concurrency" << qint64(0) << qint64(4) << qint64(4) << kNone << "litellm-crossed";
    // BerriAI/litellm litellm/proxy/hooks/parallel_request_limiter.py raises this detail bare
    // (HTTPException(status_code=429, detail="Max parallel request limit reached."))
    QTest::addRow("litellm max parallel, bare")
        << "Max parallel request limit reached."
        << "concurrency" << qint64(0) << kNone << kNone << kNone << "litellm-parallel";
    // BerriAI/litellm litellm/proxy/hooks/parallel_request_limiter_v2.py raise_rate_limit_error:
    // the same words for every limit, with the numbers after them (here rpm 5 > 4)
    QTest::addRow("litellm max parallel with v2 numbers, requests")
        << "Max parallel request limit reached Max parallel request limit reached. Hit limit for "
           "key. Current usage: max_parallel_requests: 1, current_rpm: 5, current_tpm: 0. Current "
           "limits: max_parallel_requests: 10, rpm_limit: 4, tpm_limit: 100000."
        << "requests" << qint64(60) << qint64(4) << qint64(5) << kNone << "litellm-parallel";
}

void TestLimitWords::forms()
{
    QFETCH(QString, text);
    QFETCH(QString, axis);
    QFETCH(qint64, windowS);
    QFETCH(qint64, limit);
    QFETCH(qint64, used);
    QFETCH(qint64, requested);
    QFETCH(QString, rule);

    const LimitWords w = readLimitWords(text.toStdString());
    QCOMPARE(QString::fromStdString(w.rule), rule);
    QCOMPARE(axisText(w.axis), axis);
    QCOMPARE(orNone(w.windowS), windowS);
    QCOMPARE(orNone(w.limit), limit);
    QCOMPARE(orNone(w.used), used);
    QCOMPARE(orNone(w.requested), requested);
}

void TestLimitWords::nothing_data()
{
    QTest::addColumn<QString>("text");

    QTest::addRow("empty") << "";
    QTest::addRow("reason phrase") << "Too Many Requests";
    // tests/fixtures/gateway_mix.ndjson line 13 (ours): the gateway's own limit, no axis
    QTest::addRow("scalekit RATE_LIMITED body")
        << R"({"code":8,"message":"rate limit exceeded","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"RATE_LIMITED"}]})";
    QTest::addRow("scalekit message") << "rate limit exceeded";
    QTest::addRow("rate limit reached, no axis") << "Rate limit reached for requests";
    QTest::addRow("garbage with digits")
        << "x9 429 30,000 per min: 12260 >= 5000 (RPM/TPM) Limit 3, Used 3, Requested 1 "
           "2026-01-05T10:42:07Z";
    // tests/fixtures/llm/social-growth-studio__req_llm__openrouter_429_free_per_min.json: a
    // window but no axis in the words
    QTest::addRow("openrouter free models per min") << "Rate limit exceeded: free-models-per-min. ";
    // tests/fixtures/llm/tidyverse__ellmer__openai_429_insufficient_quota.yml: quota, no limit
    QTest::addRow("openai insufficient quota")
        << "You exceeded your current quota, please check your plan and billing details. For "
           "more information on this error, read the docs: "
           "https://platform.openai.com/docs/guides/error-codes/api-errors.";
    // tests/fixtures/samples/discord_429_global_mismatch_discord-api-docs-1575.txt
    QTest::addRow("discord") << "You are being rate limited.";
    // https://github.com/BerriAI/litellm/issues/9440: no limit set ("rpm limit: -2"), none of
    // the others reached: the words do not say which limit
    QTest::addRow("litellm crossed, none reached")
        << "429: LiteLLM Rate Limit Handler for rate limit type = team. Crossed TPM / RPM / Max "
           "Parallel Request Limit. current rpm: 1, rpm limit: -2, current tpm: 0, tpm limit: "
           "9223372036854775807, current max_parallel_requests: 1, max_parallel_requests: "
           "9223372036854775807";
    // https://github.com/GoogleCloudPlatform/generative-ai/issues/382: the human metric name
    // alone (not a form of limits.md §5)
    QTest::addRow("gemini 2024 message without ErrorInfo")
        << "Quota exceeded for quota metric 'Generate Content API requests per minute' and limit "
           "'GenerateContent request limit per minute for a region' of service "
           "'generativelanguage.googleapis.com'";
    // https://github.com/farion1231/cc-switch/issues/240 (Moonshot; not a form of limits.md §5)
    QTest::addRow("moonshot TPD") << "request reached organization TPD rate limit, current: "
                                     "1508351, limit: 1500000";
    // https://github.com/Vizards/deepseek-v4-for-copilot/issues/279 (a relay; not a §5 form)
    QTest::addRow("relay TPM sentence")
        << "status_code=429, TPM (Tokens Per Minute) limit of the model deepseek-v4-1-flash is "
           "exceeded. Please try again later";
    // tests/fixtures/llm/pydantic__pydantic-ai__openrouter_upstream_429x3.yaml
    QTest::addRow("openrouter upstream") << "Provider returned error";
}

void TestLimitWords::nothing()
{
    QFETCH(QString, text);
    const LimitWords w = readLimitWords(text.toStdString());
    QVERIFY2(!w.matched(), w.rule.c_str());
    QVERIFY(!w.axis && !w.windowS && !w.limit && !w.used && !w.requested);
}

// Every 429 of the fixtures that hold one. The expected axes were read off each file by hand:
// the message's own words (the rows of forms() give the same texts), not the headers. A
// cassette lists its 429s in file order; "-" is a 429 whose words name no axis.
namespace {

struct FixtureRow
{
    const char *name;
    const char *file; // under tests/fixtures
    const char *axes;
    const char *rules;
};

const std::vector<FixtureRow> &fixtureRows()
{
    static const std::vector<FixtureRow> rows {
        // "…on requests per min (RPM): Limit 3, Used 3, Requested 1" (gzip !!binary body)
        { "vcrpy openai RPM", "llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml", "requests",
            "openai-rpm" },
        // error.message: "Quota exceeded for metric:
        // …/generate_content_paid_tier_input_token_count"
        { "ruby vcr gemini", "llm/crmne__ruby_llm__gemini_429_quota_failure.yml", "input_tokens",
            "gemini-quota-metric" },
        // three 429s "Provider returned error" (OpenRouter, upstream Google): no words of a limit
        { "openrouter upstream x3", "llm/pydantic__pydantic-ai__openrouter_upstream_429x3.yaml",
            "- - -", "- - -" },
        // insufficient_quota: billing, not a rate limit
        { "openai insufficient quota", "llm/tidyverse__ellmer__openai_429_insufficient_quota.yml",
            "-", "-" },
        // "Number of concurrent connections has exceeded your rate limit"
        { "httprr anthropic concurrency", "llm/tmc__langchaingo__anthropic_429_concurrency.httprr",
            "concurrency", "anthropic-concurrent" },
        // the 200-only recordings: no 429
        { "groq 200", "llm/alexrudall__ruby-openai__groq_stream.yml", "", "" },
        { "anthropic 200", "llm/crmne__ruby_llm__anthropic_multiturn.yml", "", "" },
        { "mistral 200", "llm/crmne__ruby_llm__mistral_multiturn.yml", "", "" },
        { "anthropic retry-after on 200",
            "llm/pydantic__pydantic-ai__anthropic_retry_after_on_200.yaml", "", "" },
        // samples/: each file is one 429 body (or its capture)
        { "anthropic body, trae", "samples/anthropic_429_body_trae-625.json", "input_tokens",
            "anthropic-itpm" },
        // headers only (a JS object literal): no body, no words
        { "anthropic headers only",
            "samples/anthropic_429_headers_anthropic-sdk-typescript-357.txt", "-", "-" },
        // "You are being rate limited."
        { "discord", "samples/discord_429_global_mismatch_discord-api-docs-1575.txt", "-", "-" },
        // "Rate limit exceeded" (type rate_limited)
        { "mistral", "samples/mistral_429_body_web.json", "-", "-" },
        // "…on tokens per min. Limit: 40000 / min."
        { "openai 2023 body", "samples/openai_429_body_code-null_chatanywhere-46.json", "tokens",
            "openai-tpm" },
        // the Python SDK's repr: "…on tokens per min (TPM): Limit 10000, Used 9348, Requested 5086"
        { "openai python repr", "samples/openai_429_python-repr_gpt-newspaper-10.txt", "tokens",
            "openai-tpm" },
    };
    return rows;
}

} // namespace

void TestLimitWords::fixtureRejections_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("axes");
    QTest::addColumn<QString>("rules");
    for (const FixtureRow &r : fixtureRows())
        QTest::addRow("%s", r.name)
            << QString::fromUtf8(r.file) << QString::fromUtf8(r.axes) << QString::fromUtf8(r.rules);
}

void TestLimitWords::fixtureRejections()
{
    QFETCH(QString, file);
    QFETCH(QString, axes);
    QFETCH(QString, rules);

    const QByteArray bytes = readAll(fixture(file));
    const std::string_view text(bytes.constData(), std::size_t(bytes.size()));
    RecordDecoder decoder;
    QStringList gotAxes, gotRules;
    const auto onWords = [&](std::string_view message) {
        const LimitWords w = readLimitWords(message);
        gotAxes << axisText(w.axis);
        gotRules << (w.matched() ? QString::fromStdString(w.rule) : QStringLiteral("-"));
    };
    const auto onRecord = [&](RawRecord &rec, std::uint64_t, std::uint64_t) {
        if (rec.status == 429)
            onWords(rec.error.providerMessage());
    };
    const auto onError = [&](std::uint64_t line, std::string_view reason) {
        QFAIL(qPrintable(QStringLiteral("line %1: %2").arg(line).arg(QLatin1String(reason))));
    };
    if (file.startsWith(QLatin1String("samples/"))) {
        RawRecord rec;
        decoder.decodeBodyText(text, rec);
        onWords(rec.error.providerMessage());
    } else if (file.endsWith(QLatin1String(".httprr"))) {
        readHttprrTrace(text, decoder, onRecord, onError);
    } else {
        readYamlCassette(text, decoder, onRecord, onError);
    }
    QCOMPARE(gotAxes.join(QLatin1Char(' ')), axes);
    QCOMPARE(gotRules.join(QLatin1Char(' ')), rules);
}

// A fixture added later with a 429 in it gets a row above, or this fails.
void TestLimitWords::everyFixtureWith429HasARow()
{
    QStringList files;
    const QDir llm(fixture(QStringLiteral("llm")));
    for (const QString &f : llm.entryList(
             { QStringLiteral("*.y*ml"), QStringLiteral("*.httprr") }, QDir::Files, QDir::Name))
        files << QStringLiteral("llm/") + f;
    const QDir samples(fixture(QStringLiteral("samples")));
    for (const QString &f : samples.entryList({ QStringLiteral("*429*") }, QDir::Files, QDir::Name))
        files << QStringLiteral("samples/") + f;
    QStringList rows;
    for (const FixtureRow &r : fixtureRows())
        rows << QString::fromUtf8(r.file);
    files.sort();
    rows.sort();
    QCOMPARE(rows, files);
}

QTEST_GUILESS_MAIN(TestLimitWords)
#include "tst_limitwords.moc"
