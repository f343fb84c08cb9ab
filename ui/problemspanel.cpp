#include "problemspanel.h"

#include "model/problemmodel.h"
#include "model/rawlineloader.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

ProblemsPanel::ProblemsPanel(ProblemModel *model, RawLineLoader &lines, QWidget *parent)
    : QDockWidget(tr("Problems"), parent)
    , m_model(model)
    , m_lines(lines)
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_raw(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("problemsDock"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setText(tr("Open a log: what could not be read is listed here."));
    m_table->setModel(model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ProblemModel::InputColumn, 200);
    m_table->setColumnWidth(ProblemModel::LineColumn, 70);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setPlaceholderText(tr("Select a line to see it as it is in the file (redacted)."));

    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    auto *split = new QSplitter(Qt::Horizontal, body);
    split->addWidget(m_table);
    split->addWidget(m_raw);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    setWidget(body);

    connect(model, &ProblemModel::summaryChanged, m_summary, &QLabel::setText);
    connect(model, &QAbstractItemModel::modelReset, m_raw, &QPlainTextEdit::clear);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showRow(current.isValid() ? current.row() : -1); });
    connect(&lines, &RawLineLoader::lineReady, this, &ProblemsPanel::showLine);
}

void ProblemsPanel::showRow(int row)
{
    m_lines.clear();
    if (row < 0 || row >= m_model->rowCount()) {
        m_raw->clear();
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    const InputProblem &p = m_model->problem(row);
    if (!index.data(ProblemModel::CanReadLineRole).toBool()) {
        m_raw->setPlainText(p.text()); // the input as a whole: nothing more to read
        return;
    }
    m_raw->setPlainText(tr("Reading line %1 of %2…").arg(p.line).arg(QFileInfo(p.path).fileName()));
    m_lines.request(p.path, p.line);
}

void ProblemsPanel::showLine(const RawLine &line)
{
    const QString where
        = QStringLiteral("%1:%2").arg(QFileInfo(line.path).fileName()).arg(line.line);
    if (!line.error.isEmpty()) {
        m_raw->setPlainText(tr("%1: cannot read the line: %2").arg(where, line.error));
        return;
    }
    m_raw->setPlainText(
        line.text + (line.cut ? tr("\n… (only the start of a longer line)") : QString()));
    m_raw->setToolTip(where);
}
