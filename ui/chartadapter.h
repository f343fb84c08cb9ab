#pragma once

#include "model/timeticks.h"

#include <QBrush>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <array>
#include <memory>
#include <vector>

class QWidget;

struct ChartColors
{
    bool dark = false;
    QColor background;
    QColor text;
    QColor grid;
    QColor requests;
    QColor requestBars; // requests drawn as bars: the fill behind the 429s
    QColor limit;
    QColor serverLimit;
    QColor overLimit; // drawn translucent
    std::array<QColor, 3> sources; // RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED
    // QUOTA, OVERLOADED, HIDDEN_THROTTLE (limits.md §7): hatching, outlined in the colour
    std::array<QBrush, 3> categories;
    std::array<QColor, 3> categoryOutlines;
    QBrush predicted; // the What-if panel's refusals
    QColor predictedOutline;
};

// One redraw, in chart coordinates: x is UTC milliseconds, y is requests per bucket.
struct ChartFrame
{
    double xMin = 0;
    double xMax = 1;
    double yMax = 1;
    int yTicks = 5;
    // Step lines are pairs (start, v), (end, v); equal neighbours are merged into one step.
    QList<QPointF> requests; // step line (decimated: a min/max pair per pixel column)
    std::array<QList<QPointF>, 3> stacked; // cumulative tops: RL, RL+TE, RL+TE+UN
    // The categories of limits.md §7 on the 429s' scale, empty when the range has none. QUOTA
    // rejections are part of the 429s: hatched from quotaBase (the 429s' top less them) to the
    // 429s' top. OVERLOADED and HIDDEN_THROTTLE answers are not rejections: stacked above the
    // 429s, tops cumulative (429s + overloaded, + hidden throttles).
    QList<QPointF> quotaBase;
    std::array<QList<QPointF>, 2> throttleTops;
    // The What-if panel's predicted refusals on the 429s' scale (empty: the panel is off),
    // hatched in the RATE_LIMITED colour over everything but the lines.
    QList<QPointF> predicted;
    QList<QPointF> limit; // the configured limit (empty: none)
    QList<QPointF> serverLimit; // the limit the server reported (empty: none)
    QList<QPointF> overLimit; // band: yMax over buckets over the limit, 0 elsewhere
    // 429s on their own scale at the right (0: on the left one, with the requests): a chart of
    // tokens or of requests in flight still shows where the rejections are.
    double y2Max = 0;
    int y2Ticks = 5;
    QString y2Title;
    std::vector<TimeTick> ticks;
    QString xTitle;
    QString yTitle;
};

// The only class that touches Qt Charts (deprecated from Qt 6.10 in favour of Qt Graphs):
// swapping the chart library means rewriting this file only. Every series is fed with one
// replace() per redraw, never point by point.
class ChartAdapter
{
public:
    enum class SeriesId {
        Requests,
        RequestBars, // empty unless requests are drawn as bars
        RateLimited,
        ToolError,
        Unclassified,
        Limit,
        ServerLimit,
        OverLimit,
        // the hatched categories: QUOTA's base (its top is Unclassified's), OVERLOADED's and
        // HIDDEN_THROTTLE's cumulative tops
        QuotaBase,
        Overloaded,
        HiddenThrottle,
        Predicted // the What-if panel's refusals
    };

    explicit ChartAdapter(QWidget *parent);
    ~ChartAdapter();
    ChartAdapter(const ChartAdapter &) = delete;
    ChartAdapter &operator=(const ChartAdapter &) = delete;

    QWidget *widget() const; // the chart view, to place in a layout
    QWidget *viewport() const; // where mouse events arrive

    void setColors(const ChartColors &colors);
    // Requests as bars (filled to 0, behind the 429s) or as a line only.
    void setRequestsAsBars(bool bars);
    bool requestsAsBars() const;
    void show(const ChartFrame &frame);

    QRectF plotArea() const; // in viewport coordinates
    double timeAt(double viewportX) const;
    double valueAt(double viewportY) const;
    double rejectionsAt(double viewportY) const; // on the 429s' own scale when they have one
    double xPosition(double timeMs) const; // viewport x of a time
    double yPosition(double value) const; // viewport y of a value

    // What a series holds now, in chart coordinates (tests compare it with the counts).
    // Stacked sources give the cumulative top of their area.
    QList<QPointF> points(SeriesId id) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};
