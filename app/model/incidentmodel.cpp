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

QString axisText(LimitAxis axis)
{
    switch (axis) {
    case LimitAxis::Requests:
        return IncidentModel::tr("requests");
    case LimitAxis::Tokens:
        return IncidentModel::tr("tokens");
    case LimitAxis::InputTokens:
        return IncidentModel::tr("input tokens");
    case LimitAxis::OutputTokens:
        return IncidentModel::tr("output tokens");
    case LimitAxis::Concurrency:
        break;
    }
    return IncidentModel::tr("concurrency");
}

// "min", "h", "day", "s", else the --limit grammar's "10s", "5m"
QString windowShort(std::int64_t w)
{
    switch (w) {
    case 1:
        return QStringLiteral("s");
    case 60:
        return QStringLiteral("min");
    case 3600:
        return QStringLiteral("h");
    case 86400:
        return QStringLiteral("day");
    default:
        break;
    }
    LimitSpec one;
    one.requests = 1;
    one.windowS = w;
    return limitSpecText(one).mid(2);
}

} // namespace

QString axisWindowText(LimitAxis axis, std::optional<std::int64_t> windowS)
{
    QString t = axisText(axis);
    if (windowS && axis != LimitAxis::Concurrency) {
        const std::int64_t w = *windowS;
        t += w == 60     ? IncidentModel::tr(" per minute")
            : w == 3600  ? IncidentModel::tr(" per hour")
            : w == 86400 ? IncidentModel::tr(" per day")
                         : IncidentModel::tr(" per %1").arg(windowShort(w));
    }
    return t;
}

QString bindingShortText(const Binding &b)
{
    if (!b.axis)
        return QStringLiteral("—");
    QString t = axisText(*b.axis);
    if (b.windowS)
        t += QLatin1Char('/') + windowShort(*b.windowS);
    switch (b.evidence) {
    case Binding::Evidence::Message:
        return IncidentModel::tr("%1 — words").arg(t);
    case Binding::Evidence::Headers:
        return IncidentModel::tr("%1 — headers").arg(t);
    case Binding::Evidence::Counts:
        return IncidentModel::tr("%1 — counts").arg(t);
    case Binding::Evidence::Unknown:
        break;
    }
    return t;
}

QString bindingLongText(const Binding &b)
{
    if (!b.axis)
        return IncidentModel::tr("not known — the 429s' words name no limit, and the counts "
                                 "judge only a scope's own rejections (RATE_LIMITED) against a "
                                 "limit it has");
    const QString t = axisWindowText(*b.axis, b.windowS);
    const QString rule = QString::fromStdString(b.rule);
    switch (b.evidence) {
    case Binding::Evidence::Message:
        return IncidentModel::tr("%1, from the words of the 429 (%2)").arg(t, rule);
    case Binding::Evidence::Headers:
        return IncidentModel::tr("%1, from the headers (remaining 0 at the first 429)").arg(t);
    case Binding::Evidence::Counts:
        return IncidentModel::tr("%1, from the counts before the first 429 (the highest "
                                 "use/limit of the known limits)")
            .arg(t);
    case Binding::Evidence::Unknown:
        break;
    }
    return t;
}

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
    case BindingColumn:
        return bindingShortText(inc.binding);
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
        if (index.column() == BindingColumn)
            return tr("Limit that bit first: %1").arg(bindingLongText(inc.binding));
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
    case BindingColumn:
        return tr("Limit that bit");
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
