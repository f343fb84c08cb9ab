#include "sourcedelegate.h"

#include "sourcepalette.h"

#include <QApplication>
#include <QPainter>

SourceDelegate::SourceDelegate(int sourceRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_sourceRole(sourceRole)
{
}

void SourceDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const RejectionSource source = RejectionSource(index.data(m_sourceRole).toInt());
    if (source == RejectionSource::None) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // selection, focus
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(opt.font);
    const QRect r = opt.rect.adjusted(3, 2, -3, -2);
    const int w = std::min(r.width(), fm.horizontalAdvance(text) + 12);
    const QRect chip(r.left(), r.top(), w, r.height());
    painter->setPen(Qt::NoPen);
    painter->setBrush(SourcePalette::color(source));
    painter->drawRoundedRect(chip, 4, 4);
    painter->setPen(SourcePalette::textOn(source));
    painter->drawText(chip, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, chip.width() - 6));
    painter->restore();
}

QSize SourceDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.rwidth() += 14;
    return s;
}
