#pragma once

#include "base/limitspec.h"
#include "store/eventstore.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

// A live early warning (a minute near the limit, a new incident): said once, when it happens.
struct LiveWarning
{
    enum class Kind { NearLimit, IncidentStarted };
    Kind kind = Kind::NearLimit;
    std::int64_t timeMs
        = 0; // NearLimit: the minute (or the newest record); Incident: its first rejection
    std::int64_t count = 0; // NearLimit: requests in the minute / window
    std::int64_t limit = 0; // NearLimit: the limit
    RejectionSource source = RejectionSource::None; // IncidentStarted: who rejected
    QString scope; // the API scope it is about (limits.md §1); "" when not told apart
    QString text; // one line for people
};

// Watches batches of live events for the two early warnings: the current minute (the minute
// of the newest record, by record time) reaching a share of the limit (default 90 %; with a
// limit over another window, the requests in the window ending at the newest record), and
// a new incident starting (a rejection more than merge-gap after the previous one, the
// incident rule of summary.md). Pure: no clock of its own, record times only.
class EarlyWarning
{
public:
    explicit EarlyWarning(double share = 0.9, double mergeGapMinutes = 5.0);

    void setLimit(std::optional<LimitSpec> limit);
    const std::optional<LimitSpec> &limit() const { return m_limit; }
    // Requests seen in the minute starting at minuteMs (recent minutes only).
    std::int64_t minuteCount(std::int64_t minuteMs) const
    {
        const auto it = m_minuteCounts.find(minuteMs);
        return it == m_minuteCounts.end() ? 0 : it->second;
    }
    double share() const { return m_share; }

    // Events of one batch (all, or those of `subset`); the warnings they raise, in time order.
    std::vector<LiveWarning> add(
        const EventStore &events, const std::vector<std::uint32_t> *subset = nullptr);

private:
    std::int64_t threshold() const;

    std::optional<LimitSpec> m_limit;
    double m_share;
    std::int64_t m_gapMs;
    std::int64_t m_newest = INT64_MIN;
    std::map<std::int64_t, std::int64_t> m_minuteCounts; // recent minutes only
    std::int64_t m_warnedMinute = INT64_MIN;
    std::multiset<std::int64_t> m_window; // times in (newest - W, newest]
    bool m_windowWarned = false;
    std::optional<std::int64_t> m_lastRejection;
};

Q_DECLARE_METATYPE(LiveWarning)
