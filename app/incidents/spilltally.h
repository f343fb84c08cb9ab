#pragma once

// Counts by name in bounded memory (issue 22), for the top lists of an incident that lasts for
// days: an OpenAI rejection's message names the wait to the millisecond ("Please try again in
// 1.234s"), so an incident of a busy day has millions of distinct messages, each counted a few
// times. Their top 5 (summary.md: by count descending, ties by text) cannot be told without
// every count, but the counts need not be in memory: past a budget, the names in memory are
// written, sorted, as a run to a file and let go; top() merges the runs with what is in memory
// as one sorted stream, as a database spills a GROUP BY to disk. Runs are merged 16 into one
// (by level, as an LSM tree does), so a day makes a few dozen files, whatever its size.
//
// Copies share the runs (immutable files, removed with their last holder), so that a summary
// can be made from a copy while the run goes on. When a run cannot be written (a full disk),
// the names stay in memory and spillError() says why: still exact, no longer bounded.

#include "incidents/incidentfinder.h"

#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

class SpillTally
{
public:
    static constexpr std::size_t kDefaultBudgetBytes = std::size_t(8) << 20;
    // `dir`: where runs go (empty: QDir::tempPath()).
    explicit SpillTally(std::size_t budgetBytes = kDefaultBudgetBytes, QString dir = {});

    using Counts = std::map<std::string, std::int64_t, std::less<>>;

    void add(std::string_view name, std::int64_t n = 1);
    // The n largest counts of every name added, descending, ties by name (topCounts).
    // `readBack`, when given, is false if a run could not be read back (the list is then of
    // the rest). `extra`: counts added for this answer only (a live window's incident joins
    // the part of it let go, LiveHistory).
    std::vector<NamedCount> top(
        std::size_t n, bool *readBack = nullptr, const Counts *extra = nullptr) const;

    std::size_t inMemory() const { return m_counts.size(); }
    std::size_t runs() const { return m_runs.size(); }
    std::size_t spills() const { return m_spills; } // runs written from memory, ever
    const QString &spillError() const { return m_spillError; }

    struct Run; // a sorted file of (name, count), for the .cpp's readers and writers

private:
    void spill();
    void mergeLevels();

    std::size_t m_budget;
    QString m_dir;
    Counts m_counts;
    std::size_t m_bytes = 0; // of m_counts, estimated
    std::vector<std::shared_ptr<const Run>> m_runs;
    std::size_t m_spills = 0;
    QString m_spillError;
};
