#include "chartadapter.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QLocale>

#include <cmath>

// Both axes keep the fixed range [0, 1]: the series hold points normalised to the visible
// range, and the tick labels are categories placed where they belong. Zooming therefore
// never changes an axis range (which would make Qt Charts lay out every series twice per
// redraw: once for the range, once for the new points), only the points and the labels.
struct ChartAdapter::Impl
{
    QChart *chart = nullptr;
    QChartView *view = nullptr;
    QCategoryAxis *xAxis = nullptr;
    QCategoryAxis *yAxis = nullptr;
    QCategoryAxis *y2Axis = nullptr; // the 429s' own scale, shown on other axes than requests
    QLineSeries *requests = nullptr;
    QLineSeries *barTop = nullptr; // the same steps as requests, filled: bars
    QAreaSeries *bars = nullptr;
    QLineSeries *limit = nullptr;
    QLineSeries *serverLimit = nullptr;
    QLineSeries *overTop = nullptr;
    QAreaSeries *overArea = nullptr;
    // Areas from y = 0, opaque, drawn back to front (the total first, RATE_LIMITED last):
    // the same picture as stacked bands, with half the points.
    std::array<QLineSeries *, 3> stackTop {};
    std::array<QAreaSeries *, 3> stackArea {};
    // the categories: each area between a lower and an upper line (a series is a child of one
    // area only, so the 429s' top is copied into the lines that need it)
    std::array<QLineSeries *, 3> categoryLower {}, categoryUpper {};
    std::array<QAreaSeries *, 3> categoryArea {};
    QLineSeries *predictedTop = nullptr;
    QAreaSeries *predictedArea = nullptr;
    QList<QPair<QString, double>> xTicks, yTicks, y2Ticks; // labels as shown, positions
    double xMin = 0, xSpan = 1, yMax = 1;
    double y2Max = 0; // 0: the 429s share yMax

    void attach(QAbstractSeries *s)
    {
        chart->addSeries(s);
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }

    static void setCategories(QCategoryAxis *axis, QList<QPair<QString, double>> &current,
        const QList<QPair<QString, double>> &next)
    {
        if (next == current)
            return;
        current = next;
        for (const QString &label : axis->categoriesLabels())
            axis->remove(label);
        for (const auto &[label, pos] : next)
            axis->append(label, pos);
    }

    QList<QPointF> normalised(const QList<QPointF> &points, double top = 0) const
    {
        top = top > 0 ? top : yMax;
        QList<QPointF> out;
        out.reserve(points.size());
        for (const QPointF &p : points)
            out.append(QPointF((p.x() - xMin) / xSpan, p.y() / top));
        return out;
    }

    QList<QPointF> original(const QList<QPointF> &points, double top = 0) const
    {
        top = top > 0 ? top : yMax;
        QList<QPointF> out;
        out.reserve(points.size());
        for (const QPointF &p : points)
            out.append(QPointF(std::round(p.x() * xSpan + xMin), p.y() * top));
        return out;
    }

    static QList<QPair<QString, double>> valueTicks(double top, int ticks)
    {
        QList<QPair<QString, double>> out;
        const int steps = std::max(1, ticks - 1);
        for (int k = 0; k <= steps; ++k) {
            const double v = top * k / steps;
            out.append(
                { QLocale().toString(v, 'f', v == std::round(v) ? 0 : 1), double(k) / steps });
        }
        return out;
    }
};

