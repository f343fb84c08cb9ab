#pragma once

#include <string>

// What the first argument of `ratescope` / `ratescope-gui` is, decided from argv before any Qt
// application object exists: an option, a subcommand, or an input (an existing
// file or directory, a URL). Anything else is a usage error, e.g. a mistyped subcommand,
// which would otherwise open the window on files that do not exist.
// Returns the error line (without "ratescope: " and the newline), empty when the argument
// is fine or there is none: "'summarise' is not a command or a file; did you mean
// 'summarize'?" — the nearest subcommand by edit distance, when it is near.
std::string firstArgumentError(int argc, char **argv);

// Edit distance (insertions, deletions, substitutions) between a and b, ignoring ASCII case.
int editDistance(const std::string &a, const std::string &b);
