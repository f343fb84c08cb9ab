#pragma once

#include <QModelIndexList>
#include <QString>

class QAbstractItemModel;

// What Ctrl+C on a table copies: the selected cells' display text (already redacted by the
// models), one line per row in row order, cells separated by tabs in column order.
QString tableCopyText(const QAbstractItemModel &model, QModelIndexList indexes);
