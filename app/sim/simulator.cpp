#include "sim/simulator.h"

#include "decode/timestamp.h"
#include "sim/ndjsonlinewriter.h"
#include "sim/openaiapi.h"
#include "sim/prng.h"
#include "sim/skytellsapi.h"

#include <QtGlobal>

#include <algorithm>
#include <array>

namespace {

constexpr std::int64_t kMinuteMs = 60000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The catalog (providers, tools, how they answer) is data: sim/simcatalog.h. Tools are
// numbered in catalog order, provider by provider.
struct ToolInfo
{
    std::string_view name;
    int provider;
};

enum Client : std::uint8_t {
    SupportAgent,
    SalesCopilot,
    InboxTriage,
    CalendarAssistant,
    BatchSync,
    ImageStudio,
    ThumbnailWorker,
    Summarizer,
    RagIndexer,
    ClientCount
};
constexpr int kScalekitClients = 5;

struct ClientInfo
{
    std::string_view name;
    int demandShare; // per mille of the fresh Scalekit demand
    int maxRetries;
};

// A Scalekit client is named by its connections: connection_name is "<client>-<provider>"
// ("sales-hubspot"), as an environment with one set of connections per agent has them.
// Skytells records carry the client in a top-level "client" field. Which providers each
// Scalekit client calls is in the catalog.
constexpr std::array<ClientInfo, ClientCount> kClients { {
    { "support", 300, 4 },
    { "sales", 200, 2 },
    { "inbox", 250, 3 },
    { "cal", 150, 0 },
    { "sync", 100, 3 },
    { "image-studio", 0, 5 },
    { "thumbnailer", 0, 5 },
    { "summarizer", 0, 3 },
    { "rag-indexer", 0, 3 },
} };

// Fresh demand by UTC hour, per mille of the mean (a weekday: quiet night, afternoon peak).
constexpr std::array<int, 24> kDailyShape = { 631, 589, 547, 526, 547, 631, 757, 904, 1052, 1178,
    1283, 1367, 1409, 1451, 1472, 1451, 1388, 1304, 1199, 1073, 947, 841, 757, 694 };

enum class IncidentKind { PlatformBurst, ProviderIncident, PollingStorm };
constexpr std::array<IncidentKind, 4> kIncidentCycle = { IncidentKind::PlatformBurst,
    IncidentKind::ProviderIncident, IncidentKind::PollingStorm, IncidentKind::ProviderIncident };

constexpr std::int64_t kBatchWaveMs = 10000; // sync fires every 10 s
constexpr std::int64_t kBatchRetryMs = 5000; // and retries after exactly 5 s
constexpr std::int64_t kImagePollMs = 1000; // image-studio polls every second

// JSON fragments of the Scalekit error bodies (formats.md §1.3).
constexpr std::string_view kJsonHeaders = R"(,"headers":{"Content-Type":"application/json"})";
constexpr std::string_view kRateLimitedBody
    = R"("},"body":{"code":8,"message":"rate limit exceeded","details":[{)"
      R"("@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo",)"
      R"("error_code":"RATE_LIMITED"}]},"duration_ms":)";
constexpr std::string_view kToolErrorInfo
    = R"("@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo",)"
      R"("error_code":"TOOL_ERROR","tool_error_info":{"execution_id":")";

enum class Kind : std::uint8_t { ToolCall, PredictionCreate, PredictionPoll, ChatCompletion };

struct Pending
{
    std::int64_t timeMs;
    std::uint64_t seq; // total order for equal times: generation order
    Kind kind;
    std::uint8_t client;
    std::uint8_t attempt;
    std::uint16_t tool;
    std::uint32_t prediction;
};

struct Later
{
    bool operator()(const Pending &a, const Pending &b) const
    {
        return a.timeMs != b.timeMs ? a.timeMs > b.timeMs : a.seq > b.seq;
    }
};

} // namespace

// ---------------------------------------------------------------------------------------

struct TrafficSimulator::Impl
{
    Impl(const SimulatorOptions &o, SimCatalog catalog);

    SimulatorOptions m_opts;
    SimCatalog m_catalog;
    std::vector<ToolInfo> m_tools; // every tool of the catalog
    Xoshiro256 m_rng; // record details
    Xoshiro256 m_demandRng; // fresh arrivals
    Xoshiro256 m_scheduleRng; // incidents
    std::uint64_t m_idKey;
    std::uint64_t m_execKey;

