#include "cli/chartneed.h"

#include <cstring>
#include <string_view>

bool summarizeDrawsChart(int argc, char **argv)
{
    // summarize's options that take a value (summarizecommand.cpp), so that a value such as
    // `-o --format` is not read as an option
    static constexpr std::string_view kTakesValue[] = { "--limit", "--merge-gap", "--from",
                                                        "--to",    "--headroom",  "-o",
                                                        "--output", "--rules",    "--threads" };
    std::string_view format = "md"; // the default
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--")
            break; // inputs only from here on
        if (arg == "--format") {
            if (i + 1 >= argc)
                return true; // a usage error follows; nothing is drawn either way
            format = argv[++i];
        } else if (arg.substr(0, 9) == "--format=") {
            format = arg.substr(9);
        } else {
            for (std::string_view option : kTakesValue) {
                if (arg == option) {
                    ++i;
                    break;
                }
            }
        }
    }
    return format != "json" && format != "csv";
}
