#include "engine/pgpush.h"

#include "engine/pgconnection.h"
#include "engine/profile.h"
#include "engine/pushids.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

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
    PushIds ids;
    const QStringList columns = pushedEventColumns();
    QByteArray line;
    for (std::size_t i = 0; i < store.size(); ++i) {
        QJsonObject o = pushedEventValues(store, i);
        o.insert(QStringLiteral("id"), ids.next(o));
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
    PushIds ids;
    const int batch = std::max(1, options.batchRows);
    for (std::size_t start = 0; start < store.size(); start += std::size_t(batch)) {
        const std::size_t end = std::min(store.size(), start + std::size_t(batch));
        QJsonArray rows;
        for (std::size_t i = start; i < end; ++i) {
            QJsonObject o = pushedEventValues(store, i);
            o.insert(QStringLiteral("id"), ids.next(o));
            rows.append(o);
        }
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
            result.error = pushStoppedError(
                target.display(), std::int64_t(start), std::int64_t(store.size()), why);
            return result;
        }
        if (options.afterBatch)
            options.afterBatch(std::int64_t(end));
    }
    return result;
}
