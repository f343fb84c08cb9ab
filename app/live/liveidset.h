#pragma once

#include "sources/idset.h"

#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <new>

// The ids of a live session (summary.md duplicates, as IdSet), growing without a pause.
// IdSet doubles its table in one go: at 2.9 M ids that stopped the live ingest for 270 ms
// (64 MB to zero and a whole table to re-insert), and every record of that moment waited.
// Here, as in Redis' incremental rehash, a table twice the size is started when the current
// one is 70 % full; each insert then copies a few slots of the old table across, and lookups
// look in both until the old one is done. The old table is only read, so its probe chains
// stay whole. The next table is made on another thread when the current one is half full,
// its pages touched there: a 4 KiB page fault costs ~7.5 us on this project's VM, and the
// inserts into a fresh 32 MB table faulted 60 ms worth of pages within a few thousand ids.
class LiveIdSet
{
public:
    LiveIdSet() { m_table = make(1024); }

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
    std::size_t size() const { return m_count; }
    bool growing() const { return m_old.slots != nullptr; }

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
