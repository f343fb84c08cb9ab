#pragma once

#include <QIcon>
#include <QImage>

// The application icon, painted (no SVG plugin needed at run time); the same drawing as
// resources/icons/ratescope.svg, which is installed for desktop menus.
QIcon appIcon();

// One size of it, for the hicolor PNGs the package installs (ui/tools/makeicons.cpp).
QImage appIconImage(int size);
