#pragma once

#include <QDockWidget>

class ProblemModel;
class QLabel;
class QPlainTextEdit;
class QTableView;
class RawLineLoader;
struct RawLine;

// View ▸ Problems: what the loader skipped or could not read, as `summarize` prints it
// (FILE:LINE: reason), the duplicates per input and how many lines were skipped. Selecting a
// bad line reads it back from its file (in the RawLineLoader's worker) and shows it, redacted.
class ProblemsPanel : public QDockWidget
{
    Q_OBJECT
public:
    ProblemsPanel(ProblemModel *model, RawLineLoader &lines, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QPlainTextEdit *rawLine() const { return m_raw; }
    QLabel *summary() const { return m_summary; }

private:
    void showRow(int row);
    void showLine(const RawLine &line);

    ProblemModel *m_model;
    RawLineLoader &m_lines;
    QLabel *m_summary;
    QTableView *m_table;
    QPlainTextEdit *m_raw;
};
