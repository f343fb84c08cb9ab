#include "store/stringpool.h"

#include "store/fasthash.h"

#include <cstring>
#include <mutex>

namespace {
constexpr std::size_t kBlockBytes = 64 * 1024;
std::uint64_t hashOf(std::string_view s) { return fastHash(s); }
std::uint32_t tagOf(std::uint64_t hash) { return std::uint32_t(hash >> 32); }
} // namespace

StringPool::StringPool()
    : m_blocks(std::make_shared<Blocks>())
    , m_table(std::make_shared<Table>())
{
    m_views.push_back({}); // id 0, the empty string, is never in the table: intern() answers it
    m_table->slots.assign(64, 0);
    m_table->mask = m_table->slots.size() - 1;
}

StringPool StringPool::share() const
{
    StringPool c(nullptr);
    c.m_blocks = m_blocks;
    c.m_views = m_views.share();
    c.m_table = m_table;
    return c;
}

void StringPool::detach()
{
    StringPool own;
    for (std::uint32_t id = 1; id < size(); ++id)
        own.intern(view(id));
    *this = std::move(own);
}

std::size_t StringPool::slotOf(std::string_view s, std::uint64_t hash) const
{
    const std::uint32_t tag = tagOf(hash);
    const std::vector<std::uint64_t> &slots = m_table->slots;
    const std::size_t mask = m_table->mask;
    for (std::size_t i = std::size_t(hash) & mask;; i = (i + 1) & mask) {
        const std::uint64_t slot = slots[i];
        if (slot == 0)
            return i;
        // an id past this copy's end is a newer copy's string (only find() of an older copy
        // meets one): not this copy's, and each string is in the table once, so passed over
        const std::uint32_t id = std::uint32_t(slot) - 1;
        if (std::uint32_t(slot >> 32) == tag && id < size() && m_views[id] == s)
            return i;
    }
}

void StringPool::grow()
{
    Table &t = *m_table;
    std::vector<std::uint64_t> slots(t.slots.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (const std::uint64_t slot : t.slots) {
        if (slot == 0)
            continue;
        const std::uint64_t hash = hashOf(m_views[std::uint32_t(slot) - 1]);
        std::size_t i = std::size_t(hash) & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = slot;
    }
    const std::unique_lock<std::shared_mutex> write(t.lock);
    t.slots = std::move(slots);
    t.mask = mask;
}

std::string_view StringPool::store(std::string_view s)
{
    Blocks &b = *m_blocks;
    if (s.size() > kBlockBytes / 4) { // a big string gets a block of its own
        auto block = std::make_unique<char[]>(s.size());
        std::memcpy(block.get(), s.data(), s.size());
        std::string_view v(block.get(), s.size());
        // keep the current block last so small strings keep filling it
        b.blocks.insert(b.blocks.empty() ? b.blocks.end() : b.blocks.end() - 1, std::move(block));
        return v;
    }
    if (b.blocks.empty() || b.used + s.size() > b.size) {
        b.blocks.push_back(std::make_unique<char[]>(kBlockBytes));
        b.size = kBlockBytes;
        b.used = 0;
    }
    char *dst = b.blocks.back().get() + b.used;
    std::memcpy(dst, s.data(), s.size());
    b.used += s.size();
    return std::string_view(dst, s.size());
}

std::uint32_t StringPool::intern(std::string_view s)
{
    if (s.empty())
        return 0;
    if (!m_views.newest())
        detach();
    const std::uint64_t hash = hashOf(s);
    const std::size_t i = slotOf(s, hash);
    if (m_table->slots[i] != 0)
        return std::uint32_t(m_table->slots[i]) - 1;
    const std::string_view kept = store(s);
    const auto id = std::uint32_t(m_views.size());
    m_views.push_back(kept);
    {
        const std::unique_lock<std::shared_mutex> write(m_table->lock);
        m_table->slots[i] = std::uint64_t(tagOf(hash)) << 32 | (id + 1);
    }
    if (m_views.size() * 2 > m_table->slots.size())
        grow();
    return id;
}

std::uint32_t StringPool::find(std::string_view s) const
{
    if (s.empty())
        return 0;
    const std::shared_lock<std::shared_mutex> read(m_table->lock); // the newest copy may write
    const std::uint64_t slot = m_table->slots[slotOf(s, hashOf(s))];
    return slot == 0 ? UINT32_MAX : std::uint32_t(slot) - 1;
}

std::size_t StringPool::bytesUsed() const
{
    return m_blocks->blocks.size() * kBlockBytes + m_views.capacity() * sizeof(std::string_view)
        + m_table->slots.capacity() * sizeof(std::uint64_t);
}