    std::vector<Pending> m_heap;
    std::uint64_t m_seq = 0;
    std::int64_t m_firstMinuteMs = 0;
    std::int64_t m_minute = -1;
    std::int64_t m_minuteStart = 0;
    std::int64_t m_minuteEnd = 0;
    int m_windowCount = 0; // served execute_tool requests in this minute
    SkytellsApi m_skytells;
    OpenAiApi m_openai;
    Xoshiro256 m_openaiRng; // OpenAI record details
    Xoshiro256 m_openaiDemandRng; // OpenAI arrivals and bursts
    std::int64_t m_nextOpenAiBurst = 0;
    std::int64_t m_openaiBurstEnd = -1; // rag-indexer burst while minute < this
    SimMinuteStats m_stats;
    std::function<void(const SimMinuteStats &)> m_observer;
    std::uint64_t m_emitted = 0;
    bool m_done = false;

    // incidents
    std::int64_t m_nextIncidentMinute = 0;
    int m_incidentIndex = 0;
    int m_providerIncidentCount = 0;
    std::int64_t m_burstEndMinute = -1; // platform burst active while minute < burstEndMinute
    int m_burstTargetPermille = 0;
    std::int64_t m_providerEndMinute = -1;
    int m_incidentProvider = 0;
    int m_incidentPermille = 0;
    int m_stormLaunches = 0; // image-studio predictions to launch in the current minute

    std::vector<std::vector<std::uint16_t>> m_toolsByProvider;

    std::string m_scalekitUrl;
    NdjsonLineWriter m_w; // the record being written

    void push(std::int64_t t, Kind kind, std::uint8_t client, std::uint8_t attempt,
        std::uint16_t tool, std::uint32_t prediction)
    {
        m_heap.push_back(Pending { t, m_seq++, kind, client, attempt, tool, prediction });
        std::push_heap(m_heap.begin(), m_heap.end(), Later {});
    }
    Pending pop()
    {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later {});
        const Pending p = m_heap.back();
        m_heap.pop_back();
        return p;
    }

    void startMinute();
    void finishMinute(bool complete);
    void startIncident();
    int shapePermille(std::int64_t ms) const;
    std::uint16_t pickTool(Xoshiro256 &r, int client);

    void process(const Pending &p);
    void processToolCall(const Pending &p);
    void processPrediction(const Pending &p);
    void startOpenAiMinute();
    void processChatCompletion(const Pending &p);
    void scheduleToolRetry(const Pending &p, int retryAfterS);

    // record text
    void head(std::int64_t t, int client, std::string_view method);
    void scalekitHead(std::int64_t t, int client, const ToolInfo &tool, int status);
    void executionId();
};

TrafficSimulator::Impl::Impl(const SimulatorOptions &o, SimCatalog catalog)
    : m_opts(o)
    , m_catalog(std::move(catalog))
    , m_rng(mix64(o.seed ^ 0x52617465ULL))
    , m_demandRng(mix64(o.seed ^ 0x44656d61ULL))
    , m_scheduleRng(mix64(o.seed ^ 0x53636865ULL))
    , m_idKey(mix64(o.seed ^ 0x6964ULL))
    , m_execKey(mix64(o.seed ^ 0x65786563ULL))
    , m_skytells(std::max(1, o.skytellsLimit), std::max(1, o.skytellsWindowS))
    , m_openai(std::max(1, o.openaiLimitRequests), std::max(1, o.openaiLimitTokens))
    , m_openaiRng(mix64(o.seed ^ 0x4f70656e41ULL))
    , m_openaiDemandRng(mix64(o.seed ^ 0x4f41446dULL))
{
    m_opts.meanRpm = std::max(0, m_opts.meanRpm);
    m_opts.limitRpm = std::max(1, m_opts.limitRpm);
    m_opts.skytellsLimit = std::max(1, m_opts.skytellsLimit);
    m_opts.skytellsWindowS = std::max(1, m_opts.skytellsWindowS);
    m_firstMinuteMs = floorDiv(m_opts.startMs, kMinuteMs) * kMinuteMs;
    m_toolsByProvider.resize(m_catalog.providers.size());
    for (std::size_t p = 0; p < m_catalog.providers.size(); ++p) {
        for (const std::string &name : m_catalog.providers[p].tools) {
            m_toolsByProvider[p].push_back(std::uint16_t(m_tools.size()));
            m_tools.push_back({ name, int(p) });
        }
    }
    m_scalekitUrl = "https://" + m_opts.environment + ".scalekit.dev/api/v1/execute_tool";
    m_heap.reserve(4096);
    m_nextIncidentMinute = m_scheduleRng.range(20, 35);
    m_opts.openaiRpm = std::max(0, m_opts.openaiRpm);
    m_nextOpenAiBurst = m_openaiDemandRng.range(30, 45);
}

