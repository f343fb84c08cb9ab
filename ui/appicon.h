#pragma once

#include <QIcon>

// The application icon, painted (no SVG plugin needed at run time); the same drawing as
// resources/icons/ratescope.svg, which is installed for desktop menus.
QIcon appIcon();
