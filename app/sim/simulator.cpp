#include "sim/simulator.h"

#include "decode/timestamp.h"
#include "sim/ndjsonlinewriter.h"
#include "sim/prng.h"

#include <algorithm>
#include <array>
#include <deque>

namespace {

constexpr std::int64_t kMinuteMs = 60000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// ---------------------------------------------------------------------------------------
// Catalogue: real Scalekit tool names (shared/samples/scalekit/ tools index), providers,
// their latencies and the messages their APIs send when they limit or fail a call.

enum Provider : std::uint8_t {
    Gmail,
    Slack,
    Hubspot,
    GoogleCalendar,
    Github,
    Notion,
    GoogleDrive,
    Jira,
    Linear,
    ProviderCount
};

struct ProviderInfo
{
    std::string_view name;
    int latencyMs;
    int latencySpreadMs;
    std::string_view limitMessage; // the provider's 429 text (Gmail's gets a time appended)
    std::string_view failureMessage; // the provider's 502 text
};

constexpr std::array<ProviderInfo, ProviderCount> kProviders { {
    { "gmail", 260, 420, "User-rate limit exceeded.  Retry after ", "Backend Error" },
    { "slack", 140, 260, "ratelimited", "internal_error" },
    { "hubspot", 220, 480, "You have reached your secondly limit.", "Bad Gateway" },
    { "googlecalendar", 190, 320, "Rate Limit Exceeded", "Backend Error" },
    { "github", 240, 520,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
        "again.",
        "Server Error" },
    { "notion", 310, 560, "You have been rate limited. Please try again in a few minutes.",
        "upstream connect error or disconnect/reset before headers. reset reason: connection "
        "failure" },
    { "googledrive", 230, 400, "User rate limit exceeded.", "Backend Error" },
    { "jira", 280, 500, "Rate limit exceeded.", "Bad Gateway" },
    { "linear", 180, 300, "Rate limit exceeded. Please try again later.",
        "upstream request timeout" },
} };

struct ToolInfo
{
    std::string_view name;
    Provider provider;
};

constexpr ToolInfo kTools[] = {
    { "gmail_fetch_mails", Gmail },
    { "gmail_send_message", Gmail },
    { "gmail_get_message_by_id", Gmail },
    { "gmail_list_threads", Gmail },
    { "gmail_get_thread_by_id", Gmail },
    { "gmail_create_draft", Gmail },
    { "gmail_list_labels", Gmail },
    { "gmail_search_people", Gmail },
    { "slack_send_message", Slack },
    { "slack_list_users", Slack },
    { "slack_list_channels", Slack },
    { "slack_get_user_info", Slack },
    { "slack_lookup_user_by_email", Slack },
    { "slack_add_reaction", Slack },
    { "slack_get_permalink", Slack },
    { "slack_search_messages", Slack },
    { "hubspot_contacts_search", Hubspot },
    { "hubspot_contact_get", Hubspot },
    { "hubspot_contact_create", Hubspot },
    { "hubspot_contact_update", Hubspot },
    { "hubspot_deals_search", Hubspot },
    { "hubspot_deal_update", Hubspot },
    { "hubspot_note_create", Hubspot },
    { "hubspot_companies_search", Hubspot },
    { "googlecalendar_list_events", GoogleCalendar },
    { "googlecalendar_create_event", GoogleCalendar },
    { "googlecalendar_query_freebusy", GoogleCalendar },
    { "googlecalendar_update_event", GoogleCalendar },
    { "googlecalendar_move_event", GoogleCalendar },
    { "googlecalendar_search_events", GoogleCalendar },
    { "github_issue_create", Github },
    { "github_issues_list", Github },
    { "github_pull_requests_list", Github },
    { "github_pull_request_get", Github },
    { "github_repo_get", Github },
    { "github_issue_comment_create", Github },
    { "github_commits_list", Github },
    { "github_file_contents_get", Github },
    { "notion_page_search", Notion },
    { "notion_page_get", Notion },
    { "notion_page_create", Notion },
    { "notion_database_query", Notion },
    { "notion_page_content_get", Notion },
    { "notion_page_content_append", Notion },
    { "notion_data_source_query", Notion },
    { "googledrive_search_files", GoogleDrive },
    { "googledrive_get_file_metadata", GoogleDrive },
    { "googledrive_export_file", GoogleDrive },
    { "googledrive_create_file", GoogleDrive },
    { "googledrive_copy_file", GoogleDrive },
    { "jira_issue_create", Jira },
    { "jira_issue_get", Jira },
    { "jira_issue_comment_add", Jira },
    { "jira_issue_assign", Jira },
    { "jira_issues_search", Jira },
    { "linear_issue_create", Linear },
    { "linear_issue_get", Linear },
    { "linear_issue_search", Linear },
    { "linear_issue_update", Linear },
    { "linear_comment_create", Linear },
};
constexpr int kToolCount = int(sizeof(kTools) / sizeof(kTools[0]));

enum Client : std::uint8_t {
    SupportAgent,
    SalesCopilot,
    InboxTriage,
    CalendarAssistant,
    BatchSync,
    ImageStudio,
    ThumbnailWorker,
    ClientCount
};
constexpr int kScalekitClients = 5;

struct ClientInfo
{
    std::string_view name;
    int demandShare; // per mille of the fresh Scalekit demand
    int maxRetries;
    std::array<std::uint8_t, ProviderCount> providerWeights; // Scalekit clients only
};

// A Scalekit client is named by its connections: connection_name is "<client>-<provider>"
// ("sales-hubspot"), as an environment with one set of connections per agent has them.
// Skytells records carry the client in a top-level "client" field.
constexpr std::array<ClientInfo, ClientCount> kClients { {
    // name       share retries  gm sl hs gc gh no gd ji li
    { "support", 300, 4, { 20, 35, 0, 0, 0, 15, 0, 15, 15 } },
    { "sales", 200, 2, { 30, 15, 45, 10, 0, 0, 0, 0, 0 } },
    { "inbox", 250, 3, { 70, 15, 0, 0, 0, 15, 0, 0, 0 } },
    { "cal", 150, 0, { 20, 10, 0, 70, 0, 0, 0, 0, 0 } },
    { "sync", 100, 3, { 0, 0, 35, 0, 25, 20, 20, 0, 0 } },
    { "image-studio", 0, 5, {} },
    { "thumbnailer", 0, 5, {} },
} };

// Fresh demand by UTC hour, per mille of the mean (a weekday: quiet night, afternoon peak).
constexpr std::array<int, 24> kDailyShape = { 631, 589, 547, 526, 547, 631, 757, 904, 1052, 1178,
    1283, 1367, 1409, 1451, 1472, 1451, 1388, 1304, 1199, 1073, 947, 841, 757, 694 };

// Providers that have incidents, in turn.
constexpr std::array<Provider, 6> kIncidentProviders
    = { Gmail, Hubspot, Slack, Github, Notion, GoogleCalendar };

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

enum class Kind : std::uint8_t { ToolCall, PredictionCreate, PredictionPoll };

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

struct Prediction
{
    std::array<char, 36> uuid;
    std::int64_t completeMs;
    std::uint8_t model;
};

constexpr std::array<std::string_view, 3> kModels
    = { "truefusion-pro", "truefusion", "truefusion-edge" };

} // namespace