int TrafficSimulator::Impl::shapePermille(std::int64_t ms) const
{
    const std::int64_t minuteOfDay = floorDiv(ms, kMinuteMs) - floorDiv(ms, 86400000) * 1440;
    const int h = int(minuteOfDay / 60);
    const int into = int(minuteOfDay % 60);
    const int a = kDailyShape[std::size_t(h)];
    const int b = kDailyShape[std::size_t((h + 1) % 24)];
    return a + (b - a) * into / 60;
}

std::uint16_t TrafficSimulator::Impl::pickTool(Xoshiro256 &r, int client)
{
    const std::vector<int> &w = m_catalog.clientProviders[std::size_t(client)];
    int total = 0;
    for (int x : w)
        total += x;
    int pick = int(r.below(std::uint32_t(total)));
    int p = 0;
    while (pick >= w[std::size_t(p)]) {
        pick -= w[std::size_t(p)];
        ++p;
    }
    const auto &tools = m_toolsByProvider[std::size_t(p)];
    return tools[r.below(std::uint32_t(tools.size()))];
}

void TrafficSimulator::Impl::startIncident()
{
    const IncidentKind kind = kIncidentCycle[std::size_t(m_incidentIndex % 4)];
    ++m_incidentIndex;
    std::int64_t end = m_minute + 1;
    switch (kind) {
    case IncidentKind::PlatformBurst:
        end = m_minute + m_scheduleRng.range(3, 5);
        m_burstEndMinute = end;
        m_burstTargetPermille = int(m_scheduleRng.range(1100, 1300));
        break;
    case IncidentKind::ProviderIncident:
        end = m_minute + m_scheduleRng.range(6, 12);
        m_providerEndMinute = end;
        m_incidentProvider = m_catalog.incidentProviders[std::size_t(
            m_providerIncidentCount % int(m_catalog.incidentProviders.size()))];
        ++m_providerIncidentCount;
        m_incidentPermille = int(m_scheduleRng.range(400, 700));
        break;
    case IncidentKind::PollingStorm:
        end = m_minute + 3;
        m_stormLaunches = int(m_scheduleRng.range(5, 8));
        break;
    }
    m_nextIncidentMinute = end + m_scheduleRng.range(25, 50);
}

