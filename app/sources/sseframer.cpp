#include "sources/sseframer.h"

#include <algorithm>

namespace {
constexpr std::size_t kSlack = 8; // "data: " and a little more beyond the cap
constexpr char kBom[] = "\xEF\xBB\xBF";
} // namespace

SseFramer::SseFramer(std::size_t maxEventBytes)
    : m_max(std::max<std::size_t>(maxEventBytes, 1))
{
}

void SseFramer::feed(
    const char *data, std::size_t size, const EventSink &onEvent, const DropSink &onDrop)
{
    const char *p = data;
    const char *end = data + size;
    // a UTF-8 BOM at the start of the stream is not part of the first line
    while (m_atStart && p < end) {
        if (*p == kBom[m_bomMatched]) {
            ++p;
            if (++m_bomMatched == 3)
                m_atStart = false;
            continue;
        }
        m_atStart = false;
        if (m_bomMatched > 0) { // a partial BOM was data after all
            const int n = m_bomMatched;
            m_bomMatched = 0;
            feed(kBom, std::size_t(n), onEvent, onDrop);
        }
    }
    if (p < end)
        m_atStart = false;
    while (p < end) {
        if (m_afterCr) {
            m_afterCr = false;
            if (*p == '\n') {
                ++p;
                continue;
            }
        }
        const char *q = p;
        while (q < end && *q != '\n' && *q != '\r')
            ++q;
        const std::size_t n = std::size_t(q - p);
        if (m_line.size() < m_max + kSlack)
            m_line.append(p, std::min(n, m_max + kSlack - m_line.size()));
        m_lineSize += n;
        if (q == end)
            return;
        m_afterCr = *q == '\r';
        endLine(onEvent, onDrop);
        p = q + 1;
    }
}

void SseFramer::endLine(const EventSink &onEvent, const DropSink &onDrop)
{
    const bool tooLong = m_lineSize > m_max + kSlack; // the data limit applies to values
    line(std::string_view(m_line), tooLong, onEvent, onDrop);
    m_line.clear();
    m_lineSize = 0;
}

void SseFramer::line(
    std::string_view l, bool tooLong, const EventSink &onEvent, const DropSink &onDrop)
{
    if (l.empty() && !tooLong) {
        dispatch(onEvent, onDrop);
        return;
    }
    if (l.front() == ':') {
        ++m_comments;
        return;
    }
    const std::size_t colon = l.find(':');
    std::string_view name = l.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
        value = l.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (name == "data") {
        const std::uint64_t valueSize
            = tooLong ? m_lineSize - (l.size() - value.size()) : value.size();
        m_dataSize += valueSize + 1;
        if (tooLong || m_dataSize > m_max + 1) {
            m_tooLong = true;
            m_data.clear();
        } else {
            m_data.append(value);
            m_data.push_back('\n');
        }
    } else if (tooLong) {
        return; // an oversized id/event/retry/unknown field is ignored
    } else if (name == "event") {
        m_type.assign(value);
    } else if (name == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_idBuffer.assign(value);
    } else if (name == "retry") {
        if (!value.empty() && value.size() <= 18
            && std::all_of(
                value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            std::int64_t v = 0;
            for (char c : value)
                v = v * 10 + (c - '0');
            m_retryMs = v;
        }
    }
}

void SseFramer::dispatch(const EventSink &onEvent, const DropSink &onDrop)
{
    // the id of an event counts once the event is complete: a reconnect after a cut in the
    // middle of an event asks again from the previous one
    m_lastEventId = m_idBuffer;
    if (m_dataSize == 0) {
        m_type.clear();
        return;
    }
    ++m_number;
    if (m_tooLong) {
        ++m_dropped;
        onDrop(m_number, m_dataSize - 1);
    } else {
        if (!m_data.empty() && m_data.back() == '\n')
            m_data.pop_back();
        SseEvent e;
        e.data = m_data;
        e.type = m_type.empty() ? std::string_view("message") : std::string_view(m_type);
        e.lastEventId = m_lastEventId;
        e.number = m_number;
        onEvent(e);
    }
    m_data.clear();
    m_dataSize = 0;
    m_tooLong = false;
    m_type.clear();
}

bool SseFramer::finish()
{
    const bool discarded
        = m_lineSize > 0 || m_dataSize > 0 || !m_type.empty() || m_idBuffer != m_lastEventId;
    m_line.clear();
    m_lineSize = 0;
    m_data.clear();
    m_dataSize = 0;
    m_tooLong = false;
    m_type.clear();
    m_idBuffer = m_lastEventId; // the next stream starts from the last dispatched id
    m_afterCr = false;
    m_bomMatched = 0;
    m_atStart = true;
    return discarded;
}
