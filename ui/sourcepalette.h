#pragma once

#include "base/palette.h"

#include <QColor>
#include <QString>

// The window's colours as QColors, for the chart, the legend, the table, the detail pane and
// the icons. The values are the core's one table (base/palette.h), which the exports read too.
namespace SourcePalette {

// Colour of a rejection source; an invalid colour for RejectionSource::None.
QColor color(RejectionSource source);
// The requests line: dark on light backgrounds, light on dark ones.
QColor requestsColor(bool dark);
// Text that reads on top of the source colour (chips in the table and the detail pane).
QColor textOn(RejectionSource source);
// "RATE_LIMITED" with a human name: "RATE_LIMITED (the platform's limit)".
QString label(RejectionSource source);

} // namespace SourcePalette