// ---------------------------------------------------------------------------------------

struct TrafficSimulator::Impl
{
    explicit Impl(const SimulatorOptions &o);

    SimulatorOptions m_opts;
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
    std::deque<std::int64_t> m_skytellsServed; // times of served Skytells requests in the window
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
    Provider m_incidentProvider = Gmail;
    int m_incidentPermille = 0;
    int m_stormLaunches = 0; // image-studio predictions to launch in the current minute

    std::array<std::vector<std::uint16_t>, ProviderCount> m_toolsByProvider;
    std::vector<Prediction> m_predictions;
    std::vector<std::uint32_t> m_freePredictions;

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
    std::uint32_t newPrediction(int model, std::int64_t completeMs);

    void process(const Pending &p);
    void processToolCall(const Pending &p);
    void processPrediction(const Pending &p);
    void scheduleToolRetry(const Pending &p, int retryAfterS);
    // Skytells rolling window: true when served; otherwise *retryAfterS is set.
    bool skytellsAdmit(std::int64_t t, int *retryAfterS);

    // record text
    void uuid(const std::array<char, 36> &u) { m_w.lit(std::string_view(u.data(), u.size())); }
    void head(std::int64_t t, int client, std::string_view method);
    void scalekitHead(std::int64_t t, int client, const ToolInfo &tool, int status);
    void executionId();
    void toolResult(Provider provider);
    void skytellsHeaders(bool rejected, int retryAfterS);
};

