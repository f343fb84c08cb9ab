// Per-bucket counts computed by PostgreSQL (issue 21, engine/pgaggregate.h), against a real
// server (pgserver.h) holding LiteLLM's spend log fixture: the counts per minute and per
// source equal those of the same requests read from the NDJSON file by the file loader; the
// proxy's own 429s are told apart in SQL (a CASE from the rules' message words), the
// providers' are left to the rules and read from their rows; a zoom re-queries at 10 s; the
// rows of one bucket come in keyset pages; a newer query cancels a slow older one.
#include "aggregate/scopes.h"
#include "engine/engineuri.h"
#include "engine/pgaggregate.h"
#include "engine/pgconnection.h"
#include "engine/pgpush.h"
#include "engine/pgsource.h"
#include "pgserver.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <map>

namespace {

struct Counts
{
    std::int64_t requests = 0, rejected = 0;
    std::array<std::int64_t, kRejectionSourceCount> bySource {};
    bool operator==(const Counts &o) const
    {
        return requests == o.requests && rejected == o.rejected && bySource == o.bySource;
    }
};

// The file's events counted per bucket here, from the store the file loader filled.
std::map<std::int64_t, Counts> fileCounts(
    const EventStore &store, std::int64_t bucketMs, const TimeRange &range = {})
{
    std::map<std::int64_t, Counts> out;
    for (std::size_t i = 0; i < store.size(); ++i) {
        const std::int64_t t = store.timeMs(i);
        if (!range.contains(t))
            continue;
        Counts &c = out[t - t % bucketMs];
        ++c.requests;
        if (store.isRejection(i)) {
            ++c.rejected;
            ++c.bySource[std::size_t(sourceIndex(store.source(i)))];
        }
    }
    return out;
}

// The engine's counts per bucket, its scopes summed.
std::map<std::int64_t, Counts> engineCounts(const EngineAggregate &a)
{
    std::map<std::int64_t, Counts> out;
    for (const PgBucket &b : a.buckets) {
        Counts &c = out[b.startMs];
        c.requests += b.requests;
        c.rejected += b.rejected;
        for (std::size_t k = 0; k < c.bySource.size(); ++k)
            c.bySource[k] += b.bySource[k];
    }
    return out;
}

using ScopeCounts = std::map<std::pair<std::int64_t, QString>, Counts>;

// The engine's counts per (bucket, scope).
ScopeCounts engineScopeCounts(const EngineAggregate &a)
{
    ScopeCounts out;
    for (const PgBucket &b : a.buckets)
        out[{ b.startMs, a.scopes.value(b.scope) }] = { b.requests, b.rejected, b.bySource };
    return out;
}

// The same counted from a store by the file path's scopes (ScopeIndex, limits.md §1).
ScopeCounts storeScopeCounts(const EventStore &store, std::int64_t bucketMs)
{
    const ScopeIndex scopes = ScopeIndex::build(store, ScopeBy::Host);
    ScopeCounts out;
    for (std::size_t i = 0; i < store.size(); ++i) {
        const std::int64_t t = store.timeMs(i);
        Counts &c = out[{
            t - t % bucketMs, QString::fromStdString(scopes.names().at(scopes.scopeOf(i))) }];
        ++c.requests;
        if (store.isRejection(i)) {
            ++c.rejected;
            ++c.bySource[std::size_t(sourceIndex(store.source(i)))];
        }
    }
    return out;
}

QString describe(const ScopeCounts &m)
{
    QString s;
    for (const auto &[key, c] : m)
        s += QStringLiteral("%1 %2: %3 req, %4 rej\n")
                 .arg(key.first)
                 .arg(key.second)
                 .arg(c.requests)
                 .arg(c.rejected);
    return s;
}

QString describe(const std::map<std::int64_t, Counts> &m)
{
    QString s;
    for (const auto &[t, c] : m)
        s += QStringLiteral("%1: %2 req, %3 rej (%4/%5/%6)\n")
                 .arg(t)
                 .arg(c.requests)
                 .arg(c.rejected)
                 .arg(c.bySource[0])
                 .arg(c.bySource[1])
                 .arg(c.bySource[2]);
    return s;
}

std::int64_t ms(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

} // namespace

class TestEnginePgAggregate : public QObject
{
    Q_OBJECT

private:
    PgServer m_pg;
    std::optional<EngineUri> m_uri;
    Loaded m_file;
    const RuleSet m_rules = RuleSet::builtIn();
    int m_scopeTables = 0;

