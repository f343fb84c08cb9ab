#include "model/tablecopy.h"

#include <QAbstractItemModel>

#include <algorithm>

QString tableCopyText(const QAbstractItemModel &model, QModelIndexList indexes)
{
    std::sort(indexes.begin(), indexes.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    QString out;
    int row = -1;
    for (const QModelIndex &index : indexes) {
        if (index.model() != &model)
            continue;
        if (row >= 0)
            out += index.row() == row ? QLatin1Char('\t') : QLatin1Char('\n');
        row = index.row();
        out += model.data(index, Qt::DisplayRole).toString();
    }
    return out;
}
