#include "store/stringpool.h"

#include <cstring>

namespace {
constexpr std::size_t kBlockBytes = 64 * 1024;
}

StringPool::StringPool()
{
    m_views.emplace_back();
    m_ids.emplace(std::string_view(), 0);
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
    auto it = m_ids.find(s);
    if (it != m_ids.end())
        return it->second;
    const std::string_view kept = store(s);
    const auto id = std::uint32_t(m_views.size());
    m_views.push_back(kept);
    m_ids.emplace(kept, id);
    return id;
}

std::uint32_t StringPool::find(std::string_view s) const
{
    auto it = m_ids.find(s);
    return it == m_ids.end() ? UINT32_MAX : it->second;
}

std::size_t StringPool::bytesUsed() const
{
    return m_blocks.size() * kBlockBytes + m_views.capacity() * sizeof(std::string_view)
        + m_ids.size() * (sizeof(std::string_view) + sizeof(std::uint32_t) + 2 * sizeof(void *));
}
