#include "engine/pgaggregate.h"

#include "aggregate/scopes.h"
#include "engine/pgconnection.h"
#include "engine/pgscope.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace {

QString jsonText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

// A regular expression as RowMapper's QRegularExpression reads it, in PostgreSQL's ARE
// dialect: \b (a word boundary) is \y there.
QString toAre(QString pattern)
{
    pattern.replace(QStringLiteral("\\b"), QStringLiteral("\\y"));
    return pattern;
}

std::optional<QString> sourceExpression(
    const FieldSource &s, const QMap<QString, QString> &types, QString *why)
{
    QString e;
    if (!s.format.isEmpty()) {
        // "http://x/{a}": literal pieces and columns' text (NULL as empty), as RowMapper
        QStringList parts;
        QString rest = s.format;
        for (const QString &c : s.columns()) {
            const QString token = QLatin1Char('{') + c + QLatin1Char('}');
            const qsizetype at = rest.indexOf(token);
            if (at < 0)
                continue;
            if (at > 0)
                parts << pgLiteral(rest.left(at));
            parts << QStringLiteral("coalesce(%1, '')").arg(pgTextExpr(c, types.value(c)));
            rest = rest.mid(at + token.size());
        }
        if (!rest.isEmpty())
            parts << pgLiteral(rest);
        e = parts.isEmpty() ? QStringLiteral("''") : parts.join(QStringLiteral(" || "));
    } else if (!s.value.isUndefined()) {
        if (s.value.isNull())
            return QStringLiteral("NULL::text");
        e = pgLiteral(jsonText(s.value));
    } else if (s.path.isEmpty()) {
        e = pgTextExpr(s.column, types.value(s.column));
    } else {
        const QString type = types.value(s.column);
        if (type != QLatin1String("json") && type != QLatin1String("jsonb")) {
            if (why)
                *why = QStringLiteral("%1.%2: a path into a column of type %3 (json or jsonb "
                                      "needed to compute it in SQL)")
                           .arg(s.column, s.path.join(QLatin1Char('.')), type);
            return std::nullopt;
        }
        QStringList keys;
        for (const QString &k : s.path)
            keys << QLatin1Char('"') + QString(k).replace(QLatin1Char('"'), QStringLiteral("\\\""))
                    + QLatin1Char('"');
        e = QStringLiteral("(%1 #>> %2)")
                .arg(PgConnection::quote(s.column),
                    pgLiteral(QLatin1Char('{') + keys.join(QLatin1Char(',')) + QLatin1Char('}')));
    }
    e = QStringLiteral("nullif(%1, '')").arg(e);
    if (!s.pattern.isEmpty())
        e = QStringLiteral("nullif(substring(%1 from %2), '')").arg(e, pgLiteral(toAre(s.pattern)));
    if (!s.map.isEmpty()) {
        QString c = QStringLiteral("(CASE %1").arg(e);
        for (auto it = s.map.cbegin(); it != s.map.cend(); ++it) {
            if (!it->isNull())
                c += QStringLiteral(" WHEN %1 THEN %2")
                         .arg(pgLiteral(it.key()), pgLiteral(jsonText(*it)));
        }
        e = c + QStringLiteral(" END)");
    }
    return e;
}

struct RejectionSql
{
    QString status, message, code, type; // expressions (NULL::text when the profile has none)
};

