#pragma once

#include "base/rejectionsource.h"
#include "engine/engineuri.h"
#include "engine/pgsource.h"
#include "engine/profile.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

// Per-bucket counts computed by PostgreSQL (issue 21: "what runs where"): one query per view,
// date_trunc('minute', time) (date_bin for other sizes) with GROUP BY bucket and scope (the
// host of limits.md §1, computed in SQL from the profile's url or host as the file path does:
// pgscope.h; for a `ratescope` table from its endpoint column), the status computed
// from the profile's sources in SQL, and the source of each rejection from a CASE generated
// from the rules' gateway conditions that the profile's columns can decide (a message that
// contains a word). A rejection whose source only the rules can tell (a condition with a
// regular expression, an envelope code) is NULL in the CASE; those rows alone are then read
// (keyset pages) and classified by the same rules as a file, and added to their buckets.
struct PgBucket
{
    std::int64_t startMs = 0;
    int scope = 0; // index into EngineAggregate::scopes
    std::int64_t requests = 0;
    std::int64_t rejected = 0;
    std::array<std::int64_t, kRejectionSourceCount> bySource {}; // by sourceIndex()
    std::int64_t refined = 0; // of `rejected`: classified from their rows, not in SQL
};

struct EngineAggregate
{
    std::int64_t bucketMs = 60000;
    QStringList scopes; // the scopes counted, sorted by name
    // in (time, scope) order; a bucket of a scope without requests is absent
    std::vector<PgBucket> buckets;
    QString error; // why it failed (no password in it); empty when it ran
    bool authentication = false; // the server refused the credentials (none given, or wrong)
    bool cancelled = false; // a newer request took its place
    // PgAggregator::requestSpan()'s answer: the table's first and last time (nullopt: no rows)
    std::optional<std::pair<std::int64_t, std::int64_t>> span;
    std::uint64_t generation = 0; // PgAggregator::request()'s number
    std::int64_t elapsedMs = 0;
};

// The SQL of one profile on one table (its columns' types known) under one rule set.
class PgAggregateSql
{
public:
    // nullopt with *error when the profile's time is not one timestamp column, or its status
    // cannot be computed in SQL.
    static std::optional<PgAggregateSql> make(const Profile &bound,
        const QMap<QString, QString> &columnTypes, const RuleSet &rules, QString *error);

    // SELECT bucket_ms, scope, requests, rejected, RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED,
    // unresolved … GROUP BY bucket, scope
    QString query(const QString &quotedTable, std::int64_t bucketMs, const TimeRange &range) const;
    // SELECT the first and last time in ms (NULLs when the table has no time)
    QString spanQuery(const QString &quotedTable) const;
    // The rows SQL cannot give a source: rejections whose CASE is NULL.
    QString unresolvedCondition() const;
    // The CASE itself (text: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED or NULL).
    const QString &sourceCase() const { return m_source; }
    const QString &statusExpression() const { return m_status; }
    // The scope host of a row (text, never NULL).
    const QString &scopeExpression() const { return m_scope; }

private:
    QString m_time; // the quoted time column
    QString m_status; // integer expression (NULL: no status)
    QString m_rejected; // boolean
    QString m_source;
    QString m_scope;
};

// A field's sources as one SQL text expression (COALESCE of each source: a column, a path into
// a json/jsonb column, a format, a constant; with its pattern and map), NULL when none gives a
// value, as RowMapper reads them. nullopt when one cannot be written in SQL (*why says which).
std::optional<QString> pgFieldExpression(const std::vector<FieldSource> &sources,
    const QMap<QString, QString> &columnTypes, QString *why);

// The counts over `range` at `bucketMs`, on the calling thread, with a connection of its own
// (opened for the call). `cancel` is polled between the query and the rows it reads after.
EngineAggregate aggregatePostgres(const EngineUri &uri, const RuleSet &rules,
    const EngineReadOptions &options, std::int64_t bucketMs);

// The window's worker: one thread with one connection, queries run in turn; a newer request
// cancels the query still running (pg_cancel_backend from a second connection), and only the
// newest request's result is delivered as it is: an older one comes back cancelled.
class PgAggregator : public QObject
{
    Q_OBJECT
public:
    PgAggregator(const EngineUri &uri, const RuleSet &rules, EngineReadOptions options,
        QObject *parent = nullptr);
    ~PgAggregator() override;

    // Asks for the counts at `bucketMs` over `range` (a zoom or a pan); returns its generation.
    std::uint64_t request(std::int64_t bucketMs, TimeRange range);
    // Asks for the table's span (the result's `span`), as a request the next one supersedes.
    std::uint64_t requestSpan();

Q_SIGNALS:
    void finished(const EngineAggregate &result);

private:
    std::uint64_t submit(std::int64_t bucketMs, TimeRange range, bool span);
    struct State;
    std::shared_ptr<State> m_state;
};
