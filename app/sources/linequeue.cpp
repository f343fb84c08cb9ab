#include "sources/linequeue.h"

LineQueue::LineQueue(std::size_t maxBytes, QObject *parent)
    : QObject(parent)
    , m_maxBytes(maxBytes)
{
}

void LineQueue::push(LineChunk &&chunk)
{
    if (chunk.empty())
        return;
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_mutex);
        wasEmpty = m_chunks.empty();
        m_bytes.fetch_add(chunk.text.size());
        m_chunks.push_back(std::move(chunk));
    }
    if (wasEmpty)
        Q_EMIT dataAvailable();
}

std::vector<LineChunk> LineQueue::takeAll()
{
    std::vector<LineChunk> out;
    {
        std::lock_guard lock(m_mutex);
        out.swap(m_chunks);
        m_bytes.store(0);
    }
    if (m_full.exchange(false))
        Q_EMIT roomAvailable();
    return out;
}

bool LineQueue::pauseIfFull()
{
    m_full.store(true);
    if (hasRoom())
        return false; // the consumer took everything between the caller's check and now
    m_fullEvents.fetch_add(1, std::memory_order_relaxed);
    return true;
}
