#include "ratechart.h"

#include "base/palette.h"
#include "chartadapter.h"
#include "chartinteraction.h"
#include "model/remainingprobe.h"
#include "model/timeticks.h"
#include "sourcepalette.h"

#include <QDateTime>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {

constexpr qint64 kMinSpanMs = 5000;
constexpr int kMinPixelsPerBucket = 6;

// A round axis maximum above v and the number of ticks up to it.
std::pair<double, int> niceAxis(double v)
{
    v = std::max(v, 1.0);
    const double raw = v / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    }
    step = std::max(step, 1.0);
    const double top = std::ceil(v / step) * step;
    return { top, int(std::lround(top / step)) + 1 };
}

// Appends the step [x0, x1) at height v, extending the last step when it has the same height
// (long runs of zeros cost two points, not two per bucket).
void appendStep(QList<QPointF> &points, double x0, double x1, double v)
{
    const qsizetype n = points.size();
    if (n >= 2 && points[n - 1].y() == v && points[n - 2].y() == v && points[n - 1].x() == x0) {
        points[n - 1].setX(x1);
        return;
    }
    points << QPointF(x0, v) << QPointF(x1, v);
}

// Appends the point (x, v) of a polyline, dropping the middle of runs at the same height.
void appendPoint(QList<QPointF> &points, double x, double v)
{
    const qsizetype n = points.size();
    if (n >= 2 && points[n - 1].y() == v && points[n - 2].y() == v) {
        points[n - 1].setX(x);
        return;
    }
    points << QPointF(x, v);
}

QString number(std::int64_t v) { return QLocale().toString(qlonglong(v)); }

QString sourceSwatch(RejectionSource s)
{
    return QStringLiteral("<span style='color:%1'>&#9632;</span>")
        .arg(SourcePalette::color(s).name());
}

} // namespace

QString RateChart::axisNoun(LimitAxis axis)
{
    switch (axis) {
    case LimitAxis::Requests:
        break;
    case LimitAxis::Tokens:
        return tr("tokens");
    case LimitAxis::InputTokens:
        return tr("input tokens");
    case LimitAxis::OutputTokens:
        return tr("output tokens");
    case LimitAxis::Concurrency:
        return tr("requests in flight");
    }
    return tr("requests");
}

