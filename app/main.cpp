// ratescope: with a subcommand it runs headless on QCoreApplication; without one it opens the GUI.
#include "cli/commands.h"
#include "mainentry.h"

#include <QCoreApplication>

#include <cstring>

int main(int argc, char *argv[])
{
    const char *sub = argc > 1 ? argv[1] : "";
    using Command = int (*)(const QStringList &);
    struct Entry
    {
        const char *name;
        Command run;
    };
    static const Entry commands[] = { { "summarize", runSummarize }, { "simulate", runSimulate } };
    for (const Entry &c : commands) {
        if (std::strcmp(sub, c.name) == 0) {
            QCoreApplication app(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("ratescope"));
            QStringList args = QCoreApplication::arguments();
            args.remove(0, 2);
            return c.run(args);
        }
    }
    return runGui(argc, argv);
}
