#pragma once

#include "aggregate/limiters.h"
#include "export/whatif.h"
#include "model/filteredview.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The requests of one scope counted per second, for the window's What-if panel (issue 20):
// built once per view, in a worker; every slider step replays these counts, never the events.
struct WhatIfArrivals
{
    std::string scope;
    std::shared_ptr<const EventStore> store;
    EventSubset events; // the scope's requests in view, sorted by time (the exact replay's)
    std::vector<std::int64_t> seconds; // starts of the seconds with a request, sorted
    std::vector<std::uint32_t> recorded; // requests per second, the log's own retries included
    std::vector<std::uint32_t> fresh; // the same without them (logRetries): `none`'s arrivals
    std::int64_t requests = 0;
    std::int64_t logRetries = 0;
    std::int64_t recordedRejected = 0; // RATE_LIMITED
    // The scope's own request limit (configured, else the one its responses reported with a
    // window): where the panel's slider starts.
    std::optional<LimitSpec> ownLimit;

    // The most requests in one window of W aligned to the epoch (a fixed window's peak): the
    // smallest fixed limit without a rejection, replayed as recorded.
    std::int64_t peakPerWindow(std::int64_t windowMs) const;
};

// Counts `events` (one scope's, sorted by time) per second.
WhatIfArrivals countArrivals(
    std::shared_ptr<const EventStore> store, EventSubset events, std::string scope);

// What the panel shows of one replay: the refusals per second, and their total.
struct WhatIfCurve
{
    std::vector<std::pair<std::int64_t, std::int64_t>> refusedPerSecond; // sorted
    std::int64_t rejected = 0;
    std::int64_t minutesOverLimit = 0;
    bool exact = false; // every request at its own time (else the per-second approximation)
};

// The per-second replay (as-recorded or none; the retry modes that add requests need the exact
// replay). Each second's requests are taken as arriving at its start: exact for a fixed window
// of whole seconds, within a second's requests of the exact replay for the others.
WhatIfCurve replayPerSecond(
    const WhatIfArrivals &arrivals, const LimiterSpec &limiter, RetryPolicy::Mode mode);

// Holds the What-if of the view's one scope: the per-second curve at every settings change,
// and the exact replay (`ratescope whatif`'s) once the settings rest for a moment.
class WhatIfModel : public QObject
{
    Q_OBJECT
public:
    explicit WhatIfModel(QObject *parent = nullptr);
    ~WhatIfModel() override;

    // Off: no counting, no replay (the panel is hidden).
    void setActive(bool active);
    bool isActive() const { return m_active; }
    void setView(std::shared_ptr<const FilteredView> view);
    void setSettings(const LimiterSpec &limiter, const RetryPolicy &retry);
    const LimiterSpec &limiter() const { return m_limiter; }
    const RetryPolicy &retry() const { return m_retry; }

    // nullptr while counting, or when the view has no single scope (reason() says why).
    const WhatIfArrivals *arrivals() const { return m_arrivals.get(); }
    QString reason() const { return m_reason; }
    // The refusals drawn: the exact replay's when it is of the current settings, else the
    // per-second one (empty for honour and backoff until the exact replay is done).
    const WhatIfCurve &curve() const { return m_curve; }
    // The exact replay of the current settings; nullopt while it runs.
    const std::optional<WhatIfScope> &exact() const { return m_exact; }
    bool replaying() const { return m_running || m_exactTimer.isActive(); }
    // How long the settings must rest before the exact replay starts.
    static constexpr int kRestMs = 250;

Q_SIGNALS:
    void arrivalsChanged(); // a new scope counted (or none)
    void curveChanged(); // the curve or the exact replay changed

private:
    void recount();
    void replayFast();
    void startExact();

    bool m_active = false;
    std::shared_ptr<const FilteredView> m_view;
    std::shared_ptr<const WhatIfArrivals> m_arrivals;
    QString m_reason;
    LimiterSpec m_limiter;
    RetryPolicy m_retry;
    WhatIfCurve m_curve;
    std::optional<WhatIfScope> m_exact;
    QTimer m_exactTimer;
    bool m_running = false; // an exact replay runs (one at a time)
    quint64 m_countGeneration = 0;
    quint64 m_settingsGeneration = 0;
    QThreadPool m_pool;
};