RateChart::RateChart(QWidget *parent)
    : QWidget(parent)
    , m_adapter(std::make_unique<ChartAdapter>(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("limitNote"));
    m_note->setWordWrap(true);
    m_note->setContentsMargins(8, 2, 8, 2);
    m_note->hide();
    layout->addWidget(m_note);
    layout->addWidget(m_adapter->widget());
    m_adapter->widget()->setMinimumHeight(160);

    m_empty = new QLabel(tr("Open a log: File ▸ Open (Ctrl+O), or drop files here."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);

    m_interaction = new ChartInteraction(m_adapter->viewport(), this);
    connect(m_interaction, &ChartInteraction::zoomRequested, this,
        [this](double x, double factor) { zoomBy(factor, m_adapter->timeAt(x)); });
    connect(m_interaction, &ChartInteraction::panRequested, this, [this](double dx) {
        const double width = std::max(1.0, m_adapter->plotArea().width());
        panBy(-dx / width);
    });
    connect(m_interaction, &ChartInteraction::rangeSelected, this, [this](double x1, double x2) {
        const double a = m_adapter->timeAt(std::min(x1, x2)),
                     b = m_adapter->timeAt(std::max(x1, x2));
        zoomTo(qint64(a), qint64(b));
    });
    connect(m_interaction, &ChartInteraction::clicked, this, [this](QPointF pos) {
        const DrillDown drill = drillDownAt(pos);
        if (drill.active)
            Q_EMIT bucketClicked(drill);
    });
    connect(m_interaction, &ChartInteraction::doubleClicked, this, &RateChart::resetZoom);
    m_probe = new RemainingProbe(this);
    connect(m_probe, &RemainingProbe::ready, this, &RateChart::remainingRead);
    connect(m_interaction, &ChartInteraction::hovered, this, [this](QPointF pos, QPoint global) {
        m_hover = std::make_pair(pos, global);
        const QString tip = toolTipAt(pos);
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(global, tip, m_adapter->viewport());
    });
    connect(m_interaction, &ChartInteraction::left, this, [this] {
        m_hover.reset();
        QToolTip::hideText();
    });
    applyColors();
    redrawNow();
}

RateChart::~RateChart() = default;

void RateChart::setView(std::shared_ptr<const FilteredView> view)
{
    const bool newData = !m_view || !view || m_view->store != view->store;
    m_view = std::move(view);
    resolveLimits();
    if (m_followMs > 0) {
        showNewest();
        return;
    }
    if (newData && m_view && !m_view->pyramid.empty()) {
        resetZoom();
        return;
    }
    redrawNow();
}

void RateChart::setLimits(std::vector<LimitEntry> limits)
{
    if (limits == m_limits)
        return;
    m_limits = std::move(limits);
    resolveLimits();
    scheduleRedraw();
}

void RateChart::setLimit(std::optional<LimitSpec> limit)
{
    std::vector<LimitEntry> limits;
    if (limit)
        limits.push_back({ QString(), LimitAxis::Requests, *limit });
    setLimits(std::move(limits));
}

void RateChart::setAxis(LimitAxis axis)
{
    if (axis == m_axis)
        return;
    m_axis = axis;
    resolveLimits();
    redrawNow(); // at once: the switch is the user's click
}

std::vector<LimitAxis> RateChart::availableAxes() const { return m_available; }

void RateChart::resolveLimits()
{
    m_limit.reset();
    m_serverWindowMs = 0;
    QStringList notes;
    const std::vector<std::string> none;
    const std::vector<std::string> &scopes = m_view ? m_view->scopes : none;
    const std::vector<LimitAxis> wasAvailable = m_available;
    const LimitAxis wasShown = m_shown;
    m_available = { LimitAxis::Requests };
    if (m_view) {
        for (LimitAxis a : { LimitAxis::Tokens, LimitAxis::InputTokens, LimitAxis::OutputTokens,
                 LimitAxis::Concurrency }) {
            const AxisPyramid *p = m_view->axisPyramid(a);
            if (!p || p->empty())
                continue;
            const bool split = a == LimitAxis::InputTokens || a == LimitAxis::OutputTokens;
            if (split && (scopes.size() != 1 || !m_view->reportedOn(a).byWindow.size())
                && (scopes.size() != 1 || !configuredLimit(m_limits, scopes.front(), a)))
                continue; // the total is enough where no limit counts input or output alone
            m_available.push_back(a);
        }
    }
    m_shown = std::find(m_available.begin(), m_available.end(), m_axis) != m_available.end()
        ? m_axis
        : LimitAxis::Requests;
    const QString noun = axisNoun(m_shown);
    if (scopes.size() == 1) {
        const QString scope = QString::fromStdString(scopes.front());
        m_limit = configuredLimit(m_limits, scopes.front(), m_shown);
        const std::vector<LimitSpec> &reported = m_view->reportedOn(m_shown).byWindow;
        // the buckets keep the smallest limit reported in them, whatever its window: drawn
        // only when the scope reported one window, and that window is known
        if (reported.size() == 1 && reported.front().windowS)
            m_serverWindowMs = *reported.front().windowS * 1000;
        else if (reported.size() == 1)
            notes << tr("%1 reported a limit of %2 %3 per unknown window: not drawn as if per "
                        "minute (the details of a record show it).")
                         .arg(scope, number(reported.front().requests), noun);
        else if (reported.size() > 1)
            notes << tr("%1 reported limits of %2 over %3 windows (%4): none is drawn.")
                         .arg(scope, noun)
                         .arg(reported.size())
                         .arg([&reported] {
                             QStringList texts;
                             for (const LimitSpec &l : reported)
                                 texts << limitReadingText(l);
                             return texts.join(QStringLiteral(", "));
                         }());
    } else if (scopes.size() > 1) {
        notes << tr("All %1 API scopes together: each API has its own limit, so no limit line is "
                    "drawn on their total. Choose a scope in the list to see its limits.")
                     .arg(scopes.size());
    }
    // limits.md §4: what is not known is not estimated, and its share is said beside the figure
    if (const AxisPyramid *p = m_view ? m_view->axisPyramid(m_shown) : nullptr;
        p && !p->empty() && p->unknown() > 0)
        notes << (m_shown == LimitAxis::Concurrency
                ? tr("%1 of %2 requests (%3 %) have no duration: not counted in flight.")
                : tr("%1 of %2 requests (%3 %) reported no usage: their tokens are not counted."))
                     .arg(number(p->unknown()), number(p->requests()))
                     .arg(QLocale().toString(100.0 * p->unknownShare(), 'f', 1));
    m_note->setText(notes.join(QLatin1Char('\n')));
    m_note->setVisible(!notes.isEmpty());
    m_overMinutes = minutesOverLimit();
    if (m_available != wasAvailable || m_shown != wasShown)
        Q_EMIT axesChanged();
}

std::optional<qint64> RateChart::drawnServerWindowS() const
{
    return m_serverWindowMs > 0 ? std::optional<qint64>(m_serverWindowMs / 1000) : std::nullopt;
}

QString RateChart::limitNote() const { return m_note->text(); }

std::vector<std::int64_t> RateChart::minutesOverLimit() const
{
    if (!m_view || !m_limit || m_limit->requests <= 0)
        return {};
    // N/W: a minute is over when it holds more than the limit's per-minute rate (the exports
    // count the rolling window exactly; the band is the chart's quick look). In flight: a
    // minute whose peak is over the count.
    const std::int64_t window = m_limit->windowS.value_or(60);
    const std::int64_t perMinute = window == 0
        ? m_limit->requests
        : m_limit->requests * 60 / std::max<std::int64_t>(1, window);
    if (const AxisPyramid *p = m_view->axisPyramid(m_shown))
        return p->minutesOver(perMinute);
    return m_view->pyramid.minutesOver(perMinute);
}

void RateChart::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    scheduleRedraw();
}

