#include "decode/limitwords.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <regex>
#include <utility>

// The words of a rejection (limits.md §4, §5 item 1). Each form is one regular expression,
// compiled once (forms() below); what the captured words mean is in the small tables next to
// it. For this step the forms are a static table here, not rules-file data: they are grammar
// (numbers, separators, the order of the parts), and the rule engine (rules/) comes after
// decode/ in the include order. Moving the word tables to resources/rules/ is the next step if
// they grow.
//
// Forms, each with its `rule`:
// - OpenAI (and Groq, which words its 429s the same way): "Rate limit reached for MODEL in
//   organization ORG [service tier T] on (requests|tokens|images) per (min|minute|day)
//   [(RPM)]: Limit N, Used N, Requested N"; also "Request too large for … on tokens per min
//   (TPM): Limit N, Requested N", the older "… on requests per min. Limit: 60.000000 / min.
//   Current: 70.000000 / min." (Current is read as used) and "Rate limit exceeded for images
//   per minute in organization ORG. Limit: 0/1min. Current: 1/1min.". rule "openai-" + r|t|i
//   + "p" + m|d ("openai-tpm", "openai-rpd", "openai-ipm"). Images are no axis of limits.md §2:
//   an "openai-ipm" has no axis but keeps its window and numbers.
// - OpenAI concurrency: "reached the maximum of N active requests" → "openai-active-requests".
// - Anthropic: "This request would exceed the rate limit for your organization [(ORG)] of N
//   (input tokens|output tokens|tokens|requests) per (minute|day)" and the newer "… would
//   exceed your organization's rate limit of N …" → "anthropic-itpm", "-otpm", "-tpm", "-rpm"
//   (…pd per day); "Number of (requests|request tokens|output tokens|…) has exceeded your
//   (per-minute|daily) rate limit" → "anthropic-number-itpm", … ; "Number of concurrent
//   connections has exceeded your rate limit" → "anthropic-concurrent". "Request tokens" are
//   the tokens of the request: input_tokens.
// - Gemini QuotaFailure, anywhere in the text (the body, the message, an SDK's dump of either):
//   a quota id "Generate…Per…" (`GenerateRequestsPerMinutePerProjectPerModel-FreeTier`,
//   `GenerateContentInputTokensPerModelPerMinute-FreeTier`; also the ErrorInfo quota_limit
//   `GenerateContentRequestsPerMinutePerProjectPerRegion`) → "gemini-quota-id", its axis from
//   Requests/InputTokens/OutputTokens/Tokens and its window from PerMinute/PerDay/PerHour/
//   PerSecond, the limit from the quotaValue after it; else a quota metric
//   "generativelanguage.googleapis.com/NAME" or "aiplatform.googleapis.com/NAME"
//   (`generate_content_free_tier_requests`, `…_input_token_count`,
//   `generate_content_requests_per_minute_per_project_per_base_model`) → "gemini-quota-metric",
//   the window only when the name has per_minute/per_day, the limit from ", limit: N" after it.
// - LiteLLM proxy: "LiteLLM Rate Limit Handler … Crossed TPM / RPM / Max Parallel Request
//   Limit. current rpm: A, rpm limit: B, current tpm: C, tpm limit: D, current
//   max_parallel_requests: E, max_parallel_requests: F" → "litellm-crossed"; "Max parallel
//   request limit reached" → "litellm-parallel", with the numbers LiteLLM's limiters append
//   ("current rpm 4 … rpm_limit: 4", "Current usage: … current_rpm: 5 … Current limits: …
//   rpm_limit: 4") when there are some.
//
// Decisions the spec leaves open:
// - LiteLLM: the axis is the first pair, in the order requests, tokens, concurrency, whose
//   current value reached its limit (current >= limit); used/limit are that pair's. A negative
//   limit is no limit (LiteLLM prints "rpm limit: -2" when none is set). When numbers are given
//   and none reached its limit the words do not say which: nothing. "Max parallel request limit
//   reached" without any pair is concurrency, as §5 says (LiteLLM also raises it bare when a
//   limit is 0).
// - Several Gemini violations in one text: the first in the text. A quota id wins over a
//   metric (it names the window too).
// - The first form that matches decides, in this order: LiteLLM (the gateway's own words),
//   OpenAI, Anthropic, Gemini, OpenAI concurrency.
// - Numbers: digits with optional thousands separators ("30,000"), "~4251" reads as 4251, a
//   fraction is dropped ("60.000000"); one that does not fit in 64 bits is not given.

