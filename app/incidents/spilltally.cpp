#include "incidents/spilltally.h"

#include "io/unnamedfile.h"

#include <algorithm>
#include <cstring>
#include <queue>

// A run: (name, count) records sorted by name, as [u32 length][name][i64 count].
struct SpillTally::Run
{
    std::unique_ptr<UnnamedFile> file;
    int level = 0;
};

namespace {

// Estimated heap bytes of one name in a std::map<std::string, int64>.
std::size_t entryBytes(std::string_view name) { return name.size() + 96; }

class RunWriter
{
public:
    explicit RunWriter(const QString &dir)
        : m_file(std::make_unique<UnnamedFile>(dir))
    {
        m_buf.reserve(kChunk + 4096);
    }
    void put(std::string_view name, std::int64_t count)
    {
        const auto len = std::uint32_t(name.size());
        m_buf.append(reinterpret_cast<const char *>(&len), sizeof len);
        m_buf.append(name.data(), name.size());
        m_buf.append(reinterpret_cast<const char *>(&count), sizeof count);
        if (m_buf.size() >= kChunk)
            flush();
    }
    // The run written, or null with error() set.
    std::shared_ptr<SpillTally::Run> finish(int level)
    {
        flush();
        if (!m_ok)
            return nullptr;
        auto run = std::make_shared<SpillTally::Run>();
        run->file = std::move(m_file);
        run->level = level;
        return run;
    }
    QString error() const { return m_file ? m_file->error() : QString(); }

private:
    void flush()
    {
        m_ok = m_ok && m_file->isOpen() && m_file->append(m_buf.data(), m_buf.size());
        m_buf.clear();
    }
    static constexpr std::size_t kChunk = std::size_t(1) << 20;
    std::unique_ptr<UnnamedFile> m_file;
    std::string m_buf;
    bool m_ok = true;
};

class RunReader
{
public:
    explicit RunReader(const UnnamedFile &file)
        : m_file(file)
    {
    }
    // The next record, false at the end (or on a read error: error() is set).
    bool next(std::string &name, std::int64_t &count)
    {
        std::uint32_t len = 0;
        if (!need(sizeof len))
            return false;
        std::memcpy(&len, m_buf.data() + m_at, sizeof len);
        m_at += sizeof len;
        if (!need(len + sizeof count)) {
            m_error = true;
            return false;
        }
        name.assign(m_buf.data() + m_at, len);
        m_at += len;
        std::memcpy(&count, m_buf.data() + m_at, sizeof count);
        m_at += sizeof count;
        return true;
    }
    bool error() const { return m_error; }

private:
    // at least n bytes buffered from m_at; false at the end of the file
    bool need(std::size_t n)
    {
        if (m_buf.size() - m_at >= n)
            return true;
        m_buf.erase(0, m_at);
        m_at = 0;
        while (m_buf.size() < n) {
            // up to 1 MiB at a time, never past the end (a small run is read in one small read)
            const std::int64_t left = m_file.size() - m_offset;
            if (left <= 0) {
                m_error = m_error || m_buf.size() > 0; // a record cut short
                return false;
            }
            const std::size_t want = std::size_t(std::min<std::int64_t>(
                left, std::int64_t(std::max(n - m_buf.size(), std::size_t(1) << 20))));
            const std::size_t had = m_buf.size();
            m_buf.resize(had + want);
            const std::int64_t got = m_file.readAt(m_buf.data() + had, want, m_offset);
            m_buf.resize(had + std::size_t(std::max<std::int64_t>(got, 0)));
            if (got <= 0) {
                m_error = m_error || got < 0 || m_buf.size() > 0;
                return false;
            }
            m_offset += got;
        }
        return true;
    }
    const UnnamedFile &m_file;
    std::int64_t m_offset = 0;
    std::string m_buf;
    std::size_t m_at = 0;
    bool m_error = false;
};

// Every name of some sorted sources once, in order, with its counts summed: calls
// f(name, count). The sources: runs, and optionally a sorted map in memory. False when a run
// could not be read back.
template <typename Map, typename F>
bool mergeSorted(const std::vector<const SpillTally::Run *> &runs, const Map *memory, F &&f)
{
    std::vector<RunReader> readers;
    readers.reserve(runs.size());
    for (const SpillTally::Run *r : runs)
        readers.emplace_back(*r->file);
    struct Head
    {
        std::string name;
        std::int64_t count = 0;
    };
    std::vector<Head> heads(readers.size());
    const auto after
        = [&heads](std::size_t a, std::size_t b) { return heads[a].name > heads[b].name; };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(after)> queue(after);
    for (std::size_t k = 0; k < readers.size(); ++k) {
        if (readers[k].next(heads[k].name, heads[k].count))
            queue.push(k);
    }
    auto mem = memory ? memory->begin() : typename Map::const_iterator {};
    const auto memEnd = memory ? memory->end() : typename Map::const_iterator {};
    std::string name;
    for (;;) {
        const bool haveRun = !queue.empty();
        const bool haveMem = memory && mem != memEnd;
        if (!haveRun && !haveMem)
            break;
        if (haveRun && (!haveMem || heads[queue.top()].name <= mem->first))
            name = heads[queue.top()].name;
        else
            name = mem->first;
        std::int64_t count = 0;
        while (!queue.empty() && heads[queue.top()].name == name) {
            const std::size_t k = queue.top();
            queue.pop();
            count += heads[k].count;
            if (readers[k].next(heads[k].name, heads[k].count))
                queue.push(k);
        }
        if (haveMem && mem->first == name) {
            count += mem->second;
            ++mem;
        }
        f(name, count);
    }
    return std::none_of(
        readers.begin(), readers.end(), [](const RunReader &r) { return r.error(); });
}

} // namespace

