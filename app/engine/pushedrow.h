#pragma once

// One event of a store as the row `ratescope push` writes for it (issue 21): the columns of
// pushedEventColumns(), which the `ratescope` profile reads back (RowIngest) into the same
// event. A JSON object, for INSERT … FORMAT JSONEachRow into the ClickHouse table of
// clickhouseddl.h; NULL where the event has no value (no Retry-After, no duration, no tokens).

#include "store/eventstore.h"

#include <cstddef>
#include <string>
#include <string_view>

// Appends event i's row to `out` (no newline). `id` names the row (push keeps the record's
// id, else its file and line); `scope` is its API scope (limits.md §1).
void appendPushedEventJson(std::string &out, const EventStore &store, std::size_t i,
    std::string_view id, std::string_view scope);
