#include "store/stringpool.h"

#include "store/fasthash.h"

#include <cstring>

namespace {
constexpr std::size_t kBlockBytes = 64 * 1024;
}

namespace {
std::uint64_t hashOf(std::string_view s) { return fastHash(s); }
std::uint32_t tagOf(std::uint64_t hash) { return std::uint32_t(hash >> 32); }
} // namespace

StringPool::StringPool()
{
    m_views.emplace_back(); // id 0, the empty string, is never in the table: intern() answers it
    m_slots.assign(64, 0);
    m_mask = m_slots.size() - 1;
}

std::size_t StringPool::slotOf(std::string_view s, std::uint64_t hash) const
{
    const std::uint32_t tag = tagOf(hash);
    for (std::size_t i = std::size_t(hash) & m_mask;; i = (i + 1) & m_mask) {
        const std::uint64_t slot = m_slots[i];
        if (slot == 0)
            return i;
        if (std::uint32_t(slot >> 32) == tag && m_views[std::uint32_t(slot) - 1] == s)
            return i;
    }
}

void StringPool::grow()
{
    std::vector<std::uint64_t> old = std::move(m_slots);
    m_slots.assign(old.size() * 2, 0);
    m_mask = m_slots.size() - 1;
    for (const std::uint64_t slot : old) {
        if (slot == 0)
            continue;
        const std::uint64_t hash = hashOf(m_views[std::uint32_t(slot) - 1]);
        std::size_t i = std::size_t(hash) & m_mask;
        while (m_slots[i] != 0)
            i = (i + 1) & m_mask;
        m_slots[i] = slot;
    }
}

std::string_view StringPool::store(std::string_view s)
{
    if (s.size() > kBlockBytes / 4) { // a big string gets a block of its own
        auto block = std::make_unique<char[]>(s.size());
        std::memcpy(block.get(), s.data(), s.size());
        std::string_view v(block.get(), s.size());
        // keep the current block last so small strings keep filling it
        m_blocks.insert(m_blocks.empty() ? m_blocks.end() : m_blocks.end() - 1, std::move(block));
        return v;
    }
    if (m_blocks.empty() || m_blockUsed + s.size() > m_blockSize) {
        m_blocks.push_back(std::make_unique<char[]>(kBlockBytes));
        m_blockSize = kBlockBytes;
        m_blockUsed = 0;
    }
    char *dst = m_blocks.back().get() + m_blockUsed;
    std::memcpy(dst, s.data(), s.size());
    m_blockUsed += s.size();
    return std::string_view(dst, s.size());
}

std::uint32_t StringPool::intern(std::string_view s)
{
    if (s.empty())
        return 0;
    const std::uint64_t hash = hashOf(s);
    std::size_t i = slotOf(s, hash);
    if (m_slots[i] != 0)
        return std::uint32_t(m_slots[i]) - 1;
    const std::string_view kept = store(s);
    const auto id = std::uint32_t(m_views.size());
    m_views.push_back(kept);
    m_slots[i] = std::uint64_t(tagOf(hash)) << 32 | (id + 1);
    if (m_views.size() * 2 > m_slots.size())
        grow();
    return id;
}

std::uint32_t StringPool::find(std::string_view s) const
{
    if (s.empty())
        return 0;
    const std::size_t i = slotOf(s, hashOf(s));
    return m_slots[i] == 0 ? UINT32_MAX : std::uint32_t(m_slots[i]) - 1;
}

std::size_t StringPool::bytesUsed() const
{
    return m_blocks.size() * kBlockBytes + m_views.capacity() * sizeof(std::string_view)
        + m_slots.capacity() * sizeof(std::uint64_t);
}
