#include "render/chartimage.h"

#include "base/palette.h"
#include "decode/timestamp.h"

#include <QBuffer>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace {
constexpr QRgb kOver = (Palette::kOverLimit & 0xFFFFFF) | 0x40000000; // a translucent band
constexpr QRgb kRequests = 0xFF303030;

double niceStep(double range, int ticks)
{
    const double raw = range / std::max(1, ticks);
    const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
    for (double m : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (m * mag >= raw)
            return m * mag;
    }
    return 10 * mag;
}
} // namespace

QImage renderRateChart(const Summary &s, QSize size)
{
    QImage img(size, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(13);
    p.setFont(font);
    const QFontMetrics fm(font);

    const int left = 60, right = 20, top = 40, bottom = 46;
    const QRect plot(left, top, size.width() - left - right, size.height() - top - bottom);
    p.setPen(QColor(kRequests));
    p.drawText(QRect(left, 8, plot.width(), 24), Qt::AlignLeft | Qt::AlignVCenter,
        QStringLiteral("Requests per minute (UTC) and 429s by source"));

    const std::vector<BucketCounts> minutes = densify(s.minutes, 60000, 200000);
    if (minutes.empty()) {
        p.drawText(plot, Qt::AlignCenter, QStringLiteral("No requests"));
        return img;
    }
    const std::int64_t t0 = minutes.front().startMs, t1 = minutes.back().startMs + 60000;
    std::int64_t maxY = 1;
    for (const BucketCounts &m : minutes)
        maxY = std::max<std::int64_t>(maxY, m.requests);
    const bool perMinuteLimit = s.limit && s.limit->perMinute();
    if (perMinuteLimit)
        maxY = std::max(maxY, s.limit->requests);
    const double step = niceStep(double(maxY) * 1.1, 5);
    const double yMax = std::ceil(double(maxY) * 1.1 / step) * step;
    auto x = [&](std::int64_t t) {
        return plot.left() + double(t - t0) / double(t1 - t0) * plot.width();
    };
    auto y = [&](double v) { return plot.bottom() - v / yMax * plot.height(); };

    // grid and y labels
    p.setPen(QColor(0xE0, 0xE0, 0xE0));
    for (double v = 0; v <= yMax + 1e-9; v += step) {
        p.drawLine(QPointF(plot.left(), y(v)), QPointF(plot.right(), y(v)));
        p.save();
        p.setPen(QColor(0x60, 0x60, 0x60));
        p.drawText(QRectF(0, y(v) - 9, left - 8, 18), Qt::AlignRight | Qt::AlignVCenter,
            QString::number(v, 'g', 6));
        p.restore();
    }
    // x labels: about 8 ticks on whole minutes
    const std::int64_t spanMin = (t1 - t0) / 60000;
    std::int64_t tickMin = 1;
    for (std::int64_t c : { 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080 }) {
        tickMin = c;
        if (spanMin / c <= 8)
            break;
    }
    const bool showDate = t1 - t0 > 86400000
        || QDateTime::fromMSecsSinceEpoch(t0, Qt::UTC).date()
            != QDateTime::fromMSecsSinceEpoch(t1 - 1, Qt::UTC).date();
    p.setPen(QColor(0x60, 0x60, 0x60));
    for (std::int64_t t = floorTo(t0, tickMin * 60000); t <= t1; t += tickMin * 60000) {
        if (t < t0)
            continue;
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
        const QString label
            = dt.toString(showDate ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm"));
        p.drawLine(QPointF(x(t), plot.bottom()), QPointF(x(t), plot.bottom() + 4));
        p.drawText(
            QRectF(x(t) - 50, plot.bottom() + 6, 100, 18), Qt::AlignHCenter | Qt::AlignTop, label);
    }

    const double barW = std::max(1.0, double(plot.width()) / double(minutes.size()));
    // minutes over the limit: a band behind everything
    for (std::int64_t m : s.overLimitMinutes)
        p.fillRect(
            QRectF(x(m), plot.top(), std::max(barW, 2.0), plot.height()), QColor::fromRgba(kOver));
    // stacked 429s per source
    for (const BucketCounts &m : minutes) {
        double base = 0;
        for (int k = 0; k < kRejectionSourceCount; ++k) {
            const std::uint32_t n = m.rejected[std::size_t(k)];
            if (!n)
                continue;
            const QRectF r(
                x(m.startMs), y(base + n), std::max(barW - 0.5, 1.0), y(base) - y(base + n));
            p.fillRect(r, QColor::fromRgb(sourceRgb(sourceFromIndex(k))));
            base += n;
        }
    }
    // requests: one polyline (at most two points per pixel column would be the same picture)
    QPainterPath path;
    for (std::size_t i = 0; i < minutes.size(); ++i) {
        const QPointF pt(x(minutes[i].startMs) + barW / 2, y(minutes[i].requests));
        if (i == 0)
            path.moveTo(pt);
        else
            path.lineTo(pt);
    }
    p.setPen(QPen(QColor(kRequests), 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    // the limit
    if (perMinuteLimit) {
        QPen pen(QColor::fromRgb(Palette::kLimit), 2, Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(plot.left(), y(double(s.limit->requests))),
            QPointF(plot.right(), y(double(s.limit->requests))));
    }
    p.setPen(QColor(0xB0, 0xB0, 0xB0));
    p.drawRect(plot);

    // legend
    struct Item
    {
        QColor c;
        QString text;
        bool line;
    };
    std::vector<Item> items { { QColor(kRequests), QStringLiteral("requests/min"), true } };
    if (perMinuteLimit)
        items.push_back({ QColor::fromRgb(Palette::kLimit),
            QStringLiteral("limit %1/min").arg(s.limit->requests), true });
    for (int k = 0; k < kRejectionSourceCount; ++k)
        items.push_back({ QColor::fromRgb(sourceRgb(sourceFromIndex(k))),
            QString::fromLatin1(sourceName(sourceFromIndex(k)).data())
                + QStringLiteral(" (%1)").arg(s.rejected[std::size_t(k)]),
            false });
    int lx = plot.left();
    const int ly = size.height() - 18;
    for (const Item &it : items) {
        if (it.line) {
            p.setPen(QPen(it.c, 2));
            p.drawLine(lx, ly, lx + 16, ly);
        } else {
            p.fillRect(QRect(lx, ly - 6, 16, 12), it.c);
        }
        p.setPen(QColor(0x30, 0x30, 0x30));
        p.drawText(lx + 22, ly + fm.ascent() / 2 - 1, it.text);
        lx += 22 + fm.horizontalAdvance(it.text) + 22;
    }
    return img;
}

QByteArray chartPng(const Summary &s, QSize size)
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    renderRateChart(s, size).save(&buf, "PNG");
    return bytes;
}
