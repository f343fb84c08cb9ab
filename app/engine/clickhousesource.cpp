#include "engine/clickhousesource.h"

#include "engine/clickhousejson.h"
#include "engine/rowingest.h"

#include <QDate>
#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimeZone>

#include <utility>
#include <vector>

ClickHouseTarget clickHouseTarget(const EngineUri &uri)
{
    ClickHouseTarget t;
    readClickHouseCredentials(t);
    if (!uri.user.isEmpty())
        t.user = uri.user;
    if (uri.hasPassword)
        t.password = uri.password;
    t.host = uri.host.isEmpty() ? QStringLiteral("127.0.0.1") : uri.host;
    t.port = uri.effectivePort();
    t.database = uri.database.isEmpty() ? QStringLiteral("default") : uri.database;
    t.table = uri.table;
    return t;
}

std::optional<Profile> clickHouseProfile(
    const EngineUri &uri, const std::optional<QMap<QString, QString>> &map, QString *error)
{
    if (map)
        return profileFromMap(*map);
    QString name = uri.profile;
    if (name.isEmpty()) {
        for (const QString &builtIn : builtInProfiles()) {
            const std::optional<Profile> p = loadProfile(builtIn, nullptr);
            if (p && (p->engine == QLatin1String("clickhouse") || p->engine == QLatin1String("any"))
                && p->table.compare(uri.table, Qt::CaseInsensitive) == 0)
                name = builtIn;
        }
    }
    if (name.isEmpty()) {
        *error = QStringLiteral("which profile reads the table \"%1\"? Add ?profile=P (built "
                                "in: %2) or give --map time=COLUMN,status=COLUMN,…")
                     .arg(uri.table, builtInProfiles().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    QString why;
    std::optional<Profile> p = loadProfile(name, &why);
    if (!p)
        *error = why;
    return p;
}

namespace {

// A column as ClickHouse declares it, and how a value of it becomes what RowIngest takes.
struct TableColumn
{
    enum class Kind { Text, Integer, Float, DateTime, Date, EpochMs, Other };
    QString name;
    QString type; // as declared, without Nullable(…)
    Kind kind = Kind::Other;
    bool nullable = false;
};

TableColumn::Kind kindOf(const QString &type)
{
    if (type.startsWith(QLatin1String("String")) || type.startsWith(QLatin1String("FixedString"))
        || type.startsWith(QLatin1String("Enum")) || type == QLatin1String("UUID"))
        return TableColumn::Kind::Text;
    if (type.startsWith(QLatin1String("Int")) || type.startsWith(QLatin1String("UInt")))
        return TableColumn::Kind::Integer;
    if (type.startsWith(QLatin1String("Float")) || type.startsWith(QLatin1String("Decimal")))
        return TableColumn::Kind::Float;
    if (type.startsWith(QLatin1String("DateTime")))
        return TableColumn::Kind::DateTime;
    if (type == QLatin1String("Date"))
        return TableColumn::Kind::Date;
    return TableColumn::Kind::Other;
}

QString unwrapped(QString type)
{
    for (const char *wrap : { "Nullable(", "LowCardinality(" }) {
        const QLatin1String w(wrap);
        if (type.startsWith(w) && type.endsWith(QLatin1Char(')')))
            type = type.mid(w.size(), type.size() - w.size() - 1);
    }
    return type;
}

// The SELECT expression of a column: a DateTime as epoch seconds (its text would be in the
// server's time zone), the rest as stored.
QString selectExpression(const TableColumn &c)
{
    const QString id = clickHouseIdentifier(c.name);
    if (c.kind == TableColumn::Kind::DateTime)
        return QStringLiteral("toUInt32(%1) AS %1").arg(id);
    if (c.kind == TableColumn::Kind::Date)
        return QStringLiteral("toString(%1) AS %1").arg(id);
    return id;
}

// A value as RowIngest takes it; times as RFC 3339 text in UTC (the record's "timestamp").
QVariant variantOf(simdjson::dom::element e, const TableColumn &c)
{
    using T = simdjson::dom::element_type;
    if (e.is_null())
        return {};
    switch (c.kind) {
    case TableColumn::Kind::DateTime:
        if (const auto s = clickHouseInteger(e))
            return QDateTime::fromSecsSinceEpoch(*s, Qt::UTC).toString(Qt::ISODateWithMs);
        return {};
    case TableColumn::Kind::EpochMs:
        if (const auto ms = clickHouseInteger(e))
            return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs);
        return {};
    case TableColumn::Kind::Date: {
        std::string_view s;
        if (!e.get_string().get(s))
            return QDate::fromString(QString::fromUtf8(s.data(), qsizetype(s.size())), Qt::ISODate);
        return {};
    }
    case TableColumn::Kind::Integer:
        if (const auto i = clickHouseInteger(e))
            return qlonglong(*i);
        break;
    default:
        break;
    }
    switch (e.type()) {
    case T::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    case T::INT64:
        return qlonglong(e.get_int64().value_unsafe());
    case T::UINT64:
        return qulonglong(e.get_uint64().value_unsafe());
    case T::DOUBLE:
        return e.get_double().value_unsafe();
    case T::BOOL:
        return e.get_bool().value_unsafe();
    case T::NULL_VALUE:
        return {};
    case T::ARRAY:
    case T::OBJECT:
        return QJsonDocument::fromJson(QByteArray::fromStdString(simdjson::minify(e))).toVariant();
    }
    return {};
}

// The SQL literal of a value of column c as the result gave it (for the keyset condition).
QString literalOf(simdjson::dom::element e, const TableColumn &c)
{
    if (c.kind == TableColumn::Kind::DateTime) {
        const auto s = clickHouseInteger(e);
        return s ? QStringLiteral("toDateTime(%1)").arg(*s) : QString();
    }
    if (c.kind == TableColumn::Kind::Integer || c.kind == TableColumn::Kind::EpochMs) {
        const auto i = clickHouseInteger(e);
        return i ? QString::number(*i) : QString();
    }
    std::string_view s;
    if (!e.get_string().get(s))
        return clickHouseString(s);
    double d = 0;
    if (!e.get_double().get(d))
        return QString::number(d, 'g', 17);
    return {};
}

struct Reader
{
    const EngineUri &uri;
    const ClickHouseReadOptions &options;
    ClickHouseClient client;
    InputReport &report;

    QString fail(const QString &what)
    {
        report.fatal = clickhouse::withoutPassword(what, client.target());
        return report.fatal;
    }

    // DESCRIBE TABLE: the columns and their types, in order.
    std::optional<std::vector<TableColumn>> describe()
    {
        std::vector<TableColumn> cols;
        ClickHouseRowReader reader;
        QString rowError;
        const ClickHouseResult r
            = client.select(QStringLiteral("DESCRIBE TABLE %1").arg(client.target().sqlTable()),
                [&](std::string_view row) {
                    const auto o = reader.parse(row, &rowError);
                    if (!o)
                        return false;
                    TableColumn c;
                    c.name = o->text("name").value_or(QString());
                    const QString declared = o->text("type").value_or(QString());
                    c.type = unwrapped(declared);
                    c.nullable = declared.startsWith(QLatin1String("Nullable("));
                    c.kind = kindOf(c.type);
                    cols.push_back(c);
                    return true;
                });
        if (!r.ok) {
            fail(r.serverCode == 60 || r.serverCode == 81 ? client.target().name()
                        + QStringLiteral(": no such table (ClickHouse: %1)")
                              .arg(clickhouse::serverMessage(r.error.toUtf8()))
                                                          : r.error);
            return std::nullopt;
        }
        return cols;
    }
};

} // namespace

InputReport readClickHouse(const EngineUri &uri, EventStore &store, const RuleSet &rules,
    const ClickHouseReadOptions &options)
{
    InputReport report;
    report.path = uri.display();
    report.format = QStringLiteral("clickhouse");
    Reader rd { uri, options, ClickHouseClient(clickHouseTarget(uri)), report };
    const ClickHouseTarget &target = rd.client.target();

    QString error;
    std::optional<Profile> profile = clickHouseProfile(uri, options.map, &error);
    if (!profile) {
        rd.fail(error);
        return report;
    }
    const std::optional<std::vector<TableColumn>> described = rd.describe();
    if (!described)
        return report;
    QStringList names;
    for (const TableColumn &c : *described)
        names << c.name;
    if (!profile->bindTo(names, &error)) {
        rd.fail(target.name() + QStringLiteral(": ") + error);
        return report;
    }
    const bool events = profile->rows == Profile::Rows::Events;
    const QString timeName = profile->timeColumn();
    const QString idName = profile->idColumn();
    if (timeName.isEmpty()) {
        rd.fail(target.name()
            + QStringLiteral(": the profile's time is not one plain column, so the rows cannot be "
                             "read in time order"));
        return report;
    }

    report.storeFile = options.storeFile;
    RowIngest ingest(store, rules, options.range, *profile, report);
    ingest.keepRowsAsJson(options.rowsAsJson);
    std::vector<TableColumn> cols;
    QStringList select;
    int timeIndex = -1, idIndex = -1;
    for (const QString &name : ingest.columns()) {
        auto it = std::find_if(described->begin(), described->end(),
            [&](const TableColumn &c) { return c.name == name; });
        if (it == described->end()) {
            rd.fail(target.name() + QStringLiteral(": the table has no column \"%1\"").arg(name));
            return report;
        }
        TableColumn c = *it;
        // the `ratescope` table keeps times in epoch milliseconds (18.16 has no DateTime64)
        if (events && name == QLatin1String("time") && c.kind == TableColumn::Kind::Integer)
            c.kind = TableColumn::Kind::EpochMs;
        if (name == timeName)
            timeIndex = int(cols.size());
        if (name == idName)
            idIndex = int(cols.size());
        select << selectExpression(c);
        cols.push_back(c);
    }
    if (timeIndex < 0) {
        rd.fail(target.name() + QStringLiteral(": the time column is not read"));
        return report;
    }
    const QString timeSql = clickHouseIdentifier(timeName);
    const QString idSql = idIndex >= 0 ? clickHouseIdentifier(idName) : QString();
    PollCursor *cursor = options.cursor;
    ClickHousePage *page = options.page;
    if (page && idSql.isEmpty()) {
        rd.fail(target.name()
            + QStringLiteral(": paging a bucket's rows needs an id column (the profile's id)"));
        return report;
    }
    if (cursor && idSql.isEmpty()) {
        rd.fail(target.name()
            + QStringLiteral(": polling needs an id column (the profile's id), to tell a row "
                             "read at the last poll's time from one added since"));
        return report;
    }

    // --from/--to in the time column's own unit (RowIngest keeps the exact range)
    QStringList rangeWhere;
    auto timeLiteral = [&](std::int64_t ms) {
        switch (cols[std::size_t(timeIndex)].kind) {
        case TableColumn::Kind::EpochMs:
            return QString::number(ms);
        case TableColumn::Kind::DateTime:
            return QStringLiteral("toDateTime(%1)").arg(ms / 1000);
        default:
            return QString();
        }
    };
    if (options.range.fromMs && !timeLiteral(*options.range.fromMs).isEmpty())
        rangeWhere << QStringLiteral("%1 >= %2").arg(timeSql, timeLiteral(*options.range.fromMs));
    if (options.range.toMs && !timeLiteral(*options.range.toMs).isEmpty())
        rangeWhere << QStringLiteral("%1 <= %2").arg(timeSql, timeLiteral(*options.range.toMs));
    // Rows without a time sort last and fail every keyset condition: they are read apart,
    // after the others, and skipped there with their keys named (a range leaves them out, and
    // of a poll's reads only the first reads them).
    const bool nullable = cols[std::size_t(timeIndex)].nullable;
    const bool nullTimes = nullable && !options.range.fromMs && !options.range.toMs
        && (!cursor || !cursor->started) && !page;
    if (nullable)
        rangeWhere << QStringLiteral("isNotNull(%1)").arg(timeSql);

    std::vector<QVariant> values(cols.size());
    std::uint64_t rowNumber = options.rowsBefore;
    QString lastTime, lastId; // SQL literals of the last row's keys
    QVariant lastKeyValue; // the last row's id (or time), named in messages
    const QString keyName = idIndex >= 0 ? idName : timeName;
    auto lastKey = [&] {
        return lastKeyValue.isNull()
            ? QString()
            : QStringLiteral("%1=%2").arg(keyName, lastKeyValue.toString());
    };
    std::vector<std::string> keys; // the columns' names as the rows' JSON keys
    for (const TableColumn &c : cols)
        keys.push_back(c.name.toStdString());
    ClickHouseRowReader reader;
    const int pageRows = std::max(1, options.pageRows);
    const QString columnsSql = select.join(QStringLiteral(", "));
    const QString order = idSql.isEmpty() ? timeSql : timeSql + QStringLiteral(", ") + idSql;

    // One row into the store; its keys kept for the next page's condition.
    QString rowError;
    auto ingestRow = [&](std::string_view row) {
        const auto o = reader.parse(row, &rowError);
        if (!o)
            return false;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            simdjson::dom::element e;
            if (o->raw().at_key(keys[i]).get(e)) {
                values[i] = QVariant();
                continue;
            }
            values[i] = variantOf(e, cols[i]);
            if (int(i) == timeIndex)
                lastTime = literalOf(e, cols[i]);
            else if (int(i) == idIndex)
                lastId = literalOf(e, cols[i]);
        }
        ingest.add(values.data(), ++rowNumber);
        if (cursor)
            cursor->advance(lastTime, lastId);
        lastKeyValue = values[std::size_t(idIndex >= 0 ? idIndex : timeIndex)];
        return true;
    };
    // The time literal of a row (to find where a page of a table without ids ends).
    auto timeOf = [&](std::string_view row) {
        const auto o = reader.parse(row, &rowError);
        simdjson::dom::element e;
        if (!o || o->raw().at_key(timeName.toStdString()).get(e))
            return QString();
        return literalOf(e, cols[std::size_t(timeIndex)]);
    };

    // One query: the rows after the last key, in time order, each to `sink`.
    auto fetch = [&](const QString &keyset, int limit,
                     const ClickHouseClient::RowSink &sink) -> std::optional<std::uint64_t> {
        QStringList where = rangeWhere;
        if (!keyset.isEmpty())
            where << keyset;
        QString sql = QStringLiteral("SELECT %1 FROM %2").arg(columnsSql, target.sqlTable());
        if (!where.isEmpty())
            sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
        sql += QStringLiteral(" ORDER BY ") + order;
        if (limit > 0)
            sql += QStringLiteral(" LIMIT %1").arg(limit);
        const ClickHouseResult r = rd.client.select(sql, sink, options.cancel);
        if (!rowError.isEmpty()) {
            rd.fail(target.name()
                + QStringLiteral(": a row after %1 is not JSON: %2")
                      .arg(lastKeyValue.isNull() ? QStringLiteral("the start") : lastKey(),
                          rowError));
            return std::nullopt;
        }
        if (!r.ok) {
            rd.fail(r.cancelled
                    ? target.name() + QStringLiteral(": cancelled")
                    : QStringLiteral("%1 (%2 rows were read before it and are kept%3)")
                          .arg(r.error)
                          .arg(rowNumber)
                          .arg(lastKeyValue.isNull() ? QString()
                                                     : QStringLiteral(", the last ") + lastKey()));
            return std::nullopt;
        }
        if (options.progress)
            options.progress(rowNumber);
        return r.rows;
    };

    // the rows after the last poll's, in every page of this read (a page may end at its time)
    if (cursor && !cursor->time.isEmpty())
        rangeWhere << cursor->condition(timeSql, idSql);
    QString keyset;
    if (page) {
        const QString after = page->afterTime.isEmpty()
            ? QString()
            : QStringLiteral("%1 >= %2 AND (%1 > %2 OR %3 > %4)")
                  .arg(timeSql, page->afterTime, idSql, page->afterId);
        const std::optional<std::uint64_t> got = fetch(after, std::max(1, page->rows), ingestRow);
        if (!got)
            return report;
        page->more = *got == std::uint64_t(std::max(1, page->rows));
        if (*got > 0) {
            page->afterTime = lastTime;
            page->afterId = lastId;
        }
        return report;
    }
    for (;;) {
        if (!idSql.isEmpty()) {
            const std::optional<std::uint64_t> got = fetch(keyset, pageRows, ingestRow);
            if (!got)
                return report;
            if (*got < std::uint64_t(pageRows)
                || (options.maxRows && rowNumber - options.rowsBefore >= options.maxRows))
                break;
            // (time, id) > (T, I), written so that the primary key's index takes time >= T
            keyset = QStringLiteral("%1 >= %2 AND (%1 > %2 OR %3 > %4)")
                         .arg(timeSql, lastTime, idSql, lastId);
            continue;
        }
        // No id: a page that ends inside time T keeps its rows before T; the rows at T are
        // read whole (WHERE time = T), and the next page starts after T.
        std::vector<std::string> rows;
        const std::optional<std::uint64_t> got = fetch(keyset, pageRows, [&](std::string_view row) {
            rows.emplace_back(row);
            return true;
        });
        if (!got)
            return report;
        if (*got < std::uint64_t(pageRows)) {
            for (const std::string &row : rows) {
                if (!ingestRow(row))
                    return report;
            }
            break;
        }
        const QString last = timeOf(rows.back());
        if (last.isEmpty()) {
            rd.fail(target.name() + QStringLiteral(": a row without a time in the time column"));
            return report;
        }
        for (const std::string &row : rows) {
            if (timeOf(row) == last)
                break;
            if (!ingestRow(row))
                return report;
        }
        const QString before = keyset;
        const QString at = QStringLiteral("%1 = %2").arg(timeSql, last);
        if (!fetch(before.isEmpty() ? at : before + QStringLiteral(" AND ") + at, 0, ingestRow))
            return report;
        keyset = QStringLiteral("%1 > %2").arg(timeSql, last);
    }
    if (nullTimes) {
        rangeWhere.clear();
        const QString timeless = QStringLiteral("isNull(%1)").arg(timeSql);
        if (!fetch(timeless, 0, ingestRow))
            return report;
    }
    if (cursor)
        cursor->started = true;
    return report;
}