void RateChart::setFixedBucketMs(qint64 bucketMs)
{
    if (bucketMs == m_fixedBucketMs)
        return;
    m_fixedBucketMs = bucketMs;
    scheduleRedraw();
}

void RateChart::setRequestsAsBars(bool bars) { m_adapter->setRequestsAsBars(bars); }

void RateChart::setDark(bool dark)
{
    m_dark = dark;
    applyColors();
    scheduleRedraw();
}

void RateChart::applyColors()
{
    ChartColors c;
    c.dark = m_dark;
    c.background = m_dark ? QColor(0x1E, 0x1F, 0x22) : QColor(Qt::white);
    c.text = m_dark ? QColor(0xD8, 0xD8, 0xD8) : QColor(0x30, 0x30, 0x30);
    c.grid = m_dark ? QColor(0x3A, 0x3D, 0x41) : QColor(0xE2, 0xE2, 0xE2);
    c.requests = SourcePalette::requestsColor(m_dark);
    c.requestBars = m_dark ? QColor(0x4A, 0x4E, 0x54) : QColor(0xD4, 0xD6, 0xDA);
    c.limit = QColor::fromRgba(Palette::kLimit);
    c.serverLimit = QColor::fromRgba(Palette::kServerLimit);
    c.overLimit = QColor::fromRgba(Palette::kOverLimit);
    // cross-hatched in a deep (light theme) or pale (dark theme) RATE_LIMITED: it reads over
    // the recorded 429s as well as over the background
    const QColor rl = SourcePalette::color(RejectionSource::RateLimited);
    c.predictedOutline = m_dark ? rl.lighter(170) : rl.darker(260);
    c.predicted = QBrush(c.predictedOutline, Qt::DiagCrossPattern);
    for (int k = 0; k < 3; ++k) {
        c.sources[std::size_t(k)] = SourcePalette::color(sourceFromIndex(k));
        c.categories[std::size_t(k)] = SourcePalette::categoryBrush(categoryFromIndex(k), m_dark);
        c.categoryOutlines[std::size_t(k)]
            = SourcePalette::categoryColor(categoryFromIndex(k), m_dark);
    }
    m_adapter->setColors(c);
}

void RateChart::setFollowWindowMs(qint64 windowMs)
{
    if (windowMs == m_followMs)
        return;
    m_followMs = std::max<qint64>(0, windowMs);
    if (m_followMs > 0)
        showNewest();
}

void RateChart::setEmptyText(const QString &text) { m_empty->setText(text); }

