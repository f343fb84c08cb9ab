// ratescope: with a subcommand it runs headless (QCoreApplication, or QGuiApplication on the
// offscreen platform where it draws charts); without one it opens the GUI.
#include "cli/chartneed.h"
#include "cli/commands.h"
#include "mainentry.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <memory>

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    const char *sub = argc > 1 ? argv[1] : "";
    using Command = int (*)(const QStringList &);
    struct Entry
    {
        const char *name;
        Command run;
        // writes reports with a chart: needs QtGui's fonts, on the offscreen platform
        bool (*images)(int argc, char **argv);
    };
    const auto always = [](int, char **) { return true; };
    const auto never = [](int, char **) { return false; };
    static const Entry commands[] = { { "summarize", runSummarize, summarizeDrawsChart },
                                      { "simulate", runSimulate, never },
                                      { "monitor", runMonitor, always } };
    for (const Entry &c : commands) {
        if (std::strcmp(sub, c.name) == 0) {
            std::unique_ptr<QCoreApplication> app;
            if (c.images(argc, argv)) {
                qputenv("QT_QPA_PLATFORM", "offscreen"); // never needs a display
                if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
                    // what Qt would pick, made here so it does not warn on every run
                    const QByteArray dir = "/tmp/runtime-" + QByteArray::number(uint(getuid()));
                    ::mkdir(dir.constData(), 0700);
                    qputenv("XDG_RUNTIME_DIR", dir);
                }
                app = std::make_unique<QGuiApplication>(argc, argv);
            } else {
                app = std::make_unique<QCoreApplication>(argc, argv);
            }
            QCoreApplication::setApplicationName(QStringLiteral("ratescope"));
            QStringList args = QCoreApplication::arguments();
            args.remove(0, 2);
            return c.run(args);
        }
    }
    return runGui(argc, argv);
}