    // A query of the aggregator's connection is running on the server.
    bool aggregatorRunning() { return m_pg.queryRunning(QStringLiteral("litellm")); }

private Q_SLOTS:
    void initTestCase()
    {
        PG_START_WITH_LITELLM_OR_SKIP(m_pg);
        QString error;
        QString text = m_pg.uri(QStringLiteral("litellm"),
            QStringLiteral("table=LiteLLM_SpendLogs&profile=litellm-spendlogs"));
        text.replace(QStringLiteral("ratescope@"),
            QStringLiteral("ratescope:") + m_pg.password() + QLatin1Char('@'));
        m_uri = parseEngineUri(text, &error);
        QVERIFY2(m_uri, qPrintable(error));
        m_file = loadFiles({ fixture(QStringLiteral("litellm/spendlogs.ndjson")) });
        QCOMPARE(m_file.reports.at(0).skipped, std::int64_t(0));
        QVERIFY(m_file.store->size() > 1000);
    }

    void perMinuteCountsEqualTheFile()
    {
        const EngineAggregate a = aggregatePostgres(*m_uri, m_rules, {}, 60000);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        const auto expected = fileCounts(*m_file.store, 60000);
        const auto got = engineCounts(a);
        QVERIFY2(got == expected,
            qPrintable(describe(got) + QStringLiteral("---\n") + describe(expected)));
        // the proxy's own limit (minutes 10-14) is decided in SQL: no row was read for it;
        // the providers' 429s (25-31) need the rules' regular expression: read from rows
        std::int64_t sqlRateLimited = 0, refinedToolErrors = 0;
        for (const PgBucket &b : a.buckets) {
            if (b.startMs >= ms("2025-08-22T10:10:00Z") && b.startMs < ms("2025-08-22T10:15:00Z")) {
                QCOMPARE(b.refined, std::int64_t(0));
                sqlRateLimited
                    += b.bySource[std::size_t(sourceIndex(RejectionSource::RateLimited))];
            }
            if (b.startMs >= ms("2025-08-22T10:25:00Z") && b.startMs < ms("2025-08-22T10:32:00Z"))
                refinedToolErrors += b.refined;
        }
        QVERIFY(sqlRateLimited > 0);
        QVERIFY(refinedToolErrors > 0);
    }

    // The CASE, as SQL text, holds the rules' words for the proxy's own limit (data from
    // rules.json, not typed in the code).
    void sourceCaseComesFromTheRules()
    {
        QString error;
        PgConnection conn(*m_uri);
        QVERIFY2(conn.open(&error), qPrintable(error));
        QMap<QString, QString> types;
        QStringList names;
        for (const auto &[name, type] : conn.columns(&error)) {
            names << name;
            types.insert(name, type);
        }
        std::optional<Profile> p = loadProfile(QStringLiteral("litellm-spendlogs"), &error);
        QVERIFY(p && p->bindTo(names, &error));
        const auto sql = PgAggregateSql::make(*p, types, m_rules, &error);
        QVERIFY2(sql, qPrintable(error));
        QVERIFY2(sql->sourceCase().contains(QStringLiteral("'litellm rate limit handler'")),
            qPrintable(sql->sourceCase()));
        QVERIFY(sql->sourceCase().contains(QStringLiteral("THEN NULL")));
    }

    // The counts by scope (limits.md §1: the host) come from SQL, and each URL shape gives the
    // scope the file path gives it: the table read back through the same decoder and rules as a
    // file (readPostgres), its scopes named by ScopeIndex, counted per minute, equal the
    // engine's counts per minute and scope. A second host in every minute makes several scopes.
    void scopesAreTheFilePaths_data()
    {
        QTest::addColumn<QVariant>("url"); // null: SQL NULL
        QTest::addColumn<QVariant>("host");
        const QVariant none;
        QTest::addRow("https, default port, upper case, query")
            << QVariant(QStringLiteral("https://API.Example.com:443/v1/chat?x=1")) << none;
        QTest::addRow("http, port 80") << QVariant(QStringLiteral("http://b.example:80/x")) << none;
        QTest::addRow("another port is kept")
            << QVariant(QStringLiteral("https://c.example:8443/x")) << none;
        QTest::addRow("userinfo with an @ in the password")
            << QVariant(QStringLiteral("https://user:p@ss@d.example/p")) << none;
        QTest::addRow("no scheme") << QVariant(QStringLiteral("E.example/v1/x")) << none;
        QTest::addRow("a path only") << QVariant(QStringLiteral("/v1/x")) << none;
        QTest::addRow("IPv6 literal, port 80")
            << QVariant(QStringLiteral("http://[::1]:80/x")) << none;
        QTest::addRow("IPv6 literal ending in :443")
            << QVariant(QStringLiteral("http://[2001:db8::443]/x")) << none;
        QTest::addRow("a query with / and @")
            << QVariant(QStringLiteral("https://f.example?next=/a@b")) << none;
        QTest::addRow("a scheme late in the text")
            << QVariant(QStringLiteral("/redirect?to=https://g.example/x")) << none;
        QTest::addRow("an empty port") << QVariant(QStringLiteral("https://h.example:/x")) << none;
        QTest::addRow("no url, a host column") << none << QVariant(QStringLiteral("I.Example:443"));
        QTest::addRow("no url, no host") << none << none;
    }

