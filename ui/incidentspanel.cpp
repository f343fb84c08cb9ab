#include "incidentspanel.h"

#include "model/incidentmodel.h"
#include "sourcedelegate.h"

#include <QHeaderView>
#include <QLabel>
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
        = { x * 20, x * 12, x * 7, x * 16, x * 9, x * 20, x * 11, x * 30, x * 10 };
    for (int c = 0; c < IncidentModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c]);
    m_view->setToolTip(tr("Click an incident to zoom the chart to it and list its records"));
    connect(m_view, &QTableView::clicked, this,
        [this](const QModelIndex &index) { activateRow(index.row()); });
    connect(m_view, &QTableView::activated, this,
        [this](const QModelIndex &index) { activateRow(index.row()); });
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
        index.data(IncidentModel::EndMsRole).toLongLong());
}

void IncidentsPanel::updateTitle()
{
    const int n = m_model->rowCount();
    m_title->setText(n == 0
            ? tr("<b>Incidents</b>: none")
            : tr("<b>Incidents</b>: %1 — click one to zoom to it and list its records").arg(n));
}
