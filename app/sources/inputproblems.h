#pragma once

#include "sources/loader.h"

#include <QString>

#include <cstdint>
#include <vector>

// One thing wrong with an input, as `summarize` reports it on standard error.
struct InputProblem
{
    enum class Kind {
        BadRecord, // a skipped line or entry: its line and why
        Unlisted, // "N more bad records not listed" (only the first 100 are kept)
        Duplicates, // records whose id an earlier record had (not printed by summarize)
        Fatal, // the input could not be read at all
    };
    Kind kind = Kind::BadRecord;
    QString path;
    std::uint64_t line = 0; // 1-based; 0: the input as a whole
    QString message;
    std::int64_t count = 1; // lines (Unlisted) or records (Duplicates) it stands for

    // "FILE:LINE: reason" or "FILE: reason", the words summarize prints.
    QString text() const;
};

// Everything wrong with one input, in summarize's order: bad records by line, the count of
// those not listed, the fatal reason; then the duplicates (which summarize only counts in
// inputs[].duplicates).
std::vector<InputProblem> inputProblems(const InputReport &report);
