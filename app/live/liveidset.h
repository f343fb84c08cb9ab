#pragma once

#include "sources/idset.h"

#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <new>

// The ids of one generation of a live session (summary.md duplicates, as IdSet), growing
// without a pause.
// IdSet doubles its table in one go: at 2.9 M ids that stopped the live ingest for 270 ms
// (64 MB to zero and a whole table to re-insert), and every record of that moment waited.
// Here, as in Redis' incremental rehash, a table twice the size is started when the current
// one is 70 % full; each insert then copies a few slots of the old table across, and lookups
// look in both until the old one is done. The old table is only read, so its probe chains
// stay whole. The next table is made on another thread when the current one is half full,
// its pages touched there: a 4 KiB page fault costs ~7.5 us on this project's VM, and the
// inserts into a fresh 32 MB table faulted 60 ms worth of pages within a few thousand ids.
class GrowingIdTable
{
public:
    GrowingIdTable() { m_table = make(1024); }

    // False when h was already present (0 is "no id" and is never stored).
    bool insert(std::uint64_t h)
    {
        if (!m_old.slots && !m_next.valid() && (m_count + 1) * 2 > m_table.size)
            m_next
                = std::async(std::launch::async, [size = m_table.size * 2] { return made(size); });
        if (!m_old.slots && (m_count + 1) * 10 > m_table.size * 7) {
            m_old = std::move(m_table);
            m_table = m_next.valid() ? m_next.get() : made(m_old.size * 2);
            m_cursor = 0;
        }
        if (m_old.slots) {
            migrate(kMigratePerInsert);
            // not moved across yet, or moved: either way one of the two tables says so
            if (m_old.slots && m_old.contains(h))
                return false;
        }
        if (!m_table.add(h))
            return false;
        ++m_count;
        return true;
    }
    // Whether h was inserted (in either table while a move goes on).
    bool contains(std::uint64_t h) const
    {
        return m_table.contains(h) || (m_old.slots && m_old.contains(h));
    }
    std::size_t size() const { return m_count; }
    bool growing() const { return m_old.slots != nullptr; }
    std::size_t bytes() const { return (m_table.size + m_old.size) * sizeof(std::uint64_t); }

private:
    // The old table is 70 % full and the new one takes 0.7 x its size more ids before it is
    // 70 % full in turn: four slots an insert move the old one well before that.
    static constexpr std::size_t kMigratePerInsert = 4;

    struct Free
    {
        void operator()(std::uint64_t *p) const { std::free(p); }
    };
    struct Table
    {
        std::unique_ptr<std::uint64_t[], Free> slots;
        std::size_t size = 0;

        std::size_t home(std::uint64_t h) const { return idHomeSlot(h, size - 1); }
        bool contains(std::uint64_t h) const
        {
            for (std::size_t i = home(h);; i = (i + 1) & (size - 1)) {
                if (slots[i] == h)
                    return true;
                if (slots[i] == 0)
                    return false;
            }
        }
        // False when present.
        bool add(std::uint64_t h)
        {
            for (std::size_t i = home(h);; i = (i + 1) & (size - 1)) {
                if (slots[i] == h)
                    return false;
                if (slots[i] == 0) {
                    slots[i] = h;
                    return true;
                }
            }
        }
    };
    static Table make(std::size_t size)
    {
        Table t;
        t.slots.reset(static_cast<std::uint64_t *>(std::calloc(size, sizeof(std::uint64_t))));
        if (!t.slots)
            throw std::bad_alloc();
        t.size = size;
        return t;
    }
    // A table with every page already faulted in (written once), so inserts do not stall.
    static Table made(std::size_t size)
    {
        Table t = make(size);
        volatile std::uint64_t *p = t.slots.get();
        for (std::size_t i = 0; i < size; i += 512) // one write per 4 KiB page
            p[i] = 0;
        return t;
    }
    void migrate(std::size_t n)
    {
        for (; n > 0 && m_cursor < m_old.size; --n, ++m_cursor) {
            if (const std::uint64_t h = m_old.slots[m_cursor])
                m_table.add(h);
        }
        if (m_cursor == m_old.size)
            m_old = Table {};
    }

    Table m_table;
    Table m_old; // being copied into m_table, up to m_cursor
    std::future<Table> m_next; // being made, for when m_table is 70 % full
    std::size_t m_cursor = 0;
    std::size_t m_count = 0;
};

// The ids of a live session, bounded (issue 22): ids are forgotten once the records seen
// since them span the horizon. Two generations of GrowingIdTable: inserts go to the current
// one; when the newest record time is `horizon` past the time the current generation began,
// it becomes the previous one (looked in, never written) and the previous one is freed.
//
// The rule, in record time: an id is remembered at least until a record `horizon` newer than
// it has been seen, so a repeat that comes within `horizon` of its twin is always dropped; a
// repeat more than `horizon` after it can be counted again (and is, once two generations
// have passed). Memory is the ids of at most two horizons of traffic, not of the whole run.
//
// Why that is safe for what we read live: the repeats a live source makes are re-deliveries
// close to the original, a followed file re-read after it was truncated or copied over, an
// SSE stream resumed after a reconnect, a sender retrying lines over a broken connection:
// seconds to minutes apart. `summarize` of files, which can hold a whole day twice, keeps
// every id (IdSet); so does a session whose horizon is 0.
class LiveIdSet
{
public:
    static constexpr std::int64_t kDefaultHorizonMs = 15 * 60 * 1000;

    explicit LiveIdSet(std::int64_t horizonMs = kDefaultHorizonMs)
        : m_horizonMs(horizonMs)
    {
    }

    // False when h was already present (0 is "no id" and is never stored). timeMs: the
    // record's time.
    bool insert(std::uint64_t h, std::int64_t timeMs)
    {
        if (timeMs > m_newestMs) {
            m_newestMs = timeMs;
            if (m_genStartMs == INT64_MIN)
                m_genStartMs = timeMs;
            else if (m_horizonMs > 0 && m_newestMs - m_genStartMs >= m_horizonMs) {
                m_previous = std::make_unique<GrowingIdTable>(std::move(m_current));
                m_current = GrowingIdTable();
                m_genStartMs = m_newestMs;
                ++m_generations;
            }
        }
        if (m_previous && m_previous->contains(h))
            return false;
        return m_current.insert(h);
    }
    // Ids remembered now (both generations).
    std::size_t size() const { return m_current.size() + (m_previous ? m_previous->size() : 0); }
    bool growing() const { return m_current.growing(); }
    std::size_t bytes() const { return m_current.bytes() + (m_previous ? m_previous->bytes() : 0); }
    // How many generations were started after the first (each forgot the one before last).
    std::int64_t generations() const { return m_generations; }
    std::int64_t horizonMs() const { return m_horizonMs; }

private:
    std::int64_t m_horizonMs;
    std::int64_t m_newestMs = INT64_MIN;
    std::int64_t m_genStartMs = INT64_MIN;
    std::int64_t m_generations = 0;
    GrowingIdTable m_current;
    std::unique_ptr<GrowingIdTable> m_previous;
};