ChartAdapter::ChartAdapter(QWidget *parent)
    : d(std::make_unique<Impl>())
{
    d->chart = new QChart();
    d->chart->legend()->hide();
    d->chart->setBackgroundRoundness(0);
    d->chart->setMargins(QMargins(6, 6, 10, 2));
    d->chart->layout()->setContentsMargins(0, 0, 0, 0);
    d->chart->setAnimationOptions(QChart::NoAnimation);

    d->xAxis = new QCategoryAxis();
    d->yAxis = new QCategoryAxis();
    d->y2Axis = new QCategoryAxis();
    for (QCategoryAxis *axis : { d->xAxis, d->yAxis, d->y2Axis }) {
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        axis->setRange(0, 1);
        axis->setStartValue(0);
    }
    d->chart->addAxis(d->xAxis, Qt::AlignBottom);
    d->chart->addAxis(d->yAxis, Qt::AlignLeft);
    d->chart->addAxis(d->y2Axis, Qt::AlignRight);
    d->y2Axis->setGridLineVisible(false);
    d->y2Axis->setVisible(false);

    // back to front: over-limit band, 429 areas, requests, limits
    d->overTop = new QLineSeries();
    d->overArea = new QAreaSeries(d->overTop);
    d->attach(d->overArea);
    d->barTop = new QLineSeries();
    d->bars = new QAreaSeries(d->barTop);
    d->attach(d->bars);
    d->bars->setVisible(false);
    for (std::size_t k = 3; k-- > 0;) {
        d->stackTop[k] = new QLineSeries();
        d->stackArea[k] = new QAreaSeries(d->stackTop[k]);
        d->attach(d->stackArea[k]);
    }
    for (std::size_t k = 0; k < 3; ++k) {
        d->categoryLower[k] = new QLineSeries();
        d->categoryUpper[k] = new QLineSeries();
        d->categoryArea[k] = new QAreaSeries(d->categoryUpper[k], d->categoryLower[k]);
        d->attach(d->categoryArea[k]);
    }
    d->predictedTop = new QLineSeries();
    d->predictedArea = new QAreaSeries(d->predictedTop);
    d->attach(d->predictedArea);
    d->requests = new QLineSeries();
    d->attach(d->requests);
    d->serverLimit = new QLineSeries();
    d->attach(d->serverLimit);
    d->limit = new QLineSeries();
    d->attach(d->limit);

    d->view = new QChartView(d->chart, parent);
    // Every line is horizontal or vertical (steps, min/max strokes): antialiasing would
    // cost a third of a redraw and change nothing visible.
    d->view->setRenderHint(QPainter::Antialiasing, false);
    d->view->setRubberBand(QChartView::NoRubberBand);
    d->view->setMouseTracking(true);
    d->view->viewport()->setMouseTracking(true);
    d->view->setFrameShape(QFrame::NoFrame);
}

ChartAdapter::~ChartAdapter() = default;

QWidget *ChartAdapter::widget() const { return d->view; }

QWidget *ChartAdapter::viewport() const { return d->view->viewport(); }

void ChartAdapter::setColors(const ChartColors &c)
{
    d->chart->setBackgroundBrush(c.background);
    d->chart->setPlotAreaBackgroundVisible(false);
    d->view->setBackgroundBrush(c.background);
    for (QCategoryAxis *axis : { d->xAxis, d->yAxis, d->y2Axis }) {
        axis->setLabelsColor(c.text);
        axis->setTitleBrush(c.text);
        axis->setLinePenColor(c.grid);
        axis->setGridLineColor(c.grid);
    }
    QColor band = c.overLimit;
    band.setAlpha(c.dark ? 60 : 110);
    d->overArea->setBrush(band);
    d->overArea->setPen(Qt::NoPen);
    for (std::size_t k = 0; k < 3; ++k) {
        d->stackArea[k]->setBrush(c.sources[k]); // opaque: the palette colour itself
        d->stackArea[k]->setPen(Qt::NoPen);
    }
    for (std::size_t k = 0; k < 3; ++k) {
        d->categoryArea[k]->setBrush(c.categories[k]);
        d->categoryArea[k]->setPen(QPen(c.categoryOutlines[k], 1));
    }
    d->predictedArea->setBrush(c.predicted);
    d->predictedArea->setPen(QPen(c.predictedOutline, 1.5));
    d->requests->setPen(QPen(c.requests, 1.5));
    d->bars->setBrush(c.requestBars);
    d->bars->setPen(Qt::NoPen);
    d->limit->setPen(QPen(c.limit, 2));
    QPen dashed(c.serverLimit, 2);
    dashed.setStyle(Qt::DashLine);
    d->serverLimit->setPen(dashed);
}

