#include "sources/lineframer.h"

#include <algorithm>
#include <cstring>

LineFramer::LineFramer(std::size_t maxLineBytes)
    : m_max(std::max<std::size_t>(maxLineBytes, 1))
{
}

void LineFramer::endLine(
    const char *tail, std::size_t tailSize, const LineSink &onLine, const DropSink &onDrop)
{
    ++m_number;
    // CRLF: the CR belongs to the terminator, not to the line
    const bool cr = tailSize > 0 ? tail[tailSize - 1] == '\r' : (m_pendingSize > 0 && m_lastWasCr);
    const std::size_t total = m_pendingSize + tailSize - (cr ? 1 : 0);
    if (total > m_max) {
        ++m_dropped;
        onDrop(m_number, total);
    } else if (m_pendingSize == 0) {
        onLine(std::string_view(tail, total), m_number);
    } else {
        // total <= m_max, so the pending bytes (at most m_max + 1) are all in m_buf
        m_buf.append(tail, tailSize);
        onLine(std::string_view(m_buf.data(), total), m_number);
    }
    m_buf.clear();
    m_pendingSize = 0;
    m_lastWasCr = false;
}

void LineFramer::feed(
    const char *data, std::size_t size, const LineSink &onLine, const DropSink &onDrop)
{
    const char *p = data;
    const char *end = data + size;
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        if (!nl) {
            const std::size_t n = std::size_t(end - p);
            // keep up to m_max + 1 bytes (+1: the CR of a CRLF after a line of exactly m_max)
            if (m_pendingSize == m_buf.size()) {
                const std::size_t room = m_max + 1 > m_buf.size() ? m_max + 1 - m_buf.size() : 0;
                m_buf.append(p, std::min(n, room));
            }
            m_pendingSize += n;
            m_lastWasCr = end[-1] == '\r';
            return;
        }
        endLine(p, std::size_t(nl - p), onLine, onDrop);
        p = nl + 1;
    }
}

void LineFramer::finish(const LineSink &onLine, const DropSink &onDrop)
{
    if (m_pendingSize == 0)
        return;
    // the stream ended: the line is complete as it is (a final CR is kept out like CRLF's)
    endLine(nullptr, 0, onLine, onDrop);
}

std::size_t LineFramer::discardPending()
{
    const std::size_t n = m_pendingSize;
    m_buf.clear();
    m_pendingSize = 0;
    m_lastWasCr = false;
    return n;
}
