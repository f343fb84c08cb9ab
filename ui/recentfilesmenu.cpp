#include "recentfilesmenu.h"

#include "uisettings.h"

#include <QFileInfo>

RecentFilesMenu::RecentFilesMenu(UiSettings &settings, QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
    , m_settings(settings)
{
    rebuild();
}

void RecentFilesMenu::add(const QStringList &paths)
{
    for (auto it = paths.rbegin(); it != paths.rend(); ++it)
        m_settings.addRecentFile(*it);
    rebuild();
}

void RecentFilesMenu::rebuild()
{
    clear();
    const QStringList files = m_settings.recentFiles();
    int n = 0;
    for (const QString &path : files) {
        ++n;
        QAction *a
            = addAction(QStringLiteral("&%1  %2").arg(n % 10).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path] { Q_EMIT openRequested({ path }); });
    }
    if (files.isEmpty())
        addAction(tr("(none)"))->setEnabled(false);
    addSeparator();
    QAction *clearAction = addAction(tr("Clear list"));
    clearAction->setEnabled(!files.isEmpty());
    connect(clearAction, &QAction::triggered, this, [this] {
        m_settings.clearRecentFiles();
        rebuild();
    });
}
