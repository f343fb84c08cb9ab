#include "engine/clickhouseaggregate.h"

#include "engine/clickhouseclient.h"
#include "engine/clickhousejson.h"

#include <QHash>

#include <algorithm>
#include <numeric>

QString engineBucketSql(const EngineColumns &c, std::int64_t bucketMs, const TimeRange &range)
{
    QStringList where;
    const bool coarse = c.timeFilter != c.timeMs;
    if (range.fromMs) {
        // the time column's own unit first (the primary key's index takes it), then exact
        if (coarse)
            where << QStringLiteral("%1 >= %2")
                         .arg(c.timeFilter,
                             c.timeLiteral.arg(QString::number(*range.fromMs / 1000 * 1000)));
        where << QStringLiteral("%1 >= %2").arg(c.timeMs).arg(*range.fromMs);
    }
    if (range.toMs) {
        if (coarse)
            where << QStringLiteral("%1 <= %2")
                         .arg(c.timeFilter,
                             c.timeLiteral.arg(QString::number(*range.toMs / 1000 * 1000 + 1000)));
        where << QStringLiteral("%1 < %2").arg(c.timeMs).arg(*range.toMs);
    }
    return QStringLiteral("SELECT intDiv(%1, %2) * %2 AS b, %3 AS scope, %4 AS src, %5 AS n "
                          "FROM %6%7 GROUP BY b, scope, src ORDER BY b, scope, src")
        .arg(c.timeMs)
        .arg(bucketMs)
        .arg(c.scope, c.source, c.count, c.table,
            where.isEmpty() ? QString()
                            : QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND ")));
}

namespace {

struct Parse
{
    EngineSeries &series;
    QHash<QString, int> scopeIds;
    QStringList scopes;
};

bool addRow(Parse &p, std::string_view row, QString *error)
{
    ClickHouseRowReader reader;
    const std::optional<ClickHouseRowReader::Object> obj = reader.parse(row, error);
    if (!obj)
        return false;
    const std::optional<std::int64_t> b = obj->integer("b");
    const std::optional<std::int64_t> src = obj->integer("src");
    const std::optional<std::int64_t> n = obj->integer("n");
    const std::optional<QString> scope = obj->text("scope");
    if (!b || !src || !n || !scope || *src < 0 || *src > kRejectionSourceCount || *n < 0) {
        *error = QStringLiteral("not a row of the bucket query: %1")
                     .arg(QString::fromUtf8(
                         row.data(), qsizetype(std::min<std::size_t>(row.size(), 200))));
        return false;
    }
    int id = p.scopeIds.value(*scope, -1);
    if (id < 0) {
        id = int(p.scopes.size());
        p.scopeIds.insert(*scope, id);
        p.scopes << *scope;
    }
    std::vector<EngineBucket> &buckets = p.series.buckets;
    if (buckets.empty() || buckets.back().startMs != *b || buckets.back().scope != id) {
        buckets.push_back({});
        buckets.back().startMs = *b;
        buckets.back().scope = id;
    }
    EngineBucket &bucket = buckets.back();
    bucket.requests += std::uint64_t(*n);
    if (*src > 0)
        bucket.rejected[std::size_t(sourceIndex(RejectionSource(*src)))] += std::uint64_t(*n);
    p.series.requests += std::uint64_t(*n);
    ++p.series.rows;
    return true;
}

// Scope ids in name order (the query sorts rows by name already, but a bucket's scopes only).
void finish(Parse &p)
{
    std::vector<int> order(std::size_t(p.scopes.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return p.scopes[a] < p.scopes[b]; });
    std::vector<int> rank(order.size());
    QStringList sorted;
    for (std::size_t i = 0; i < order.size(); ++i) {
        rank[std::size_t(order[i])] = int(i);
        sorted << p.scopes[order[i]];
    }
    for (EngineBucket &b : p.series.buckets)
        b.scope = rank[std::size_t(b.scope)];
    p.series.scopes = sorted;
}

} // namespace

std::optional<EngineSeries> parseEngineBuckets(
    const QByteArray &rows, std::int64_t bucketMs, QString *error)
{
    EngineSeries series;
    series.bucketMs = bucketMs;
    Parse p { series, {}, {} };
    qsizetype start = 0;
    while (start < rows.size()) {
        qsizetype nl = rows.indexOf('\n', start);
        if (nl < 0)
            nl = rows.size();
        const std::string_view line(rows.constData() + start, std::size_t(nl - start));
        start = nl + 1;
        if (!line.empty() && !addRow(p, line, error))
            return std::nullopt;
    }
    finish(p);
    return series;
}

std::optional<EngineSeries> queryEngineBuckets(ClickHouseClient &client, const EngineColumns &c,
    std::int64_t bucketMs, const TimeRange &range, QString *error, const std::atomic<bool> *cancel)
{
    EngineSeries series;
    series.bucketMs = bucketMs;
    Parse p { series, {}, {} };
    QString rowError;
    const ClickHouseResult r = client.select(
        engineBucketSql(c, bucketMs, range),
        [&](std::string_view row) { return addRow(p, row, &rowError); }, cancel);
    if (!rowError.isEmpty()) {
        *error = client.target().name() + QStringLiteral(": ") + rowError;
        return std::nullopt;
    }
    if (!r.ok) {
        *error = r.error;
        return std::nullopt;
    }
    finish(p);
    return series;
}

std::optional<std::pair<std::int64_t, std::int64_t>> queryEngineSpan(
    ClickHouseClient &client, const EngineColumns &c, QString *error)
{
    std::optional<std::pair<std::int64_t, std::int64_t>> span;
    QString rowError;
    const ClickHouseResult r
        = client.select(QStringLiteral("SELECT min(%1) AS a, max(%1) AS z, count() AS n FROM %2")
                            .arg(c.timeMs, c.table),
            [&](std::string_view row) {
                ClickHouseRowReader reader;
                const auto obj = reader.parse(row, &rowError);
                if (!obj)
                    return false;
                const auto a = obj->integer("a"), z = obj->integer("z"), n = obj->integer("n");
                if (a && z && n && *n > 0)
                    span = std::pair { *a, *z };
                return true;
            });
    if (!r.ok || !rowError.isEmpty()) {
        *error = r.ok ? client.target().name() + QStringLiteral(": ") + rowError : r.error;
        return std::nullopt;
    }
    *error = QString();
    return span;
}

QString engineSpanSql(const EngineColumns &c)
{
    return QStringLiteral("SELECT min(%1) AS a, max(%1) AS z, count() AS n FROM %2")
        .arg(c.timeMs, c.table);
}

std::optional<std::pair<std::int64_t, std::int64_t>> parseEngineSpan(const QByteArray &rows)
{
    ClickHouseRowReader reader;
    QString error;
    const std::string row = rows.trimmed().toStdString();
    const auto o = reader.parse(row, &error);
    if (!o)
        return std::nullopt;
    const auto a = o->integer("a"), z = o->integer("z"), n = o->integer("n");
    if (!a || !z || !n || *n == 0 || *z < *a)
        return std::nullopt;
    return std::pair { *a, *z };
}
