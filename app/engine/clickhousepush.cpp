#include "engine/clickhousepush.h"

#include "aggregate/scopes.h"
#include "engine/clickhouseclient.h"
#include "engine/clickhouseddl.h"
#include "engine/clickhousejson.h"
#include "engine/clickhousesource.h"
#include "engine/pushedrow.h"
#include "engine/pushids.h"

#include <QSet>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace {

// Ids per SELECT … id IN (…): 4,000 quoted ids of up to 40 characters stay well under the
// 256 KiB of SQL a server parses by default (max_query_size).
constexpr std::size_t kIdsPerQuery = 4000;

struct Pusher
{
    ClickHouseClient client;
    QString why; // the last failure, without the password

    bool failed(const ClickHouseResult &r)
    {
        if (!r.ok)
            why = clickhouse::withoutPassword(r.error, client.target());
        return !r.ok;
    }

    // Creates the events table, its rollup and the view when the table is not there.
    bool ensureTable()
    {
        const ClickHouseTarget &t = client.target();
        std::optional<std::int64_t> count;
        QString rowError;
        ClickHouseRowReader reader;
        const ClickHouseResult r = client.select(
            QStringLiteral(
                "SELECT count() AS n FROM system.tables WHERE database = %1 AND name = %2")
                .arg(clickHouseString(t.database.toStdString()),
                    clickHouseString(t.table.toStdString())),
            [&](std::string_view row) {
                if (const auto o = reader.parse(row, &rowError))
                    count = o->integer("n");
                return true;
            });
        if (failed(r))
            return false;
        if (count.value_or(0) > 0)
            return true;
        for (const QString &statement : clickHouseEventsDdl(t.database, t.table)) {
            if (failed(client.execute(statement))) {
                why = QStringLiteral("cannot create the table: ") + why;
                return false;
            }
        }
        return true;
    }

    // The ids among `ids` already in the table (rows of times fromMs … toMs); nullopt when a
    // query failed.
    std::optional<QSet<QString>> existing(
        const std::vector<QString> &ids, std::int64_t fromMs, std::int64_t toMs)
    {
        QSet<QString> found;
        QString rowError;
        ClickHouseRowReader reader;
        for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
            QStringList quoted;
            for (std::size_t i = start; i < std::min(ids.size(), start + kIdsPerQuery); ++i)
                quoted << clickHouseString(ids[i].toStdString());
            const ClickHouseResult r = client.select(
                QStringLiteral("SELECT id FROM %1 WHERE time >= %2 AND time <= %3 AND id IN (%4)")
                    .arg(client.target().sqlTable())
                    .arg(fromMs)
                    .arg(toMs)
                    .arg(quoted.join(QLatin1Char(','))),
                [&](std::string_view row) {
                    if (const auto o = reader.parse(row, &rowError))
                        found.insert(o->text("id").value_or(QString()));
                    return true;
                });
            if (failed(r))
                return std::nullopt;
        }
        return found;
    }
};

} // namespace

PushResult pushToClickHouse(
    const EngineUri &uri, const EventStore &store, const PushOptions &options)
{
    PushResult result;
    result.events = std::int64_t(store.size());
    Pusher p { ClickHouseClient(clickHouseTarget(uri)), {} };
    const QString name = uri.display();
    if (!p.ensureTable()) {
        result.error = QStringLiteral("%1: %2").arg(name, p.why);
        return result;
    }
    const ScopeIndex scopes = ScopeIndex::build(store, ScopeBy::Host);
    const QString insert
        = QStringLiteral("INSERT INTO %1 FORMAT JSONEachRow").arg(p.client.target().sqlTable());
    PushIds ids;
    const std::size_t batch = std::size_t(std::max(1, options.batchRows));
    std::vector<QString> batchIds;
    std::string rows;
    for (std::size_t start = 0; start < store.size(); start += batch) {
        const std::size_t end = std::min(store.size(), start + batch);
        batchIds.clear();
        std::int64_t fromMs = store.timeMs(start), toMs = fromMs;
        for (std::size_t i = start; i < end; ++i) {
            batchIds.push_back(ids.next(pushedEventValues(store, i)));
            fromMs = std::min(fromMs, store.timeMs(i));
            toMs = std::max(toMs, store.timeMs(i));
        }
        bool done = false;
        for (int attempt = 0; attempt < std::max(1, options.attempts) && !done; ++attempt) {
            // asked again at each attempt: a batch the server took before its answer was lost
            // is found there, not inserted twice
            const std::optional<QSet<QString>> there = p.existing(batchIds, fromMs, toMs);
            if (!there)
                continue;
            rows.clear();
            std::int64_t added = 0;
            for (std::size_t i = start; i < end; ++i) {
                const QString &id = batchIds[i - start];
                if (there->contains(id))
                    continue;
                appendPushedEventJson(
                    rows, store, i, id.toStdString(), scopes.names()[scopes.scopeOf(i)]);
                rows += '\n';
                ++added;
            }
            if (added > 0 && p.failed(p.client.execute(insert, QByteArray::fromStdString(rows))))
                continue;
            result.inserted += added;
            result.existing += std::int64_t(end - start) - added;
            done = true;
        }
        if (!done) {
            result.error
                = pushStoppedError(name, std::int64_t(start), std::int64_t(store.size()), p.why);
            return result;
        }
        if (options.afterBatch)
            options.afterBatch(std::int64_t(end));
    }
    return result;
}
