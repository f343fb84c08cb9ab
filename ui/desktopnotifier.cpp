#include "desktopnotifier.h"

#include "appicon.h"

#include <QApplication>
#include <QSystemTrayIcon>
#include <QWidget>

DesktopNotifier::DesktopNotifier(QWidget *window)
    : QObject(window)
    , m_window(window)
{
}

bool DesktopNotifier::hasTray() const
{
    return QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages();
}

void DesktopNotifier::notify(const LiveWarning &warning)
{
    if (!m_enabled)
        return;
    QApplication::alert(m_window); // no-op while the window is active
    if (!hasTray())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(tr("RateScope is watching live traffic"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, m_window, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    m_tray->show();
    const bool incident = warning.kind == LiveWarning::Kind::IncidentStarted;
    m_tray->showMessage(
        incident ? tr("RateScope: a new incident") : tr("RateScope: near the limit"), warning.text,
        incident ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 10000);
}
