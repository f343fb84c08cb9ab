// bench_engine: ClickHouse as a source (issue 21), on a real clickhouse-server 18.16 started for
// the run (tests/clickhouseserver.h; its data in a temporary folder, removed at the end).
//
//   bench_engine [--rows N] [--days D] [--sample S]
//
// Loads N synthetic rows (default 100M) into a `ratescope` events table, generated on the
// server (INSERT … SELECT FROM numbers(N): nothing crosses the wire), with the per-second rollup
// a materialized view keeps beside it (README "ClickHouse"). Then measures, as the window does
// it (engine/clickhouseaggregate.h: one query, rows decoded into buckets as they arrive):
//  - the first chart: the table's span, then the per-minute counts by scope and source of all
//    of it (target <= 2 s), from the rollup and, for comparison, from the raw table;
//  - a zoom: one hour at one-second buckets (target <= 1 s);
//  - this process's peak RSS (target <= 200 MB);
// and, in the same run, `ratescope summarize` of the first S rows (default 1M) read from the
// table and from a file of the same events (a child process each: wall time, peak RSS).
// Then the window's path: a RateChart (off screen) fed by EngineChartFeed, from start() to the
// first frame drawn, and a one-hour zoom. Prints the figures; exit status 0 when the targets are
// met, 1 otherwise, 2 on error.
#include "../tests/clickhouseserver.h"

#include "engine/clickhouseaggregate.h"
#include "engine/clickhousebucketrunner.h"
#include "engine/clickhouseclient.h"
#include "engine/clickhouseddl.h"
#include "engine/clickhousesource.h"
#include "engine/profile.h"
#include "enginechartfeed.h"
#include "ratechart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include <sys/resource.h>

