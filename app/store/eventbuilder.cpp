#include "store/eventbuilder.h"

#include "decode/ratelimitheaders.h"
#include "decode/recorddecoder.h"

#include <functional>

namespace {
constexpr std::size_t kMaxMessageBytes = 2000;

std::int32_t clampMs(double seconds)
{
    const double ms = seconds * 1000.0;
    if (!(ms >= 0))
        return -1;
    return ms > double(INT32_MAX) ? INT32_MAX : std::int32_t(ms);
}

// Cuts at a UTF-8 character boundary.
std::string_view cutUtf8(std::string_view s, std::size_t max)
{
    if (s.size() <= max)
        return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}
// The model a request is for (limits.md §1): the request's `model`, else the response's, else
// the URL path's `/models/NAME:` (Gemini, Vertex AI). Empty when none names one. `endpoint` is
// the URL without its query (endpointOf): this runs for every record, so no second scan of it.
std::string_view modelOf(const RawRecord &rec, std::string_view endpoint)
{
    constexpr std::size_t kMaxModelBytes = 200;
    std::string_view model = !rec.model.empty() ? rec.model : rec.responseModel;
    if (model.empty()) {
        constexpr std::string_view kModels = "/models/";
        const std::string_view path = endpoint;
        // a hand-written scan: string_view::find calls memchr for every '/'
        std::size_t at = std::string_view::npos;
        for (std::size_t i = 0; i + kModels.size() <= path.size(); ++i) {
            if (path[i] == '/' && path[i + 1] == 'm' && path.substr(i, kModels.size()) == kModels) {
                at = i;
                break;
            }
        }
        if (at != std::string_view::npos) {
            const std::string_view rest = path.substr(at + kModels.size());
            const std::size_t end = rest.find_first_of(":/");
            if (end != std::string_view::npos && end > 0 && rest[end] == ':')
                model = rest.substr(0, end);
        }
    }
    return model.size() > kMaxModelBytes ? std::string_view() : model;
}
} // namespace

std::uint64_t idHash(std::string_view id)
{
    if (id.empty())
        return 0;
    const std::uint64_t h = std::hash<std::string_view>()(id) ^ (std::uint64_t(id.size()) << 56);
    return h ? h : 1;
}

EventBuilder::Outcome EventBuilder::add(const RawRecord &rec, EventStore &store, std::uint16_t file,
    std::uint32_t line, std::uint64_t offset)
{
    if (!rec.timeMs)
        return Outcome::NoTime;
    if (!m_range.contains(*rec.timeMs))
        return Outcome::OutOfRange;
    const RateLimitInfo limits = readRateLimitHeaders(rec.headers, rec.timeMs, rec.url);
    const Classification cls = m_rules.classify(rec, limits);

    EventInput e;
    e.timeMs = *rec.timeMs;
    e.status = rec.noResponse ? 0 : rec.status;
    e.source = cls.source;
    e.flags = std::uint8_t((cls.quota ? FlagQuota : 0) | (rec.noResponse ? FlagNoResponse : 0)
        | (rec.timeHadNoZone ? FlagTimeNoZone : 0)
        | (limits.limit && limits.windowByReset ? FlagWindowByReset : 0)
        | (limits.remaining == 0 ? FlagRemainingZeroRequests : 0));
    for (std::size_t a = 0; a < limits.tokenAxes.size(); ++a) {
        if (limits.tokenAxes[a].remaining == 0)
            e.flags |= std::uint8_t(FlagRemainingZeroTokens << a);
    }
    e.method = rec.method;
    e.endpoint = endpointOf(rec.url);
    e.tool = rec.tool;
    e.provider = cls.provider.empty() ? rec.provider : std::string_view(cls.provider);
    e.client = rec.connection;
    e.model = modelOf(rec, e.endpoint);
    const bool isError = cls.source != RejectionSource::None || rec.status >= 400 || rec.noResponse
        || rec.error.codeCount > 0;
    if (isError) {
        // the provider's own words when a gateway rule found them (limits.md §7)
        e.message = cutUtf8(
            cls.message.empty() ? rec.error.providerMessage() : std::string_view(cls.message),
            kMaxMessageBytes);
        e.errorCode = cls.code.empty() && rec.error.codeCount > 0 ? rec.error.codes[0] : cls.code;
        if (e.errorCode.size() > 200)
            e.errorCode = {};
    }
    e.category = cls.category;
    e.categoryRule = cls.categoryRule;
    e.gatewayRule = cls.gatewayRule;
    if (limits.retryAfterS)
        e.retryAfterMs = clampMs(*limits.retryAfterS);
    else if (rec.error.hasBodyRetryAfter && cls.source != RejectionSource::None)
        e.retryAfterMs = clampMs(rec.error.bodyRetryAfterS);
    if (limits.limit) {
        e.serverLimit = *limits.limit > INT32_MAX ? INT32_MAX : std::int32_t(*limits.limit);
        if (limits.windowS && *limits.windowS > 0 && *limits.windowS <= INT32_MAX)
            e.serverWindowS = std::int32_t(*limits.windowS);
    }
    if (rec.usage.any()) {
        const TokenUsage &u = rec.usage;
        // Anthropic's cache reads and writes are input tokens too (limits.md §4)
        e.inputTokens = u.input < 0 ? -1
                                    : u.input + std::max<std::int64_t>(u.cacheRead, 0)
                + std::max<std::int64_t>(u.cacheCreation, 0);
        e.outputTokens = u.output;
        e.totalTokens = u.total;
        if (e.totalTokens < 0 && e.inputTokens >= 0 && e.outputTokens >= 0)
            e.totalTokens = e.inputTokens + e.outputTokens;
    }
    for (std::size_t a = 0; a < limits.tokenAxes.size(); ++a) {
        const AxisReading &r = limits.tokenAxes[a];
        if (!r.limit || *r.limit <= 0)
            continue;
        e.reportedTokens.limit[a] = *r.limit > INT32_MAX ? INT32_MAX : std::int32_t(*r.limit);
        if (r.windowS && *r.windowS > 0 && *r.windowS <= INT32_MAX)
            e.reportedTokens.windowS[a] = std::int32_t(*r.windowS);
        if (r.windowByReset)
            e.reportedTokens.windowByReset |= std::uint8_t(1u << a);
    }
    if (rec.durationMs >= 0 && rec.durationMs < 1e12)
        e.durationMs = float(rec.durationMs);
    e.file = file;
    e.line = line;
    e.offset = offset;
    store.append(e);
    return Outcome::Added;
}