void ChartAdapter::show(const ChartFrame &f)
{
    d->xMin = f.xMin;
    d->xSpan = std::max(1.0, f.xMax - f.xMin);
    d->yMax = std::max(1e-9, f.yMax);
    QList<QPair<QString, double>> xTicks, yTicks;
    QStringList used;
    for (const TimeTick &t : f.ticks) {
        QString label = t.label;
        label.replace(QLatin1Char('\n'), QLatin1String("<br>"));
        while (used.contains(label)) // category labels are keys: repeats get zero-width spaces
            label += QChar(0x200B);
        used << label;
        xTicks.append({ label, (double(t.ms) - d->xMin) / d->xSpan });
    }
    yTicks = Impl::valueTicks(f.yMax, f.yTicks);
    Impl::setCategories(d->xAxis, d->xTicks, xTicks);
    Impl::setCategories(d->yAxis, d->yTicks, yTicks);
    d->y2Max = f.y2Max;
    if (d->y2Axis->isVisible() != (f.y2Max > 0))
        d->y2Axis->setVisible(f.y2Max > 0);
    if (f.y2Max > 0) {
        Impl::setCategories(d->y2Axis, d->y2Ticks, Impl::valueTicks(f.y2Max, f.y2Ticks));
        if (d->y2Axis->titleText() != f.y2Title)
            d->y2Axis->setTitleText(f.y2Title);
    }
    if (d->xAxis->titleText() != f.xTitle)
        d->xAxis->setTitleText(f.xTitle);
    if (d->yAxis->titleText() != f.yTitle)
        d->yAxis->setTitleText(f.yTitle);
    d->overTop->replace(d->normalised(f.overLimit));
    for (std::size_t k = 0; k < 3; ++k)
        d->stackTop[k]->replace(d->normalised(f.stacked[k], d->y2Max));
    // QUOTA: [base, 429s]; OVERLOADED: [429s, top 0]; HIDDEN_THROTTLE: [top 0, top 1]
    const bool categories = !f.quotaBase.isEmpty() || !f.throttleTops[0].isEmpty();
    const QList<QPointF> none, rejections = categories ? d->stackTop[2]->points() : none;
    const QList<QPointF> tops0 = d->normalised(f.throttleTops[0], d->y2Max);
    d->categoryLower[0]->replace(
        f.quotaBase.isEmpty() ? none : d->normalised(f.quotaBase, d->y2Max));
    d->categoryUpper[0]->replace(f.quotaBase.isEmpty() ? none : rejections);
    d->categoryLower[1]->replace(tops0.isEmpty() ? none : rejections);
    d->categoryUpper[1]->replace(tops0);
    d->categoryLower[2]->replace(tops0);
    d->categoryUpper[2]->replace(
        tops0.isEmpty() ? none : d->normalised(f.throttleTops[1], d->y2Max));
    d->predictedTop->replace(d->normalised(f.predicted, d->y2Max));
    const QList<QPointF> requests = d->normalised(f.requests);
    d->requests->replace(requests);
    d->barTop->replace(d->bars->isVisible() ? requests : QList<QPointF>());
    d->limit->replace(d->normalised(f.limit));
    d->serverLimit->replace(d->normalised(f.serverLimit));
}

void ChartAdapter::setRequestsAsBars(bool bars)
{
    if (bars == d->bars->isVisible())
        return;
    d->bars->setVisible(bars);
    d->barTop->replace(bars ? d->requests->points() : QList<QPointF>());
}

bool ChartAdapter::requestsAsBars() const { return d->bars->isVisible(); }

QRectF ChartAdapter::plotArea() const
{
    const QRectF area = d->chart->plotArea();
    const QPointF tl = d->view->mapFromScene(d->chart->mapToScene(area.topLeft()));
    const QPointF br = d->view->mapFromScene(d->chart->mapToScene(area.bottomRight()));
    return QRectF(tl, br);
}

double ChartAdapter::timeAt(double viewportX) const
{
    const QRectF area = plotArea();
    if (area.width() <= 0)
        return d->xMin;
    return d->xMin + (viewportX - area.left()) / area.width() * d->xSpan;
}

double ChartAdapter::valueAt(double viewportY) const
{
    const QRectF area = plotArea();
    if (area.height() <= 0)
        return 0;
    return (area.bottom() - viewportY) / area.height() * d->yMax;
}

double ChartAdapter::rejectionsAt(double viewportY) const
{
    return d->y2Max > 0 ? valueAt(viewportY) / d->yMax * d->y2Max : valueAt(viewportY);
}

double ChartAdapter::xPosition(double timeMs) const
{
    const QRectF area = plotArea();
    return area.left() + (timeMs - d->xMin) / d->xSpan * area.width();
}

double ChartAdapter::yPosition(double value) const
{
    const QRectF area = plotArea();
    return area.bottom() - value / d->yMax * area.height();
}

QList<QPointF> ChartAdapter::points(SeriesId id) const
{
    switch (id) {
    case SeriesId::Requests:
        return d->original(d->requests->points());
    case SeriesId::RequestBars:
        return d->original(d->barTop->points());
    case SeriesId::RateLimited:
        return d->original(d->stackTop[0]->points(), d->y2Max);
    case SeriesId::ToolError:
        return d->original(d->stackTop[1]->points(), d->y2Max);
    case SeriesId::Unclassified:
        return d->original(d->stackTop[2]->points(), d->y2Max);
    case SeriesId::Limit:
        return d->original(d->limit->points());
    case SeriesId::ServerLimit:
        return d->original(d->serverLimit->points());
    case SeriesId::OverLimit:
        return d->original(d->overTop->points());
    case SeriesId::QuotaBase:
        return d->original(d->categoryLower[0]->points(), d->y2Max);
    case SeriesId::Overloaded:
        return d->original(d->categoryUpper[1]->points(), d->y2Max);
    case SeriesId::HiddenThrottle:
        return d->original(d->categoryUpper[2]->points(), d->y2Max);
    case SeriesId::Predicted:
        return d->original(d->predictedTop->points(), d->y2Max);
    }
    return {};
}
