#pragma once

#include "export/summary.h"

#include <QByteArray>
#include <QImage>
#include <QSize>

// The report chart, drawn headless with QPainter (no widgets): requests per minute as a line,
// the 429s of each source stacked in their colours (the same Okabe–Ito values as the window's
// palette), the limit as a horizontal line, minutes over it shaded. Needs a QGuiApplication
// (the CLI runs one on the offscreen platform) for fonts.
QImage renderRateChart(const Summary &s, QSize size = QSize(1200, 420));
QByteArray chartPng(const Summary &s, QSize size = QSize(1200, 420));
