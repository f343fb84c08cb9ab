// makeicons OUTDIR SIZE...: writes OUTDIR/SIZExSIZE/apps/io.github.ratescope.RateScope.png for
// each size, painted by the same code as the window's icon (ui/appicon.cpp), so the hicolor
// PNGs the package installs cannot drift from it.
#include "appicon.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: makeicons OUTDIR SIZE...\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    for (int i = 2; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        if (size < 8 || size > 1024) {
            std::fprintf(stderr, "makeicons: invalid size \"%s\"\n", argv[i]);
            return 2;
        }
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(out).arg(size);
        const QString file = dir + QStringLiteral("/io.github.ratescope.RateScope.png");
        if (!QDir().mkpath(dir) || !appIconImage(size).save(file, "PNG")) {
            std::fprintf(stderr, "makeicons: cannot write %s\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}
