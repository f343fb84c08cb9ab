#pragma once

#include "export/scopesummary.h"

#include <QString>

#include <optional>

// What the drift banner above the chart says for one scope (limits.md §6): the configured
// limit against the one its responses report, and the changes of the reported limit during
// the log, with their times (the first few; the count of the rest). "" when nothing drifts.
QString limitDriftText(const QString &scope, const std::optional<LimitSpec> &configured,
    const ReportedHistory &reported, bool utc);
