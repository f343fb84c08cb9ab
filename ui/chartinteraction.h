#pragma once

#include <QObject>
#include <QPoint>
#include <QPointF>

class QRubberBand;
class QWidget;

// Mouse gestures on the chart, turned into requests in pixels: wheel to zoom, drag to pan,
// Shift+drag or right-drag to select a range, click, double-click, hover. No chart code here.
class ChartInteraction : public QObject
{
    Q_OBJECT
public:
    explicit ChartInteraction(QWidget *viewport, QObject *parent = nullptr);

Q_SIGNALS:
    void zoomRequested(double anchorX, double factor); // factor < 1 zooms in
    void panRequested(double deltaX); // pixels the content moved (right is positive)
    void rangeSelected(double x1, double x2);
    void clicked(QPointF pos);
    void doubleClicked();
    void hovered(QPointF pos, QPoint globalPos);
    void left();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Drag { None, Pending, Pan, Select };

    QWidget *m_viewport;
    QRubberBand *m_band = nullptr;
    Drag m_drag = Drag::None;
    bool m_select = false; // the press asked for a range selection
    QPoint m_pressPos;
    QPoint m_lastPos;
};
