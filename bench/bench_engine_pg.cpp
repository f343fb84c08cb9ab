// bench_engine_pg: the per-minute chart computed by PostgreSQL against `summarize` of the same
// events from a file, in the same run (issue 21; a program that prints figures, not a test).
//
//   bench_engine_pg [--records N] [--ratescope PATH]
//
// 1. The traffic simulator (seed 1) writes N records (default 10,000,000) as NDJSON.
// 2. `ratescope summarize --format json` of that file: wall time.
// 3. The file loaded into an EventStore (the same loader and rules), written as the CSV of the
//    table `ratescope push` makes, and loaded into a PostgreSQL started for the run
//    (tests/pgserver.h: initdb + pg_ctl in a temporary folder) with COPY; then the index the
//    README recommends, (time, id), and ANALYZE.
// 4. The first chart: the per-minute counts by source over the whole table
//    (engine/pgaggregate.h, one GROUP BY query) on a new connection; a zoom: 10-second buckets
//    over one hour in the middle; the rows of one minute (keyset pages). Best of 3 each.
// Target (issue 21): first chart <= 5 s on 10M rows. Exit status 0 when met, 1 when not or a
// step failed, 2 usage.
#include "../tests/pgserver.h"
#include "engine/engineuri.h"
#include "engine/pgaggregate.h"
#include "engine/pgpush.h"
#include "engine/pgsource.h"
#include "rules/ruleset.h"
#include "sim/simulationwriter.h"
#include "sim/simulator.h"
#include "sources/loader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

#include <sys/stat.h>