SpillTally::SpillTally(std::size_t budgetBytes, QString dir)
    : m_budget(budgetBytes)
    , m_dir(std::move(dir))
{
}

void SpillTally::add(std::string_view name, std::int64_t n)
{
    const auto it = m_counts.find(name);
    if (it != m_counts.end()) {
        it->second += n;
        return;
    }
    m_counts.emplace(std::string(name), n);
    m_bytes += entryBytes(name);
    if (m_bytes > m_budget)
        spill();
}

void SpillTally::spill()
{
    RunWriter w(m_dir);
    for (const auto &[name, count] : m_counts)
        w.put(name, count);
    std::shared_ptr<Run> run = w.finish(0);
    if (!run) { // keep counting in memory: exact, no longer bounded
        m_spillError = w.error();
        m_budget = SIZE_MAX;
        return;
    }
    m_runs.push_back(std::move(run));
    ++m_spills;
    m_counts.clear();
    m_bytes = 0;
    mergeLevels();
}

void SpillTally::mergeLevels()
{
    constexpr std::size_t kFanIn = 16;
    for (int level = 0;; ++level) {
        std::vector<const Run *> same;
        for (const auto &r : m_runs) {
            if (r->level == level)
                same.push_back(r.get());
        }
        if (same.size() < kFanIn)
            return;
        RunWriter w(m_dir);
        const bool read = mergeSorted(same, static_cast<const Counts *>(nullptr),
            [&w](const std::string &name, std::int64_t count) { w.put(name, count); });
        std::shared_ptr<Run> merged = w.finish(level + 1);
        if (!read || !merged) { // leave the runs as they are; top() still reads them
            if (m_spillError.isEmpty())
                m_spillError = read ? w.error() : QStringLiteral("cannot read a tally run back");
            return;
        }
        m_runs.erase(std::remove_if(m_runs.begin(), m_runs.end(),
                         [level](const auto &r) { return r->level == level; }),
            m_runs.end());
        m_runs.push_back(std::move(merged));
    }
}

std::vector<NamedCount> SpillTally::top(std::size_t n, bool *readBack, const Counts *extra) const
{
    // names come in ascending order: at equal counts the one kept is the one seen first
    std::vector<NamedCount> best;
    best.reserve(n + 1);
    const auto offer = [&best, n](const std::string &name, std::int64_t count) {
        if (n == 0 || (best.size() == n && count <= best.back().count))
            return;
        auto at = std::upper_bound(best.begin(), best.end(), count,
            [](std::int64_t c, const NamedCount &b) { return c > b.count; });
        best.insert(at, NamedCount { name, count });
        if (best.size() > n)
            best.pop_back();
    };
    // the extra counts, merged into the ascending stream of names
    auto more = extra ? extra->begin() : Counts::const_iterator {};
    const auto moreEnd = extra ? extra->end() : Counts::const_iterator {};
    const auto offerWithExtra = [&](const std::string &name, std::int64_t count) {
        for (; extra && more != moreEnd && more->first < name; ++more)
            offer(more->first, more->second);
        if (extra && more != moreEnd && more->first == name)
            count += (more++)->second;
        offer(name, count);
    };
    if (readBack)
        *readBack = true;
    if (m_runs.empty()) {
        for (const auto &[name, count] : m_counts)
            offerWithExtra(name, count);
    } else {
        std::vector<const Run *> runs;
        runs.reserve(m_runs.size());
        for (const auto &r : m_runs)
            runs.push_back(r.get());
        const bool read = mergeSorted(runs, &m_counts, offerWithExtra);
        if (readBack)
            *readBack = read;
    }
    for (; extra && more != moreEnd; ++more)
        offer(more->first, more->second);
    return best;
}