void RateChart::setPrediction(std::vector<std::pair<std::int64_t, std::int64_t>> perSecond)
{
    if (perSecond.empty() && m_prediction.empty())
        return;
    m_prediction = std::move(perSecond);
    scheduleRedraw();
}

void RateChart::showNewest()
{
    // the newest record at the right edge, a little room after it
    const qint64 end = m_view && !m_view->pyramid.empty() ? m_view->pyramid.endMs()
                                                          : QDateTime::currentMSecsSinceEpoch();
    m_toMs = end + m_followMs / 50;
    m_fromMs = m_toMs - m_followMs;
    redrawNow();
}

void RateChart::navigated()
{
    if (m_followMs > 0)
        Q_EMIT userNavigated();
}

void RateChart::resetZoom()
{
    if (m_followMs > 0) {
        showNewest();
        return;
    }
    if (m_engine && m_engineToMs > m_engineFromMs) {
        zoomTo(m_engineFromMs, m_engineToMs);
        return;
    }
    if (!m_view || m_view->pyramid.empty()) {
        redrawNow();
        return;
    }
    qint64 from = m_view->pyramid.firstMs(), to = m_view->pyramid.endMs();
    if (to - from < 60000) {
        const qint64 mid = from + (to - from) / 2;
        from = mid - 30000;
        to = mid + 30000;
    }
    const qint64 pad = (to - from) / 100;
    m_fromMs = from - pad;
    m_toMs = to + pad;
    redrawNow();
}

void RateChart::zoomTo(qint64 fromMs, qint64 toMs)
{
    if (toMs - fromMs < kMinSpanMs) {
        const qint64 mid = fromMs + (toMs - fromMs) / 2;
        fromMs = mid - kMinSpanMs / 2;
        toMs = fromMs + kMinSpanMs;
    }
    setRange(fromMs, toMs);
    navigated();
}

void RateChart::zoomBy(double factor, std::optional<double> anchorMs)
{
    const double span = double(m_toMs - m_fromMs);
    const double anchor = anchorMs.value_or(m_fromMs + span / 2);
    double next = std::max(double(kMinSpanMs), span * factor);
    if (m_view && !m_view->pyramid.empty())
        next = std::min(next,
            std::max(120000.0, 2.0 * double(m_view->pyramid.endMs() - m_view->pyramid.firstMs())));
    const double from = anchor - (anchor - m_fromMs) * next / span;
    setRange(qint64(std::llround(from)), qint64(std::llround(from + next)));
    navigated();
}

void RateChart::panBy(double fractionOfSpan)
{
    const qint64 span = m_toMs - m_fromMs;
    qint64 from = m_fromMs + qint64(std::llround(fractionOfSpan * double(span)));
    if (m_view && !m_view->pyramid.empty()) { // keep some data in sight
        from = std::max(from, m_view->pyramid.firstMs() - span * 3 / 4);
        from = std::min(from, m_view->pyramid.endMs() - span / 4);
    }
    setRange(from, from + span);
    navigated();
}

void RateChart::setEngineSpan(qint64 fromMs, qint64 toMs)
{
    m_engine = true;
    m_engineFromMs = fromMs;
    m_engineToMs = toMs;
    resetZoom();
}

void RateChart::setEngineFrame(SeriesFrame frame)
{
    m_engine = true;
    m_engineFrame = std::move(frame);
    scheduleRedraw();
}

void RateChart::setRange(qint64 fromMs, qint64 toMs)
{
    if (fromMs == m_fromMs && toMs == m_toMs)
        return;
    m_fromMs = fromMs;
    m_toMs = std::max(toMs, fromMs + 1);
    scheduleRedraw();
}

void RateChart::scheduleRedraw()
{
    if (m_redrawPending)
        return;
    m_redrawPending = true;
    QTimer::singleShot(0, this, &RateChart::redrawNow);
}

int RateChart::plotColumns() const
{
    const double plot = m_adapter->plotArea().width();
    return std::max(100, plot > 50 ? int(plot) : width() - 80);
}