void TrafficSimulator::Impl::startMinute()
{
    m_minuteStart = m_firstMinuteMs + m_minute * kMinuteMs;
    m_minuteEnd = m_minuteStart + kMinuteMs;
    m_stats = SimMinuteStats {};
    m_stats.minuteMs = m_minuteStart;
    m_windowCount = 0;
    m_stormLaunches = 0;
    if (m_opts.incidents && m_minute >= m_nextIncidentMinute)
        startIncident();

    // Scalekit: fresh tool calls.
    const int shape = shapePermille(m_minuteStart);
    int noise = -4000;
    for (int i = 0; i < 4; ++i)
        noise += int(m_demandRng.below(2001));
    noise /= 20; // -200..200 per mille, roughly normal (sd ~58)
    const std::int64_t base
        = (std::int64_t(m_opts.meanRpm) * shape * (1000 + noise) + 500000) / 1000000;
    std::int64_t batch = 0;
    for (std::int64_t i = 0; i < base; ++i) {
        std::uint32_t pick = m_demandRng.below(1000);
        int c = 0;
        while (c < kScalekitClients - 1
            && pick >= std::uint32_t(kClients[std::size_t(c)].demandShare)) {
            pick -= std::uint32_t(kClients[std::size_t(c)].demandShare);
            ++c;
        }
        if (c == BatchSync) {
            ++batch;
            continue;
        }
        const std::int64_t t = m_minuteStart + m_demandRng.below(std::uint32_t(kMinuteMs));
        push(t, Kind::ToolCall, std::uint8_t(c), 0, pickTool(m_demandRng, c), 0);
    }
    if (m_minute < m_burstEndMinute) {
        // The batch job's extra calls bring demand to about burstTarget x the limit.
        const std::int64_t expected = std::int64_t(m_opts.meanRpm) * shape / 1000;
        const std::int64_t target = std::int64_t(m_opts.limitRpm) * m_burstTargetPermille / 1000;
        batch += std::max(target - expected, std::int64_t(m_opts.meanRpm) * 3 / 10);
    }
    // sync fires in waves every 10 s, each within 400 ms.
    const std::int64_t waveOffset = m_demandRng.below(1000);
    const std::int64_t waves = kMinuteMs / kBatchWaveMs;
    for (std::int64_t j = 0; j < batch; ++j) {
        const std::int64_t t
            = m_minuteStart + (j % waves) * kBatchWaveMs + waveOffset + m_demandRng.below(400);
        push(t, Kind::ToolCall, BatchSync, 0, pickTool(m_demandRng, BatchSync), 0);
    }

    // Skytells: new predictions.
    const int images = m_demandRng.chance(700) ? 1 : 0;
    for (int i = 0; i < images; ++i) {
        const std::int64_t t = m_minuteStart + m_demandRng.below(std::uint32_t(kMinuteMs));
        const std::uint32_t pred = m_skytells.create(m_rng, 0, t + m_demandRng.range(6000, 18000));
        push(t, Kind::PredictionCreate, ImageStudio, 0, 0, pred);
    }
    for (int i = 0; i < m_stormLaunches; ++i) {
        // A batch of long renders, all polled every second.
        const std::int64_t t = m_minuteStart + m_demandRng.below(15000);
        const std::uint32_t pred
            = m_skytells.create(m_rng, 0, t + m_demandRng.range(40000, 100000));
        push(t, Kind::PredictionCreate, ImageStudio, 0, 0, pred);
    }
    if (m_demandRng.chance(600)) {
        const std::int64_t t = m_minuteStart + m_demandRng.below(std::uint32_t(kMinuteMs));
        const std::uint32_t pred = m_skytells.create(m_rng, 1, t + m_demandRng.range(4000, 12000));
        push(t, Kind::PredictionCreate, ThumbnailWorker, 0, 0, pred);
    }
    if (m_opts.openaiRpm > 0)
        startOpenAiMinute();
}

void TrafficSimulator::Impl::startOpenAiMinute()
{
    Xoshiro256 &r = m_openaiDemandRng;
    if (m_opts.incidents && m_minute >= m_nextOpenAiBurst) {
        m_openaiBurstEnd = m_minute + r.range(4, 6);
        m_nextOpenAiBurst = m_openaiBurstEnd + r.range(35, 55);
    }
    const int noise = int(r.below(201)) - 100; // -100..100 per mille
    const std::int64_t fresh
        = (std::int64_t(m_opts.openaiRpm) * shapePermille(m_minuteStart) * (1000 + noise) + 500000)
        / 1000000;
    for (std::int64_t i = 0; i < fresh; ++i) {
        const std::int64_t t = m_minuteStart + r.below(std::uint32_t(kMinuteMs));
        const OpenAiApi::Call call { std::uint32_t(r.range(150, 750)),
            std::uint32_t(r.range(20, 180)), std::uint8_t(r.below(2)) };
        push(t, Kind::ChatCompletion, Summarizer, 0, 0, m_openai.create(call));
    }
    if (m_minute < m_openaiBurstEnd) {
        const std::int64_t burst = r.range(25, 35);
        for (std::int64_t i = 0; i < burst; ++i) {
            const std::int64_t t = m_minuteStart + r.below(std::uint32_t(kMinuteMs));
            const OpenAiApi::Call call { std::uint32_t(r.range(3000, 6000)),
                std::uint32_t(r.range(100, 400)), std::uint8_t(2 + r.below(2)) };
            push(t, Kind::ChatCompletion, RagIndexer, 0, 0, m_openai.create(call));
        }
    }
}

