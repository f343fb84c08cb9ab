#pragma once

#include "store/hugepagealloc.h"

#include <cstdint>

// The home slot of id hash h in a power-of-two table (mask = size - 1): IdSet's and
// LiveIdSet's, the one spreading of ids over a table.
inline std::size_t idHomeSlot(std::uint64_t h, std::size_t mask)
{
    return (h * 0x9E3779B97F4A7C15ull) >> 20 & mask;
}

// A set of 64-bit id hashes (summary.md duplicates: 0 means "no id"), open addressing,
// 8 bytes a slot, for ids seen across every input of a load or a whole live session.
class IdSet
{
public:
    // False when h was already present.
    bool insert(std::uint64_t h)
    {
        if ((m_count + 1) * 10 > m_slots.size() * 7)
            rehash(m_slots.size() * 2);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = idHomeSlot(h, mask);; i = (i + 1) & mask) {
            if (m_slots[i] == h)
                return false;
            if (m_slots[i] == 0) {
                m_slots[i] = h;
                ++m_count;
                return true;
            }
        }
    }
    // A hint that h will be inserted soon: its slot is fetched into the cache meanwhile. The
    // table is far bigger than the cache (16 MiB for a million ids), so an insert is a cache
    // miss; with the slots of the next ids already on their way, a batch of inserts overlaps
    // those misses instead of waiting for each one.
    void prefetch(std::uint64_t h) const
    {
        __builtin_prefetch(&m_slots[idHomeSlot(h, m_slots.size() - 1)]);
    }
    std::size_t size() const { return m_count; }
    // Room for n more ids without rehashing (a loader that knows about how many to expect).
    void reserve(std::size_t n)
    {
        std::size_t want = m_slots.size();
        while ((m_count + n) * 10 > want * 7)
            want *= 2;
        if (want != m_slots.size())
            rehash(want);
    }

private:
    void rehash(std::size_t size)
    {
        Column<std::uint64_t> old = std::move(m_slots);
        m_slots.assign(size, 0);
        m_count = 0;
        for (std::uint64_t h : old) {
            if (h)
                insert(h);
        }
    }

    Column<std::uint64_t> m_slots = Column<std::uint64_t>(1024, 0);
    std::size_t m_count = 0;
};
