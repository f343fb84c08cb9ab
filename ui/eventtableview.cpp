#include "eventtableview.h"

#include "model/eventtablemodel.h"
#include "model/tablecopy.h"
#include "sourcedelegate.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>

EventTableView::EventTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    verticalHeader()->setVisible(false);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    setItemDelegateForColumn(
        EventTableModel::SourceColumn, new SourceDelegate(EventTableModel::SourceRole, this));
}

void EventTableView::setEventModel(EventTableModel *model)
{
    m_model = model;
    setModel(model);
    const QFontMetrics fm = fontMetrics();
    const int x = fm.horizontalAdvance(QLatin1Char('x'));
    int widths[EventTableModel::ColumnCount] = {};
    widths[EventTableModel::TimeColumn]
        = fm.horizontalAdvance(QStringLiteral("2026-01-05 10:42:07.120")) + 16;
    widths[EventTableModel::SourceColumn]
        = fm.horizontalAdvance(QStringLiteral("UNCLASSIFIED")) + 28;
    widths[EventTableModel::CategoryColumn]
        = fm.horizontalAdvance(QStringLiteral("HIDDEN_THROTTLE")) + 16;
    widths[EventTableModel::StatusColumn] = fm.horizontalAdvance(QStringLiteral("Status")) + 16;
    widths[EventTableModel::ToolColumn] = x * 22;
    widths[EventTableModel::ProviderColumn] = x * 11;
    widths[EventTableModel::MessageColumn] = x * 42;
    widths[EventTableModel::RetryAfterColumn]
        = fm.horizontalAdvance(QStringLiteral("Retry-After")) + 16;
    widths[EventTableModel::MethodColumn] = fm.horizontalAdvance(QStringLiteral("Method")) + 16;
    widths[EventTableModel::EndpointColumn] = x * 34;
    widths[EventTableModel::RuleColumn] = x * 30;
    widths[EventTableModel::LocationColumn] = x * 20;
    for (int c = 0; c < EventTableModel::ColumnCount; ++c)
        setColumnWidth(c, widths[c]);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            Q_EMIT rowSelected(current.isValid() ? current.row() : -1);
        });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { Q_EMIT rowSelected(-1); });
}

void EventTableView::selectRow(int row)
{
    if (m_model && row >= m_model->rowCount())
        m_model->showAll(); // a row of a batch not shown yet
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row, 0);
    selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void EventTableView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy && m_model && selectionModel()) {
        QGuiApplication::clipboard()->setText(
            tableCopyText(*m_model, selectionModel()->selectedIndexes()));
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}
