#include "statusinfo.h"

#include "base/palette.h"
#include "model/timeticks.h"
#include "sourcepalette.h"

#include <QFileInfo>

StatusInfo::StatusInfo(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    render();
}

void StatusInfo::setLoadResult(std::shared_ptr<const LoadResult> result)
{
    m_result = std::move(result);
    m_message.clear();
    render();
}

void StatusInfo::setView(std::shared_ptr<const FilteredView> view)
{
    m_view = std::move(view);
    render();
}

void StatusInfo::setTableRows(int rows, const DrillDown &drill)
{
    m_rows = rows;
    m_drill = drill;
    render();
}

void StatusInfo::setBusy(bool busy)
{
    m_busy = busy;
    render();
}

void StatusInfo::showMessage(const QString &message)
{
    m_message = message;
    render();
}

void StatusInfo::render()
{
    QStringList parts;
    if (!m_message.isEmpty())
        parts << m_message.toHtmlEscaped();
    if (!m_result) {
        parts << tr("No log open");
        setText(parts.join(QStringLiteral(" · ")));
        return;
    }
    qint64 skipped = 0;
    for (const InputReport &r : m_result->reports)
        skipped += r.skipped;
    QString files = m_result->paths.size() == 1 ? QFileInfo(m_result->paths.front()).fileName()
                                                : tr("%1 files").arg(m_result->paths.size());
    const qint64 letGo = m_result->history ? m_result->history->events : 0;
    parts << tr("%1: %2 records")
                 .arg(files.toHtmlEscaped())
                 .arg(qint64(m_result->store ? m_result->store->size() : 0) + letGo);
    if (letGo > 0) { // watching with a window (Watch ▸ Hold raw records)
        const QString edge = formatEventTime(m_result->history->heldFromMs, true).mid(11, 5);
        if (m_view && m_view->history && !m_view->historyCounted)
            parts << tr("<span style='color:%1'>the filter counts records from %2 on</span> "
                        "(older ones are counted per API only)")
                         .arg(QColor::fromRgba(Palette::kRateLimited).name(), edge);
        else
            parts << tr("before %1: counted, read back when drilled into").arg(edge);
    }
    if (skipped)
        parts << tr("<span style='color:%1'>%2 skipped</span> (View ▸ Problems)")
                     .arg(QColor::fromRgba(Palette::kRateLimited).name(),
                         skipped == 1 ? tr("1 line") : tr("%1 lines").arg(skipped));
    if (m_view && m_view->store) {
        if (!m_view->all)
            parts << tr("filter keeps %1").arg(m_view->requests());
        QString rejected = tr("%1 rejected").arg(m_view->rejectedTotal());
        for (int k = 0; k < 3; ++k) {
            const RejectionSource s = sourceFromIndex(k);
            rejected += QStringLiteral(" <span style='color:%1'>&#9632;</span>&nbsp;%2")
                            .arg(SourcePalette::color(s).name())
                            .arg(m_view->rejected[std::size_t(k)]);
        }
        parts << rejected;
        parts << tr("%1 incidents").arg(m_view->incidents.size());
    }
    if (m_drill.active)
        parts << tr("table: %1 records of %2–%3 (Esc in the table shows all)")
                     .arg(m_rows)
                     .arg(formatEventTime(m_drill.fromMs, true).mid(11, 8),
                         formatEventTime(m_drill.toMs, true).mid(11, 8));
    else
        parts << tr("table: %1 records").arg(m_rows);
    if (m_busy)
        parts << tr("filtering…");
    setText(parts.join(QStringLiteral(" · ")));
}
