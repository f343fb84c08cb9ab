#include "cli/firstargument.h"

#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <vector>

namespace {

const char *const kCommands[] = { "summarize", "monitor", "simulate", "check", "whatif", "push" };

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

} // namespace

int editDistance(const std::string &a, const std::string &b)
{
    std::vector<int> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const int up = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1,
                diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1) });
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string firstArgumentError(int argc, char **argv)
{
    if (argc < 2)
        return {};
    const std::string arg = argv[1];
    if (arg.empty() || arg[0] == '-') // an option, or "-" (standard input)
        return {};
    for (const char *c : kCommands) {
        if (arg == c)
            return {};
    }
    if (arg.find("://") != std::string::npos || QFileInfo::exists(QString::fromLocal8Bit(argv[1])))
        return {};
    std::string message = "'" + arg + "' is not a command or a file";
    // suggest a command only when the word is near it: at most 2 edits, and fewer than a
    // third of the command's letters (so "sim" or "mon" get no guess)
    const char *nearest = nullptr;
    int best = 3;
    for (const char *c : kCommands) {
        const int d = editDistance(arg, c);
        if (d < best && d * 3 < int(std::char_traits<char>::length(c))) {
            best = d;
            nearest = c;
        }
    }
    if (nearest)
        message += std::string("; did you mean '") + nearest + "'?";
    return message;
}
