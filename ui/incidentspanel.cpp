#include "incidentspanel.h"

#include "model/incidentmodel.h"
#include "sourcedelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

IncidentsPanel::IncidentsPanel(IncidentModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_title(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_view);
    m_title->setContentsMargins(4, 2, 4, 0);
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setItemDelegateForColumn(
        IncidentModel::SourceColumn, new SourceDelegate(IncidentModel::SourceRole, this));
    const QFontMetrics fm = fontMetrics();
    const int x = fm.horizontalAdvance(QLatin1Char('x'));
    const int widths[IncidentModel::ColumnCount]
        = { x * 20, x * 12, x * 7, x * 16, x * 18, x * 22, x * 9, x * 20, x * 11, x * 30, x * 10 };
    for (int c = 0; c < IncidentModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c]);
    m_view->setToolTip(tr("Click an incident to zoom the chart to it and list its records"));
    connect(m_view, &QTableView::clicked, this,
        [this](const QModelIndex &index) { activateRow(index.row()); });
    connect(m_view, &QTableView::activated, this,
        [this](const QModelIndex &index) { activateRow(index.row()); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const auto range = rangeOfRow(m_view->indexAt(pos).row());
        if (!range)
            return;
        m_view->selectRow(m_view->indexAt(pos).row());
        QMenu menu(this);
        menu.addAction(tr("Export this incident…"), this,
            [this, r = *range] { Q_EMIT exportRequested(r.first, r.second); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(model, &QAbstractItemModel::modelReset, this, &IncidentsPanel::updateTitle);
    updateTitle();
}

void IncidentsPanel::activateRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    if (!index.isValid())
        return;
    m_view->selectRow(row);
    Q_EMIT incidentActivated(index.data(IncidentModel::StartMsRole).toLongLong(),
        index.data(IncidentModel::EndMsRole).toLongLong(),
        index.data(IncidentModel::ScopeRole).toString());
}

std::optional<std::pair<qint64, qint64>> IncidentsPanel::rangeOfRow(int row) const
{
    const QModelIndex index = m_model->index(row, 0);
    if (!index.isValid())
        return std::nullopt;
    const qint64 start = index.data(IncidentModel::StartMsRole).toLongLong();
    const qint64 end = index.data(IncidentModel::EndMsRole).toLongLong();
    // the minutes the incident's counts are over (summary.md); times are not negative here
    return std::make_pair(start / 60000 * 60000, end / 60000 * 60000 + 60000);
}

std::optional<std::pair<qint64, qint64>> IncidentsPanel::selectedRange() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? std::nullopt : rangeOfRow(rows.front().row());
}

void IncidentsPanel::updateTitle()
{
    const int n = m_model->rowCount();
    m_title->setText(n == 0
            ? tr("<b>Incidents</b>: none")
            : tr("<b>Incidents</b>: %1 — click one to zoom to it and list its records").arg(n));
}
