#include "engine/pgpush.h"

#include "engine/pgconnection.h"
#include "engine/profile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

#include <cmath>
#include <memory>

QString pushTableDdl(const QString &t)
{
    return QStringLiteral(
        "CREATE TABLE IF NOT EXISTS %1 (\n"
        "    id text PRIMARY KEY,\n"
        "    time timestamptz NOT NULL,\n"
        "    status integer,\n"
        "    source text, -- RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED; NULL: not a rejection\n"
        "    flags smallint NOT NULL DEFAULT 0,\n"
        "    method text, scope text, endpoint text, tool text, provider text, client text,\n"
        "    model text, message text, error_code text,\n"
        "    category text, category_rule text, gateway_rule text,\n"
        "    retry_after_ms integer, server_limit integer, server_window_s integer,\n"
        "    duration_ms real, input_tokens bigint, output_tokens bigint, total_tokens bigint,\n"
        "    reported_tokens jsonb -- [limit x3, window_s x3, window_by_reset]\n"
        ");\n"
        "CREATE INDEX IF NOT EXISTS %2 ON %1 (time, id)")
        .arg(t,
            PgConnection::quote(
                QString(t).remove(QLatin1Char('"')).replace(QLatin1Char('.'), QLatin1Char('_'))
                + QStringLiteral("_time_id")));
}

namespace {

QJsonValue text(std::string_view s)
{
    if (s.empty())
        return QJsonValue::Null;
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QJsonValue number(std::int64_t n)
{
    return n < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(n));
}

QJsonObject eventRow(const EventStore &store, std::size_t i)
{
    QJsonObject o;
    o.insert(QStringLiteral("time"),
        QDateTime::fromMSecsSinceEpoch(store.timeMs(i), QTimeZone::utc())
            .toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("status"), store.status(i) < 0 ? QJsonValue() : store.status(i));
    o.insert(QStringLiteral("source"),
        store.isRejection(i) ? text(sourceName(store.source(i))) : QJsonValue());
    o.insert(QStringLiteral("flags"), int(store.flags(i)));
    o.insert(QStringLiteral("method"), text(store.method(i)));
    const std::string_view endpoint = store.endpoint(i);
    o.insert(QStringLiteral("scope"), text(endpoint.substr(0, endpoint.find('/'))));
    o.insert(QStringLiteral("endpoint"), text(endpoint));
    o.insert(QStringLiteral("tool"), text(store.tool(i)));
    o.insert(QStringLiteral("provider"), text(store.provider(i)));
    o.insert(QStringLiteral("client"), text(store.client(i)));
    o.insert(QStringLiteral("model"), text(store.model(i)));
    o.insert(QStringLiteral("message"), text(store.message(i)));
    o.insert(QStringLiteral("error_code"), text(store.errorCode(i)));
    const ThrottleCategory category = store.category(i);
    o.insert(QStringLiteral("category"),
        category == ThrottleCategory::None ? QJsonValue() : text(categoryName(category)));
    o.insert(QStringLiteral("category_rule"), text(store.categoryRule(i)));
    o.insert(QStringLiteral("gateway_rule"), text(store.gatewayRule(i)));
    o.insert(QStringLiteral("retry_after_ms"), number(store.retryAfterMs(i)));
    o.insert(QStringLiteral("server_limit"), number(store.serverLimit(i)));
    o.insert(QStringLiteral("server_window_s"), number(store.serverWindowS(i)));
    const float d = store.durationMs(i);
    o.insert(QStringLiteral("duration_ms"), std::isnan(d) ? QJsonValue() : QJsonValue(double(d)));
    o.insert(QStringLiteral("input_tokens"), number(store.inputTokens(i)));
    o.insert(QStringLiteral("output_tokens"), number(store.outputTokens(i)));
    o.insert(QStringLiteral("total_tokens"), number(store.totalTokens(i)));
    const ReportedTokenLimits &r = store.reportedTokens(i);
    if (r.any()) {
        QJsonArray a;
        for (const std::int32_t l : r.limit)
            a.append(l);
        for (const std::int32_t w : r.windowS)
            a.append(w);
        a.append(int(r.windowByReset));
        o.insert(QStringLiteral("reported_tokens"), a);
    } else {
        o.insert(QStringLiteral("reported_tokens"), QJsonValue());
    }
    return o;
}

// Each event's row with its id: a digest of its values, and the count of identical events
// before it.
class RowIds
{
public:
    QJsonObject next(const EventStore &store, std::size_t i)
    {
        QJsonObject o = eventRow(store, i);
        const QByteArray values = QJsonDocument(o).toJson(QJsonDocument::Compact);
        QByteArray id
            = QCryptographicHash::hash(values, QCryptographicHash::Sha256).toHex().left(32);
        const int n = m_seen[id]++;
        if (n > 0)
            id += '-' + QByteArray::number(n);
        o.insert(QStringLiteral("id"), QString::fromLatin1(id));
        return o;
    }

private:
    QHash<QByteArray, int> m_seen;
};

QByteArray csvField(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return {};
    QByteArray t;
    if (v.isString())
        t = v.toString().toUtf8();
    else if (v.isDouble())
        t = QByteArray::number(v.toDouble(), 'g', 17);
    else if (v.isArray())
        t = QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    t.replace('"', "\"\"");
    return '"' + t + '"';
}

} // namespace

