// ratescope: the command-line program. It links QtCore only, so that `summarize` to JSON,
// CSV or Markdown on standard output starts in ~12 ms instead of ~45: QtGui, Widgets, Charts,
// Network and the ~40 libraries they pull in cost the rest, 5 % of summarizing a million
// records. For everything else (the window, reports with a chart, `monitor`, `simulate`) it
// becomes ratescope-gui, installed beside it, with the same arguments (app/guimain.cpp).
#include "cli/chartneed.h"
#include "cli/commands.h"
#include "cli/firstargument.h"
#include "cli/guiprogram.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

int main(int argc, char *argv[])
{
    // a mistyped subcommand is a usage error here, before becoming ratescope-gui
    if (const std::string error = firstArgumentError(argc, argv); !error.empty()) {
        std::fprintf(stderr, "ratescope: %s\n", error.c_str());
        return 2;
    }
    // summarize without a chart, check, whatif and push need QtCore only (and QtSql)
    const bool check = argc >= 2 && std::strcmp(argv[1], "check") == 0;
    const bool whatIf = argc >= 2 && std::strcmp(argv[1], "whatif") == 0;
    const bool push = argc >= 2 && std::strcmp(argv[1], "push") == 0;
    if (!check && !whatIf && !push
        && (argc < 2 || std::strcmp(argv[1], "summarize") != 0 || summarizeDrawsChart(argc, argv)))
        return execGuiProgram(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ratescope"));
    QStringList args = QCoreApplication::arguments();
    args.remove(0, 2);
    return check ? runCheck(args)
        : whatIf ? runWhatIf(args)
        : push   ? runPush(args)
                 : runSummarize(args, nullptr);
}
