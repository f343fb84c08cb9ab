#include "legendbar.h"

#include "base/palette.h"
#include "sourcepalette.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

namespace {

enum class Swatch { Box, Line, Dashed, Band };

QIcon swatchIcon(const QColor &color, Swatch kind, bool enabled)
{
    QPixmap pm(22, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    QColor c = color;
    if (!enabled)
        c.setAlpha(60);
    switch (kind) {
    case Swatch::Box:
        p.fillRect(QRectF(2, 1, 18, 12), c);
        break;
    case Swatch::Line:
        p.setPen(QPen(c, 2.2));
        p.drawLine(QPointF(2, 7), QPointF(20, 7));
        break;
    case Swatch::Dashed: {
        QPen pen(c, 2);
        pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(2, 7), QPointF(20, 7));
        break;
    }
    case Swatch::Band:
        c.setAlpha(150);
        p.fillRect(QRectF(2, 0, 18, 14), c);
        break;
    }
    return QIcon(pm);
}

QIcon hatchIcon(ThrottleCategory category, bool dark)
{
    QPixmap pm(22, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    const QRectF box(2.5, 1.5, 17, 11);
    if (category == ThrottleCategory::Quota) // over a rejection's colour
        p.fillRect(box, SourcePalette::color(RejectionSource::RateLimited));
    p.fillRect(box, SourcePalette::categoryBrush(category, dark));
    p.setPen(QPen(SourcePalette::categoryColor(category, dark), 1));
    p.drawRect(box);
    return QIcon(pm);
}

} // namespace

LegendBar::LegendBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->setSpacing(2);
    const std::array<RejectionSource, 4> order { RejectionSource::RateLimited,
        RejectionSource::ToolError, RejectionSource::Unclassified, RejectionSource::None };
    const std::array<QString, 4> keys { QStringLiteral("Ctrl+1"), QStringLiteral("Ctrl+2"),
        QStringLiteral("Ctrl+3"), QStringLiteral("Ctrl+4") };
    for (std::size_t i = 0; i < order.size(); ++i) {
        const RejectionSource s = order[i];
        auto *b = new QToolButton(this);
        b->setCheckable(true);
        b->setChecked(true);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setIconSize(QSize(22, 14));
        b->setText(s == RejectionSource::None ? tr("other requests") : SourcePalette::label(s));
        b->setToolTip(
            tr("Show or hide %1 in chart, table and incidents (%2)").arg(b->text(), keys[i]));
        b->setShortcut(QKeySequence(keys[i]));
        b->setObjectName(QStringLiteral("legend-%1").arg(int(s)));
        connect(b, &QToolButton::toggled, this, [this, s](bool on) {
            updateIcons();
            Q_EMIT sourceToggled(s, on);
        });
        m_sources[std::size_t(s)] = b;
        layout->addWidget(b);
    }
    // the categories of limits.md §7: shown only when the view holds one
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        const ThrottleCategory c = categoryFromIndex(k);
        auto *label = new QToolButton(this);
        label->setAutoRaise(true);
        label->setFocusPolicy(Qt::NoFocus);
        label->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        label->setIconSize(QSize(22, 14));
        label->setObjectName(QStringLiteral("legend-category-%1").arg(k));
        label->setToolTip(c == ThrottleCategory::Quota
                ? tr("QUOTA: 429s that said the account ran out of quota or credit. They are "
                     "rejections, hatched over their source's colour")
                : c == ThrottleCategory::Overloaded
                ? tr("OVERLOADED: the service said it was overloaded (529, 503). Not your limit "
                     "and not a rejection: stacked above the 429s")
                : tr("HIDDEN_THROTTLE: a rate limit behind another status (a gateway's 502 or "
                     "503 over a 429, Cloudflare's 1015). Not counted as a rejection: stacked "
                     "above the 429s"));
        label->hide();
        m_categories[std::size_t(k)] = label;
        layout->addWidget(label);
    }
    layout->addSpacing(10);
    const struct
    {
        QString text;
        QColor color;
        Swatch kind;
        QString tip;
    } lines[] = {
        { tr("requests"), SourcePalette::requestsColor(false), Swatch::Line,
            tr("Requests per bucket (every outcome)") },
        { tr("limit"), QColor::fromRgba(Palette::kLimit), Swatch::Line,
            tr("The configured limit (toolbar), scaled to the bucket size") },
        { tr("server limit"), QColor::fromRgba(Palette::kServerLimit), Swatch::Dashed,
            tr("The request limit the responses reported in their headers") },
        { tr("over limit"), QColor::fromRgba(Palette::kOverLimit), Swatch::Band,
            tr("Buckets overlapping a minute with more requests than the limit") },
    };
    for (const auto &l : lines) {
        auto *label = new QToolButton(this);
        label->setAutoRaise(true);
        label->setEnabled(true);
        label->setFocusPolicy(Qt::NoFocus);
        label->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        label->setIconSize(QSize(22, 14));
        label->setIcon(swatchIcon(l.color, l.kind, true));
        label->setText(l.text);
        label->setToolTip(l.tip);
        label->setProperty("swatchKind", int(l.kind));
        label->setProperty("swatchColor", l.color);
        m_lineEntries << label;
        layout->addWidget(label);
    }
    layout->addStretch(1);
    updateIcons();
}

