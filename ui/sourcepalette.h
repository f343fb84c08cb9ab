#pragma once

#include "base/source.h"

#include <QColor>
#include <QString>

// The one palette of RateScope: Okabe–Ito colours, safe for the common colour-vision
// deficiencies, used by the chart, the legend, the table, the detail pane and the icons.
// Exports in app/ use the same values (export/sourcecolors.h; tst_ui_chart compares them).
namespace SourcePalette {

constexpr QRgb kRateLimited = 0xFFD55E00; // vermillion
constexpr QRgb kToolError = 0xFF0072B2; // blue
constexpr QRgb kUnclassified = 0xFF999999; // grey
constexpr QRgb kLimit = 0xFF009E73; // bluish green: the configured limit
constexpr QRgb kServerLimit = 0xFFCC79A7; // reddish purple: the limit the server reported
constexpr QRgb kOverLimit = 0xFFF0E442; // yellow: buckets over the limit (a translucent band)

// Colour of a rejection source; an invalid colour for Source::None.
QColor color(Source source);
// The requests line: dark on light backgrounds, light on dark ones.
QColor requestsColor(bool dark);
// Text that reads on top of the source colour (chips in the table and the detail pane).
QColor textOn(Source source);
// "RATE_LIMITED" with a human name: "RATE_LIMITED (the platform's limit)".
QString label(Source source);

} // namespace SourcePalette
