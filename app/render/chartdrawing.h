#pragma once

#include "export/reportwriter.h"

// The report chart and the PDF drawn with QtGui (QPainter, QTextDocument, QPdfWriter): what
// writeReport needs for Markdown written to a file, HTML and PDF. Handed to it by the
// programs that link QtGui (ratescope-gui, the window's exports, the tests).
const ChartDrawing &qtChartDrawing();
