#pragma once

#include "base/rejectionsource.h"

#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <optional>

// The one filter of chart, table, incidents and exports (style.md rule 6). A plain value:
// the FilterController applies it, views receive copies.
struct FilterState
{
    static constexpr int kAnyStatus = -2; // no status filter; -1 selects records without one
    static constexpr std::uint8_t kAllSources
        = 0x0F; // bit 1 << int(RejectionSource), None included

    // Which sources pass; RejectionSource::None stands for the requests that were not rejected.
    std::uint8_t sources = kAllSources;
    QString tool; // exact tool name; empty: any
    QString provider; // exact provider name; empty: any
    QString scope; // the API scope (limits.md §1: host, lower-case); empty: every scope
    int status = kAnyStatus; // exact HTTP status
    QString text; // case-insensitive substring of message, endpoint, tool, provider or code
    std::optional<qint64> fromMs; // from <= time
    std::optional<qint64> toMs; // time < to

    static constexpr std::uint8_t bit(RejectionSource s) { return std::uint8_t(1u << unsigned(s)); }
    bool sourceEnabled(RejectionSource s) const { return (sources & bit(s)) != 0; }
    void setSourceEnabled(RejectionSource s, bool on)
    {
        sources = on ? std::uint8_t(sources | bit(s)) : std::uint8_t(sources & ~bit(s));
    }
    // True when every event passes.
    bool passesAll() const
    {
        return sources == kAllSources && tool.isEmpty() && provider.isEmpty() && scope.isEmpty()
            && status == kAnyStatus && text.isEmpty() && !fromMs && !toMs;
    }

    friend bool operator==(const FilterState &a, const FilterState &b)
    {
        return a.sources == b.sources && a.tool == b.tool && a.provider == b.provider
            && a.scope == b.scope && a.status == b.status && a.text == b.text
            && a.fromMs == b.fromMs && a.toMs == b.toMs;
    }
    friend bool operator!=(const FilterState &a, const FilterState &b) { return !(a == b); }
};

// A narrowing of the table only (a clicked bucket, an incident): the chart keeps the whole
// filtered data, the table shows the records of [fromMs, toMs) of the given sources.
struct DrillDown
{
    bool active = false;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    std::uint8_t sources = FilterState::kAllSources;

    friend bool operator==(const DrillDown &a, const DrillDown &b)
    {
        return a.active == b.active
            && (!a.active || (a.fromMs == b.fromMs && a.toMs == b.toMs && a.sources == b.sources));
    }
    friend bool operator!=(const DrillDown &a, const DrillDown &b) { return !(a == b); }
};

Q_DECLARE_METATYPE(FilterState)
Q_DECLARE_METATYPE(DrillDown)