namespace {

constexpr double kFirstChartTargetS = 5.0;

double seconds(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e9; }

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("PostgreSQL per-minute chart vs summarize"));
    parser.addHelpOption();
    const QCommandLineOption recordsOpt(QStringLiteral("records"),
        QStringLiteral("Records to simulate (default 10000000)."), QStringLiteral("N"),
        QStringLiteral("10000000"));
    const QCommandLineOption binaryOpt(QStringLiteral("ratescope"),
        QStringLiteral("The ratescope program (default: beside this one)."), QStringLiteral("PATH"),
        QCoreApplication::applicationDirPath() + QStringLiteral("/ratescope"));
    parser.addOption(recordsOpt);
    parser.addOption(binaryOpt);
    parser.process(app);
    QTextStream out(stdout);
    bool ok = false;
    const qint64 records = parser.value(recordsOpt).toLongLong(&ok);
    if (!ok || records < 1) {
        out << "--records needs a positive integer\n";
        return 2;
    }
    const QString why = PgServer::unavailable();
    if (!why.isEmpty()) {
        out << "no PostgreSQL: " << why << Qt::endl;
        return 1;
    }

    QTemporaryDir dir;
    ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
    const QString log = dir.filePath(QStringLiteral("sim.ndjson"));
    QElapsedTimer t;
    t.start();
    {
        SimulatorOptions opts;
        opts.seed = 1;
        opts.records = records;
        TrafficSimulator sim(opts);
        SimulationWriteResult res;
        QString error;
        if (!writeSimulation(sim, log, &res, &error)) {
            out << "simulate: " << error << Qt::endl;
            return 1;
        }
        out << "simulated " << res.records << " records, " << res.bytes / 1e6 << " MB in "
            << seconds(t) << " s" << Qt::endl;
    }

    // summarize of the file, as a user runs it
    double summarizeS = 0;
    {
        QProcess p;
        p.setStandardOutputFile(QProcess::nullDevice());
        t.restart();
        p.start(parser.value(binaryOpt),
            { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
                log });
        p.waitForFinished(-1);
        summarizeS = seconds(t);
        if (p.exitCode() != 0) {
            out << "summarize failed: " << p.readAllStandardError() << Qt::endl;
            return 1;
        }
    }
    out << "summarize (file):            " << summarizeS << " s" << Qt::endl;

    // the same events into PostgreSQL with COPY
    const RuleSet rules = RuleSet::builtIn();
    const QString csv = dir.filePath(QStringLiteral("events.csv"));
    std::size_t events = 0;
    t.restart();
    {
        EventStore store;
        Loader loader(store, rules);
        const InputReport r = loader.load(log);
        if (r.failed()) {
            out << "load: " << r.fatal << Qt::endl;
            return 1;
        }
        events = store.size();
        QFile f(csv);
        if (!f.open(QIODevice::WriteOnly)) {
            out << "cannot write " << csv << Qt::endl;
            return 1;
        }
        writePushCsv(store, f);
    }
    ::chmod(QFile::encodeName(csv).constData(), 0644);
    out << "events as CSV:               " << seconds(t) << " s (" << events << " events)"
        << Qt::endl;
    PgServer pg;
    QString error;
    if (!pg.start(&error)
        || !pg.exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE bench"), &error)) {
        out << "PostgreSQL: " << error << Qt::endl;
        return 1;
    }
    const QString table = QStringLiteral("ratescope_events");
    const QStringList ddl = pushTableDdl(table).split(QStringLiteral(";\n"));
    t.restart();
    if (!pg.exec(QStringLiteral("bench"), ddl.at(0), &error)
        || !pg.exec(QStringLiteral("bench"),
            QStringLiteral("COPY %1 (%2) FROM '%3' (FORMAT csv)")
                .arg(table, pushedEventColumns().join(QStringLiteral(", ")), csv),
            &error)) {
        out << "COPY: " << error << Qt::endl;
        return 1;
    }
    out << "COPY:                        " << seconds(t) << " s" << Qt::endl;
    t.restart();
    if (!pg.exec(QStringLiteral("bench"), ddl.at(1), &error)
        || !pg.exec(QStringLiteral("bench"), QStringLiteral("ANALYZE ") + table, &error)) {
        out << "index: " << error << Qt::endl;
        return 1;
    }
    out << "index (time, id) + ANALYZE:  " << seconds(t) << " s" << Qt::endl;
    QFile::remove(csv);

    QString text = pg.uri(QStringLiteral("bench"), QStringLiteral("table=") + table);
    text.replace(QStringLiteral("ratescope@"),
        QStringLiteral("ratescope:") + pg.password() + QLatin1Char('@'));
    const std::optional<EngineUri> uri = parseEngineUri(text, &error);
    if (!uri) {
        out << error << Qt::endl;
        return 1;
    }
    auto best = [&](auto &&run) {
        double b = 1e9;
        for (int i = 0; i < 3; ++i) {
            t.restart();
            if (!run())
                return -1.0;
            b = std::min(b, seconds(t));
        }
        return b;
    };
    EngineAggregate whole;
    const double firstChart = best([&] {
        whole = aggregatePostgres(*uri, rules, {}, 60000);
        return whole.error.isEmpty();
    });
    if (firstChart < 0) {
        out << "first chart: " << whole.error << Qt::endl;
        return 1;
    }
    std::int64_t counted = 0;
    for (const PgBucket &b : whole.buckets)
        counted += b.requests;
    out << "first chart (per minute):    " << firstChart << " s (" << whole.buckets.size()
        << " minutes, " << counted << " requests)" << Qt::endl;
    const std::int64_t middle
        = whole.buckets.empty() ? 0 : whole.buckets[whole.buckets.size() / 2].startMs;
    EngineReadOptions hour;
    hour.range = { middle - 1800000, middle + 1800000 };
    EngineAggregate zoomed;
    const double zoom = best([&] {
        zoomed = aggregatePostgres(*uri, rules, hour, 10000);
        return zoomed.error.isEmpty();
    });
    out << "zoom (10 s over 1 h):        " << zoom << " s (" << zoomed.buckets.size() << " buckets)"
        << Qt::endl;
    EngineReadOptions minute;
    minute.range = { middle, middle + 60000 };
    std::size_t rows = 0;
    const double drill = best([&] {
        EventStore store;
        const InputReport r = readPostgres(*uri, store, rules, minute);
        rows = store.size();
        return !r.failed();
    });
    out << "rows of one minute (keyset): " << drill << " s (" << rows << " rows)" << Qt::endl;
    const bool met = counted == std::int64_t(events) && firstChart <= kFirstChartTargetS;
    out << (met ? "target met" : "TARGET MISSED") << ": first chart " << firstChart
        << " s <= " << kFirstChartTargetS << " s, every event counted (" << counted << " of "
        << events << "); summarize of the file " << summarizeS << " s" << Qt::endl;
    return met ? 0 : 1;
}