void RateChart::redrawNow()
{
    m_redrawPending = false;
    const bool hasData
        = m_engine ? !m_engineFrame.slots.empty() : m_view && !m_view->pyramid.empty();
    m_empty->setVisible(m_engine ? !hasData : !hasData && (!m_view || !m_view->store));
    m_empty->setGeometry(rect());

    FrameRequest req;
    req.fromMs = m_fromMs;
    req.toMs = m_toMs;
    req.bucketMs = m_fixedBucketMs;
    req.columns = plotColumns();
    req.minPixelsPerBucket = kMinPixelsPerBucket;
    req.overLimitMinutes = &m_overMinutes;
    const AxisPyramid *axis = hasData && !m_engine ? m_view->axisPyramid(m_shown) : nullptr;
    if (m_engine) {
        // the engine's last frame, in the range shown (a newer one is on its way after a zoom)
        m_frame = m_engineFrame;
        m_frame.fromMs = m_fromMs;
        m_frame.toMs = m_toMs;
    } else {
        m_frame = buildFrame(hasData ? m_view->pyramid : m_noData, req, axis);
    }
    m_predictedPerSlot = perSlot(m_frame, m_prediction);
    const std::int64_t maxPredicted = m_predictedPerSlot.empty()
        ? 0
        : *std::max_element(m_predictedPerSlot.begin(), m_predictedPerSlot.end());

    const qint64 bucket = m_frame.bucketMs;
    // a count in flight is not a rate: its limit is drawn as it is, at every bucket size
    const double limitY = !m_limit ? 0
        : m_limit->windowS == 0    ? double(m_limit->requests)
                                   : double(m_limit->requests) * double(bucket)
            / (double(m_limit->windowS.value_or(60)) * 1000.0);
    const double serverScale
        = m_serverWindowMs > 0 ? double(bucket) / double(m_serverWindowMs) : 0.0;
    const double top
        = std::max({ double(m_frame.maxValue), limitY, axis ? 0.0 : double(maxPredicted),
            m_frame.maxServerLimit > 0 ? double(m_frame.maxServerLimit) * serverScale : 0.0 });
    ChartFrame f;
    std::tie(f.yMax, f.yTicks) = niceAxis(top * 1.05);
    if (axis) {
        // the 429s on their own scale, in the lower part of the plot under the axis's line
        std::tie(f.y2Max, f.y2Ticks) = niceAxis(
            std::max(1.0, std::max<double>(m_frame.maxRejected, double(maxPredicted)) * 2.5));
        f.y2Title = tr("429s per %1").arg(formatDuration(bucket));
    }
    f.xMin = double(m_frame.fromMs);
    f.xMax = double(m_frame.toMs);
    const std::size_t n = m_frame.slots.size();
    f.requests.reserve(qsizetype(2 * n));
    for (auto &s : f.stacked)
        s.reserve(qsizetype(2 * n));
    f.overLimit.reserve(qsizetype(2 * n));
    double server = -1;
    // the categories' areas only when the range holds one (most logs have none)
    const bool categories = std::any_of(m_frame.slots.begin(), m_frame.slots.end(),
        [](const FrameSlot &s) { return s.throttled != decltype(s.throttled) {}; });
    for (const FrameSlot &slot : m_frame.slots) {
        const double x0 = double(slot.startMs), x1 = double(slot.endMs);
        if (m_frame.decimated) {
            const double mid = (x0 + x1) / 2;
            f.requests << QPointF(mid, double(slot.valueMin))
                       << QPointF(mid, double(slot.valueMax));
        } else {
            appendStep(f.requests, x0, x1, double(slot.valueMax));
        }
        // decimated: one point per pixel column is as sharp as a step, at half the points
        const auto put = [&](QList<QPointF> &line, double v) {
            if (m_frame.decimated)
                appendPoint(line, (x0 + x1) / 2, v);
            else
                appendStep(line, x0, x1, v);
        };
        double cum = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            cum += slot.rejected[k];
            put(f.stacked[k], cum);
        }
        if (categories) {
            const auto count = [&slot](ThrottleCategory c) {
                return double(slot.throttled[std::size_t(categoryIndex(c))]);
            };
            put(f.quotaBase, cum - count(ThrottleCategory::Quota));
            cum += count(ThrottleCategory::Overloaded);
            put(f.throttleTops[0], cum);
            cum += count(ThrottleCategory::HiddenThrottle);
            put(f.throttleTops[1], cum);
        }
        if (!m_prediction.empty())
            put(f.predicted, double(m_predictedPerSlot[std::size_t(&slot - m_frame.slots.data())]));
        appendStep(f.overLimit, x0, x1, slot.overLimit ? f.yMax : 0);
        if (slot.serverLimit >= 0 && serverScale > 0)
            server = double(slot.serverLimit) * serverScale;
        if (server >= 0)
            appendStep(f.serverLimit, x0, x1, server);
    }
    if (limitY > 0)
        f.limit << QPointF(f.xMin, limitY) << QPointF(f.xMax, limitY);
    const int maxTicks = std::max(2, plotColumns() / 110);
    f.ticks = timeTicks(m_frame.fromMs, m_frame.toMs, maxTicks, m_utc);
    f.xTitle = timeAxisTitle(m_frame.fromMs, m_utc);
    f.yTitle = m_shown == LimitAxis::Concurrency
        ? tr("requests in flight (peak per %1)").arg(formatDuration(bucket))
        : tr("%1 per %2").arg(axisNoun(m_shown), formatDuration(bucket));
    m_adapter->show(f);
    Q_EMIT rangeChanged(m_fromMs, m_toMs, bucket);
    Q_EMIT frameDrawn();
}

void RateChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_empty->setGeometry(rect());
    scheduleRedraw();
}

const FrameSlot *RateChart::slotAt(double timeMs) const
{
    const auto &slots = m_frame.slots;
    const auto it = std::upper_bound(slots.begin(), slots.end(), timeMs,
        [](double t, const FrameSlot &s) { return t < double(s.startMs); });
    if (it == slots.begin())
        return nullptr;
    const FrameSlot &s = *(it - 1);
    return timeMs < double(s.endMs) ? &s : nullptr;
}

std::optional<std::size_t> RateChart::lastEventIn(const FrameSlot &slot) const
{
    if (!m_view || !m_view->store)
        return std::nullopt;
    const EventStore &store = *m_view->store;
    const EventSubset &rows = m_view->rows;
    const auto it = std::lower_bound(rows.begin(), rows.end(), slot.endMs,
        [&store](std::uint32_t i, std::int64_t t) { return store.timeMs(i) < t; });
    if (it == rows.begin() || store.timeMs(*(it - 1)) < slot.startMs)
        return std::nullopt;
    return std::size_t(*(it - 1));
}

QString RateChart::remainingText(const FrameSlot &slot) const
{
    // only where the scope's responses report a limit on the axis (none counts in flight)
    if (!m_view || m_view->scopes.size() != 1 || m_view->reportedOn(m_shown).byWindow.empty())
        return QString();
    const std::optional<std::size_t> event = lastEventIn(slot);
    if (!event)
        return QString();
    const RemainingReading *r = m_probe->lookup(m_view->store, *event, m_shown);
    if (!r)
        return tr("<br><i>reading what its last response said it had left…</i>");
    const QString at = formatEventTime(m_view->store->timeMs(*event), m_utc).mid(11, 12);
    if (!r->read)
        return tr("<br><i>its last response (%1) could not be read back: %2</i>")
            .arg(at, r->error.toHtmlEscaped());
    if (!r->remaining)
        return tr("<br>its last response (%1) said nothing of the %2 left")
            .arg(at, axisNoun(m_shown));
    return r->limit ? tr("<br>its last response (%1) said: <b>%2</b> of %3 %4 left")
                          .arg(at, number(*r->remaining), number(*r->limit), axisNoun(m_shown))
                    : tr("<br>its last response (%1) said: <b>%2</b> %3 left")
                          .arg(at, number(*r->remaining), axisNoun(m_shown));
}

void RateChart::remainingRead(const RemainingReading &reading)
{
    // the tooltip of the bucket still hovered waited for this reading: show it again
    if (!m_hover || reading.axis != m_shown)
        return;
    const FrameSlot *slot = slotAt(m_adapter->timeAt(m_hover->first.x()));
    if (!slot || lastEventIn(*slot) != reading.event)
        return;
    QToolTip::showText(m_hover->second, toolTipAt(m_hover->first), m_adapter->viewport());
}