// The source of a rejection as RuleSet::classify() decides it, where SQL can tell: the gateway
// rules in order (a condition on the message with words only decides; one with a regular
// expression or an envelope code leaves it to the rules: NULL), then the codes (NULL when the
// row has one: the rules' code table decides), else the rules' source for an unknown code.
QString sourceCaseSql(const RuleSet &rules, const RejectionSql &x)
{
    const QString hasMessage = QStringLiteral("(%1 IS NOT NULL)").arg(x.message);
    QString out = QStringLiteral("CASE");
    for (const RuleSet::GatewayView &g : rules.gatewayViews()) {
        QStringList statuses;
        for (const int s : g.statuses)
            statuses << QString::number(s);
        const QString inStatuses
            = QStringLiteral("%1 IN (%2)").arg(x.status, statuses.join(QLatin1Char(',')));
        QStringList definite, maybe;
        for (const RuleSet::GatewayView::When &w : g.when) {
            QString fieldPart;
            if (!w.field) {
                fieldPart = QStringLiteral("TRUE");
            } else if (*w.field != RuleSet::BodyField::Message) {
                continue; // a record made from a row has no provider_name, raw or metadata
            } else if (w.contains.empty()) {
                fieldPart = hasMessage;
            } else {
                QStringList any;
                for (const std::string &word : w.contains)
                    any << QStringLiteral("strpos(lower(%1), %2) > 0")
                               .arg(x.message, pgLiteral(QString::fromStdString(word)));
                fieldPart = QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')');
            }
            if (w.code) {
                if (x.code == QLatin1String("NULL::text") && x.type == QLatin1String("NULL::text"))
                    continue; // no code column: the condition never holds
                maybe << fieldPart;
            } else if (w.pattern) {
                maybe << fieldPart;
            } else {
                definite << fieldPart;
            }
        }
        if (!definite.isEmpty())
            out += QStringLiteral(" WHEN %1 AND (%2) THEN %3")
                       .arg(inStatuses, definite.join(QStringLiteral(" OR ")),
                           pgLiteral(QLatin1String(sourceName(g.source).data())));
        if (!maybe.isEmpty())
            out += QStringLiteral(" WHEN %1 AND (%2) THEN NULL")
                       .arg(inStatuses, maybe.join(QStringLiteral(" OR ")));
    }
    const QString unknown = pgLiteral(QLatin1String(sourceName(rules.unknownCodeSource()).data()));
    out += QStringLiteral(" WHEN %1 IS NULL AND %2 IS NULL THEN %3 ELSE NULL END")
               .arg(x.code, x.type, unknown);
    return out;
}

QString rejectedExpression(const RuleSet &rules, const QString &status)
{
    QStringList statuses;
    for (const int s : rules.rejectionStatuses())
        statuses << QString::number(s);
    if (statuses.isEmpty())
        return QStringLiteral("FALSE");
    return QStringLiteral("coalesce(%1 IN (%2), FALSE)")
        .arg(status, statuses.join(QLatin1Char(',')));
}

QString bucketExpression(const QString &t, std::int64_t bucketMs)
{
    if (bucketMs == 60000)
        return QStringLiteral("date_trunc('minute', %1)").arg(t);
    if (bucketMs == 1000)
        return QStringLiteral("date_trunc('second', %1)").arg(t);
    if (bucketMs == 3600000)
        return QStringLiteral("date_trunc('hour', %1)").arg(t);
    return QStringLiteral("date_bin('%1 milliseconds', %2, TIMESTAMP '1970-01-01')")
        .arg(bucketMs)
        .arg(t);
}

bool isCancel(const QSqlError &e) { return e.nativeErrorCode() == QLatin1String("57014"); }

} // namespace

std::optional<QString> pgFieldExpression(
    const std::vector<FieldSource> &sources, const QMap<QString, QString> &types, QString *why)
{
    QStringList parts;
    for (const FieldSource &s : sources) {
        const std::optional<QString> e = sourceExpression(s, types, why);
        if (!e)
            return std::nullopt;
        parts << *e;
    }
    if (parts.isEmpty())
        return QStringLiteral("NULL::text");
    if (parts.size() == 1)
        return parts.first();
    return QStringLiteral("coalesce(%1)").arg(parts.join(QStringLiteral(", ")));
}

std::optional<PgAggregateSql> PgAggregateSql::make(
    const Profile &bound, const QMap<QString, QString> &types, const RuleSet &rules, QString *error)
{
    PgAggregateSql sql;
    const QString time = bound.timeColumn();
    if (time.isEmpty() || !isTimestampType(types.value(time))) {
        if (error)
            *error = QStringLiteral("the profile's time (%1) is not a timestamp column: the "
                                    "counts cannot be computed by the engine")
                         .arg(time.isEmpty() ? QStringLiteral("an expression") : time);
        return std::nullopt;
    }
    sql.m_time = PgConnection::quote(time);
    RejectionSql x;
    if (bound.rows == Profile::Rows::Events) {
        // the table push writes: its status and source columns, as classified when pushed
        sql.m_status = QStringLiteral("\"status\"");
        sql.m_rejected = QStringLiteral("(\"source\" IS NOT NULL)");
        sql.m_source = QStringLiteral("\"source\"");
        // push stores the endpoint as the file path made it (endpointOf)
        sql.m_scope = pgScopeHostSql(QStringLiteral("\"endpoint\""));
        return sql;
    }
    QString why;
    const auto field = [&](const char *name) {
        return pgFieldExpression(bound.fields.value(QLatin1String(name)), types, &why);
    };
    const std::optional<QString> status = field("status");
    const std::optional<QString> message = field("error_message");
    const std::optional<QString> code = field("error_code");
    const std::optional<QString> type = field("error_type");
    const std::optional<QString> url = field("url");
    const std::optional<QString> host = field("host");
    if (!status || !message || !code || !type || !url || !host) {
        if (error)
            *error = QStringLiteral("the profile's fields cannot be computed in SQL: ") + why;
        return std::nullopt;
    }
    // a status as RowMapper and the decoder read it: a whole number, else none
    x.status = QStringLiteral("(CASE WHEN %1 ~ '^\\s*-?[0-9]+\\s*$' THEN trim(%1)::int END)")
                   .arg(*status);
    x.message = *message;
    x.code = *code;
    x.type = *type;
    sql.m_status = x.status;
    sql.m_rejected = rejectedExpression(rules, x.status);
    sql.m_source = sourceCaseSql(rules, x);
    // the URL as RowMapper writes it: the url field, else https://HOST/
    sql.m_scope = pgScopeHostSql(
        pgEndpointSql(QStringLiteral("coalesce(%1, 'https://' || %2 || '/')").arg(*url, *host)));
    return sql;
}

