#include "model/incidentmodel.h"

#include "model/timeticks.h"

namespace {

QString fromStd(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

IncidentModel::IncidentModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void IncidentModel::setView(std::shared_ptr<const FilteredView> view)
{
    beginResetModel();
    m_view = std::move(view);
    endResetModel();
}

void IncidentModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(
            index(0, StartColumn), index(rowCount() - 1, StartColumn), { Qt::DisplayRole });
    Q_EMIT headerDataChanged(Qt::Horizontal, StartColumn, StartColumn);
}

const Incident *IncidentModel::incident(int row) const
{
    if (!m_view || row < 0 || row >= int(m_view->incidents.size()))
        return nullptr;
    return &m_view->incidents[std::size_t(row)];
}

int IncidentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_view ? 0 : int(m_view->incidents.size());
}

int IncidentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString IncidentModel::cellText(const Incident &inc, int column) const
{
    switch (column) {
    case StartColumn:
        return formatEventTime(inc.startMs, m_utc).left(19);
    case DurationColumn:
        return durationText(inc.endMs - inc.startMs);
    case RejectedColumn:
        return QString::number(inc.rejectedTotal());
    case SourceColumn:
        return QString::fromLatin1(
            sourceName(inc.dominant).data(), qsizetype(sourceName(inc.dominant).size()));
    case ScopeColumn:
        return fromStd(inc.scope);
    case PeakRpmColumn:
        return QString::number(inc.peakRpm);
    case ToolColumn:
        return inc.topTools.empty() ? QString()
                                    : fromStd(m_redactor.text(inc.topTools.front().name));
    case ProviderColumn:
        return inc.topProviders.empty() ? QString()
                                        : fromStd(m_redactor.text(inc.topProviders.front().name));
    case MessageColumn:
        return inc.messages.empty() ? QString()
                                    : fromStd(m_redactor.text(inc.messages.front().name));
    case RetryAfterColumn:
        return inc.maxRetryAfterS ? QStringLiteral("%1 s").arg(*inc.maxRetryAfterS) : QString();
    default:
        return QString();
    }
}

QVariant IncidentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Incident &inc = *incident(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(inc, index.column());
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == ToolColumn
            || index.column() == ProviderColumn) {
            const auto &list = index.column() == MessageColumn
                ? inc.messages
                : (index.column() == ToolColumn ? inc.topTools : inc.topProviders);
            QStringList lines;
            for (const NamedCount &c : list)
                lines << QStringLiteral("%1 × %2").arg(c.count).arg(
                    fromStd(m_redactor.text(c.name)));
            return lines.join(QLatin1Char('\n'));
        }
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == RejectedColumn || index.column() == PeakRpmColumn
            || index.column() == RetryAfterColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case StartMsRole:
        return qint64(inc.startMs);
    case EndMsRole:
        return qint64(inc.endMs);
    case SourceRole:
        return int(inc.dominant);
    case ScopeRole:
        return fromStd(inc.scope);
    default:
        return QVariant();
    }
}

QVariant IncidentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartColumn:
        return m_utc ? tr("Start (UTC)") : tr("Start (local)");
    case DurationColumn:
        return tr("Duration");
    case RejectedColumn:
        return tr("429s");
    case SourceColumn:
        return tr("Mostly");
    case ScopeColumn:
        return tr("API scope");
    case PeakRpmColumn:
        return tr("Peak rpm");
    case ToolColumn:
        return tr("Top tool");
    case ProviderColumn:
        return tr("Top provider");
    case MessageColumn:
        return tr("Top message");
    case RetryAfterColumn:
        return tr("Max Retry-After");
    default:
        return QVariant();
    }
}
