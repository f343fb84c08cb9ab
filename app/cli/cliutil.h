#pragma once

#include "sources/loader.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

class QCommandLineParser;

// Standard output / error helpers shared by the subcommands.
void printOut(const QString &text);
void printErr(const QString &line); // adds the newline
// Prints "ratescope: message" and a hint, returns 2 (summary.md: usage error).
int usageError(const QString &message);
// "FILE: reason" for an input that failed, "FILE:LINE: reason" for each bad line listed.
void reportInputProblems(const InputReport &r);

// A subcommand's arguments parsed by p (its options added): nullopt to go on, else the exit
// status to return (--help printed: 0; a usage error, or no LOG when inputs are needed: 2).
std::optional<int> parseCommand(QCommandLineParser &p, const QString &command,
    const QStringList &args, bool needsInputs = true);
// Every input loaded into the loader's store, each one's problems printed; false when one
// failed. The inputs' reports go to *reports when given. An engine URI (postgresql://…,
// clickhouse://…) fails with a message: summarize and check read them (cli/engineinputs.h).
bool loadInputs(
    Loader &loader, const QStringList &inputs, std::vector<InputReport> *reports = nullptr);
