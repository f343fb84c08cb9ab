#pragma once

#include "incidents/earlywarning.h"

#include <QObject>

class QSystemTrayIcon;
class QWidget;

// Says an early warning outside the window too: a desktop notification through the system
// tray when the desktop has one, and in any case QApplication::alert (the task bar entry
// asks for attention). Off when the user turned it off (Watch ▸ Desktop notifications).
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    explicit DesktopNotifier(QWidget *window);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled) { m_enabled = enabled; }
    // A tray is there to show notifications.
    bool hasTray() const;

public Q_SLOTS:
    void notify(const LiveWarning &warning);

private:
    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_enabled = true;
};