TrafficSimulator::Impl::Impl(const SimulatorOptions &o)
    : m_opts(o)
    , m_rng(mix64(o.seed ^ 0x52617465ULL))
    , m_demandRng(mix64(o.seed ^ 0x44656d61ULL))
    , m_scheduleRng(mix64(o.seed ^ 0x53636865ULL))
    , m_idKey(mix64(o.seed ^ 0x6964ULL))
    , m_execKey(mix64(o.seed ^ 0x65786563ULL))
{
    m_opts.meanRpm = std::max(0, m_opts.meanRpm);
    m_opts.limitRpm = std::max(1, m_opts.limitRpm);
    m_opts.skytellsLimit = std::max(1, m_opts.skytellsLimit);
    m_opts.skytellsWindowS = std::max(1, m_opts.skytellsWindowS);
    m_firstMinuteMs = floorDiv(m_opts.startMs, kMinuteMs) * kMinuteMs;
    for (int i = 0; i < kToolCount; ++i)
        m_toolsByProvider[kTools[i].provider].push_back(std::uint16_t(i));
    m_scalekitUrl = "https://" + m_opts.environment + ".scalekit.dev/api/v1/execute_tool";
    m_heap.reserve(4096);
    m_nextIncidentMinute = m_scheduleRng.range(20, 35);
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
    const auto &w = kClients[std::size_t(client)].providerWeights;
    int total = 0;
    for (std::uint8_t x : w)
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

std::uint32_t TrafficSimulator::Impl::newPrediction(int model, std::int64_t completeMs)
{
    Prediction pr;
    static constexpr char kHex[] = "0123456789abcdef";
    const std::uint64_t a = m_rng.next();
    const std::uint64_t b = m_rng.next();
    int bit = 0;
    for (int i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            pr.uuid[std::size_t(i)] = '-';
            continue;
        }
        const std::uint64_t src = bit < 64 ? a : b;
        int nibble = int((src >> (bit % 64)) & 0xf);
        bit += 4;
        if (i == 14)
            nibble = 4; // version 4
        else if (i == 19)
            nibble = 8 | (nibble & 3); // variant 10xx
        pr.uuid[std::size_t(i)] = kHex[nibble];
    }
    pr.completeMs = completeMs;
    pr.model = std::uint8_t(model);
    if (!m_freePredictions.empty()) {
        const std::uint32_t slot = m_freePredictions.back();
        m_freePredictions.pop_back();
        m_predictions[slot] = pr;
        return slot;
    }
    m_predictions.push_back(pr);
    return std::uint32_t(m_predictions.size() - 1);
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
        m_incidentProvider = kIncidentProviders[std::size_t(
            m_providerIncidentCount % int(kIncidentProviders.size()))];
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
        const std::uint32_t pred = newPrediction(0, t + m_demandRng.range(6000, 18000));
        push(t, Kind::PredictionCreate, ImageStudio, 0, 0, pred);
    }
    for (int i = 0; i < m_stormLaunches; ++i) {
        // A batch of long renders, all polled every second.
        const std::int64_t t = m_minuteStart + m_demandRng.below(15000);
        const std::uint32_t pred = newPrediction(0, t + m_demandRng.range(40000, 100000));
        push(t, Kind::PredictionCreate, ImageStudio, 0, 0, pred);
    }
    if (m_demandRng.chance(600)) {
        const std::int64_t t = m_minuteStart + m_demandRng.below(std::uint32_t(kMinuteMs));
        const std::uint32_t pred = newPrediction(1, t + m_demandRng.range(4000, 12000));
        push(t, Kind::PredictionCreate, ThumbnailWorker, 0, 0, pred);
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

bool TrafficSimulator::Impl::skytellsAdmit(std::int64_t t, int *retryAfterS)
{
    const std::int64_t windowMs = std::int64_t(m_opts.skytellsWindowS) * 1000;
    while (!m_skytellsServed.empty() && m_skytellsServed.front() <= t - windowMs)
        m_skytellsServed.pop_front();
    if (int(m_skytellsServed.size()) < m_opts.skytellsLimit) {
        m_skytellsServed.push_back(t);
        return true;
    }
    const std::int64_t wait = m_skytellsServed.front() + windowMs - t; // > 0
    *retryAfterS = int(std::max<std::int64_t>(1, (wait + 999) / 1000));
    return false;
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
    m_w.lit(kProviders[tool.provider].name);
    m_w.lit(R"(","connection_name":")");
    m_w.lit(kClients[std::size_t(client)].name);
    m_w.ch('-');
    m_w.lit(kProviders[tool.provider].name);
    m_w.lit(R"(","status":)");
    m_w.uint(std::uint64_t(status));
}

void TrafficSimulator::Impl::executionId()
{
    // 10 digits, numeric like the execution ids in Scalekit's API reference ("123456789").
    m_w.uint(1000000000ULL + mix64(m_emitted ^ m_execKey) % 9000000000ULL);
}

void TrafficSimulator::Impl::toolResult(Provider provider)
{
    // Small results: the log keeps what identifies the outcome, as loggers that trim bodies do.
    switch (provider) {
    case Gmail:
        m_w.lit(R"({"id":")");
        m_w.hex(0x18a0000000000000ULL | (m_rng.next() >> 12), 16);
        m_w.lit(R"("})");
        break;
    case Slack:
        m_w.lit(R"({"ok":true})");
        break;
    case Hubspot:
        m_w.lit(R"({"id":")");
        m_w.randomDigits(m_rng, 11);
        m_w.lit(R"("})");
        break;
    case GoogleCalendar:
        m_w.lit(R"({"status":"confirmed"})");
        break;
    case Github:
        m_w.lit(R"({"number":)");
        m_w.uint(100 + m_rng.below(4900));
        m_w.ch('}');
        break;
    case Notion:
        m_w.lit(R"({"object":"page"})");
        break;
    case GoogleDrive:
        m_w.lit(R"({"kind":"drive#file"})");
        break;
    case Jira:
        m_w.lit(R"({"key":"SUP-)");
        m_w.uint(1000 + m_rng.below(9000));
        m_w.lit(R"("})");
        break;
    case Linear:
    default:
        m_w.lit(R"({"success":true})");
        break;
    }
}

