// ratescope-gui: the whole program. Without a subcommand it opens the window; with one it runs
// headless (QCoreApplication, or QGuiApplication on the offscreen platform where it draws
// charts). `ratescope` (app/main.cpp) becomes this program for what needs more than QtCore.
#include "base/mallocarenas.h"
#include "cli/chartneed.h"
#include "cli/commands.h"
#include "cli/firstargument.h"
#include "mainentry.h"
#include "render/chartdrawing.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <memory>

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    limitMallocArenas();
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
    static const Entry commands[] = {
        { "summarize", [](const QStringList &a) { return runSummarize(a, &qtChartDrawing()); },
            summarizeDrawsChart },
        { "simulate", runSimulate, never },
        { "check", runCheck, never },
        { "whatif", runWhatIf, never },
        { "push", runPush, never },
        { "monitor", [](const QStringList &a) { return runMonitor(a, &qtChartDrawing()); },
            always },
    };
    for (const Entry &c : commands) {
        if (std::strcmp(sub, c.name) == 0) {
            std::unique_ptr<QCoreApplication> app;
            if (c.images(argc, argv)) {
                useOffscreenPlatform(); // never needs a display
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
    // run directly (not from `ratescope`, which checked this already)
    if (const std::string error = firstArgumentError(argc, argv); !error.empty()) {
        std::fprintf(stderr, "ratescope: %s\n", error.c_str());
        return 2;
    }
    return runGui(argc, argv);
}