    void scopesAreTheFilePaths()
    {
        QFETCH(QVariant, url);
        QFETCH(QVariant, host);
        const QString table = QStringLiteral("scopes_%1").arg(++m_scopeTables);
        const QString name = QStringLiteral("scopes");
        {
            QSqlDatabase d = m_pg.connect(name, QStringLiteral("litellm"));
            QSqlQuery q(d);
            QVERIFY2(q.exec(QStringLiteral("CREATE TABLE %1 (id text PRIMARY KEY, ts timestamptz, "
                                           "status int, url text, host text)")
                                .arg(table)),
                qPrintable(q.lastError().text()));
            const QList<QList<QVariant>> rows {
                { QStringLiteral("r1"), QStringLiteral("2025-08-22T10:00:01Z"), 200, url, host },
                { QStringLiteral("r2"), QStringLiteral("2025-08-22T10:00:02Z"), 429, url, host },
                { QStringLiteral("r3"), QStringLiteral("2025-08-22T10:01:10Z"), 200, url, host },
                { QStringLiteral("o1"), QStringLiteral("2025-08-22T10:00:03Z"), 429,
                    QStringLiteral("https://other.example/v1"), QVariant() },
                { QStringLiteral("o2"), QStringLiteral("2025-08-22T10:01:03Z"), 200,
                    QStringLiteral("https://other.example/v1"), QVariant() },
            };
            for (const QList<QVariant> &row : rows) {
                q.prepare(QStringLiteral("INSERT INTO %1 VALUES (?, ?::timestamptz, ?, ?, ?)")
                              .arg(table));
                for (const QVariant &v : row)
                    q.addBindValue(v.isNull() ? QVariant(QMetaType::fromType<QString>()) : v);
                QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
            }
        }
        QSqlDatabase::removeDatabase(name);

        EngineUri uri = *m_uri;
        uri.table = table;
        uri.profile.clear();
        EngineReadOptions options;
        options.map = QMap<QString, QString> { { QStringLiteral("time"), QStringLiteral("ts") },
            { QStringLiteral("id"), QStringLiteral("id") },
            { QStringLiteral("status"), QStringLiteral("status") },
            { QStringLiteral("url"), QStringLiteral("url") },
            { QStringLiteral("host"), QStringLiteral("host") } };
        const EngineAggregate a = aggregatePostgres(uri, m_rules, options, 60000);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        EventStore store;
        const InputReport r = readPostgres(uri, store, m_rules, options);
        QVERIFY2(!r.failed(), qPrintable(r.fatal));
        QCOMPARE(store.size(), std::size_t(5));
        const ScopeCounts expected = storeScopeCounts(store, 60000);
        const ScopeCounts got = engineScopeCounts(a);
        QVERIFY2(got == expected,
            qPrintable(describe(got) + QStringLiteral("---\n") + describe(expected)));
        QCOMPARE(a.scopes.size(), 2); // the row's scope and other.example
    }

    // A table push wrote (the `ratescope` profile): its scopes from the endpoint column are the
    // file's, on the gateway mix (several APIs, tool calls without a URL).
    void scopesOfAPushedTableAreTheFiles()
    {
        const Loaded file = loadFiles({ fixture(QStringLiteral("gateway_mix.ndjson")) });
        EngineUri uri = *m_uri;
        uri.table = QStringLiteral("pushed_mix");
        uri.profile = QStringLiteral("ratescope");
        const PushResult pushed = pushToPostgres(uri, *file.store, {});
        QVERIFY2(pushed.error.isEmpty(), qPrintable(pushed.error));
        const EngineAggregate a = aggregatePostgres(uri, m_rules, {}, 60000);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        const ScopeCounts expected = storeScopeCounts(*file.store, 60000);
        QVERIFY2(engineScopeCounts(a) == expected,
            qPrintable(
                describe(engineScopeCounts(a)) + QStringLiteral("---\n") + describe(expected)));
        QVERIFY(a.scopes.size() >= 3);
    }