void writePushCsv(const EventStore &store, QIODevice &out)
{
    RowIds ids;
    const QStringList columns = pushedEventColumns();
    QByteArray line;
    for (std::size_t i = 0; i < store.size(); ++i) {
        const QJsonObject o = ids.next(store, i);
        line.clear();
        for (qsizetype c = 0; c < columns.size(); ++c) {
            if (c)
                line += ',';
            line += csvField(o.value(columns[c]));
        }
        line += '\n';
        out.write(line);
    }
}

PushResult pushToPostgres(const EngineUri &uri, const EventStore &store, const PushOptions &options)
{
    PushResult result;
    result.events = std::int64_t(store.size());
    EngineUri target = uri;
    if (target.table.isEmpty())
        target.table = QStringLiteral("ratescope_events");
    auto conn = std::make_unique<PgConnection>(target, options.connectTimeoutS);
    QString error;
    if (!conn->open(&error)) {
        result.error = error;
        return result;
    }
    {
        QSqlQuery q(conn->db());
        for (const QString &statement :
            pushTableDdl(conn->quotedTable()).split(QStringLiteral(";\n"))) {
            if (!q.exec(statement)) {
                result.error = QStringLiteral("%1: cannot create the table: %2")
                                   .arg(target.display(), conn->safe(q.lastError().text()));
                return result;
            }
        }
    }
    const QString insert = QStringLiteral("INSERT INTO %1 SELECT * FROM json_populate_recordset("
                                          "NULL::%1, ?::json) ON CONFLICT (id) DO NOTHING")
                               .arg(conn->quotedTable());
    RowIds ids;
    const int batch = std::max(1, options.batchRows);
    for (std::size_t start = 0; start < store.size(); start += std::size_t(batch)) {
        const std::size_t end = std::min(store.size(), start + std::size_t(batch));
        QJsonArray rows;
        for (std::size_t i = start; i < end; ++i)
            rows.append(ids.next(store, i));
        const QString json = QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
        QString why;
        bool done = false;
        for (int attempt = 0; attempt < std::max(1, options.attempts) && !done; ++attempt) {
            if (!conn->db().isOpen()) {
                conn = std::make_unique<PgConnection>(target, options.connectTimeoutS);
                if (!conn->open(&why))
                    continue;
            }
            QSqlQuery q(conn->db());
            q.prepare(insert);
            q.addBindValue(json);
            if (q.exec()) {
                const std::int64_t added = q.numRowsAffected();
                result.inserted += added;
                result.existing += std::int64_t(end - start) - added;
                done = true;
            } else {
                why = conn->safe(q.lastError().text());
                conn->db().close(); // a new connection for the next attempt
            }
        }
        if (!done) {
            result.error = QStringLiteral("%1: pushing stopped after %2 of %3 events (%4); the "
                                          "batches before it are in the table: run the same "
                                          "push again to resume")
                               .arg(target.display())
                               .arg(start)
                               .arg(store.size())
                               .arg(why);
            return result;
        }
        if (options.afterBatch)
            options.afterBatch(std::int64_t(end));
    }
    return result;
}
