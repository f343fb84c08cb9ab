#pragma once

#include <QString>

#include <cstdint>
#include <mutex>
#include <unordered_map>

// The files of a store whose records are gone on purpose: a live capture's segments deleted by
// rotation (--capture-keep). Shared (std::shared_ptr) by the store, every copy of it and the
// capture that deletes them, and read from any thread. A file is marked before it is deleted,
// so a reader that checks after reading never trusts bytes read from whatever took its path.
// Keyed by the store's file index, not by path: a new file at the same path later is not the
// one the events point into.
class RemovedFiles
{
public:
    void add(std::uint16_t file, QString reason)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_reasons[file] = std::move(reason);
    }
    // Why file's records are gone ("the capture file … was rotated away …"); empty while
    // they are not.
    QString reason(std::uint16_t file) const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_reasons.find(file);
        return it == m_reasons.end() ? QString() : it->second;
    }
    std::size_t size() const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_reasons.size();
    }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::uint16_t, QString> m_reasons;
};