DrillDown RateChart::drillDownAt(QPointF pos) const
{
    DrillDown drill;
    if (!m_adapter->plotArea().contains(pos))
        return drill;
    const FrameSlot *slot = slotAt(m_adapter->timeAt(pos.x()));
    if (!slot || slot->requestsMax == 0)
        return drill;
    drill.active = true;
    drill.fromMs = slot->startMs;
    drill.toMs = slot->endMs;
    // a click inside one source's band of the stack picks that source
    const double y = m_adapter->rejectionsAt(pos.y());
    double cum = 0;
    for (int k = 0; k < 3; ++k) {
        const double next = cum + slot->rejected[std::size_t(k)];
        if (slot->rejected[std::size_t(k)] > 0 && y >= cum && y < next) {
            drill.sources = FilterState::bit(sourceFromIndex(k));
            break;
        }
        cum = next;
    }
    return drill;
}

QString RateChart::toolTipAt(QPointF pos) const
{
    if (!m_adapter->plotArea().contains(pos))
        return QString();
    const FrameSlot *slot = slotAt(m_adapter->timeAt(pos.x()));
    if (!slot)
        return QString();
    QString html = QStringLiteral("<b>%1 – %2</b>")
                       .arg(formatEventTime(slot->startMs, m_utc).left(19),
                           formatEventTime(slot->endMs, m_utc).mid(11, 8));
    if (m_shown != LimitAxis::Requests) {
        const QString noun = axisNoun(m_shown);
        html += m_frame.decimated ? tr("<br>%1 per %2: %3–%4")
                                        .arg(noun, formatDuration(m_frame.bucketMs),
                                            number(slot->valueMin), number(slot->valueMax))
            : m_shown == LimitAxis::Concurrency
            ? tr("<br>%1 (peak): <b>%2</b>").arg(noun, number(slot->valueMax))
            : tr("<br>%1: <b>%2</b>").arg(noun, number(slot->valueMax));
        if (slot->known < slot->counted)
            html += (m_shown == LimitAxis::Concurrency
                    ? tr("<br><i>%1 of %2 requests starting here have no duration</i>")
                    : tr("<br><i>%1 of %2 requests here reported no usage: not counted</i>"))
                        .arg(number(slot->counted - slot->known), number(slot->counted));
    }
    if (m_frame.decimated)
        html += tr("<br>requests per %1: %2–%3")
                    .arg(formatDuration(m_frame.bucketMs))
                    .arg(slot->requestsMin)
                    .arg(slot->requestsMax);
    else
        html += tr("<br>requests: <b>%1</b>").arg(slot->requestsMax);
    for (int k = 0; k < 3; ++k) {
        const RejectionSource s = sourceFromIndex(k);
        html += QStringLiteral("<br>%1 %2: <b>%3</b>")
                    .arg(sourceSwatch(s), SourcePalette::label(s))
                    .arg(slot->rejected[std::size_t(k)]);
    }
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        const ThrottleCategory c = categoryFromIndex(k);
        if (const std::uint32_t n = slot->throttled[std::size_t(k)])
            html += QStringLiteral("<br><span style='color:%1'>&#9640;</span> %2: <b>%3</b>")
                        .arg(SourcePalette::categoryColor(c, m_dark).name(),
                            SourcePalette::categoryLabel(c))
                        .arg(n);
    }
    if (!m_prediction.empty()) {
        const auto k = std::size_t(slot - m_frame.slots.data());
        html += tr("<br><span style='color:%1'>&#9638;</span> what if: <b>%2</b> refused")
                    .arg(SourcePalette::color(RejectionSource::RateLimited).name())
                    .arg(k < m_predictedPerSlot.size() ? m_predictedPerSlot[k] : 0);
    }
    if (slot->serverLimit >= 0)
        html += tr("<br>server-reported limit: %1 %2%3")
                    .arg(number(slot->serverLimit), axisNoun(m_shown),
                        m_serverWindowMs > 0
                            ? QStringLiteral(" / %1").arg(formatDuration(m_serverWindowMs))
                            : QString());
    html += remainingText(*slot);
    if (slot->overLimit)
        html += tr("<br><b>over the limit of %1</b>")
                    .arg(m_limit ? limitReadingText(*m_limit) : QString());
    if (slot->requestsMax > 0)
        html += tr("<br><i>click: show these records</i>");
    return html;
}
