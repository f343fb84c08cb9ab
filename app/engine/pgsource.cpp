#include "engine/pgsource.h"

#include "engine/pgconnection.h"
#include "engine/rowingest.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <thread>
#include <vector>

namespace {
void countRowsWithoutTime(PgConnection &conn, const QString &timeColumn, const QString &idColumn,
    std::uint64_t rowNumber, InputReport &report);
} // namespace

std::optional<Profile> profileFor(
    const EngineUri &uri, const std::optional<QMap<QString, QString>> &map, QString *error)
{
    if (map)
        return profileFromMap(*map);
    if (!uri.profile.isEmpty()) {
        QString why;
        auto p = loadProfile(uri.profile, &why);
        if (!p && error)
            *error = QStringLiteral("%1: %2").arg(uri.display(), why);
        return p;
    }
    const QString bare = uri.table.mid(uri.table.lastIndexOf(QLatin1Char('.')) + 1);
    for (const QString &name : builtInProfiles()) {
        std::optional<Profile> p = loadProfile(name, nullptr);
        if (p && p->table.compare(bare, Qt::CaseInsensitive) == 0)
            return p;
    }
    if (error)
        *error = QStringLiteral("%1: no profile for the table \"%2\": add &profile=NAME (%3) or "
                                "--map time=COLUMN,status=COLUMN,…")
                     .arg(uri.display(), uri.table, builtInProfiles().join(QStringLiteral(", ")));
    return std::nullopt;
}

InputReport readPostgres(
    const EngineUri &uri, EventStore &store, const RuleSet &rules, const EngineReadOptions &options)
{
    InputReport report;
    report.path = uri.display();
    report.format = QStringLiteral("postgresql");
    QString error;
    std::optional<Profile> profile = profileFor(uri, options.map, &error);
    if (!profile) {
        report.fatal = error;
        return report;
    }
    PgConnection conn(uri, options.connectTimeoutS);
    if (!conn.open(&error)) {
        report.fatal = error;
        return report;
    }
    const QList<QPair<QString, QString>> columns = conn.columns(&error);
    if (columns.isEmpty()) {
        report.fatal = error;
        return report;
    }
    QStringList names;
    QMap<QString, QString> types;
    for (const auto &[name, type] : columns) {
        names << name;
        types.insert(name, type);
    }
    if (!profile->bindTo(names, &error)) {
        report.fatal = QStringLiteral("%1: %2").arg(uri.display(), error);
        return report;
    }
    const QString timeColumn = profile->timeColumn();
    if (timeColumn.isEmpty()) {
        report.fatal = QStringLiteral("%1: the profile's time must be one plain column (rows "
                                      "are paged in its order)")
                           .arg(uri.display());
        return report;
    }
    QString idColumn = profile->idColumn();
    const bool byCtid = idColumn.isEmpty(); // no unique id: the row's physical id breaks ties
    PollCursor *cursor = options.cursor;
    if (cursor && byCtid) {
        report.fatal = QStringLiteral("%1: polling needs an id column (the profile's id), to "
                                      "tell a row read at the last poll's time from one added "
                                      "since")
                           .arg(uri.display());
        return report;
    }

    report.storeFile = options.storeFile;
    RowIngest ingest(store, rules, options.range, *profile, report);
    ingest.keepRowsAsJson(options.rowsAsJson);
    const QStringList &selected = ingest.columns();
    QStringList exprs;
    for (const QString &c : selected)
        exprs << pgTextExpr(c, types.value(c));
    const int timeIndex = int(selected.indexOf(timeColumn));
    int idIndex = byCtid ? int(selected.size()) : int(selected.indexOf(idColumn));
    if (byCtid)
        exprs << QStringLiteral("ctid::text");
    const QString t = PgConnection::quote(timeColumn);
    const QString id = byCtid ? QStringLiteral("ctid") : PgConnection::quote(idColumn);
    const QString order
        = QStringLiteral(" ORDER BY %1, %2 LIMIT %3").arg(t, id).arg(options.pageRows);
    const QString base = QStringLiteral("SELECT %1 FROM %2")
                             .arg(exprs.join(QStringLiteral(", ")), conn.quotedTable());
    QString filter;
    if (isTimestampType(types.value(timeColumn))) {
        if (options.range.fromMs)
            filter += QStringLiteral(" AND %1 >= %2").arg(t, pgTimeLiteral(*options.range.fromMs));
        if (options.range.toMs)
            filter += QStringLiteral(" AND %1 < %2").arg(t, pgTimeLiteral(*options.range.toMs));
    }
    if (!options.where.isEmpty())
        filter += QStringLiteral(" AND (%1)").arg(options.where);
    // the rows after the last poll's, in every page of this read (a page may end at its time)
    if (cursor && !cursor->time.isEmpty())
        filter += QStringLiteral(" AND ") + cursor->condition(t, id);
    const QString first = base + QStringLiteral(" WHERE %1 IS NOT NULL").arg(t) + filter + order;
    const QString next = base
        + QStringLiteral(" WHERE (%1, %2) > (?, ?%3)")
              .arg(t, id, byCtid ? QStringLiteral("::tid") : QString())
        + filter + order;

    const int width = int(exprs.size());
    std::vector<QVariant> row(static_cast<std::size_t>(width));
    std::uint64_t rowNumber = options.rowsBefore; // row numbers go on from earlier reads
    auto readHere = [&] { return rowNumber - options.rowsBefore; }; // rows of this read
    QVariant lastTime, lastId;
    QSqlQuery q(conn.db());
    q.setForwardOnly(true);
    bool prepared = false;
    for (bool firstPage = true;; firstPage = false) {
        if (options.cancel && options.cancel->load()) {
            report.fatal = QStringLiteral("cancelled after %1 rows").arg(readHere());
            return report;
        }
        bool ok;
        if (firstPage) {
            ok = q.exec(first);
        } else {
            if (!prepared) {
                q = QSqlQuery(conn.db());
                q.setForwardOnly(true);
                if (!q.prepare(next)) {
                    report.fatal = QStringLiteral("%1: %2").arg(
                        uri.display(), conn.safe(q.lastError().text()));
                    return report;
                }
                prepared = true;
            }
            q.bindValue(0, lastTime);
            q.bindValue(1, lastId);
            ok = q.exec();
        }
        if (!ok) {
            const QString why = conn.safe(q.lastError().text());
            report.fatal = readHere() == 0
                ? QStringLiteral("%1: %2").arg(uri.display(), why)
                : QStringLiteral("%1: the query failed after %2 rows (those are kept): %3")
                      .arg(uri.display())
                      .arg(readHere())
                      .arg(why);
            return report;
        }
        int got = 0;
        while (q.next()) {
            for (int c = 0; c < width; ++c)
                row[std::size_t(c)] = q.value(c);
            ++got;
            ++rowNumber;
            ingest.add(row.data(), rowNumber);
            lastTime = row[std::size_t(timeIndex)];
            lastId = row[std::size_t(idIndex)];
            if (cursor) // the time as its text (to_char: to the microsecond), read back as-is
                cursor->advance(pgLiteral(lastTime.toString()), pgLiteral(lastId.toString()));
        }
        if (q.lastError().isValid()) {
            report.fatal
                = QStringLiteral("%1: reading rows failed after %2 rows (those are kept): %3")
                      .arg(uri.display())
                      .arg(readHere())
                      .arg(conn.safe(q.lastError().text()));
            return report;
        }
        if (options.progress)
            options.progress(rowNumber);
        if (got < options.pageRows || (options.maxRows && readHere() >= options.maxRows))
            break;
    }
    // Rows without a time are never in a page (NULL is in no order): counted and named here,
    // for a read of the whole table.
    // (and of a poll's reads, by the first only)
    if (!options.range.fromMs && !options.range.toMs && options.where.isEmpty()
        && !(cursor && cursor->started))
        countRowsWithoutTime(conn, timeColumn, byCtid ? QString() : idColumn, rowNumber, report);
    if (cursor)
        cursor->started = true;
    return report;
}