namespace {

using Match = std::cmatch;
constexpr auto kIcase = std::regex::ECMAScript | std::regex::icase;
constexpr auto kExact = std::regex::ECMAScript;

// A count as the words write it: "30000", "30,000", "-2". One capture group.
const std::string kNum = R"((-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)))";

struct Forms
{
    std::regex openAi { R"((?:rate\s+limit\s+(?:reached|exceeded)|request\s+too\s+large)\s+for\s+)"
                        R"((?:[\s\S]{0,200}?\s+on\s+)?(requests|tokens|images)\s+per\s+)"
                        R"((min|minute|day)\b)",
        kIcase };
    std::regex openAiLimit { R"(\bLimit:?\s*~?)" + kNum, kExact };
    std::regex openAiUsed { R"(\b(?:Used|Current):?\s*~?)" + kNum, kExact };
    std::regex openAiRequested { R"(\bRequested:?\s*~?)" + kNum, kExact };
    std::regex openAiActive {
        R"(reached\s+the\s+maximum\s+of\s+)" + kNum + R"(\s+active\s+requests)", kIcase
    };

    std::regex anthropicExceed { R"(would\s+exceed\s+(?:the\s+rate\s+limit\s+for\s+your\s+)"
                                 R"(organization(?:\s*\([^)]*\))?|your\s+organization's\s+rate\s+)"
                                 R"(limit)\s+of\s+)"
            + kNum
            + R"(\s+(input\s+tokens|output\s+tokens|tokens|requests)\s+per\s+(minute|day)\b)",
        kIcase };
    std::regex anthropicNumber { R"(number\s+of\s+(requests|request\s+tokens|input\s+tokens|)"
                                 R"(output\s+tokens|tokens|concurrent\s+connections)\s+has\s+)"
                                 R"(exceeded\s+your\s+(?:(per-minute|daily)\s+)?rate\s+limit)",
        kIcase };

    std::regex geminiQuotaId { R"(\b(Generate[A-Za-z]*Per[A-Za-z]*(?:-[A-Za-z]+)?))", kExact };
    std::regex geminiQuotaValue { R"(quotaValue\W{0,12}(\d+))", kExact };
    std::regex geminiMetric {
        R"(\b(?:generativelanguage|aiplatform)\.googleapis\.com/([a-z0-9_]+))", kIcase
    };
    std::regex geminiMetricLimit { R"(^,\s*limit:\s*)" + kNum, kIcase };

