#pragma once

#include <QObject>
#include <QStringList>

// Accepts files dropped on a widget and reports their paths.
class FileDropFilter : public QObject
{
    Q_OBJECT
public:
    explicit FileDropFilter(QWidget *target);

Q_SIGNALS:
    void filesDropped(const QStringList &paths);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};
