#include "scopelist.h"

#include <QHeaderView>
#include <QLocale>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
constexpr int kScopeRole = Qt::UserRole;
}

ScopeList::ScopeList(QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
    m_tree->setObjectName(QStringLiteral("scopeList"));
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setHeaderLabels({ tr("API scope"), tr("Requests"), tr("429s") });
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->setToolTip(tr("Each API has its own limits: choose one to see its requests, 429s, "
                          "incidents and limit lines. All scopes shows the total, with no limit "
                          "line."));
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        const QString scope = item->data(0, kScopeRole).toString();
        if (scope == m_current)
            return;
        m_current = scope;
        Q_EMIT scopeChosen(scope);
    });
    hide();
}

QStringList ScopeList::shownScopes() const
{
    QStringList out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        out << m_tree->topLevelItem(i)->data(0, kScopeRole).toString();
    return out;
}

void ScopeList::setScopes(const std::vector<ScopeCount> &scopes)
{
    const QSignalBlocker block(m_tree);
    m_tree->clear();
    const QLocale locale;
    const auto addRow
        = [&](const QString &label, const QString &scope, qint64 requests, qint64 rejected) {
              auto *item = new QTreeWidgetItem(
                  m_tree, { label, locale.toString(requests), locale.toString(rejected) });
              item->setData(0, kScopeRole, scope);
              item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
              item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
          };
    qint64 requests = 0, rejected = 0;
    for (const ScopeCount &c : scopes) {
        requests += c.requests;
        rejected += c.rejected;
    }
    addRow(tr("All scopes"), QString(), requests, rejected);
    for (const ScopeCount &c : scopes) // most rejections first, as LoadResult sorts them
        addRow(c.name, c.name, c.requests, c.rejected);
    setVisible(scopes.size() > 1);
    select(m_current);
}

void ScopeList::setCurrentScope(const QString &scope)
{
    m_current = scope;
    const QSignalBlocker block(m_tree);
    select(scope);
}

void ScopeList::select(const QString &scope)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (item->data(0, kScopeRole).toString().compare(scope, Qt::CaseInsensitive) == 0) {
            m_tree->setCurrentItem(item);
            return;
        }
    }
}
