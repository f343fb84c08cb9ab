#pragma once

#include <QStyledItemDelegate>

// Paints a cell holding a source name as a chip in the source's palette colour.
class SourceDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // sourceRole: the model role giving the RejectionSource as an int.
    SourceDelegate(int sourceRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_sourceRole;
};
