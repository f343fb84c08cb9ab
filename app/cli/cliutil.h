#pragma once

#include "sources/loader.h"

#include <QString>

// Standard output / error helpers shared by the subcommands.
void printOut(const QString &text);
void printErr(const QString &line); // adds the newline
// Prints "ratescope: message" and a hint, returns 2 (summary.md: usage error).
int usageError(const QString &message);
// "FILE: reason" for an input that failed, "FILE:LINE: reason" for each bad line listed.
void reportInputProblems(const InputReport &r);
