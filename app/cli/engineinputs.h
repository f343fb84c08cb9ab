#pragma once

// The inputs of summarize: files through the Loader, engine URIs (postgresql://, clickhouse://:
// issue 21) through their reader (readEngineTable), in the order given, each one's problems
// printed.

#include "base/inputreport.h"
#include "engine/enginetable.h"
#include "engine/engineuri.h"
#include "engine/tablereadoptions.h"
#include "rules/ruleset.h"
#include "sources/loader.h"
#include "store/eventstore.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

// False when one input failed; every input's report goes to *reports when given.
// `map`: --map's columns for the tables (nullopt: their profiles).
bool loadFilesAndEngines(Loader &loader, EventStore &store, const RuleSet &rules,
    const LoadOptions &options, const QStringList &inputs, std::vector<InputReport> *reports,
    const std::optional<QMap<QString, QString>> &map = std::nullopt);

// One engine URI read into the store (its report; report.fatal says why it failed).
InputReport loadEngineInput(const QString &uri, EventStore &store, const RuleSet &rules,
    const LoadOptions &options, const std::optional<QMap<QString, QString>> &map = std::nullopt);
