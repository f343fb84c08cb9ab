#include "export/atomicwrite.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error)
{
    if (path == QLatin1String("-")) {
        const bool ok = std::fwrite(data.constData(), 1, std::size_t(data.size()), stdout)
            == std::size_t(data.size());
        std::fflush(stdout);
        if (!ok)
            *error = QStringLiteral("cannot write to standard output");
        return ok;
    }
    const QFileInfo info(path);
    if (info.exists() && !info.isFile()) {
        // a device or pipe (/dev/null, a fifo): never rename a temporary file onto it
        QFile dev(path);
        if (!dev.open(QIODevice::WriteOnly) || dev.write(data) != data.size()) {
            *error = QStringLiteral("%1: cannot write: %2").arg(path, dev.errorString());
            return false;
        }
        return true;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    if (f.write(data) != data.size() || !f.commit()) {
        *error = QStringLiteral("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}
