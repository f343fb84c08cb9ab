#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace {

// One row per palette role: its light and its dark colour (Fusion fills in what is missing).
struct RoleColors
{
    QPalette::ColorGroup group;
    QPalette::ColorRole role;
    QRgb light;
    QRgb dark;
};

constexpr RoleColors kRoles[] = {
    { QPalette::All, QPalette::Window, 0xF4F4F4, 0x2B2D30 },
    { QPalette::All, QPalette::WindowText, 0x1E1E1E, 0xE6E6E6 },
    { QPalette::All, QPalette::Base, 0xFFFFFF, 0x1E1F22 },
    { QPalette::All, QPalette::AlternateBase, 0xF0F3F6, 0x26282B },
    { QPalette::All, QPalette::ToolTipBase, 0xFFFFF0, 0x3C3F41 },
    { QPalette::All, QPalette::ToolTipText, 0x1E1E1E, 0xE6E6E6 },
    { QPalette::All, QPalette::PlaceholderText, 0x808080, 0x909090 },
    { QPalette::All, QPalette::Text, 0x1E1E1E, 0xE6E6E6 },
    { QPalette::All, QPalette::Button, 0xEAEAEA, 0x3A3D41 },
    { QPalette::All, QPalette::ButtonText, 0x1E1E1E, 0xE6E6E6 },
    { QPalette::All, QPalette::BrightText, 0xFF0000, 0xFF8080 },
    { QPalette::All, QPalette::Link, 0x005A9C, 0x56B4E9 },
    { QPalette::All, QPalette::Highlight, 0x2F6FB5, 0x3D6FA8 },
    { QPalette::All, QPalette::HighlightedText, 0xFFFFFF, 0xFFFFFF },
    { QPalette::Disabled, QPalette::Text, 0xA0A0A0, 0x808080 },
    { QPalette::Disabled, QPalette::ButtonText, 0xA0A0A0, 0x808080 },
    { QPalette::Disabled, QPalette::WindowText, 0xA0A0A0, 0x808080 },
};

// The bevel colours Fusion derives from Button are too light on a dark window.
constexpr RoleColors kDarkOnly[] = {
    { QPalette::All, QPalette::Mid, 0, 0x505256 },
    { QPalette::All, QPalette::Dark, 0, 0x18181A },
    { QPalette::All, QPalette::Shadow, 0, 0x101010 },
    { QPalette::All, QPalette::Light, 0, 0x4A4D52 },
    { QPalette::All, QPalette::Midlight, 0, 0x404347 },
};

QPalette palette(bool dark)
{
    QPalette p;
    for (const RoleColors &r : kRoles)
        p.setColor(r.group, r.role, QColor::fromRgb(dark ? r.dark : r.light));
    if (dark) {
        for (const RoleColors &r : kDarkOnly)
            p.setColor(r.group, r.role, QColor::fromRgb(r.dark));
    }
    return p;
}

} // namespace

ThemeMode themeModeFromString(const QString &name)
{
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return ThemeMode::Light;
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return ThemeMode::Dark;
    return ThemeMode::System;
}

QString themeModeName(ThemeMode mode)
{
    switch (mode) {
    case ThemeMode::Light:
        return QStringLiteral("light");
    case ThemeMode::Dark:
        return QStringLiteral("dark");
    case ThemeMode::System:
        break;
    }
    return QStringLiteral("system");
}

Theme::Theme(QApplication &app)
    : m_app(app)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
}

namespace {

// The platform's current palette: an empty application palette resolves entirely to it.
bool systemIsDark(QApplication &app)
{
    app.setPalette(QPalette());
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

} // namespace

bool Theme::apply(ThemeMode mode)
{
    m_mode = mode;
    m_dark = mode == ThemeMode::Dark || (mode == ThemeMode::System && systemIsDark(m_app));
    m_app.setPalette(palette(m_dark));
    return m_dark;
}
