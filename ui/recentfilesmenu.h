#pragma once

#include <QMenu>

class UiSettings;

// File ▸ Open Recent: the last files opened, newest first.
class RecentFilesMenu : public QMenu
{
    Q_OBJECT
public:
    RecentFilesMenu(UiSettings &settings, QWidget *parent = nullptr);

public Q_SLOTS:
    void add(const QStringList &paths);

Q_SIGNALS:
    void openRequested(const QStringList &paths);

private:
    void rebuild();

    UiSettings &m_settings;
};
