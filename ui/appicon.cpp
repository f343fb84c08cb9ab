#include "appicon.h"

#include "base/palette.h"
#include "sourcepalette.h"

#include <QPainter>
#include <QPainterPath>

QImage appIconImage(int size)
{
    QImage pm(size, size, QImage::Format_ARGB32_Premultiplied);
    pm.fill(Qt::transparent);
    {
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 64.0, size / 64.0);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x22, 0x2A, 0x35));
        p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
        const struct
        {
            double x, h;
            QRgb c;
        } bars[]
            = { { 12, 18, 0xFFBFC7D1 }, { 22, 28, 0xFFBFC7D1 }, { 32, 40, Palette::kRateLimited },
                  { 42, 32, Palette::kToolError }, { 52, 14, 0xFFBFC7D1 } };
        for (const auto &b : bars) {
            p.setBrush(QColor::fromRgba(b.c));
            p.drawRect(QRectF(b.x - 4, 54 - b.h, 8, b.h));
        }
        p.setPen(QPen(QColor::fromRgba(Palette::kLimit), 3));
        p.drawLine(QPointF(8, 26), QPointF(56, 26));
    }
    return pm;
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : { 16, 32, 48, 64, 128, 256 })
        icon.addPixmap(QPixmap::fromImage(appIconImage(size)));
    return icon;
}
