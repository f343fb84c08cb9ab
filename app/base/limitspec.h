#pragma once

#include <QString>

#include <cstdint>
#include <optional>

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

// "600" (per minute) or "N/W" with W an integer and s, m or h. nullopt + *error when invalid.
// The one grammar of --limit (summarize, monitor, the window) and of the window's limit box.
std::optional<LimitSpec> parseLimitSpec(const QString &text, QString *error);
// The text parseLimitSpec() reads back: "600" per minute, else "100/10s", "5000/1h", "50/5m".
QString limitSpecText(const LimitSpec &limit);
