#pragma once

#include <QString>

class QApplication;

// Light and dark themes: follow the system, or forced by the user.
enum class ThemeMode { System, Light, Dark };

ThemeMode themeModeFromString(const QString &name);
QString themeModeName(ThemeMode mode);

// Applies the theme to the application (Fusion style, a light or dark palette) and says
// whether the result is dark. "Follow the system" asks the platform each time it is applied;
// the window applies it again when the platform says its theme changed (QEvent::ThemeChange:
// Qt 6.4 has no colour-scheme signal yet).
class Theme
{
public:
    explicit Theme(QApplication &app);

    bool apply(ThemeMode mode);
    bool isDark() const { return m_dark; }
    ThemeMode mode() const { return m_mode; }

private:
    QApplication &m_app;
    bool m_dark = false;
    ThemeMode m_mode = ThemeMode::System;
};
