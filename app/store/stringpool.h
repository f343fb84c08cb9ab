#pragma once

#include "store/sharedcolumn.h"

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string_view>
#include <vector>

// Interns strings: each distinct string is stored once and named by a dense id.
// Id 0 is always the empty string ("none"). Views returned by view() stay valid
// for the pool's lifetime (the characters live in fixed-size blocks that never move).
//
// share() gives a pool that starts as this one and grows on its own without a copy (live
// snapshots, issue 22): the characters, the views and the hash table are shared. The copy
// that grows is the newest; it adds characters and views past every older copy's end, and
// its table changes under a lock that find() of the older copies takes too, on their threads.
// An older copy that interns a new string gets a pool of its own first.
class StringPool
{
public:
    StringPool();
    StringPool(const StringPool &) = delete;
    StringPool &operator=(const StringPool &) = delete;
    StringPool(StringPool &&) noexcept = default;
    StringPool &operator=(StringPool &&) noexcept = default;

    StringPool share() const;

    std::uint32_t intern(std::string_view s);
    std::string_view view(std::uint32_t id) const { return m_views[id]; }
    std::uint32_t size() const { return std::uint32_t(m_views.size()); }
    // Id of s if present, else UINT32_MAX; never inserts.
    std::uint32_t find(std::string_view s) const;
    std::size_t bytesUsed() const;
    bool sharesWith(const StringPool &o) const { return m_views.sharesWith(o.m_views); }

private:
    struct Blocks
    {
        std::vector<std::unique_ptr<char[]>> blocks;
        std::size_t used = 0; // in the last block
        std::size_t size = 0; // of the last block
    };
    // Open addressing, linear probing, power-of-two size, at most half full. A slot holds the
    // high 32 bits of the string's hash and id + 1 (0: empty). Interning runs four times per
    // loaded event; std::unordered_map (a prime modulo and a node per string) took twice as long.
    struct Table
    {
        std::vector<std::uint64_t> slots;
        std::size_t mask = 0;
        mutable std::shared_mutex lock; // the newest copy writes, older copies find()
    };
    explicit StringPool(std::nullptr_t) { }
    std::string_view store(std::string_view s);
    // Slot of s in the table: the one holding it, or the empty one where it would go (for the
    // newest copy, whose ids are all in the table; an older copy's find() passes over ids past
    // its end).
    std::size_t slotOf(std::string_view s, std::uint64_t hash) const;
    void grow();
    void detach(); // this copy's strings in a pool of its own, with the same ids

    std::shared_ptr<Blocks> m_blocks;
    SharedColumn<std::string_view> m_views;
    std::shared_ptr<Table> m_table;
};
