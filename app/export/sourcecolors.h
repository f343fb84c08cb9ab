#pragma once

#include "base/source.h"

#include <cstdint>

// The colour of each source as 0xAARRGGBB (a QRgb), the same Okabe–Ito values as the window's
// palette (kept equal to ui/sourcepalette.h by tst_ui_chart): the report chart draws with
// them and the HTML report's chips use them, so they live where no QtGui is needed.
std::uint32_t sourceRgb(Source source);
