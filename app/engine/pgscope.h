#pragma once

// The API scope of a row (limits.md §1: the host that answered, lower-cased, without a default
// port; records without a URL are `tool-calls`) as a PostgreSQL expression, so the engine's
// per-bucket counts can group by it (issue 21 "what runs where": counts by scope and source).
// The expressions follow the file path's code step by step: endpointOf() (decode/
// recorddecoder.h) then scopeHostOf() (aggregate/scopes.h), and give the same text for the
// same URL; tst_engine_pgaggregate compares them with ScopeIndex on rows of every shape.

#include <QString>

// The endpoint of a URL expression (text, NULL for none) as endpointOf() makes it: without the
// scheme ("…://" ending within the first 18 characters), the query, the fragment and the
// userinfo. NULL stays NULL.
QString pgEndpointSql(const QString &url);

// The scope host of an endpoint expression as scopeHostOf() makes it: the part before the
// first '/', without ":443", ":80" or an empty port, ASCII letters lower-cased; "tool-calls"
// when that is empty or the endpoint NULL.
QString pgScopeHostSql(const QString &endpoint);