std::optional<EngineColumns> clickHouseEngineColumns(
    ClickHouseClient &client, const Profile &profile, QString *error, bool *authentication)
{
    const ClickHouseTarget &t = client.target();
    EngineColumns c;
    if (profile.rows == Profile::Rows::Events) {
        // the per-second rollup push keeps beside the table, when it is there
        bool rollup = false;
        QString rowError;
        const ClickHouseResult r = client.select(
            QStringLiteral(
                "SELECT count() AS n FROM system.tables WHERE database = %1 AND name = %2")
                .arg(clickHouseString(t.database.toStdString()),
                    clickHouseString((t.table + QStringLiteral("_seconds")).toStdString())),
            [&](std::string_view row) {
                ClickHouseRowReader reader;
                const auto o = reader.parse(row, &rowError);
                rollup = o && o->integer("n").value_or(0) > 0;
                return true;
            });
        if (!r.ok) {
            *error = r.error;
            if (authentication)
                *authentication = r.authentication;
            return std::nullopt;
        }
        c.scope = QStringLiteral("scope");
        c.source = QStringLiteral("toUInt8(source)");
        if (rollup) {
            c.table = clickHouseIdentifier(t.database) + QLatin1Char('.')
                + clickHouseIdentifier(t.table + QStringLiteral("_seconds"));
            c.timeMs = QStringLiteral("second * 1000");
            c.timeFilter = QStringLiteral("second");
            c.timeLiteral = QStringLiteral("intDiv(%1, 1000)");
            c.count = QStringLiteral("sum(n)");
        } else {
            c.table = t.sqlTable();
            c.timeMs = QStringLiteral("time");
            c.timeFilter = QStringLiteral("time");
        }
        return c;
    }
    *error = t.name() + QStringLiteral(": engine-side counts need a `ratescope` table");
    return std::nullopt;
}
