#include "cli/chartneed.h"

#include "cli/commonoptions.h"
#include "export/reportwriter.h"

#include <QString>

#include <string_view>

bool summarizeDrawsChart(int argc, char **argv)
{
    // summarize's options that take a value, as its parser has them, so that a value such as
    // `--rules --format` is not read as an option
    QStringList takesValue;
    for (const QCommandLineOption &option : summarizeOptions()) {
        for (const QString &name : option.names()) {
            if (!option.valueName().isEmpty())
                takesValue << (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--"))
                        + name;
        }
    }
    const auto qs
        = [](std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); };
    std::string_view format = "md"; // the default
    std::string_view target = "-";
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--")
            break; // inputs only from here on
        if (arg == "--format" || arg == "-o" || arg == "--output") {
            if (i + 1 >= argc)
                return true; // a usage error follows; nothing is drawn either way
            (arg == "--format" ? format : target) = argv[++i];
        } else if (arg.substr(0, 9) == "--format=") {
            format = arg.substr(9);
        } else if (arg.substr(0, 9) == "--output=") {
            target = arg.substr(9);
        } else if (arg.substr(0, 2) == "-o") {
            return true; // -oFILE or another spelling: unsure
        } else if (takesValue.contains(qs(arg))) {
            ++i;
        }
    }
    return reportDrawsChart(qs(target), qs(format));
}
