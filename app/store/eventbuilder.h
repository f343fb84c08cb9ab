#pragma once

#include "decode/rawrecord.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <cstdint>
#include <optional>
#include <string_view>

// Optional time range (summary.md --from/--to: from <= time < to).
struct TimeRange
{
    std::optional<std::int64_t> fromMs;
    std::optional<std::int64_t> toMs;
    bool contains(std::int64_t t) const
    {
        return (!fromMs || t >= *fromMs) && (!toMs || t < *toMs);
    }
};

// Turns a decoded record into a stored event: classification, rate-limit headers, interning.
class EventBuilder
{
public:
    enum class Outcome { Added, NoTime, OutOfRange };

    EventBuilder(const RuleSet &rules, TimeRange range)
        : m_rules(rules)
        , m_range(range)
    {
    }

    // Appends rec to store (origin fields are the caller's). Returns what happened.
    Outcome add(const RawRecord &rec, EventStore &store, std::uint16_t file, std::uint32_t line,
        std::uint64_t offset);

private:
    const RuleSet &m_rules;
    TimeRange m_range;
};

// 64-bit hash of a record id (0 is reserved for "no id").
std::uint64_t idHash(std::string_view id);
