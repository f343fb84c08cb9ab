#include "cli/cliutil.h"

#include <cstdio>

void printOut(const QString &text)
{
    const QByteArray b = text.toUtf8();
    std::fwrite(b.constData(), 1, std::size_t(b.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString &line)
{
    const QByteArray b = line.toUtf8() + '\n';
    std::fwrite(b.constData(), 1, std::size_t(b.size()), stderr);
}

int usageError(const QString &message)
{
    printErr(QStringLiteral("ratescope: %1").arg(message));
    printErr(QStringLiteral("Try 'ratescope summarize --help'."));
    return 2;
}

void reportInputProblems(const InputReport &r)
{
    if (r.notALog) {
        printErr(QStringLiteral("%1: %2").arg(r.path, r.fatal));
        return;
    }
    for (const LocatedError &e : r.errors) {
        if (e.line > 0)
            printErr(QStringLiteral("%1:%2: %3").arg(r.path).arg(e.line).arg(e.message));
        else
            printErr(QStringLiteral("%1: %2").arg(r.path, e.message));
    }
    if (r.skipped > std::int64_t(r.errors.size()))
        printErr(QStringLiteral("%1: %2 more bad records not listed").arg(r.path).arg(r.skipped - std::int64_t(r.errors.size())));
    if (r.failed())
        printErr(QStringLiteral("%1: %2").arg(r.path, r.fatal));
}
