#pragma once

#include "base/inputreport.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class IdSet;

struct LoadOptions
{
    TimeRange range;
    int threads = 0; // 0: one per core
    std::size_t chunkBytes = 4u << 20; // NDJSON is cut into chunks of about this size
    std::uint64_t maxInflated = std::uint64_t(16) << 30;
    // Progress in bytes read of the file on disk (total 0 when unknown).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    const std::atomic<bool> *cancel = nullptr;
};

// Reads inputs of every shape in formats.md into an EventStore. NDJSON is parsed in parallel
// (chunks cut at newlines, one simdjson parser per worker, merged in file order); documents
// (HAR, cassettes, arrays) are parsed in one On-Demand pass. Duplicate ids are dropped across
// every input this loader reads.
class Loader
{
public:
    Loader(EventStore &store, const RuleSet &rules, LoadOptions options = {});
    ~Loader();

    InputReport load(const QString &path);

private:
    struct Impl;
    EventStore &m_store;
    const RuleSet &m_rules;
    LoadOptions m_options;
    std::unique_ptr<IdSet> m_ids;
};