namespace {
void countRowsWithoutTime(PgConnection &conn, const QString &timeColumn, const QString &idColumn,
    std::uint64_t rowNumber, InputReport &report)
{
    const bool byCtid = idColumn.isEmpty();
    const QString t = PgConnection::quote(timeColumn);
    QSqlQuery nulls(conn.db());
    const QString keyExpr = byCtid ? QStringLiteral("ctid::text")
                                   : PgConnection::quote(idColumn) + QStringLiteral("::text");
    if (nulls.exec(
            QStringLiteral("SELECT count(*) FROM %1 WHERE %2 IS NULL").arg(conn.quotedTable(), t))
        && nulls.next()) {
        const qint64 count = nulls.value(0).toLongLong();
        if (count > 0
            && nulls.exec(QStringLiteral("SELECT %1 FROM %2 WHERE %3 IS NULL LIMIT %4")
                              .arg(keyExpr, conn.quotedTable(), t)
                              .arg(InputReport::kMaxErrors))) {
            qint64 listed = 0;
            while (nulls.next()) {
                ++listed;
                report.addError(rowNumber + std::uint64_t(listed),
                    QStringLiteral("row %1=%2: no time (%3 is NULL)")
                        .arg(byCtid ? QStringLiteral("ctid") : idColumn, nulls.value(0).toString(),
                            timeColumn));
            }
            report.skipped += count - listed;
        }
    }
}
} // namespace

InputReport readPostgresInWorker(
    const EngineUri &uri, EventStore &store, const RuleSet &rules, const EngineReadOptions &options)
{
    // a thread of its own that ends here, not a pool thread: libpq's OpenSSL keeps state per
    // thread, freed when the thread ends (a pool thread outlives the read, and the program
    // can exit with it still there: LeakSanitizer saw that state as leaked)
    InputReport report;
    std::thread worker([&] { report = readPostgres(uri, store, rules, options); });
    worker.join();
    return report;
}
