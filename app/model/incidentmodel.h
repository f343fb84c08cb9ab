#pragma once

#include "export/redactor.h"
#include "incidents/incidentfinder.h"
#include "model/filteredview.h"

#include <QAbstractTableModel>

#include <memory>

// An axis and its window in words: "tokens per minute", "requests per day", "concurrency".
QString axisWindowText(LimitAxis axis, std::optional<std::int64_t> windowS);
// Which limit bit first, short for a cell: "tokens/min — words", "requests/min — counts",
// "concurrency — words"; "—" when not known.
QString bindingShortText(const Binding &binding);
// The same in words, for a tooltip or the detail pane: "tokens per minute, from the words of
// the 429 (openai-tpm)".
QString bindingLongText(const Binding &binding);

// The incidents of the filtered view, one row each, by start.
class IncidentModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StartColumn,
        DurationColumn,
        RejectedColumn,
        SourceColumn,
        ScopeColumn,
        BindingColumn, // which limit bit first (limits.md §5)
        PeakRpmColumn,
        ToolColumn,
        ProviderColumn,
        MessageColumn,
        RetryAfterColumn,
        ColumnCount
    };
    enum Role {
        StartMsRole = Qt::UserRole + 1, // qint64: first rejection
        EndMsRole, // qint64: last rejection
        SourceRole, // int: dominant RejectionSource
        ScopeRole, // QString: the API scope (an incident never spans two)
    };

    explicit IncidentModel(QObject *parent = nullptr);

    void setView(std::shared_ptr<const FilteredView> view);
    void setUtc(bool utc);
    const Incident *incident(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString cellText(const Incident &inc, int column) const;

    std::shared_ptr<const FilteredView> m_view;
    bool m_utc = true;
    Redactor m_redactor = Redactor::builtIn(); // tools, providers and messages are input text
};
