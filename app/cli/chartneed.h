#pragma once

// Whether `ratescope summarize ARGS` will draw a chart (Markdown, HTML, PDF: QtGui on the
// offscreen platform) or not (JSON, CSV). Decided from argv before any Qt application object
// exists: starting a QGuiApplication loads the platform plugin and fontconfig, ~50 ms of a
// run that otherwise needs only QtCore. When unsure it answers true (a chart can be drawn).
bool summarizeDrawsChart(int argc, char **argv);