QString PgAggregateSql::query(
    const QString &table, std::int64_t bucketMs, const TimeRange &range) const
{
    QString where = QStringLiteral("%1 IS NOT NULL").arg(m_time);
    if (range.fromMs)
        where += QStringLiteral(" AND %1 >= %2").arg(m_time, pgTimeLiteral(*range.fromMs));
    if (range.toMs)
        where += QStringLiteral(" AND %1 < %2").arg(m_time, pgTimeLiteral(*range.toMs));
    return QStringLiteral(
        "SELECT (extract(epoch FROM b) * 1000)::bigint, sc, count(*), "
        "count(*) FILTER (WHERE rej), "
        "count(*) FILTER (WHERE rej AND src = 'RATE_LIMITED'), "
        "count(*) FILTER (WHERE rej AND src = 'TOOL_ERROR'), "
        "count(*) FILTER (WHERE rej AND src = 'UNCLASSIFIED'), "
        "count(*) FILTER (WHERE rej AND src IS NULL) "
        "FROM (SELECT %1 AS b, %6 AS sc, %2 AS rej, CASE WHEN %2 THEN %3 END AS src FROM %4 "
        "WHERE %5) r GROUP BY b, sc")
        .arg(bucketExpression(m_time, bucketMs), m_rejected, m_source, table, where, m_scope);
}

QString PgAggregateSql::spanQuery(const QString &table) const
{
    return QStringLiteral("SELECT (extract(epoch FROM min(%1)) * 1000)::bigint, "
                          "(extract(epoch FROM max(%1)) * 1000)::bigint FROM %2")
        .arg(m_time, table);
}

QString PgAggregateSql::unresolvedCondition() const
{
    return QStringLiteral("%1 AND (%2) IS NULL").arg(m_rejected, m_source);
}

