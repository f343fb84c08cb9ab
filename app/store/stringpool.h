#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

// Interns strings: each distinct string is stored once and named by a dense id.
// Id 0 is always the empty string ("none"). Views returned by view() stay valid
// for the pool's lifetime (the characters live in fixed-size blocks that never move).
class StringPool
{
public:
    StringPool();
    StringPool(const StringPool &) = delete;
    StringPool &operator=(const StringPool &) = delete;
    StringPool(StringPool &&) noexcept = default;
    StringPool &operator=(StringPool &&) noexcept = default;

    std::uint32_t intern(std::string_view s);
    std::string_view view(std::uint32_t id) const { return m_views[id]; }
    std::uint32_t size() const { return std::uint32_t(m_views.size()); }
    // Id of s if present, else UINT32_MAX; never inserts.
    std::uint32_t find(std::string_view s) const;
    std::size_t bytesUsed() const;

private:
    std::string_view store(std::string_view s);
    // Slot of s in m_slots: the one holding it, or the empty one where it would go.
    std::size_t slotOf(std::string_view s, std::uint64_t hash) const;
    void grow();

    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::size_t m_blockUsed = 0;
    std::size_t m_blockSize = 0;
    std::vector<std::string_view> m_views;
    // Open addressing, linear probing, power-of-two size, at most half full. A slot holds the
    // high 32 bits of the string's hash and id + 1 (0: empty). Interning runs four times per
    // loaded event; std::unordered_map (a prime modulo and a node per string) took twice as long.
    std::vector<std::uint64_t> m_slots;
    std::size_t m_mask = 0;
};
