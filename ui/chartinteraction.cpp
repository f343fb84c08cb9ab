#include "chartinteraction.h"

#include <QMouseEvent>
#include <QRubberBand>
#include <QWheelEvent>
#include <QWidget>

#include <cmath>

namespace {
constexpr int kClickSlop = 4; // pixels a click may move and stay a click
}

ChartInteraction::ChartInteraction(QWidget *viewport, QObject *parent)
    : QObject(parent)
    , m_viewport(viewport)
{
    m_viewport->installEventFilter(this);
    m_viewport->setMouseTracking(true);
}

bool ChartInteraction::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_viewport)
        return false;
    switch (event->type()) {
    case QEvent::Wheel: {
        auto *e = static_cast<QWheelEvent *>(event);
        const double steps = e->angleDelta().y() / 120.0;
        if (steps != 0)
            Q_EMIT zoomRequested(e->position().x(), std::pow(0.8, steps));
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() != Qt::LeftButton && e->button() != Qt::RightButton)
            return false;
        m_drag = Drag::Pending;
        m_select = e->button() == Qt::RightButton || (e->modifiers() & Qt::ShiftModifier);
        m_pressPos = m_lastPos = e->position().toPoint();
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        const QPoint pos = e->position().toPoint();
        if (m_drag == Drag::None) {
            Q_EMIT hovered(e->position(), e->globalPosition().toPoint());
            return false;
        }
        if (m_drag == Drag::Pending && (pos - m_pressPos).manhattanLength() > kClickSlop)
            m_drag = m_select ? Drag::Select : Drag::Pan;
        if (m_drag == Drag::Pan) {
            Q_EMIT panRequested(pos.x() - m_lastPos.x());
        } else if (m_drag == Drag::Select) {
            if (!m_band)
                m_band = new QRubberBand(QRubberBand::Rectangle, m_viewport);
            const int x1 = std::min(pos.x(), m_pressPos.x()),
                      x2 = std::max(pos.x(), m_pressPos.x());
            m_band->setGeometry(QRect(QPoint(x1, 0), QPoint(x2, m_viewport->height() - 1)));
            m_band->show();
        }
        m_lastPos = pos;
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        const Drag drag = m_drag;
        m_drag = Drag::None;
        if (m_band)
            m_band->hide();
        if (drag == Drag::Pending && e->button() == Qt::LeftButton && !m_select)
            Q_EMIT clicked(e->position());
        else if (drag == Drag::Select)
            Q_EMIT rangeSelected(m_pressPos.x(), e->position().x());
        return drag != Drag::None;
    }
    case QEvent::MouseButtonDblClick:
        m_drag = Drag::None;
        Q_EMIT doubleClicked();
        return true;
    case QEvent::Leave:
        Q_EMIT left();
        return false;
    default:
        return false;
    }
}