namespace {

// The profile bound to the table's columns, as SQL; nullopt with *error naming the table.
std::optional<PgAggregateSql> boundSql(PgConnection &conn, const EngineUri &uri,
    const RuleSet &rules, const EngineReadOptions &options, QString *error)
{
    std::optional<Profile> profile = profileFor(uri, options.map, error);
    QMap<QString, QString> types;
    QStringList names;
    if (profile) {
        for (const auto &[name, type] : conn.columns(error)) {
            names << name;
            types.insert(name, type);
        }
    }
    std::optional<PgAggregateSql> sql;
    if (profile && !names.isEmpty() && profile->bindTo(names, error))
        sql = PgAggregateSql::make(*profile, types, rules, error);
    if (!sql && !error->startsWith(uri.display()))
        *error = QStringLiteral("%1: %2").arg(uri.display(), *error);
    return sql;
}

// The first and last time of the table, on an open connection.
EngineAggregate spanWith(PgConnection &conn, const EngineUri &uri, const RuleSet &rules,
    const EngineReadOptions &options, bool *cancelledByServer)
{
    EngineAggregate out;
    const std::optional<PgAggregateSql> sql = boundSql(conn, uri, rules, options, &out.error);
    if (!sql)
        return out;
    out.error.clear();
    QSqlQuery q(conn.db());
    q.setForwardOnly(true);
    if (!q.exec(sql->spanQuery(conn.quotedTable())) || !q.next()) {
        *cancelledByServer = isCancel(q.lastError());
        out.error = QStringLiteral("%1: %2").arg(uri.display(), conn.safe(q.lastError().text()));
        return out;
    }
    if (!q.value(0).isNull() && !q.value(1).isNull())
        out.span = std::pair { q.value(0).toLongLong(), q.value(1).toLongLong() };
    return out;
}

// The query on an open connection, then the rows SQL left to the rules.
EngineAggregate aggregateWith(PgConnection &conn, const EngineUri &uri, const RuleSet &rules,
    const EngineReadOptions &options, std::int64_t bucketMs, bool *cancelledByServer)
{
    QElapsedTimer clock;
    clock.start();
    EngineAggregate out;
    out.bucketMs = bucketMs;
    const std::optional<PgAggregateSql> sql = boundSql(conn, uri, rules, options, &out.error);
    if (!sql)
        return out;
    out.error.clear();
    QSqlQuery q(conn.db());
    q.setForwardOnly(true);
    if (!q.exec(sql->query(conn.quotedTable(), bucketMs, options.range))) {
        if (cancelledByServer)
            *cancelledByServer = isCancel(q.lastError());
        out.error = QStringLiteral("%1: %2").arg(uri.display(), conn.safe(q.lastError().text()));
        return out;
    }
    std::int64_t unresolved = 0;
    std::map<QString, int> scopeIds; // sorted by name as QString compares (ScopeIndex: bytes)
    std::vector<QString> bucketScopes;
    while (q.next()) {
        PgBucket b;
        b.startMs = q.value(0).toLongLong();
        bucketScopes.push_back(q.value(1).toString());
        scopeIds.emplace(bucketScopes.back(), 0);
        b.requests = q.value(2).toLongLong();
        b.rejected = q.value(3).toLongLong();
        for (int i = 0; i < kRejectionSourceCount; ++i)
            b.bySource[std::size_t(i)] = q.value(4 + i).toLongLong();
        b.refined = q.value(7).toLongLong();
        unresolved += b.refined;
        out.buckets.push_back(b);
    }
    for (auto &[name, id] : scopeIds) {
        id = int(out.scopes.size());
        out.scopes << name;
    }
    for (std::size_t i = 0; i < out.buckets.size(); ++i)
        out.buckets[i].scope = scopeIds[bucketScopes[i]];
    std::sort(out.buckets.begin(), out.buckets.end(), [](const PgBucket &a, const PgBucket &b) {
        return a.startMs != b.startMs ? a.startMs < b.startMs : a.scope < b.scope;
    });
    if (unresolved > 0) {
        // the rejections only the rules can tell: their rows, through the same decoder and
        // rules as a file, added to their buckets
        EventStore rows;
        EngineReadOptions read = options;
        read.where = sql->unresolvedCondition();
        const InputReport r = readPostgres(uri, rows, rules, read);
        if (r.failed()) {
            out.error = r.fatal;
            return out;
        }
        std::map<std::pair<std::int64_t, int>, std::size_t> at; // (start, scope) → bucket
        for (std::size_t b = 0; b < out.buckets.size(); ++b)
            at.emplace(std::pair { out.buckets[b].startMs, out.buckets[b].scope }, b);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!rows.isRejection(i))
                continue;
            const std::int64_t start
                = rows.timeMs(i) - ((rows.timeMs(i) % bucketMs) + bucketMs) % bucketMs;
            const auto scope = scopeIds.find(QString::fromStdString(scopeHostOf(rows.endpoint(i))));
            const auto b = scope == scopeIds.end() ? at.end() : at.find({ start, scope->second });
            if (b == at.end())
                continue; // not in a bucket SQL counted: the table changed between the two
            ++out.buckets[b->second].bySource[std::size_t(sourceIndex(rows.source(i)))];
        }
    }
    out.elapsedMs = clock.elapsed();
    return out;
}

} // namespace

EngineAggregate aggregatePostgres(const EngineUri &uri, const RuleSet &rules,
    const EngineReadOptions &options, std::int64_t bucketMs)
{
    PgConnection conn(uri, options.connectTimeoutS);
    QString error;
    if (!conn.open(&error)) {
        EngineAggregate out;
        out.bucketMs = bucketMs;
        out.error = error;
        out.authentication = conn.authenticationFailed();
        return out;
    }
    return aggregateWith(conn, uri, rules, options, bucketMs, nullptr);
}

struct PgAggregator::State
{
    EngineUri uri;
    RuleSet rules;
    EngineReadOptions options;
    std::mutex mutex;
    std::condition_variable wake;
    struct Request
    {
        std::uint64_t generation = 0;
        std::int64_t bucketMs = 60000;
        TimeRange range;
        bool span = false; // the table's span, not counts
    };
    std::optional<Request> pending;
    bool stop = false;
    std::uint64_t latest = 0;
    int runningPid = 0; // the backend running a query now (0: none)
    std::atomic<bool> cancel { false };
    std::vector<std::thread> cancellers; // threads of their own (see readPostgresInWorker)
    std::thread thread;
};

