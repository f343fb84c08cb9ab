#include "cli/cliutil.h"

#include "sources/inputproblems.h"

#include <QCoreApplication>
#include <QStringList>

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
    // the subcommand that was given ("ratescope-gui monitor …" too)
    const QString command = QCoreApplication::arguments().value(1);
    const bool known = QStringList { QStringLiteral("summarize"), QStringLiteral("monitor"),
        QStringLiteral("simulate"), QStringLiteral("check"), QStringLiteral("whatif") }
                           .contains(command);
    printErr(QStringLiteral("Try 'ratescope %1--help'.")
                 .arg(known ? command + QLatin1Char(' ') : QString()));
    return 2;
}

void reportInputProblems(const InputReport &r)
{
    // the window's Problems panel lists the same (sources/inputproblems.h)
    for (const InputProblem &p : inputProblems(r)) {
        if (p.kind != InputProblem::Kind::Duplicates)
            printErr(p.text());
    }
}
