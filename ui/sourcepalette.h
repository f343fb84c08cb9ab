#pragma once

#include "base/palette.h"

#include <QBrush>
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

// The colour of a category of limits.md §7 (QUOTA's is the text colour of the background:
// black, or white when dark); an invalid colour for ThrottleCategory::None.
QColor categoryColor(ThrottleCategory category, bool dark);
// How the chart and the legend fill a category: hatching in its colour (a QUOTA rejection keeps
// its source's colour under the hatching; the other two are no rejection, hence no solid fill).
QBrush categoryBrush(ThrottleCategory category, bool dark);
// "OVERLOADED (the service's trouble, not your limit)".
QString categoryLabel(ThrottleCategory category);

} // namespace SourcePalette
