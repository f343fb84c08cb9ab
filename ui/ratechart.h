#pragma once

#include "export/summary.h"
#include "model/filteredview.h"
#include "model/filterstate.h"
#include "model/seriesframe.h"

#include <QWidget>

#include <memory>
#include <optional>

class ChartAdapter;
class RemainingProbe;
struct RemainingReading;
class ChartInteraction;
class QLabel;

// The rate chart panel: requests per bucket, the limits, the 429s stacked by source, over-
// limit buckets marked. Owns the zoom (visible range) and the bucket size, builds one frame
// per redraw from the filtered view's bucket pyramid and hands it to the ChartAdapter.
class RateChart : public QWidget
{
    Q_OBJECT
public:
    explicit RateChart(QWidget *parent = nullptr);
    ~RateChart() override;

    void setView(std::shared_ptr<const FilteredView> view);
    // The configured limits, per API scope (limits.md §1). A view of one scope draws that
    // scope's limit, scaled to the bucket size, and bands the minutes over it (for a window
    // other than a minute, over its per-minute rate); with the limit its responses reported
    // dashed, when they name one window. A view of several scopes draws no limit and says why.
    void setLimits(std::vector<LimitEntry> limits);
    void setLimit(std::optional<LimitSpec> limit); // one limit for every scope
    // The axis to draw (limits.md §2): requests, tokens (total, input, output) or requests in
    // flight, with that axis's limits. A view with no value on it draws requests.
    void setAxis(LimitAxis axis);
    LimitAxis axis() const { return m_axis; }
    LimitAxis shownAxis() const { return m_shown; } // the axis drawn
    // The axes the view has values on, requests first; input and output tokens only where the
    // scope has a limit on them (configured or reported), as Anthropic's.
    std::vector<LimitAxis> availableAxes() const;
    // What an axis counts, as the chart says it: "requests", "tokens", "requests in flight".
    static QString axisNoun(LimitAxis axis);
    // The limit drawn (nullopt: none) and what the chart says about its limit lines.
    std::optional<LimitSpec> drawnLimit() const { return m_limit; }
    std::optional<qint64> drawnServerWindowS() const;
    QString limitNote() const;
    void setUtc(bool utc);
    void setFixedBucketMs(qint64 bucketMs); // 0: follow the zoom
    void setDark(bool dark);
    void setRequestsAsBars(bool bars);
    // Live: each new view shows the last windowMs up to its newest record (0: off, a new view
    // of new data shows all of it). Zooming or panning then says userNavigated().
    void setFollowWindowMs(qint64 windowMs);
    qint64 followWindowMs() const { return m_followMs; }
    // What the empty chart says (no records yet).
    void setEmptyText(const QString &text);
    // The What-if panel's predicted refusals per second (start, count; sorted), drawn hatched
    // over the 429s; empty: none drawn.
    void setPrediction(std::vector<std::pair<std::int64_t, std::int64_t>> perSecond);
    // A table in an engine (issue 21): the chart draws the frames given here, made from the
    // engine's counts (EngineChartFeed asks for one at each rangeChanged), not a view's.
    // `fromMs`..`toMs` is the table's span (resetZoom shows it).
    void setEngineSpan(qint64 fromMs, qint64 toMs);
    void setEngineFrame(SeriesFrame frame);
    bool engineMode() const { return m_engine; }

    qint64 visibleFromMs() const { return m_fromMs; }
    qint64 visibleToMs() const { return m_toMs; }
    qint64 bucketMs() const { return m_frame.bucketMs; }
    const SeriesFrame &frame() const { return m_frame; }
    ChartAdapter &adapter() { return *m_adapter; }

    // The drill-down a click at a viewport position gives (inactive: no data there).
    DrillDown drillDownAt(QPointF viewportPos) const;
    QString toolTipAt(QPointF viewportPos) const;

public Q_SLOTS:
    void zoomTo(qint64 fromMs, qint64 toMs);
    void zoomBy(double factor, std::optional<double> anchorMs = std::nullopt);
    void zoomIn() { zoomBy(0.5); }
    void zoomOut() { zoomBy(2.0); }
    void panBy(double fractionOfSpan);
    void resetZoom();
    void redrawNow();

Q_SIGNALS:
    void bucketClicked(const DrillDown &drill);
    void rangeChanged(qint64 fromMs, qint64 toMs, qint64 bucketMs);
    void frameDrawn();
    // availableAxes() or shownAxis() changed.
    void axesChanged();
    // The user zoomed or panned while the chart followed live data.
    void userNavigated();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void scheduleRedraw();
    void setRange(qint64 fromMs, qint64 toMs);
    void showNewest();
    void navigated();
    void applyColors();
    int plotColumns() const;
    const FrameSlot *slotAt(double timeMs) const;
    // The view's last event in the slot (rows are sorted by time); nullopt: none.
    std::optional<std::size_t> lastEventIn(const FrameSlot &slot) const;
    // The hover's line about what the slot's last response said it had left on the axis.
    QString remainingText(const FrameSlot &slot) const;
    void remainingRead(const RemainingReading &reading);
    std::vector<std::int64_t> minutesOverLimit() const;
    void resolveLimits();

    std::unique_ptr<ChartAdapter> m_adapter;
    ChartInteraction *m_interaction = nullptr;
    RemainingProbe *m_probe = nullptr;
    std::optional<std::pair<QPointF, QPoint>> m_hover; // viewport and global position
    QLabel *m_empty = nullptr;
    QLabel *m_note = nullptr;
    std::shared_ptr<const FilteredView> m_view;
    std::vector<std::int64_t> m_overMinutes;
    BucketPyramid m_noData;
    SeriesFrame m_frame;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_prediction;
    std::vector<std::int64_t> m_predictedPerSlot; // of m_frame
    qint64 m_fromMs = 0;
    qint64 m_toMs = 60000;
    std::vector<LimitEntry> m_limits;
    std::optional<LimitSpec> m_limit; // of the view's scope on the shown axis
    LimitAxis m_axis = LimitAxis::Requests;
    LimitAxis m_shown = LimitAxis::Requests;
    std::vector<LimitAxis> m_available { LimitAxis::Requests };
    qint64 m_serverWindowMs = 0; // 0: the reported limit is not drawn
    qint64 m_fixedBucketMs = 0;
    qint64 m_followMs = 0;
    bool m_utc = true;
    bool m_dark = false;
    bool m_redrawPending = false;
    bool m_engine = false;
    SeriesFrame m_engineFrame;
    qint64 m_engineFromMs = 0, m_engineToMs = 0;
};