PgAggregator::PgAggregator(
    const EngineUri &uri, const RuleSet &rules, EngineReadOptions options, QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<State>())
{
    qRegisterMetaType<EngineAggregate>();
    State *s = m_state.get();
    s->uri = uri;
    s->rules = rules;
    s->options = std::move(options);
    s->options.cancel = &s->cancel;
    s->thread = std::thread([this, s] {
        std::unique_ptr<PgConnection> conn;
        for (;;) {
            State::Request req;
            {
                std::unique_lock lock(s->mutex);
                s->wake.wait(lock, [&] { return s->stop || s->pending; });
                if (s->stop)
                    break;
                req = *s->pending;
                s->pending.reset();
            }
            EngineAggregate result;
            QString error;
            if (!conn || !conn->db().isOpen()) {
                conn = std::make_unique<PgConnection>(s->uri, s->options.connectTimeoutS);
                if (!conn->open(&error)) {
                    result.error = error;
                    result.authentication = conn->authenticationFailed();
                    conn.reset();
                }
            }
            if (conn) {
                EngineReadOptions options = s->options;
                options.range = req.range;
                for (int attempt = 0; attempt < 2; ++attempt) {
                    {
                        std::lock_guard lock(s->mutex);
                        if (req.generation != s->latest || s->stop)
                            break; // already superseded (or closing): not run at all
                        s->cancel = false;
                        s->runningPid = conn->backendPid();
                    }
                    bool cancelled = false;
                    result = req.span
                        ? spanWith(*conn, s->uri, s->rules, options, &cancelled)
                        : aggregateWith(*conn, s->uri, s->rules, options, req.bucketMs, &cancelled);
                    std::lock_guard lock(s->mutex);
                    s->runningPid = 0;
                    // a cancel meant for the query before this one can land on this one: run
                    // it again when it is still the newest
                    if (!(cancelled && req.generation == s->latest) || s->stop)
                        break;
                }
            }
            result.generation = req.generation;
            result.bucketMs = req.bucketMs;
            {
                std::lock_guard lock(s->mutex);
                result.cancelled = req.generation != s->latest;
            }
            QMetaObject::invokeMethod(
                this, [this, result] { Q_EMIT finished(result); }, Qt::QueuedConnection);
        }
    });
}

namespace {
// Cancels the query backend `pid` is running, from a connection of its own.
void cancelBackend(const EngineUri &uri, int pid, int timeoutS)
{
    PgConnection c(uri, timeoutS);
    QString error;
    if (c.open(&error)) {
        QSqlQuery q(c.db());
        q.exec(QStringLiteral("SELECT pg_cancel_backend(%1)").arg(pid));
    }
}
} // namespace

PgAggregator::~PgAggregator()
{
    State *s = m_state.get();
    int pid;
    {
        std::lock_guard lock(s->mutex);
        s->stop = true;
        s->cancel = true;
        pid = s->runningPid;
    }
    s->wake.notify_all();
    if (pid) // not wait for a slow query to end: the thread returns once it is cancelled
        cancelBackend(s->uri, pid, s->options.connectTimeoutS);
    if (s->thread.joinable())
        s->thread.join();
    for (std::thread &c : s->cancellers)
        c.join();
}

std::uint64_t PgAggregator::requestSpan() { return submit(60000, {}, true); }

std::uint64_t PgAggregator::request(std::int64_t bucketMs, TimeRange range)
{
    return submit(bucketMs, range, false);
}

std::uint64_t PgAggregator::submit(std::int64_t bucketMs, TimeRange range, bool span)
{
    State *s = m_state.get();
    std::uint64_t generation;
    int pid;
    {
        std::lock_guard lock(s->mutex);
        generation = ++s->latest;
        s->pending = State::Request { generation, bucketMs, range, span };
        pid = s->runningPid;
        if (pid)
            s->cancel = true;
    }
    s->wake.notify_all();
    if (pid) {
        // the older query is cancelled by the server, from a connection of its own
        const EngineUri uri = s->uri;
        const int timeout = s->options.connectTimeoutS;
        for (std::thread &c : s->cancellers)
            c.join(); // the previous cancel has long been sent: keep one thread at most
        s->cancellers.clear();
        s->cancellers.emplace_back([uri, pid, timeout] { cancelBackend(uri, pid, timeout); });
    }
    return generation;
}
