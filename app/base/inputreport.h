#pragma once

#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

struct LocatedError
{
    std::uint64_t line = 0; // 1-based; 0 when the problem is the file as a whole
    QString message;
};

// What reading one input gave (summary.md inputs[]).
struct InputReport
{
    static constexpr int kMaxErrors = 100;

    QString path;
    QString format = QStringLiteral("ndjson"); // ndjson json har nock betamax pygithub
    bool gzip = false;
    std::int64_t records = 0;
    std::int64_t skipped = 0;
    std::int64_t duplicates = 0;
    std::vector<LocatedError> errors; // the first kMaxErrors, by line
    QString fatal; // why the input could not be read at all (exit status 1)
    bool notALog = false; // fatal because nothing in it is a record: one message, not one per line
    int storeFile = -1; // the store's file index its events carry (-1: none, e.g. a live source)

    bool failed() const { return !fatal.isEmpty(); }
    void addError(std::uint64_t line, QString message)
    {
        ++skipped;
        if (errors.size() < std::size_t(kMaxErrors))
            errors.push_back({ line, std::move(message) });
    }
};