namespace {

constexpr double kFirstChartS = 2.0;
constexpr double kZoomS = 1.0;
constexpr double kRssMb = 200.0;
constexpr std::int64_t kStartMs = 1767225600000; // 2026-01-01T00:00:00Z

void say(const QString &line) { QTextStream(stdout) << line << Qt::endl; }

double peakRssMb()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

// A child's wall time and peak RSS.
struct Child
{
    int exit = -1;
    double seconds = 0;
    double rssMb = 0;
    QByteArray out;
};

// VmHWM of a running process, in MB (0 when it is gone).
double vmHwmMb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

Child runChild(const QString &program, const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    Child c;
    if (!p.waitForStarted())
        return c;
    const qint64 pid = p.processId();
    // the peak RSS as /proc says it while it runs (sampled every 10 ms; its last value counts)
    while (!p.waitForFinished(10))
        c.rssMb = std::max(c.rssMb, vmHwmMb(pid));
    c.seconds = double(clock.nsecsElapsed()) / 1e9;
    c.exit = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    c.out = p.readAllStandardOutput();
    return c;
}

int fail(const QString &why)
{
    say(QStringLiteral("bench_engine: ") + why);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // the window's chart, drawn off screen
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({ QStringLiteral("rows"), QStringLiteral("Rows to load (default 100M)."),
        QStringLiteral("N"), QStringLiteral("100000000") });
    p.addOption({ QStringLiteral("days"), QStringLiteral("Days they span (default 7)."),
        QStringLiteral("D"), QStringLiteral("7") });
    p.addOption({ QStringLiteral("sample"),
        QStringLiteral("Rows summarized from the table and from a file (default 1M)."),
        QStringLiteral("S"), QStringLiteral("1000000") });
    p.process(app);
    const qint64 rows = p.value(QStringLiteral("rows")).toLongLong();
    const qint64 spanMs = qint64(p.value(QStringLiteral("days")).toDouble() * 86400000.0);
    const qint64 sample = std::min(rows, p.value(QStringLiteral("sample")).toLongLong());
    if (rows <= 0 || spanMs <= 0 || sample <= 0)
        return fail(QStringLiteral("--rows, --days and --sample must be positive"));

    ClickHouseServer server;
    QString error;
    if (!server.start(&error))
        return fail(error);
    bool ok = false;
    say(QStringLiteral("ClickHouse %1 on 127.0.0.1:%2")
            .arg(QString::fromUtf8(server.query(QStringLiteral("SELECT version()")).trimmed()))
            .arg(server.port()));

    // the table `ratescope push` writes (README), its per-second rollup and the view that fills it
    QString ddlError;
    if (!server.createEventsTable(
            QStringLiteral("rs"), QStringLiteral("ratescope_events"), &ddlError))
        return fail(ddlError);

    // N rows evenly over the span; four APIs; 2 % rate limited, more in a daily burst at
    // 10:00-10:20 (one in five), 0.1 % tool errors
    QElapsedTimer clock;
    clock.start();
    const QString insert = QStringLiteral(
        "INSERT INTO rs.ratescope_events (id, time, status, source, method, scope, endpoint, "
        "tool, provider, client, message, duration_ms) "
        "SELECT toString(number) AS id, %1 + intDiv(number * %2, %3) AS time, "
        "if(src = 1, 429, if(src = 2, 500, 200)) AS status, "
        "CAST(src AS Enum8('NONE' = 0, 'RATE_LIMITED' = 1, 'TOOL_ERROR' = 2, "
        "'UNCLASSIFIED' = 3)) AS source, 'POST' AS method, "
        "['api.openai.com', 'api.anthropic.com', 'gateway.acme.dev', 'api.github.com']"
        "[number % 4 + 1] AS scope, concat('https://', scope, '/v1/chat/completions') "
        "AS endpoint, "
        "['search', 'send_email', 'chat', ''][intDiv(number, 4) % 4 + 1] AS tool, "
        "['openai', 'anthropic', 'acme', 'github'][number % 4 + 1] AS provider, "
        "concat('client-', toString(number % 17)) AS client, "
        "if(src = 1, 'rate limit exceeded', '') AS message, "
        "toFloat32(50 + number % 400) AS duration_ms "
        "FROM (SELECT number, multiIf(intDiv(%1 + intDiv(number * %2, %3), 60000) % 1440 "
        "BETWEEN 600 AND 619 AND number % 5 = 0, 1, number % 50 = 0, 1, number % 1000 = 7, "
        "2, 0) AS src FROM numbers(%3))")
                               .arg(kStartMs)
                               .arg(spanMs)
                               .arg(rows);
    const QByteArray out = server.query(insert, &ok);
    if (!ok)
        return fail(QString::fromUtf8(out));
    const double loadS = double(clock.nsecsElapsed()) / 1e9;
    say(QStringLiteral("load: %1 rows over %2 days in %3 s (%4 rows/s, server-side INSERT … "
                       "SELECT FROM numbers(), rollup kept by the view)")
            .arg(rows)
            .arg(double(spanMs) / 86400000.0)
            .arg(loadS, 0, 'f', 1)
            .arg(double(rows) / loadS, 0, 'f', 0));
    const QString disk = QString::fromUtf8(
        server
            .query(QStringLiteral("SELECT formatReadableSize(sum(bytes)) FROM system.parts "
                                  "WHERE database = 'rs' AND active"))
            .trimmed());
    const QString rollupRows = QString::fromUtf8(
        server.query(QStringLiteral("SELECT count() FROM rs.ratescope_events_seconds")).trimmed());
    say(QStringLiteral("on disk: %1; rollup rows: %2").arg(disk, rollupRows));

    qputenv("CLICKHOUSE_USER", ClickHouseServer::kUser);
    qputenv("CLICKHOUSE_PASSWORD", ClickHouseServer::kPassword);
    ClickHouseTarget target;
    target.port = server.port();
    target.database = QStringLiteral("rs");
    target.table = QStringLiteral("ratescope_events");
    readClickHouseCredentials(target);
    const std::optional<Profile> profile = loadProfile(QStringLiteral("ratescope"), &error);
    if (!profile)
        return fail(error);

    // As the window draws a chart: a new connection, the table's span, then one query at the
    // bucket size, its rows decoded into buckets as they arrive.
    auto columnsFor = [&](ClickHouseClient &client, bool rollup) -> std::optional<EngineColumns> {
        std::optional<EngineColumns> c = clickHouseEngineColumns(client, *profile, &error);
        if (c && !rollup) {
            c->table = target.sqlTable();
            c->timeMs = QStringLiteral("time");
            c->timeFilter = QStringLiteral("time");
            c->timeLiteral = QStringLiteral("%1");
            c->count = QStringLiteral("count()");
        }
        return c;
    };
    std::optional<std::pair<std::int64_t, std::int64_t>> span;
    auto measure = [&](const QString &what, bool rollup, std::int64_t bucketMs,
                       std::optional<TimeRange> range) -> std::optional<double> {
        QElapsedTimer t;
        t.start();
        ClickHouseClient client(target);
        const std::optional<EngineColumns> c = columnsFor(client, rollup);
        if (!c)
            return std::nullopt;
        if (!range) {
            span = queryEngineSpan(client, *c, &error);
            if (!span)
                return std::nullopt;
            range = TimeRange { span->first, span->second + 1 };
        }
        const std::optional<EngineSeries> s
            = queryEngineBuckets(client, *c, bucketMs, *range, &error);
        if (!s)
            return std::nullopt;
        const double secs = double(t.nsecsElapsed()) / 1e9;
        std::uint64_t rejected = 0;
        for (const EngineBucket &b : s->buckets) {
            for (const std::uint64_t n : b.rejected)
                rejected += n;
        }
        say(QStringLiteral("%1 (%2): %3 s; %4 bucket-scope cells (%5 scopes) from %6 result rows; "
                           "%7 requests, %8 rejected")
                .arg(what, rollup ? QStringLiteral("rollup") : QStringLiteral("raw table"))
                .arg(secs, 0, 'f', 3)
                .arg(s->buckets.size())
                .arg(s->scopes.size())
                .arg(s->rows)
                .arg(s->requests)
                .arg(rejected));
        return secs;
    };

    bool met = true;
    for (const bool rollup : { true, false }) {
        const std::optional<double> first
            = measure(QStringLiteral("first chart, per minute"), rollup, 60000, std::nullopt);
        if (!first)
            return fail(error);
        // a whole minute (the rollup counts whole seconds)
        std::int64_t mid = span->first + (span->second - span->first) / 2;
        mid -= mid % 60000;
        const std::optional<double> zoom = measure(QStringLiteral("zoom, one hour per second"),
            rollup, 1000, TimeRange { mid, mid + 3600000 });
        if (!zoom)
            return fail(error);
        if (rollup) {
            say(QStringLiteral("  targets: first chart %1 s <= %2 s %3; zoom %4 s <= %5 s %6")
                    .arg(*first, 0, 'f', 3)
                    .arg(kFirstChartS)
                    .arg(*first <= kFirstChartS ? QStringLiteral("met") : QStringLiteral("MISSED"))
                    .arg(*zoom, 0, 'f', 3)
                    .arg(kZoomS)
                    .arg(*zoom <= kZoomS ? QStringLiteral("met") : QStringLiteral("MISSED")));
            met = met && *first <= kFirstChartS && *zoom <= kZoomS;
        }
    }
    // The window's path: RateChart fed by EngineChartFeed (span query, then the frame's), from
    // start() to the frame handed to the chart and drawn; then a one-hour zoom.
    {
        RateChart chart;
        chart.resize(1400, 500);
        chart.show();
        // the runner finds the rollup itself (one short query before the span's)
        EngineChartFeed feed(
            &chart, std::make_unique<ClickHouseBucketRunner>(target, *profile), target.name());
        // the next frame handed to the chart (false after 60 s without one)
        auto nextFrame = [&] {
            QEventLoop loop;
            bool got = false;
            const auto c1 = QObject::connect(&feed, &EngineChartFeed::frameShown, &loop, [&] {
                got = true;
                loop.quit();
            });
            QTimer::singleShot(60000, &loop, &QEventLoop::quit);
            loop.exec();
            QObject::disconnect(c1);
            return got;
        };
        QElapsedTimer t;
        t.start();
        feed.start();
        if (!nextFrame())
            return fail(QStringLiteral("the window's chart: ") + feed.status());
        QCoreApplication::processEvents(); // the redraw of the frame
        const double first = double(t.nsecsElapsed()) / 1e9;
        const qint64 firstBucket = chart.frame().bucketMs;
        const std::size_t firstSlots = chart.frame().slots.size();
        std::int64_t mid = span->first + (span->second - span->first) / 2;
        mid -= mid % 60000;
        t.restart();
        chart.zoomTo(mid, mid + 3600000);
        if (!nextFrame())
            return fail(QStringLiteral("the window's zoom: ") + feed.status());
        QCoreApplication::processEvents();
        const double zoom = double(t.nsecsElapsed()) / 1e9;
        say(QStringLiteral("window (RateChart + EngineChartFeed, rollup): first chart %1 s (%2 s "
                           "buckets, %3 slots), one-hour zoom %4 s (%5 s buckets)")
                .arg(first, 0, 'f', 3)
                .arg(firstBucket / 1000)
                .arg(firstSlots)
                .arg(zoom, 0, 'f', 3)
                .arg(chart.frame().bucketMs / 1000));
        met = met && first <= kFirstChartS && zoom <= kZoomS;
    }
    const double rss = peakRssMb();
    say(QStringLiteral("RateScope's peak RSS (this process: client, decoding, buckets): %1 MB "
                       "<= %2 MB %3")
            .arg(rss, 0, 'f', 1)
            .arg(kRssMb)
            .arg(rss <= kRssMb ? QStringLiteral("met") : QStringLiteral("MISSED")));
    met = met && rss <= kRssMb;

    // The first S rows' time range, summarized from the table and from a file of them.
    const std::int64_t sampleTo = kStartMs + sample * spanMs / rows;
    const QString from
        = QDateTime::fromMSecsSinceEpoch(kStartMs, Qt::UTC).toString(Qt::ISODateWithMs);
    const QString to
        = QDateTime::fromMSecsSinceEpoch(sampleTo, Qt::UTC).toString(Qt::ISODateWithMs);
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("sample.ndjson"));
    {
        QFile f(log);
        if (!f.open(QIODevice::WriteOnly))
            return fail(log + QStringLiteral(": ") + f.errorString());
        ClickHouseClient client(target);
        const ClickHouseResult r = client.select(
            QStringLiteral("SELECT time AS timestamp, id, method, endpoint AS url, status, tool AS "
                           "tool_name, provider, client, "
                           "duration_ms FROM rs.ratescope_events WHERE time < %1 ORDER BY time")
                .arg(sampleTo),
            [&](std::string_view row) {
                f.write(row.data(), qint64(row.size()));
                f.write("\n", 1);
                return true;
            });
        if (!r.ok)
            return fail(r.error);
    }
    const QString ratescope = QCoreApplication::applicationDirPath() + QStringLiteral("/ratescope");
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const Child fromTable = runChild(ratescope,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("--from"), from, QStringLiteral("--to"), to,
            server.uri(QStringLiteral("rs.ratescope_events"), QStringLiteral("ratescope")) },
        env);
    const Child fromFile = runChild(ratescope,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"), log },
        env);
    for (const auto &[what, c] : { std::pair { QStringLiteral("table"), &fromTable },
             std::pair { QStringLiteral("file "), &fromFile } }) {
        const QJsonObject o = QJsonDocument::fromJson(c->out).object();
        say(QStringLiteral("summarize %1 (%2 .. %3): exit %4, %5 s, peak RSS %6 MB, %7 requests")
                .arg(what, from, to)
                .arg(c->exit)
                .arg(c->seconds, 0, 'f', 2)
                .arg(c->rssMb, 0, 'f', 1)
                .arg(o.value(QStringLiteral("requests")).toInteger()));
    }
    say(QStringLiteral("file: %1 MB of NDJSON")
            .arg(double(QFileInfo(log).size()) / 1e6, 0, 'f', 1));
    say(met ? QStringLiteral("bench_engine: targets met")
            : QStringLiteral("bench_engine: a target missed"));
    return met ? 0 : 1;
}