void TrafficSimulator::Impl::finishMinute(bool complete)
{
    m_stats.complete = complete;
    if (m_observer)
        m_observer(m_stats);
}

void TrafficSimulator::Impl::scheduleToolRetry(const Pending &p, int retryAfterS)
{
    const ClientInfo &c = kClients[p.client];
    if (p.attempt >= c.maxRetries)
        return;
    std::int64_t delay = 0;
    switch (p.client) {
    case SupportAgent: // honours Retry-After; without one, backs off
        delay = retryAfterS > 0 ? std::int64_t(retryAfterS) * 1000 + m_rng.below(1001)
                                : (std::int64_t(1000) << p.attempt) + m_rng.below(1001);
        break;
    case SalesCopilot: // retries at once
        delay = 50 + m_rng.below(251);
        break;
    case InboxTriage: // exponential backoff, full jitter, Retry-After ignored
        delay = m_rng.below(std::uint32_t((1000 << p.attempt) + 1));
        break;
    case BatchSync: // fixed delay, no jitter: synchronized
        delay = kBatchRetryMs;
        break;
    default:
        return;
    }
    push(p.timeMs + delay, Kind::ToolCall, p.client, std::uint8_t(p.attempt + 1), p.tool, 0);
}

// ---- record text ---------------------------------------------------------------------

void TrafficSimulator::Impl::head(std::int64_t t, int client, std::string_view method)
{
    m_w.clear();
    m_w.lit(R"({"id":"req_)");
    m_w.hex(mix48(m_emitted + m_idKey), 12); // a bijection: ids never repeat within a run
    m_w.lit(R"(","timestamp":")");
    m_w.timestamp(t);
    if (client >= kScalekitClients) {
        m_w.lit(R"(","client":")");
        m_w.lit(kClients[std::size_t(client)].name);
    }
    m_w.lit(R"(","method":")");
    m_w.lit(method);
}

void TrafficSimulator::Impl::scalekitHead(
    std::int64_t t, int client, const ToolInfo &tool, int status)
{
    head(t, client, "POST");
    m_w.lit(R"(","url":")");
    m_w.lit(m_scalekitUrl);
    m_w.lit(R"(","tool_name":")");
    m_w.lit(tool.name);
    m_w.lit(R"(","provider":")");
    m_w.lit(m_catalog.providers[std::size_t(tool.provider)].name);
    m_w.lit(R"(","connection_name":")");
    m_w.lit(kClients[std::size_t(client)].name);
    m_w.ch('-');
    m_w.lit(m_catalog.providers[std::size_t(tool.provider)].name);
    m_w.lit(R"(","status":)");
    m_w.uint(std::uint64_t(status));
}

void TrafficSimulator::Impl::executionId()
{
    // 10 digits, numeric like the execution ids in Scalekit's API reference ("123456789").
    m_w.uint(1000000000ULL + mix64(m_emitted ^ m_execKey) % 9000000000ULL);
}