void TrafficSimulator::Impl::processToolCall(const Pending &p)
{
    const std::int64_t t = p.timeMs;
    const ToolInfo &tool = kTools[p.tool];
    const ProviderInfo &prov = kProviders[tool.provider];
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
        m_w.lit(prov.limitMessage);
        if (tool.provider == Gmail) {
            const std::string when = formatUtcMs(floorDiv(t, kMinuteMs) * kMinuteMs + kMinuteMs);
            m_w.lit(std::string_view(when).substr(0, 19)); // "2026-01-05T10:43:00"
            m_w.ch('Z');
        }
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
        m_w.lit(prov.failureMessage);
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
    toolResult(tool.provider);
    m_w.lit(R"(},"duration_ms":)");
    std::uint64_t duration
        = std::uint64_t(prov.latencyMs) + m_rng.below(std::uint32_t(prov.latencySpreadMs));
    if (m_rng.chance(25))
        duration *= 3; // slow tail
    m_w.uint(duration);
    m_w.ch('}');
}

void TrafficSimulator::Impl::skytellsHeaders(bool rejected, int retryAfterS)
{
    if (rejected) {
        // Retry-After only on 429; the limit headers only on 2xx (Skytells' documentation).
        m_w.lit(R"(,"headers":{"Content-Type":"application/json","Retry-After":")");
        m_w.uint(std::uint64_t(retryAfterS));
        m_w.lit(R"("},"body":{"error_id":"RATE_LIMIT_EXCEEDED",)"
            R"("message":"Too many requests. Please wait before retrying."},"duration_ms":)");
        m_w.uint(2 + m_rng.below(10));
        m_w.ch('}');
        return;
    }
    m_w.lit(R"(,"headers":{"x-skytells-ratelimit-limit-requests":")");
    m_w.uint(std::uint64_t(m_opts.skytellsLimit));
    m_w.lit(R"(","x-skytells-ratelimit-remaining-requests":")");
    m_w.uint(std::uint64_t(m_opts.skytellsLimit - int(m_skytellsServed.size())));
    m_w.lit(R"(","x-skytells-ratelimit-window":")");
    m_w.uint(std::uint64_t(m_opts.skytellsWindowS));
    m_w.lit(R"("})");
}

