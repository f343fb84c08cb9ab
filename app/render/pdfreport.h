#pragma once

#include "export/summary.h"
#include "rules/ruleset.h"

#include <QByteArray>

// --format pdf: the HTML report laid out on A4 pages by QTextDocument (needs QGuiApplication).
QByteArray summaryToPdf(const Summary &s, const RuleSet &rules, const QByteArray &chartPng);
