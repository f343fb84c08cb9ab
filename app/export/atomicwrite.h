#pragma once

#include <QByteArray>
#include <QString>

// Writes data to path through QSaveFile: readers see the old file or the whole new one,
// never half of it. "-" writes to standard output. On failure returns false and sets *error.
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error);
