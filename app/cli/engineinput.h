#pragma once

#include "base/inputreport.h"
#include "engine/pgsource.h"

#include <QString>

// An engine URI given where a log file could be (`summarize postgresql://…`): read into the
// store by its engine's reader (issue 21). The report names the URI without its password.
InputReport loadEngineInput(const QString &uriText, EventStore &store, const RuleSet &rules,
    const EngineReadOptions &options);
