#pragma once

#include "base/inputreport.h"
#include "engine/engineuri.h"
#include "engine/profile.h"
#include "engine/tablereadoptions.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QMap>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

struct EngineReadOptions : TableReadOptions
{
    int connectTimeoutS = 10;
    // An SQL condition the rows must also meet (built by engine/ code from the profile, never
    // from user text): the rows of one bucket that SQL could not classify (pgaggregate.h).
    QString where;
};

// The profile an engine URI is read with: --map, else ?profile=P, else the built-in profile
// whose table it is (LiteLLM_SpendLogs → litellm-spendlogs, ratescope_events → ratescope).
// nullopt with *error when none applies, naming what to give.
std::optional<Profile> profileFor(
    const EngineUri &uri, const std::optional<QMap<QString, QString>> &map, QString *error);

// Reads a PostgreSQL table into `store` as the file loader reads a file (issue 21): rows in
// keyset pages (ORDER BY time, id LIMIT n, then WHERE (time, id) > the last row's; a time
// range is a WHERE on the time column when it is a timestamp, so the rows of one bucket are
// read from the index and never the whole table), each
// through the profile into the same decoder and rules (RowIngest). Runs on the calling
// thread with a connection of its own: call it from a worker (readPostgresInWorker). The report's
// path is uri.display() (never a password), format "postgresql". Rows the profile cannot read
// are skipped and named by their key; a lost connection keeps the rows read before it and
// sets `fatal` saying how many there were.
InputReport readPostgres(const EngineUri &uri, EventStore &store, const RuleSet &rules,
    const EngineReadOptions &options);

// The same in a thread of its own; the caller waits for it (the command line), or runs it from
// its own worker (the window).
InputReport readPostgresInWorker(const EngineUri &uri, EventStore &store, const RuleSet &rules,
    const EngineReadOptions &options);