void TrafficSimulator::Impl::processToolCall(const Pending &p)
{
    const std::int64_t t = p.timeMs;
    const ToolInfo &tool = m_tools[p.tool];
    const SimProvider &prov = m_catalog.providers[std::size_t(tool.provider)];
    ++m_stats.toolCalls;
    if (p.attempt == 0)
        ++m_stats.freshToolCalls;

    if (m_windowCount >= m_opts.limitRpm) {
        // The platform's own per-minute limit (fixed window, UTC minute).
        ++m_stats.rateLimited;
        const int retryAfter = int(std::max<std::int64_t>(1, (m_minuteEnd - t + 999) / 1000));
        scalekitHead(t, p.client, tool, 429);
        m_w.lit(R"(,"headers":{"Content-Type":"application/json","Retry-After":")");
        m_w.uint(std::uint64_t(retryAfter));
        m_w.lit(kRateLimitedBody);
        m_w.uint(2 + m_rng.below(18));
        m_w.ch('}');
        scheduleToolRetry(p, retryAfter);
        return;
    }
    ++m_windowCount;

    if (m_minute < m_providerEndMinute && tool.provider == m_incidentProvider
        && m_rng.chance(std::uint32_t(m_incidentPermille))) {
        // The upstream provider limited the call the platform made.
        ++m_stats.toolError429;
        scalekitHead(t, p.client, tool, 429);
        m_w.lit(kJsonHeaders);
        m_w.lit(R"(,"body":{"code":8,"message":"tool execution failed","details":[{)");
        m_w.lit(kToolErrorInfo);
        executionId();
        m_w.lit(R"(","tool_error_code":"429","tool_error_message":")");
        prov.limitMessage.write(m_w, m_rng, t);
        m_w.lit(R"("}}]},"duration_ms":)");
        m_w.uint(std::uint64_t(prov.latencyMs / 2)
            + m_rng.below(std::uint32_t(prov.latencySpreadMs / 2)));
        m_w.ch('}');
        scheduleToolRetry(p, -1);
        return;
    }

    const std::uint32_t roll = m_rng.below(1000000);
    if (roll < 2500) {
        // Tool failure: a TOOL_ERROR that is not a rate limit.
        scalekitHead(t, p.client, tool, 502);
        m_w.lit(kJsonHeaders);
        m_w.lit(R"(,"body":{"code":13,"message":"tool execution failed","details":[{)");
        m_w.lit(kToolErrorInfo);
        executionId();
        m_w.lit(R"(","tool_error_code":"502","tool_error_message":")");
        prov.failureMessage.write(m_w, m_rng, t);
        m_w.lit(R"("}}]},"duration_ms":)");
        m_w.uint(1500 + m_rng.below(28500));
        m_w.ch('}');
        return;
    }
    if (roll < 3300) {
        scalekitHead(t, p.client, tool, 500);
        m_w.lit(kJsonHeaders);
        m_w.lit(R"(,"body":{"code":13,"message":"internal error"},"duration_ms":)");
        m_w.uint(20 + m_rng.below(200));
        m_w.ch('}');
        return;
    }

    scalekitHead(t, p.client, tool, 200);
    m_w.lit(R"(,"headers":{},"body":{"execution_id":")");
    executionId();
    m_w.lit(R"(","data":)");
    prov.result.write(m_w, m_rng, t);
    m_w.lit(R"(},"duration_ms":)");
    std::uint64_t duration
        = std::uint64_t(prov.latencyMs) + m_rng.below(std::uint32_t(prov.latencySpreadMs));
    if (m_rng.chance(25))
        duration *= 3; // slow tail
    m_w.uint(duration);
    m_w.ch('}');
}

void TrafficSimulator::Impl::processPrediction(const Pending &p)
{
    const std::int64_t t = p.timeMs;
    SkytellsApi::Prediction &pred = m_skytells.prediction(p.prediction);
    const bool create = p.kind == Kind::PredictionCreate;
    ++m_stats.skytellsRequests;
    int retryAfter = 0;
    const bool served = m_skytells.admit(t, &retryAfter);
    head(t, p.client, create ? "POST" : "GET");
    m_skytells.writeTarget(m_w, create ? nullptr : &pred);
    if (!served) {
        ++m_stats.skytellsRejected;
        m_skytells.writeRejected(m_w, m_rng, retryAfter);
        std::int64_t next;
        if (create) // both clients wait as told before creating again
            next = t + std::int64_t(retryAfter) * 1000 + m_rng.below(500);
        else if (p.client == ImageStudio) // keeps its fixed pace
            next = t + kImagePollMs;
        else
            next = t + std::int64_t(retryAfter) * 1000 + m_rng.below(500);
        if (create && p.attempt >= kClients[p.client].maxRetries) {
            m_skytells.release(p.prediction);
            return;
        }
        if (create)
            pred.completeMs += next - t; // the render starts when the create is served
        push(next, p.kind, p.client, std::uint8_t(std::min(255, p.attempt + 1)), 0, p.prediction);
        return;
    }
    if (create) {
        m_skytells.writeCreated(m_w, m_rng, pred);
    } else if (t >= pred.completeMs) {
        m_skytells.writeSucceeded(m_w, m_rng, pred);
        m_skytells.release(p.prediction);
        return;
    } else {
        m_skytells.writeProcessing(m_w, m_rng);
    }
    const std::int64_t interval
        = p.client == ImageStudio ? kImagePollMs : 3000 + std::int64_t(m_rng.below(401));
    push(t + interval, Kind::PredictionPoll, p.client, 0, 0, p.prediction);
}