void TrafficSimulator::Impl::processPrediction(const Pending &p)
{
    const std::int64_t t = p.timeMs;
    Prediction &pred = m_predictions[p.prediction];
    const bool create = p.kind == Kind::PredictionCreate;
    ++m_stats.skytellsRequests;
    int retryAfter = 0;
    const bool served = skytellsAdmit(t, &retryAfter);
    head(t, p.client, create ? "POST" : "GET");
    m_w.lit(R"(","url":"https://api.skytells.ai/v1/predictions)");
    if (!create) {
        m_w.ch('/');
        uuid(pred.uuid);
    }
    m_w.lit(R"(","status":)");
    if (!served) {
        ++m_stats.skytellsRejected;
        m_w.lit("429");
        skytellsHeaders(true, retryAfter);
        std::int64_t next;
        if (create) // both clients wait as told before creating again
            next = t + std::int64_t(retryAfter) * 1000 + m_rng.below(500);
        else if (p.client == ImageStudio) // keeps its fixed pace
            next = t + kImagePollMs;
        else
            next = t + std::int64_t(retryAfter) * 1000 + m_rng.below(500);
        if (create && p.attempt >= kClients[p.client].maxRetries) {
            m_freePredictions.push_back(p.prediction);
            return;
        }
        if (create)
            pred.completeMs += next - t; // the render starts when the create is served
        push(next, p.kind, p.client, std::uint8_t(std::min(255, p.attempt + 1)), 0, p.prediction);
        return;
    }
    const std::string_view model = kModels[pred.model];
    if (create) {
        m_w.lit("201");
        skytellsHeaders(false, 0);
        m_w.lit(R"(,"body":{"id":")");
        uuid(pred.uuid);
        m_w.lit(R"(","status":"starting","model":")");
        m_w.lit(model);
        m_w.lit(R"("},"duration_ms":)");
        m_w.uint(150 + m_rng.below(350));
        m_w.ch('}');
    } else if (t >= pred.completeMs) {
        m_w.lit("200");
        skytellsHeaders(false, 0);
        m_w.lit(R"(,"body":{"id":")");
        uuid(pred.uuid);
        m_w.lit(R"(","status":"succeeded","model":")");
        m_w.lit(model);
        m_w.lit(R"(","output":["https://cdn.skytells.ai/outputs/)");
        uuid(pred.uuid);
        m_w.lit(R"(/output.png"]},"duration_ms":)");
        m_w.uint(35 + m_rng.below(120));
        m_w.ch('}');
        m_freePredictions.push_back(p.prediction);
        return;
    } else {
        m_w.lit("200");
        skytellsHeaders(false, 0);
        m_w.lit(R"(,"body":{"status":"processing"},"duration_ms":)");
        m_w.uint(35 + m_rng.below(120));
        m_w.ch('}');
    }
    const std::int64_t interval
        = p.client == ImageStudio ? kImagePollMs : 3000 + std::int64_t(m_rng.below(401));
    push(t + interval, Kind::PredictionPoll, p.client, 0, 0, p.prediction);
}

void TrafficSimulator::Impl::process(const Pending &p)
{
    if (p.kind == Kind::ToolCall)
        processToolCall(p);
    else
        processPrediction(p);
    ++m_stats.records;
}

// ---------------------------------------------------------------------------------------

TrafficSimulator::TrafficSimulator(const SimulatorOptions &options)
    : m_d(std::make_unique<Impl>(options))
{
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
