#include "incidents/earlywarning.h"

#include "decode/timestamp.h"

#include <algorithm>
#include <cmath>

EarlyWarning::EarlyWarning(double share, double mergeGapMinutes)
    : m_share(share > 0 ? share : 0.9)
    , m_gapMs(std::int64_t(std::llround(mergeGapMinutes * 60000.0)))
{
}

void EarlyWarning::setLimit(std::optional<LimitSpec> limit)
{
    if (limit && !limit->windowS)
        limit.reset(); // a reported limit without a window says nothing about a minute
    m_limit = limit;
}

std::int64_t EarlyWarning::threshold() const
{
    return std::max<std::int64_t>(
        1, std::int64_t(std::ceil(double(m_limit->requests) * m_share - 1e-9)));
}

std::vector<LiveWarning> EarlyWarning::add(
    const EventStore &events, const std::vector<std::uint32_t> *subset)
{
    std::vector<LiveWarning> out;
    std::vector<std::pair<std::int64_t, std::size_t>> rejections;
    const bool perMinute = m_limit && m_limit->perMinute();
    const std::int64_t windowMs = m_limit && !perMinute ? *m_limit->windowS * 1000 : 0;
    const std::size_t n = subset ? subset->size() : events.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = subset ? (*subset)[k] : k;
        const std::int64_t t = events.timeMs(i);
        m_newest = std::max(m_newest, t);
        ++m_minuteCounts[floorToMinute(t)]; // also for the status of a scope (minuteCount)
        if (windowMs > 0 && t > m_newest - windowMs)
            m_window.insert(t);
        if (events.isRejection(i))
            rejections.emplace_back(t, i);
    }
    std::sort(rejections.begin(), rejections.end());
    for (const auto &[t, i] : rejections) {
        if (!m_lastRejection || t - *m_lastRejection > m_gapMs) {
            LiveWarning w;
            w.kind = LiveWarning::Kind::IncidentStarted;
            w.timeMs = t;
            w.source = events.source(i);
            const std::string_view tool = events.tool(i);
            w.text = QStringLiteral("new incident at %1: %2%3")
                         .arg(QString::fromStdString(formatUtcMs(t)),
                             QLatin1String(sourceName(w.source).data()),
                             tool.empty() ? QString()
                                          : QStringLiteral(" (%1)").arg(QString::fromUtf8(
                                              tool.data(), qsizetype(tool.size()))));
            out.push_back(std::move(w));
        }
        m_lastRejection = std::max(m_lastRejection.value_or(t), t);
    }
    // keep only the recent minutes
    while (m_newest != INT64_MIN && !m_minuteCounts.empty()
        && m_minuteCounts.begin()->first < floorToMinute(m_newest) - 120000)
        m_minuteCounts.erase(m_minuteCounts.begin());
    if (m_limit && m_newest != INT64_MIN) {
        const std::int64_t need = threshold();
        if (perMinute) {
            const std::int64_t minute = floorToMinute(m_newest);
            const std::int64_t count = m_minuteCounts[minute];
            if (count >= need && m_warnedMinute != minute) {
                m_warnedMinute = minute;
                LiveWarning w;
                w.timeMs = minute;
                w.count = count;
                w.limit = m_limit->requests;
                w.text = QStringLiteral(
                    "%1 requests in the minute %2 reach %3 % of the limit of %4/min")
                             .arg(count)
                             .arg(QString::fromStdString(formatUtcMinute(minute)))
                             .arg(std::llround(double(count) * 100.0 / double(m_limit->requests)))
                             .arg(m_limit->requests);
                out.push_back(std::move(w));
            }
        } else {
            while (!m_window.empty() && *m_window.begin() <= m_newest - windowMs)
                m_window.erase(m_window.begin());
            const std::int64_t count = std::int64_t(m_window.size());
            if (count < need) {
                m_windowWarned = false;
            } else if (!m_windowWarned) {
                m_windowWarned = true;
                LiveWarning w;
                w.timeMs = m_newest;
                w.count = count;
                w.limit = m_limit->requests;
                w.text = QStringLiteral(
                    "%1 requests in the %2 s before %3 reach %4 % of the limit of %5/%2s")
                             .arg(count)
                             .arg(*m_limit->windowS)
                             .arg(QString::fromStdString(formatUtcMs(m_newest)))
                             .arg(std::llround(double(count) * 100.0 / double(m_limit->requests)))
                             .arg(m_limit->requests);
                out.push_back(std::move(w));
            }
        }
    }
    return out;
}