void LegendBar::setValueLabel(const QString &noun)
{
    auto *line = static_cast<QToolButton *>(m_lineEntries.front());
    line->setText(noun);
    line->setToolTip(tr("%1 per bucket (every outcome)").arg(noun));
    m_lineEntries[2]->setToolTip(
        tr("The limit of %1 the responses reported in their headers").arg(noun));
    m_lineEntries[3]->setToolTip(
        tr("Buckets overlapping a minute with more %1 than the limit").arg(noun));
}

QToolButton *LegendBar::sourceButton(RejectionSource source) const
{
    return m_sources[std::size_t(source)];
}

void LegendBar::setFilter(const FilterState &state)
{
    for (int s = 0; s < 4; ++s) {
        QToolButton *b = m_sources[std::size_t(s)];
        const QSignalBlocker block(b);
        b->setChecked(state.sourceEnabled(RejectionSource(s)));
    }
    updateIcons();
}

void LegendBar::setCounts(const FilteredView &view)
{
    for (int k = 0; k < 3; ++k) {
        const RejectionSource s = sourceFromIndex(k);
        m_sources[std::size_t(s)]->setText(QStringLiteral("%1  %2")
                                               .arg(SourcePalette::label(s))
                                               .arg(view.rejected[std::size_t(k)]));
    }
    m_sources[0]->setText(tr("other requests  %1").arg(view.requests() - view.rejectedTotal()));
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        QToolButton *b = m_categories[std::size_t(k)];
        const qint64 n = view.throttled[std::size_t(k)];
        b->setText(QStringLiteral("%1  %2").arg(categoryName(categoryFromIndex(k)).data()).arg(n));
        b->setVisible(n > 0);
    }
}

QToolButton *LegendBar::categoryEntry(ThrottleCategory category) const
{
    return m_categories[std::size_t(categoryIndex(category))];
}

void LegendBar::setDark(bool dark)
{
    m_dark = dark;
    updateIcons();
}

void LegendBar::updateIcons()
{
    for (int s = 0; s < 4; ++s) {
        QToolButton *b = m_sources[std::size_t(s)];
        const QColor c = s == 0 ? SourcePalette::requestsColor(m_dark)
                                : SourcePalette::color(RejectionSource(s));
        b->setIcon(swatchIcon(c, s == 0 ? Swatch::Line : Swatch::Box, b->isChecked()));
    }
    for (int k = 0; k < kThrottleCategoryCount; ++k)
        m_categories[std::size_t(k)]->setIcon(hatchIcon(categoryFromIndex(k), m_dark));
    if (!m_lineEntries.isEmpty()) {
        auto *requests = static_cast<QToolButton *>(m_lineEntries.front());
        requests->setIcon(swatchIcon(SourcePalette::requestsColor(m_dark), Swatch::Line, true));
    }
}