    std::regex litellmCrossed { R"(Crossed\s+TPM\s*/\s*RPM\s*/\s*Max\s+Parallel\s+Request\s+Limit)",
        kIcase };
    std::regex litellmParallel { R"(Max\s+parallel\s+request\s+limit\s+reached)", kIcase };
    std::regex rpmCurrent { R"(current[ _]rpm:?\s*)" + kNum, kIcase };
    std::regex rpmLimit { R"(rpm[ _]limit:?\s*)" + kNum, kIcase };
    std::regex tpmCurrent { R"(current[ _]tpm:?\s*)" + kNum, kIcase };
    std::regex tpmLimit { R"(tpm[ _]limit:?\s*)" + kNum, kIcase };
    std::regex parallelCurrent {
        R"((?:current\s+|current\s+usage:\s*)max_parallel_requests:\s*)" + kNum, kIcase
    };
    std::regex parallelLimit { R"((?:,\s*|current\s+limits:\s*)max_parallel_requests:\s*)" + kNum,
        kIcase };
    std::regex globalLimit {
        R"(Hit\s+Global\s+Limit:\s*Limit=)" + kNum + R"(,\s*current:\s*)" + kNum, kIcase
    };
};

// Compiled on first use, never changed after (thread-safe initialisation).
const Forms &forms()
{
    static const Forms compiled;
    return compiled;
}

// What the captured words of a form mean.
struct Unit
{
    const char *words; // lower case, single spaces
    std::optional<LimitAxis> axis;
    const char *code; // in the rule id
};

const std::array<Unit, 3> kOpenAiUnits { {
    { "requests", LimitAxis::Requests, "r" },
    { "tokens", LimitAxis::Tokens, "t" },
    { "images", std::nullopt, "i" },
} };

const std::array<Unit, 6> kAnthropicUnits { {
    { "requests", LimitAxis::Requests, "r" },
    { "request tokens", LimitAxis::InputTokens, "it" },
    { "input tokens", LimitAxis::InputTokens, "it" },
    { "output tokens", LimitAxis::OutputTokens, "ot" },
    { "tokens", LimitAxis::Tokens, "t" },
    { "concurrent connections", LimitAxis::Concurrency, "concurrent" },
} };

struct Window
{
    const char *words; // lower case
    std::int64_t seconds;
    const char *code; // in the rule id
};

const std::array<Window, 5> kWindows { {
    { "min", 60, "pm" },
    { "minute", 60, "pm" },
    { "per-minute", 60, "pm" },
    { "day", 86400, "pd" },
    { "daily", 86400, "pd" },
} };

// A Gemini quota id or metric name: the first entry whose part it contains decides.
struct NamePart
{
    const char *part;
    LimitAxis axis;
};
struct NameWindow
{
    const char *part;
    std::int64_t seconds;
};

const std::array<NamePart, 4> kQuotaIdAxes { {
    { "InputTokens", LimitAxis::InputTokens },
    { "OutputTokens", LimitAxis::OutputTokens },
    { "Tokens", LimitAxis::Tokens },
    { "Requests", LimitAxis::Requests },
} };
const std::array<NameWindow, 4> kQuotaIdWindows { {
    { "PerMinute", 60 },
    { "PerDay", 86400 },
    { "PerHour", 3600 },
    { "PerSecond", 1 },
} };
const std::array<NamePart, 4> kMetricAxes { {
    { "input_token", LimitAxis::InputTokens },
    { "output_token", LimitAxis::OutputTokens },
    { "token", LimitAxis::Tokens },
    { "request", LimitAxis::Requests },
} };
const std::array<NameWindow, 4> kMetricWindows { {
    { "per_minute", 60 },
    { "per_day", 86400 },
    { "per_hour", 3600 },
    { "per_second", 1 },
} };

// "Input  Tokens" -> "input tokens"
std::string normalized(const std::csub_match &words)
{
    std::string out;
    for (const char c : words.str()) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ')
                out.push_back(' ');
        } else {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

template <std::size_t N>
const Unit *findUnit(const std::array<Unit, N> &units, const std::string &words)
{
    for (const Unit &u : units) {
        if (words == u.words)
            return &u;
    }
    return nullptr;
}

const Window *findWindow(const std::string &words)
{
    for (const Window &w : kWindows) {
        if (words == w.words)
            return &w;
    }
    return nullptr;
}

// "30,000" -> 30000; "-2" -> -2; nullopt when it does not fit.
std::optional<std::int64_t> toNumber(const std::csub_match &text)
{
    if (!text.matched)
        return std::nullopt;
    const char *p = text.first;
    bool negative = false;
    if (p != text.second && *p == '-') {
        negative = true;
        ++p;
    }
    std::uint64_t value = 0;
    bool any = false;
    for (; p != text.second; ++p) {
        if (*p == ',')
            continue;
        const auto digit = static_cast<std::uint64_t>(*p - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
        any = true;
    }
    if (!any || value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
    const auto signedValue = static_cast<std::int64_t>(value);
    return negative ? -signedValue : signedValue;
}

// The number captured by the first match of `re` in [b, e).
std::optional<std::int64_t> firstNumber(
    const std::regex &re, const char *b, const char *e, int group = 1)
{
    Match m;
    if (b >= e || !std::regex_search(b, e, m, re))
        return std::nullopt;
    return toNumber(m[group]);
}

std::optional<LimitWords> readLiteLlm(const Forms &f, const char *b, const char *e)
{
    Match m;
    std::string rule;
    if (std::regex_search(b, e, m, f.litellmCrossed))
        rule = "litellm-crossed";
    else if (std::regex_search(b, e, m, f.litellmParallel))
        rule = "litellm-parallel";
    else
        return std::nullopt;
    const char *from = m[0].second; // the numbers follow the words

    struct Pair
    {
        const std::regex *current;
        const std::regex *limit;
        LimitAxis axis;
        std::int64_t windowS;
    };
    const std::array<Pair, 3> pairs { {
        { &f.rpmCurrent, &f.rpmLimit, LimitAxis::Requests, 60 },
        { &f.tpmCurrent, &f.tpmLimit, LimitAxis::Tokens, 60 },
        { &f.parallelCurrent, &f.parallelLimit, LimitAxis::Concurrency, 0 },
    } };
    bool anyPair = false;
    for (const Pair &p : pairs) {
        const auto current = firstNumber(*p.current, from, e);
        const auto limit = firstNumber(*p.limit, from, e);
        if (!current || !limit)
            continue;
        anyPair = true;
        if (*limit < 0 || *current < *limit)
            continue;
        LimitWords w;
        w.axis = p.axis;
        w.windowS = p.windowS;
        w.limit = limit;
        w.used = current;
        w.rule = rule;
        return w;
    }
    if (rule != "litellm-parallel" || anyPair)
        return std::nullopt; // numbers given, none reached its limit: the words do not say
    LimitWords w;
    w.axis = LimitAxis::Concurrency;
    w.windowS = 0;
    if (std::regex_search(from, e, m, f.globalLimit)) {
        w.limit = toNumber(m[1]);
        w.used = toNumber(m[2]);
    }
    w.rule = rule;
    return w;
}

std::optional<LimitWords> readOpenAi(const Forms &f, const char *b, const char *e)
{
    Match m;
    if (!std::regex_search(b, e, m, f.openAi))
        return std::nullopt;
    const Unit *unit = findUnit(kOpenAiUnits, normalized(m[1]));
    const Window *window = findWindow(normalized(m[2]));
    if (!unit || !window)
        return std::nullopt;
    LimitWords w;
    w.axis = unit->axis;
    w.windowS = window->seconds;
    w.rule = std::string("openai-") + unit->code + window->code;
    // The numbers of this sentence: up to "Please try again", "Visit …", "Contact us …".
    const char *tailB = m[0].second;
    const std::string_view rest(tailB, static_cast<std::size_t>(e - tailB));
    std::size_t end = std::min<std::size_t>(rest.size(), 200);
    for (const char *stop : { "Please", "Visit", "Contact", "Need more" })
        end = std::min(end, rest.find(stop));
    const char *tailE = tailB + end;
    w.limit = firstNumber(f.openAiLimit, tailB, tailE);
    w.used = firstNumber(f.openAiUsed, tailB, tailE);
    w.requested = firstNumber(f.openAiRequested, tailB, tailE);
    return w;
}

std::optional<LimitWords> readAnthropic(const Forms &f, const char *b, const char *e)
{
    Match m;
    if (std::regex_search(b, e, m, f.anthropicExceed)) {
        const Unit *unit = findUnit(kAnthropicUnits, normalized(m[2]));
        const Window *window = findWindow(normalized(m[3]));
        if (!unit || !window || unit->axis == LimitAxis::Concurrency)
            return std::nullopt;
        LimitWords w;
        w.axis = unit->axis;
        w.windowS = window->seconds;
        w.limit = toNumber(m[1]);
        w.rule = std::string("anthropic-") + unit->code + window->code;
        return w;
    }
    if (std::regex_search(b, e, m, f.anthropicNumber)) {
        const Unit *unit = findUnit(kAnthropicUnits, normalized(m[1]));
        if (!unit)
            return std::nullopt;
        LimitWords w;
        w.axis = unit->axis;
        if (unit->axis == LimitAxis::Concurrency) {
            w.windowS = 0;
            w.rule = "anthropic-concurrent";
            return w;
        }
        const Window *window = m[2].matched ? findWindow(normalized(m[2])) : nullptr;
        if (window)
            w.windowS = window->seconds;
        w.rule = std::string("anthropic-number-") + unit->code + (window ? window->code : "");
        return w;
    }
    return std::nullopt;
}

template <std::size_t A, std::size_t W>
bool nameMeaning(std::string_view name, const std::array<NamePart, A> &axes,
    const std::array<NameWindow, W> &windows, LimitWords &w)
{
    for (const NamePart &p : axes) {
        if (name.find(p.part) != std::string_view::npos) {
            w.axis = p.axis;
            break;
        }
    }
    if (!w.axis)
        return false;
    for (const NameWindow &nw : windows) {
        if (name.find(nw.part) != std::string_view::npos) {
            w.windowS = nw.seconds;
            break;
        }
    }
    return true;
}

std::optional<LimitWords> readGemini(const Forms &f, const char *b, const char *e)
{
    Match m;
    // The first quota id that names an axis.
    for (const char *at = b; at < e && std::regex_search(at, e, m, f.geminiQuotaId);
         at = m[0].second) {
        LimitWords w;
        const std::string_view id(m[1].first, static_cast<std::size_t>(m[1].length()));
        if (!nameMeaning(id, kQuotaIdAxes, kQuotaIdWindows, w))
            continue;
        const char *after = m[0].second;
        w.limit = firstNumber(f.geminiQuotaValue, after, std::min(e, after + 400));
        w.rule = "gemini-quota-id";
        return w;
    }
    for (const char *at = b; at < e && std::regex_search(at, e, m, f.geminiMetric);
         at = m[0].second) {
        LimitWords w;
        const std::string metric = m[1].str();
        if (!nameMeaning(metric, kMetricAxes, kMetricWindows, w))
            continue;
        const char *after = m[0].second;
        Match lm;
        if (std::regex_search(
                after, e, lm, f.geminiMetricLimit, std::regex_constants::match_continuous))
            w.limit = toNumber(lm[1]);
        else
            w.limit = firstNumber(f.geminiQuotaValue, after, std::min(e, after + 400));
        w.rule = "gemini-quota-metric";
        return w;
    }
    return std::nullopt;
}

std::optional<LimitWords> readOpenAiActive(const Forms &f, const char *b, const char *e)
{
    Match m;
    if (!std::regex_search(b, e, m, f.openAiActive))
        return std::nullopt;
    LimitWords w;
    w.axis = LimitAxis::Concurrency;
    w.windowS = 0;
    w.limit = toNumber(m[1]);
    w.rule = "openai-active-requests";
    return w;
}

// Whether `text` holds `lower` (lower case ASCII) in any case.
bool containsAnyCase(std::string_view text, std::string_view lower)
{
    if (lower.size() > text.size())
        return false;
    const auto same = [](char a, char b) { // ASCII only: the words looked for are
        return (a >= 'A' && a <= 'Z' ? char(a - 'A' + 'a') : a) == b;
    };
    return std::search(text.begin(), text.end(), lower.begin(), lower.end(), same) != text.end();
}

// A word each text of a form holds (in any case), looked for before its regular expressions
// run: most messages are in none of the forms or in the first, and std::regex scanned every
// message once per form (a quarter of a live window's time during a long incident, each view
// reading the words of every rejection of the incident again).
struct Form
{
    std::optional<LimitWords> (*read)(const Forms &, const char *, const char *);
    std::array<std::string_view, 2> anyOf; // "" : no second word
};

} // namespace

LimitWords readLimitWords(std::string_view message)
{
    if (message.empty())
        return {};
    const Forms &f = forms();
    const char *b = message.data();
    const char *e = b + message.size();
    static constexpr std::array<Form, 5> kForms { {
        { readLiteLlm, { "parallel", "" } },
        { readOpenAi, { "limit", "too" } },
        { readAnthropic, { "exceed", "" } },
        { readGemini, { "generate", "googleapis.com" } },
        { readOpenAiActive, { "active", "" } },
    } };
    for (const Form &form : kForms) {
        const bool maybe = std::any_of(form.anyOf.begin(), form.anyOf.end(),
            [&](std::string_view w) { return !w.empty() && containsAnyCase(message, w); });
        if (!maybe)
            continue;
        if (std::optional<LimitWords> w = form.read(f, b, e))
            return std::move(*w);
    }
    return {};
}