void TrafficSimulator::Impl::processChatCompletion(const Pending &p)
{
    const std::int64_t t = p.timeMs;
    const OpenAiApi::Call call = m_openai.call(p.prediction);
    ++m_stats.openaiRequests;
    OpenAiApi::Rejection rejection;
    const bool served = m_openai.admit(t, call, &rejection);
    head(t, p.client, "POST");
    m_openai.writeTarget(m_w);
    if (served) {
        m_stats.openaiTokens += std::int64_t(call.promptTokens) + call.completionTokens;
        m_openai.writeCompleted(m_w, m_openaiRng, call, t);
        m_openai.release(p.prediction);
        return;
    }
    ++m_stats.openaiRejected;
    m_openai.writeRejected(m_w, m_openaiRng, rejection);
    if (p.attempt >= kClients[p.client].maxRetries) {
        m_openai.release(p.prediction);
        return;
    }
    std::int64_t delay;
    if (p.client == Summarizer) // honours retry-after (whole seconds, rounded up)
        delay = std::max<std::int64_t>(1, (rejection.waitMs + 999) / 1000) * 1000
            + m_openaiRng.below(251);
    else // exponential backoff with full jitter, headers ignored
        delay = 1 + m_openaiRng.below(std::uint32_t((1000 << p.attempt) + 1));
    push(t + delay, Kind::ChatCompletion, p.client, std::uint8_t(p.attempt + 1), 0, p.prediction);
}

void TrafficSimulator::Impl::process(const Pending &p)
{
    if (p.kind == Kind::ToolCall)
        processToolCall(p);
    else if (p.kind == Kind::ChatCompletion)
        processChatCompletion(p);
    else
        processPrediction(p);
    ++m_stats.records;
}

// ---------------------------------------------------------------------------------------

TrafficSimulator::TrafficSimulator(const SimulatorOptions &options)
{
    QString error;
    std::optional<SimCatalog> catalog
        = loadCatalog(QString::fromLatin1(kBuiltInSimCatalog), &error);
    if (!catalog)
        qFatal("%s", qPrintable(error)); // compiled in and checked by tst_simulator
    m_d = std::make_unique<Impl>(options, std::move(*catalog));
}

TrafficSimulator::TrafficSimulator(const SimulatorOptions &options, SimCatalog catalog)
    : m_d(std::make_unique<Impl>(options, std::move(catalog)))
{
}

std::optional<SimCatalog> TrafficSimulator::loadCatalog(const QString &path, QString *error)
{
    std::vector<std::string> scalekitClients;
    for (int c = 0; c < kScalekitClients; ++c)
        scalekitClients.emplace_back(kClients[std::size_t(c)].name);
    return SimCatalog::fromFile(path, scalekitClients, error);
}

TrafficSimulator::~TrafficSimulator() = default;

void TrafficSimulator::setMinuteObserver(std::function<void(const SimMinuteStats &)> m_observer)
{
    m_d->m_observer = std::move(m_observer);
}

std::uint64_t TrafficSimulator::recordsEmitted() const { return m_d->m_emitted; }

const SimulatorOptions &TrafficSimulator::options() const { return m_d->m_opts; }

std::vector<std::string> TrafficSimulator::clientNames()
{
    std::vector<std::string> names;
    for (const ClientInfo &c : kClients)
        names.emplace_back(c.name);
    return names;
}

bool TrafficSimulator::next(SimRecord &record)
{
    Impl &d = *m_d;
    for (;;) {
        if (d.m_done)
            return false;
        if (d.m_minute >= 0 && !d.m_heap.empty() && d.m_heap.front().timeMs < d.m_minuteEnd) {
            const Pending p = d.pop();
            d.process(p);
            ++d.m_emitted;
            record.line = d.m_w.line();
            record.timeMs = p.timeMs;
            if (d.m_opts.records > 0 && d.m_emitted >= std::uint64_t(d.m_opts.records)) {
                d.finishMinute(false);
                d.m_done = true;
            }
            return true;
        }
        if (d.m_minute >= 0)
            d.finishMinute(true);
        ++d.m_minute;
        if (d.m_opts.minutes > 0 && d.m_minute >= d.m_opts.minutes) {
            d.m_done = true;
            return false;
        }
        d.startMinute();
    }
}
