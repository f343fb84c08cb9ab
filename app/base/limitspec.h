#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// summary.md "limit".
struct LimitSpec
{
    std::int64_t requests = 0;
    std::optional<std::int64_t> windowS; // nullopt: a reported limit whose window is unknown
    bool fromHeaders = false;

    bool perMinute() const { return windowS && *windowS == 60; }
    bool operator==(const LimitSpec &o) const
    {
        return requests == o.requests && windowS == o.windowS && fromHeaders == o.fromHeaders;
    }
    bool operator!=(const LimitSpec &o) const { return !(*this == o); }
};

// "600" (per minute) or "N/W" with W an integer and s, m, h or d. nullopt + *error when invalid.
// The one grammar of --limit (summarize, monitor, the window) and of the window's limit box.
std::optional<LimitSpec> parseLimitSpec(const QString &text, QString *error);
// A span of time as a limit's window is written: "30s", "90m", "2h", "1d", in seconds;
// nullopt when it is not one.
std::optional<std::int64_t> parseSpanS(const QString &text);
// The text parseSpanS() reads back ("2h", "90m").
QString spanText(std::int64_t seconds);
// The text parseLimitSpec() reads back: "600" per minute, else "100/10s", "5000/1h", "50/5m";
// a concurrency limit (window 0) is its count.
QString limitSpecText(const LimitSpec &limit);
// The text a person reads (limits.md §3): "120/min", "5000/1h", "120 per unknown window",
// "10 at once" (concurrency).
QString limitReadingText(const LimitSpec &limit);

// What a limit counts (limits.md §2). Concurrency has no window: requests in flight at once.
enum class LimitAxis : std::uint8_t { Requests, Tokens, InputTokens, OutputTokens, Concurrency };
// "requests", "tokens", "input_tokens", "output_tokens", "concurrency" (the JSON and CLI names)
QString limitAxisName(LimitAxis axis);
std::optional<LimitAxis> limitAxisFromName(const QString &name);

// One limit a user gives: `[SCOPE:][AXIS=]N[/W]` (limits.md §2). An empty scope applies to every
// scope. For concurrency, spec.windowS is 0 (no window).
struct LimitEntry
{
    QString scope;
    LimitAxis axis = LimitAxis::Requests;
    LimitSpec spec;

    bool operator==(const LimitEntry &o) const
    {
        return scope == o.scope && axis == o.axis && spec == o.spec;
    }
};

// `600`, `600/1m`, `api.openai.com:tokens=90000/1m`, `concurrency=10`, `requests=10000/1d`,
// `localhost:8080:600`. The scope is everything before the last ':' (a host may carry a port);
// it is matched against scope names without regard to case.
std::optional<LimitEntry> parseLimitEntry(const QString &text, QString *error);
// The text parseLimitEntry() reads back.
QString limitEntryText(const LimitEntry &entry);
// The limits the user gave that apply to `scope` on `axis`: entries naming the scope win over
// entries for every scope.
std::vector<LimitSpec> configuredLimits(
    const std::vector<LimitEntry> &entries, const std::string &scope, LimitAxis axis);
// The configured limit of `scope` on `axis` that is drawn and warns first (the shortest window
// of configuredLimits); nullopt: none.
std::optional<LimitSpec> configuredLimit(const std::vector<LimitEntry> &entries,
    const std::string &scope, LimitAxis axis = LimitAxis::Requests);
inline std::optional<LimitSpec> configuredRequestLimit(
    const std::vector<LimitEntry> &entries, const std::string &scope)
{
    return configuredLimit(entries, scope, LimitAxis::Requests);
}

// A `--limits FILE`: a JSON array of {"scope", "axis", "limit", "window"}; "scope" and "axis"
// optional (every scope; requests), "window" optional ("1m"; none for concurrency). An error
// names the entry (its index in the array) and what is wrong; *error is "" on success.
std::vector<LimitEntry> parseLimitsJson(const QByteArray &json, QString *error);
