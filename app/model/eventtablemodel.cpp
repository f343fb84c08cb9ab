#include "model/eventtablemodel.h"

#include "model/eventfilter.h"
#include "model/timeticks.h"

#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace {

QString fromView(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
QString fromStd(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// Which rules of limits.md §7 fired on an event, named by kind (the Category, Rule and a
// gateway-named Provider cell's tool tip); rule names come from the rules file.
QString ruleToolTip(const EventStore &store, std::size_t e)
{
    const RuleHit hit = store.ruleHit(e);
    QStringList lines;
    if (hit.category != ThrottleCategory::None)
        lines << EventTableModel::tr("%1 by the rule \"%2\"")
                     .arg(fromView(categoryName(hit.category)),
                         fromView(store.strings().view(hit.categoryRuleId)));
    if (hit.gatewayRuleId)
        lines << EventTableModel::tr("Gateway rule \"%1\"")
                     .arg(fromView(store.strings().view(hit.gatewayRuleId)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventTableModel::setView(std::shared_ptr<const FilteredView> view)
{
    m_given = view;
    if (m_recalled)
        return; // the drill-down lists what was read back
    // The same store and filter give the same rows (a view made again for new limits, which
    // changes only the incidents' bindings): no reset, so selection and detail stay.
    if (m_view && view && m_view->store && m_view->store == view->store
        && m_view->filter == view->filter && m_view->all == view->all
        && m_view->rows.size() == view->rows.size()) {
        m_view = std::move(view);
        return;
    }
    beginResetModel();
    m_view = std::move(view);
    m_fileNames.clear();
    if (m_view && m_view->store) {
        for (std::size_t f = 0; f < m_view->store->fileCount(); ++f)
            m_fileNames.push_back(
                QFileInfo(fromStd(m_redactor.url(m_view->store->filePath(std::uint16_t(f)))))
                    .fileName());
    }
    rebuildRows();
    m_shown = std::min(scopeSize(), kFirstRows);
    endResetModel();
    startBatches();
}

void EventTableModel::setRecalled(
    std::shared_ptr<const FilteredView> recalled, const DrillDown &drill)
{
    if (drill != m_drill || !recalled)
        return;
    beginResetModel();
    m_recalled = true;
    m_view = std::move(recalled);
    rebuildRows();
    m_shown = std::min(scopeSize(), kFirstRows);
    endResetModel();
    startBatches();
}

void EventTableModel::setDrillDown(const DrillDown &drill)
{
    if (drill == m_drill)
        return;
    beginResetModel();
    m_drill = drill;
    if (m_recalled) { // back to the live rows
        m_recalled = false;
        m_view = m_given;
    }
    rebuildRows();
    m_shown = std::min(scopeSize(), kFirstRows);
    endResetModel();
    startBatches();
    Q_EMIT drillDownChanged(m_drill);
}

void EventTableModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(
            index(0, TimeColumn), index(rowCount() - 1, TimeColumn), { Qt::DisplayRole });
    Q_EMIT headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
}

void EventTableModel::startBatches()
{
    const quint64 generation = m_scopeGeneration;
    if (isComplete()) {
        Q_EMIT complete();
        return;
    }
    // a timer, not a posted event: input and paints get their turn between two batches
    QTimer::singleShot(1, this, [this, generation] {
        if (generation != m_scopeGeneration)
            return;
        showMore(kBatchRows);
        startBatches();
    });
}

void EventTableModel::showMore(int rows)
{
    const int next = std::min(scopeSize(), m_shown + rows);
    if (next <= m_shown)
        return;
    beginInsertRows(QModelIndex(), m_shown, next - 1);
    m_shown = next;
    endInsertRows();
}

void EventTableModel::showAll()
{
    if (isComplete())
        return;
    showMore(scopeSize() - m_shown);
    ++m_scopeGeneration; // the pending batch has nothing left to do
    Q_EMIT complete();
}

void EventTableModel::rebuildRows()
{
    ++m_scopeGeneration;
    m_shown = 0;
    m_picked.clear();
    m_usePicked = false;
    m_begin = m_end = 0;
    if (!m_view || !m_view->store)
        return;
    const EventStore &store = *m_view->store;
    const EventSubset &rows = m_view->rows;
    if (!m_drill.active) {
        m_end = rows.size();
        return;
    }
    std::tie(m_begin, m_end) = timeRange(store, rows, m_drill.fromMs, m_drill.toMs);
    if (m_drill.sources != FilterState::kAllSources) {
        m_usePicked = true;
        const std::uint8_t mask = m_drill.sources;
        for (std::size_t r = m_begin; r < m_end; ++r) {
            if (mask & FilterState::bit(store.source(rows[r])))
                m_picked.push_back(rows[r]);
        }
    }
}

int EventTableModel::eventAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    return int(m_usePicked ? m_picked[std::size_t(row)] : m_view->rows[m_begin + std::size_t(row)]);
}

int EventTableModel::rowOfEvent(int event) const
{
    if (!m_view || !m_view->store || event < 0 || std::size_t(event) >= m_view->store->size())
        return -1;
    const EventStore &store = *m_view->store;
    const qint64 t = store.timeMs(std::size_t(event));
    auto search = [&](auto first, auto last) -> int {
        auto it = std::lower_bound(
            first, last, t, [&store](std::uint32_t e, qint64 v) { return store.timeMs(e) < v; });
        for (; it != last && store.timeMs(*it) == t; ++it) {
            if (int(*it) == event)
                return int(it - first);
        }
        return -1;
    };
    if (m_usePicked)
        return search(m_picked.begin(), m_picked.end());
    return search(m_view->rows.begin() + std::ptrdiff_t(m_begin),
        m_view->rows.begin() + std::ptrdiff_t(m_end));
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_shown;
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventTableModel::cellText(std::size_t e, int column) const
{
    const EventStore &store = *m_view->store;
    switch (column) {
    case TimeColumn: // marked: a time without a zone was read as UTC, it may be off by hours
        return formatEventTime(store.timeMs(e), m_utc)
            + ((store.flags(e) & FlagTimeNoZone) ? tr(" (no zone)") : QString());
    case SourceColumn:
        return store.source(e) == RejectionSource::None ? QString()
                                                        : fromView(sourceName(store.source(e)));
    case CategoryColumn: {
        const ThrottleCategory c = store.category(e);
        return c == ThrottleCategory::None ? QString() : fromView(categoryName(c));
    }
    case RuleColumn: { // the category's rule, then the gateway's: "insufficient balance ·
                       // OpenRouter: …"
        const RuleHit hit = store.ruleHit(e);
        QStringList rules;
        for (std::uint32_t id : { hit.categoryRuleId, hit.gatewayRuleId }) {
            if (id)
                rules << fromView(store.strings().view(id));
        }
        return rules.join(QStringLiteral(" · "));
    }
    case StatusColumn:
        if (store.flags(e) & FlagNoResponse)
            return tr("no response");
        return store.status(e) < 0 ? QString() : QString::number(store.status(e));
    case MethodColumn:
        return fromStd(m_redactor.text(store.method(e)));
    case EndpointColumn:
        return fromStd(m_redactor.url(m_redactor.text(store.endpoint(e))));
    case ToolColumn:
        return fromStd(m_redactor.text(store.tool(e)));
    case ProviderColumn:
        return fromStd(m_redactor.text(store.provider(e)));
    case MessageColumn:
        return fromStd(m_redactor.text(store.message(e)));
    case RetryAfterColumn: {
        const std::int32_t ra = store.retryAfterMs(e);
        return ra < 0 ? QString() : QStringLiteral("%1 s").arg(ra / 1000.0);
    }
    case LocationColumn: {
        const int f = store.file(e);
        const QString name = f < m_fileNames.size() ? m_fileNames[f] : QString();
        return QStringLiteral("%1:%2").arg(name).arg(store.line(e));
    }
    default:
        return QString();
    }
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const std::size_t e = std::size_t(eventAt(index.row()));
    const EventStore &store = *m_view->store;
    switch (role) {
    case Qt::DisplayRole:
        return cellText(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == EndpointColumn)
            return cellText(e, index.column());
        if (index.column() == CategoryColumn || index.column() == RuleColumn
            || (index.column() == ProviderColumn && store.ruleHit(e).gatewayRuleId)) {
            const QString rules = ruleToolTip(store, e);
            return rules.isEmpty() ? QVariant() : QVariant(rules);
        }
        if (index.column() == LocationColumn)
            return fromStd(m_redactor.url(store.filePath(store.file(e))))
                + QStringLiteral(":%1").arg(store.line(e));
        if (index.column() == TimeColumn && (store.flags(e) & FlagTimeNoZone))
            return tr("The record's time has no zone: it was read as UTC");
        if (index.column() == StatusColumn && (store.flags(e) & FlagNoResponse))
            return tr("The request got no response (HAR status 0): never a 429");
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == StatusColumn || index.column() == RetryAfterColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case EventIndexRole:
        return int(e);
    case SourceRole:
        return int(store.source(e));
    case TimeMsRole:
        return qint64(store.timeMs(e));
    case FlagsRole:
        return int(store.flags(e));
    default:
        return QVariant();
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return m_utc ? tr("Time (UTC)") : tr("Time (local)");
    case SourceColumn:
        return tr("Source");
    case CategoryColumn:
        return tr("Category");
    case RuleColumn:
        return tr("Rule");
    case StatusColumn:
        return tr("Status");
    case MethodColumn:
        return tr("Method");
    case EndpointColumn:
        return tr("Endpoint");
    case ToolColumn:
        return tr("Tool");
    case ProviderColumn:
        return tr("Provider");
    case MessageColumn:
        return tr("Message");
    case RetryAfterColumn:
        return tr("Retry-After");
    case LocationColumn:
        return tr("File:line");
    default:
        return QVariant();
    }
}
