#include "model/whatifmodel.h"

#include "aggregate/buckets.h"
#include "model/threadpriority.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

std::int64_t WhatIfArrivals::peakPerWindow(std::int64_t windowMs) const
{
    std::int64_t peak = 0, count = 0, window = INT64_MIN;
    for (std::size_t i = 0; i < seconds.size(); ++i) {
        const std::int64_t w = floorTo(seconds[i], windowMs);
        count = w == window ? count + recorded[i] : recorded[i];
        window = w;
        peak = std::max(peak, count);
    }
    return peak;
}

WhatIfArrivals countArrivals(
    std::shared_ptr<const EventStore> store, EventSubset events, std::string scope)
{
    WhatIfArrivals a;
    a.scope = std::move(scope);
    const std::vector<bool> retries = logRetries(*store, events);
    for (std::size_t r = 0; r < events.size(); ++r) {
        const std::uint32_t i = events[r];
        const std::int64_t s = floorTo(store->timeMs(i), 1000);
        if (a.seconds.empty() || a.seconds.back() != s) {
            a.seconds.push_back(s);
            a.recorded.push_back(0);
            a.fresh.push_back(0);
        }
        ++a.recorded.back();
        a.fresh.back() += !retries[r];
        a.logRetries += retries[r];
        a.recordedRejected += store->source(i) == RejectionSource::RateLimited;
    }
    a.requests = std::int64_t(events.size());
    a.store = std::move(store);
    a.events = std::move(events);
    return a;
}

namespace {

std::int64_t minutesWith(const std::vector<std::pair<std::int64_t, std::int64_t>> &perSecond)
{
    std::int64_t n = 0, last = INT64_MIN;
    for (const auto &[t, count] : perSecond) {
        const std::int64_t m = floorTo(t, 60000);
        n += m != last;
        last = m;
    }
    return n;
}

} // namespace

WhatIfCurve replayPerSecond(
    const WhatIfArrivals &arrivals, const LimiterSpec &limiter, RetryPolicy::Mode mode)
{
    WhatIfCurve c;
    const auto &counts = mode == RetryPolicy::Mode::AsRecorded ? arrivals.recorded : arrivals.fresh;
    const std::vector<std::uint32_t> refused = refusedPerBatch(limiter, arrivals.seconds, counts);
    for (std::size_t i = 0; i < refused.size(); ++i) {
        if (refused[i]) {
            c.refusedPerSecond.emplace_back(arrivals.seconds[i], refused[i]);
            c.rejected += refused[i];
        }
    }
    c.minutesOverLimit = minutesWith(c.refusedPerSecond);
    return c;
}

WhatIfModel::WhatIfModel(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_exactTimer.setSingleShot(true);
    m_exactTimer.setInterval(kRestMs);
    connect(&m_exactTimer, &QTimer::timeout, this, &WhatIfModel::startExact);
    m_limiter.limit = 600;
}

WhatIfModel::~WhatIfModel() { m_pool.waitForDone(); }

void WhatIfModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (m_active) {
        recount();
    } else {
        ++m_countGeneration;
        ++m_settingsGeneration;
        m_exactTimer.stop();
        m_arrivals.reset();
        m_curve = {};
        m_exact.reset();
        Q_EMIT curveChanged();
    }
}

void WhatIfModel::setView(std::shared_ptr<const FilteredView> view)
{
    // a live view that grew, or a view of another filter: count again
    m_view = std::move(view);
    if (m_active)
        recount();
}

void WhatIfModel::setSettings(const LimiterSpec &limiter, const RetryPolicy &retry)
{
    m_limiter = limiter;
    m_retry = retry;
    ++m_settingsGeneration;
    m_exact.reset();
    replayFast();
    m_exactTimer.start();
}

void WhatIfModel::recount()
{
    const quint64 gen = ++m_countGeneration;
    m_arrivals.reset();
    m_curve = {};
    m_exact.reset();
    const FilteredView *v = m_view.get();
    m_reason = !v || !v->store || v->rows.empty()
        ? tr("Open a log to replay it against another limit.")
        : v->scopes.size() != 1
        ? tr("Choose one API scope in the list: a limit holds for one API (limits.md §1).")
        : QString();
    Q_EMIT arrivalsChanged();
    Q_EMIT curveChanged();
    if (!m_reason.isEmpty())
        return;
    QtConcurrent::run(&m_pool,
        [store = v->store, rows = v->rows, scope = v->scopes.front()]() mutable {
            lowerThreadPriority();
            return std::make_shared<WhatIfArrivals>(
                countArrivals(std::move(store), std::move(rows), std::move(scope)));
        })
        .then(this, [this, gen](std::shared_ptr<WhatIfArrivals> arrivals) {
            if (gen != m_countGeneration)
                return;
            arrivals->ownLimit = configuredRequestLimit(m_view->limits, arrivals->scope);
            for (const LimitSpec &l : m_view->reported.byWindow) {
                if (!arrivals->ownLimit && l.windowS && *l.windowS > 0)
                    arrivals->ownLimit = l;
            }
            m_arrivals = std::move(arrivals);
            Q_EMIT arrivalsChanged();
            ++m_settingsGeneration;
            replayFast();
            m_exactTimer.start();
        });
}

void WhatIfModel::replayFast()
{
    m_curve = {};
    const bool fast
        = m_retry.mode == RetryPolicy::Mode::AsRecorded || m_retry.mode == RetryPolicy::Mode::None;
    if (m_arrivals && fast && m_limiter.limit > 0)
        m_curve = replayPerSecond(*m_arrivals, m_limiter, m_retry.mode);
    Q_EMIT curveChanged();
}

void WhatIfModel::startExact()
{
    if (!m_arrivals || m_limiter.limit <= 0)
        return;
    if (m_running) { // one at a time: the newest settings run when this one ends
        m_exactTimer.start();
        return;
    }
    m_running = true;
    const quint64 gen = m_settingsGeneration;
    WhatIfOptions options;
    options.limiter = m_limiter;
    options.retry = m_retry;
    if (m_view) {
        options.mergeGapMinutes = m_view->mergeGapMinutes;
        options.configured = m_view->limits;
    }
    QtConcurrent::run(&m_pool, [arrivals = m_arrivals, options] {
        lowerThreadPriority();
        return runWhatIfScope(*arrivals->store, arrivals->events, arrivals->scope, options);
    }).then(this, [this, gen](const WhatIfScope &result) {
        m_running = false;
        if (gen != m_settingsGeneration)
            return; // the settings moved on: the timer runs the newest
        m_exact = result;
        m_curve.refusedPerSecond = result.refusedPerSecond;
        m_curve.rejected = result.predicted.rejected;
        m_curve.minutesOverLimit = result.predicted.minutesOverLimit;
        m_curve.exact = true;
        Q_EMIT curveChanged();
    });
}
