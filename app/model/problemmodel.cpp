#include "model/problemmodel.h"

#include "export/redactor.h"

#include <QFileInfo>

ProblemModel::ProblemModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProblemModel::setReports(const std::vector<InputReport> &reports, bool linesReadable)
{
    std::vector<std::int64_t> signature { linesReadable };
    for (const InputReport &r : reports)
        signature.insert(signature.end(),
            { r.skipped, r.duplicates, std::int64_t(r.errors.size()), r.failed() });
    if (signature == m_signature)
        return;
    m_signature = std::move(signature);
    beginResetModel();
    m_rows.clear();
    m_skipped = m_duplicates = 0;
    m_failed = 0;
    m_inputs = int(reports.size());
    m_linesReadable = linesReadable;
    const Redactor &redactor = Redactor::builtIn();
    for (const InputReport &r : reports) {
        m_skipped += r.skipped;
        m_duplicates += r.duplicates;
        m_failed += r.failed();
        for (InputProblem &p : inputProblems(r)) {
            p.message = QString::fromStdString(redactor.text(p.message.toStdString()));
            m_rows.push_back(std::move(p));
        }
    }
    endResetModel();
    Q_EMIT summaryChanged(summaryText());
}

void ProblemModel::clear()
{
    m_signature.clear();
    setReports({}, false);
}

QString ProblemModel::summaryText() const
{
    QStringList parts;
    if (m_skipped > 0)
        parts << (m_skipped == 1 ? tr("1 line skipped") : tr("%1 lines skipped").arg(m_skipped));
    if (m_duplicates > 0)
        parts << (m_duplicates == 1 ? tr("1 duplicate record")
                                    : tr("%1 duplicate records").arg(m_duplicates));
    if (m_failed > 0)
        parts << (m_failed == 1 ? tr("1 input not read") : tr("%1 inputs not read").arg(m_failed));
    if (parts.isEmpty())
        return m_inputs == 0 ? QString() : tr("No problems: every line of every input was read");
    return parts.join(QStringLiteral(", "))
        + (m_inputs > 1 ? tr(" in %1 inputs").arg(m_inputs) : QString());
}

int ProblemModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProblemModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const InputProblem &p = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case InputColumn:
            return QFileInfo(p.path).fileName().isEmpty() ? p.path : QFileInfo(p.path).fileName();
        case LineColumn:
            return p.line > 0 ? QVariant(qulonglong(p.line)) : QVariant();
        case ProblemColumn:
            return p.message;
        }
        return QVariant();
    case Qt::ToolTipRole:
        return p.text(); // FILE:LINE: reason, as summarize prints it
    case Qt::TextAlignmentRole:
        return index.column() == LineColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                            : QVariant();
    case PathRole:
        return p.path;
    case LineRole:
        return qulonglong(p.line);
    case KindRole:
        return int(p.kind);
    case CanReadLineRole:
        return m_linesReadable && p.kind == InputProblem::Kind::BadRecord && p.line > 0;
    default:
        return QVariant();
    }
}

QVariant ProblemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case InputColumn:
        return tr("Input");
    case LineColumn:
        return tr("Line");
    case ProblemColumn:
        return tr("Problem");
    }
    return QVariant();
}