    // Zoom: 10-second buckets over five minutes, from the engine again.
    void zoomRequeriesAtTenSeconds()
    {
        EngineReadOptions options;
        options.range = { ms("2025-08-22T10:10:00Z"), ms("2025-08-22T10:15:00Z") };
        const EngineAggregate a = aggregatePostgres(*m_uri, m_rules, options, 10000);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        const auto expected = fileCounts(*m_file.store, 10000, options.range);
        QVERIFY(expected.size() >= 25);
        QCOMPARE(engineCounts(a).size(), expected.size());
        QVERIFY(engineCounts(a) == expected);
    }

    // Drill-down: the rows of one minute, in keyset pages of 7, are that minute's requests.
    void rowsOfOneBucketInKeysetPages()
    {
        EngineReadOptions options;
        options.range = { ms("2025-08-22T10:12:00Z"), ms("2025-08-22T10:13:00Z") };
        options.pageRows = 7;
        int pages = 0;
        options.progress = [&](std::uint64_t) { ++pages; };
        EventStore rows;
        const InputReport r = readPostgres(*m_uri, rows, m_rules, options);
        QVERIFY2(!r.failed(), qPrintable(r.fatal));
        std::vector<std::int64_t> got, expected;
        for (std::size_t i = 0; i < rows.size(); ++i)
            got.push_back(rows.timeMs(i));
        for (std::size_t i = 0; i < m_file.store->size(); ++i) {
            if (options.range.contains(m_file.store->timeMs(i)))
                expected.push_back(m_file.store->timeMs(i));
        }
        std::sort(expected.begin(), expected.end());
        QVERIFY(expected.size() > 70);
        QCOMPARE(got, expected); // in time order, each once
        QCOMPARE(pages, int(expected.size() / 7) + 1);
    }

    // A slow query (a view that sleeps per row) is cancelled by a newer one: the older comes
    // back cancelled with the server's word for it, the newer with the right counts, long
    // before the older would have ended.
    void newerQueryCancelsTheOlder()
    {
        QString error;
        QVERIFY2(m_pg.exec(QStringLiteral("litellm"),
                     QStringLiteral("CREATE FUNCTION slow_row() RETURNS boolean LANGUAGE plpgsql "
                                    "AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN true; END $$;\n"
                                    "CREATE VIEW slow_spendlogs AS SELECT * FROM "
                                    "\"LiteLLM_SpendLogs\" WHERE slow_row()"),
                     &error),
            qPrintable(error));
        EngineUri slow = *m_uri;
        slow.table = QStringLiteral("slow_spendlogs");
        slow.profile = QStringLiteral("litellm-spendlogs");
        PgAggregator aggregator(slow, m_rules, {});
        QSignalSpy spy(&aggregator, &PgAggregator::finished);
        QElapsedTimer clock;
        clock.start();
        const std::uint64_t first = aggregator.request(60000, {});
        // wait until the server runs it
        QTRY_VERIFY_WITH_TIMEOUT(aggregatorRunning(), 20000);
        const TimeRange minute { ms("2025-08-22T10:12:00Z"), ms("2025-08-22T10:13:00Z") };
        const std::uint64_t second = aggregator.request(60000, minute);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 60000);
        const qint64 elapsed = clock.elapsed();
        const auto older = spy.at(0).at(0).value<EngineAggregate>();
        const auto newer = spy.at(1).at(0).value<EngineAggregate>();
        QCOMPARE(older.generation, first);
        QVERIFY(older.cancelled);
        QVERIFY2(older.error.contains(QStringLiteral("cancel")), qPrintable(older.error));
        QCOMPARE(newer.generation, second);
        QVERIFY(!newer.cancelled);
        QVERIFY2(newer.error.isEmpty(), qPrintable(newer.error));
        QVERIFY(engineCounts(newer) == fileCounts(*m_file.store, 60000, minute));
        // the whole table through the view sleeps 20 ms a row: 1143 rows, 22 s
        QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
    }

    // Closing the view while its query runs does not wait for the query: it is cancelled.
    void destroyingCancelsTheRunningQuery()
    {
        EngineUri slow = *m_uri;
        slow.table = QStringLiteral("slow_spendlogs"); // made by newerQueryCancelsTheOlder
        QElapsedTimer clock;
        {
            PgAggregator aggregator(slow, m_rules, {});
            aggregator.request(60000, {});
            QTRY_VERIFY_WITH_TIMEOUT(aggregatorRunning(), 20000);
            clock.start();
        }
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(!aggregatorRunning(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestEnginePgAggregate)
#include "tst_engine_pgaggregate.moc"
