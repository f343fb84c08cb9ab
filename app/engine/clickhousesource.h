#pragma once

// A ClickHouse table read into an EventStore as the file loader reads a file (issue 21):
// `ratescope summarize clickhouse://host:8123/db.table?profile=P`.

#include "base/inputreport.h"
#include "engine/clickhouseaggregate.h"
#include "engine/clickhouseclient.h"
#include "engine/engineuri.h"
#include "engine/profile.h"
#include "engine/tablereadoptions.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QMap>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

// One page of rows in (time, id) order, for a drill-down into a bucket (issue 21: only the rows
// of the chosen bucket, with keyset paging). In: where the previous page ended (empty: at
// the start of the range) and how many rows; out: where this page ended and whether more
// follow.
struct ClickHousePage
{
    int rows = 200;
    QString afterTime, afterId; // SQL literals of the previous page's last row
    bool more = false;
};

struct ClickHouseReadOptions : TableReadOptions
{
    ClickHousePage *page = nullptr; // one page only (needs the profile's id column)
};

// Host, port, database and table of a clickhouse:// URI, with its credentials: the URI's own
// user and password when it names them, else CLICKHOUSE_USER / CLICKHOUSE_PASSWORD.
ClickHouseTarget clickHouseTarget(const EngineUri &uri);

// The profile a clickhouse:// URI is read with: --map, else ?profile=P, else the built-in one
// whose table it is (ratescope_events → ratescope, observations → langfuse-observations).
std::optional<Profile> clickHouseProfile(
    const EngineUri &uri, const std::optional<QMap<QString, QString>> &map, QString *error);

// Reads the table into `store` (issue 21): rows in keyset pages (ORDER BY time, id LIMIT n,
// then WHERE (time, id) > the last row's), each through the profile into the same decoder
// and rules as a file (RowIngest), or read back as stored for the `ratescope` table. Runs on
// the calling thread (it waits on a local event loop). The report's path is the URI without
// a password, format "clickhouse". Rows the profile cannot read are skipped and named by their
// key; a failure keeps the rows read before it and sets `fatal` saying how many there were.
InputReport readClickHouse(const EngineUri &uri, EventStore &store, const RuleSet &rules,
    const ClickHouseReadOptions &options);

// How the engine-side counts read this table with this profile (EngineColumns), choosing the
// per-second rollup `ratescope push` keeps beside a `ratescope` table when there is one.
// nullopt with *error when the profile's columns cannot give a time and a scope in SQL, or the
// server did not answer (*authentication, when given: it refused the user or password).
std::optional<EngineColumns> clickHouseEngineColumns(ClickHouseClient &client,
    const Profile &profile, QString *error, bool *authentication = nullptr);
