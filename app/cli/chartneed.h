#pragma once

// Whether `ratescope summarize ARGS` will draw a chart (Markdown written to a file, HTML, PDF:
// QtGui on the offscreen platform) or not (JSON, CSV, Markdown on standard output). Decided
// from argv before any Qt application object exists: `ratescope` runs the ones that draw
// nothing itself, with QtCore only, and hands the others to ratescope-gui (app/main.cpp).
// When unsure it answers true (a chart can be drawn there).
bool summarizeDrawsChart(int argc, char **argv);
