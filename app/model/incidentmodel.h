#pragma once

#include "export/redactor.h"
#include "incidents/incidentfinder.h"
#include "model/filteredview.h"

#include <QAbstractTableModel>

#include <memory>

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
