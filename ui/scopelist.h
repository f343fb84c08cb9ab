#pragma once

#include "model/loadjob.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

// The API scopes of what is open (limits.md §1), beside the chart: "All scopes" first, then
// each scope with its requests and 429s, most rejections first. Choosing one shows that API
// alone, with its own limits. Hidden while the data holds one scope or none.
class ScopeList : public QWidget
{
    Q_OBJECT
public:
    explicit ScopeList(QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    // The scope names in the order shown, "" standing for All scopes.
    QStringList shownScopes() const;

public Q_SLOTS:
    void setScopes(const std::vector<ScopeCount> &scopes);
    // The filter's scope ("": all), shown as the current row without emitting scopeChosen.
    void setCurrentScope(const QString &scope);

Q_SIGNALS:
    void scopeChosen(const QString &scope);

private:
    void select(const QString &scope);

    QTreeWidget *m_tree;
    QString m_current;
};
