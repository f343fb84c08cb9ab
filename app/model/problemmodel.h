#pragma once

#include "sources/inputproblems.h"

#include <QAbstractTableModel>

#include <vector>

// The Problems panel's rows: every "FILE:LINE: reason" `summarize` prints for the loaded
// inputs, the count of bad records not listed, inputs that could not be read, and the
// duplicates per input. Texts are redacted (a bad line's reason may quote the input).
class ProblemModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { InputColumn, LineColumn, ProblemColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // QString: the input's path as given
        LineRole, // qulonglong: 1-based line, 0 for the input as a whole
        KindRole, // int: InputProblem::Kind
        CanReadLineRole, // bool: the raw line can be read back (a line of a file)
    };

    explicit ProblemModel(QObject *parent = nullptr);

    // Loaded files: their lines can be read back. Live sources: their lines counted in the
    // stream, not in a file, so they cannot. Reports with the same counts as the shown ones
    // (a live snapshot with nothing new wrong) change nothing: no reset, the selection stays.
    void setReports(const std::vector<InputReport> &reports, bool linesReadable);
    void clear();

    const InputProblem &problem(int row) const { return m_rows[std::size_t(row)]; }
    std::int64_t skippedLines() const { return m_skipped; }
    std::int64_t duplicates() const { return m_duplicates; }
    int failedInputs() const { return m_failed; }
    // "2 lines skipped (14 and 20 of gateway_mix.ndjson …), 1 duplicate": what the panel's
    // title line says; "No problems" when there are none.
    QString summaryText() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void summaryChanged(const QString &text);

private:
    std::vector<InputProblem> m_rows;
    std::vector<std::int64_t> m_signature; // per input: skipped, duplicates, listed, failed
    std::int64_t m_skipped = 0;
    std::int64_t m_duplicates = 0;
    int m_failed = 0;
    int m_inputs = 0;
    bool m_linesReadable = false;
};
