// ratescope simulate: deterministic Scalekit/Skytells/OpenAI traffic as NDJSON (sim/simulator.h).
#include "cli/commands.h"
#include "decode/timestamp.h"
#include "sim/livesimulation.h"
#include "sim/simulationwriter.h"
#include "sim/simulator.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>

#include <cstdio>

namespace {

int usageError(const QString &message)
{
    QTextStream err(stderr);
    err << "ratescope simulate: " << message << "\n"
        << "Try 'ratescope simulate --help'.\n";
    return 2;
}

bool positiveInt(const QString &text, qint64 max, qint64 *out)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

// --to / --serve-sse: the records in real time (sim/livesimulation.h).
int runLiveSimulation(
    const QCommandLineParser &parser, SimulatorOptions opts, SimCatalog catalog, bool startGiven)
{
    double speed = 1.0;
    if (parser.isSet(QStringLiteral("speed"))) {
        bool ok = false;
        speed = parser.value(QStringLiteral("speed")).toDouble(&ok);
        if (!ok || !(speed >= 0) || speed > 1e6)
            return usageError(
                QStringLiteral("--speed needs a factor such as 1, 10 or 0.5 (0: unpaced)"));
    }
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    // Live traffic happens now: it starts on the current minute unless --start says otherwise
    // (then the pacing starts at that time).
    if (!startGiven)
        opts.startMs = now - now % 60000;
    TrafficSimulator sim(opts, std::move(catalog));
    LiveSimulation player(sim, speed, startGiven ? opts.startMs : now);
    QString error;
    QString target;
    if (parser.isSet(QStringLiteral("serve-sse"))) {
        const QString hostPort = parser.value(QStringLiteral("serve-sse"));
        if (!player.serveSse(hostPort, &error))
            return usageError(error);
        target = QStringLiteral("http://%1:%2/")
                     .arg(hostPort.left(hostPort.lastIndexOf(QLatin1Char(':'))))
                     .arg(player.ssePort());
        QTextStream(stderr) << "ratescope simulate: serving Server-Sent Events on " << target
                            << "\n";
    } else {
        target = parser.value(QStringLiteral("to"));
        if (target.startsWith(QLatin1String("tcp://"))) {
            if (!player.toTcp(target.mid(6), parser.value(QStringLiteral("token")), &error)) {
                QTextStream(stderr) << "ratescope simulate: " << error << "\n";
                return 1;
            }
        } else if (parser.isSet(QStringLiteral("token"))) {
            return usageError(QStringLiteral("--token goes with --to tcp://HOST:PORT"));
        } else if (!player.toFile(target, &error)) {
            QTextStream(stderr) << "ratescope simulate: " << error << "\n";
            return 1;
        }
    }
    QEventLoop loop;
    int status = 0;
    QObject::connect(&player, &LiveSimulation::finished, &loop, [&] { loop.quit(); });
    QObject::connect(&player, &LiveSimulation::failed, &loop, [&](const QString &message) {
        QTextStream(stderr) << "ratescope simulate: " << message << "\n";
        status = 1;
        loop.quit();
    });
    player.start();
    loop.exec();
    QTextStream(stderr) << "ratescope simulate: sent " << player.sent() << " records to " << target
                        << "\n";
    return status;
}

} // namespace

int runSimulate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write deterministic, realistic Scalekit tool-calling and Skytells prediction traffic\n"
        "(and OpenAI chat completions with --openai-rpm) as NDJSON response-log records, with "
        "platform limit bursts, provider incidents and\n"
        "retrying clients. The same options always give the same bytes."));
    parser.addHelpOption();
    const QCommandLineOption recordsOpt(
        QStringLiteral("records"), QStringLiteral("Stop after N records."), QStringLiteral("N"));
    const QCommandLineOption minutesOpt(QStringLiteral("minutes"),
        QStringLiteral("Simulate M minutes (default 60 when --records is not given)."),
        QStringLiteral("M"));
    const QCommandLineOption rpmOpt(QStringLiteral("rpm"),
        QStringLiteral("Mean fresh tool-call demand per minute (default 360)."),
        QStringLiteral("N"));
    const QCommandLineOption limitOpt(QStringLiteral("limit"),
        QStringLiteral("Platform limit, requests per minute (default 600)."), QStringLiteral("N"));
    const QCommandLineOption openaiOpt(QStringLiteral("openai-rpm"),
        QStringLiteral("Mean OpenAI chat completions per minute (default 0: none). The "
                       "organization's limits are 500 requests and 200000 tokens a minute."),
        QStringLiteral("N"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"),
        QStringLiteral("Random seed, decimal or 0x-hex (default 1)."), QStringLiteral("S"));
    const QCommandLineOption startOpt(QStringLiteral("start"),
        QStringLiteral("First minute, RFC 3339 (default 2026-01-05T09:00:00Z; seconds are "
                       "dropped, traffic starts on a whole UTC minute)."),
        QStringLiteral("TIME"));
    const QCommandLineOption outOpt(QStringList { QStringLiteral("o"), QStringLiteral("output") },
        QStringLiteral("Write to FILE atomically (default: standard "
                       "output); a .gz suffix compresses it."),
        QStringLiteral("FILE"));
    const QCommandLineOption noIncidentsOpt(QStringLiteral("no-incidents"),
        QStringLiteral("No scheduled bursts, provider incidents or polling storms."));
    const QCommandLineOption toOpt(QStringLiteral("to"),
        QStringLiteral("Play the records in real time to tcp://HOST:PORT (NDJSON, as `monitor "
                       "--listen` accepts) or append them to FILE as they happen."),
        QStringLiteral("TARGET"));
    const QCommandLineOption sseOpt(QStringLiteral("serve-sse"),
        QStringLiteral("Play the records in real time as a Server-Sent Events stream on "
                       "HOST:PORT (loopback only; any path; Last-Event-ID resumes)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption speedOpt(QStringLiteral("speed"),
        QStringLiteral("With --to/--serve-sse: play this many times faster than real time "
                       "(default 1; 0: as fast as the receiver takes them)."),
        QStringLiteral("FACTOR"));
    const QCommandLineOption tokenOpt(QStringLiteral("token"),
        QStringLiteral("With --to tcp://: send \"AUTH <token>\" first (monitor --token)."),
        QStringLiteral("TOKEN"));
    for (const QCommandLineOption &o : { recordsOpt, minutesOpt, rpmOpt, limitOpt, openaiOpt,
             seedOpt, startOpt, outOpt, noIncidentsOpt, toOpt, sseOpt, speedOpt, tokenOpt })
        parser.addOption(o);

    QStringList argv = args;
    argv.prepend(QStringLiteral("ratescope simulate"));
    if (!parser.parse(argv))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'")
                              .arg(parser.positionalArguments().constFirst()));

    SimulatorOptions opts;
    qint64 v = 0;
    if (parser.isSet(recordsOpt)) {
        if (!positiveInt(parser.value(recordsOpt), Q_INT64_C(1000000000000), &v))
            return usageError(QStringLiteral("--records needs a positive integer"));
        opts.records = v;
    }
    if (parser.isSet(minutesOpt)) {
        if (!positiveInt(parser.value(minutesOpt), Q_INT64_C(100000000), &v))
            return usageError(QStringLiteral("--minutes needs a positive integer"));
        opts.minutes = v;
    }
    if (!parser.isSet(recordsOpt) && !parser.isSet(minutesOpt))
        opts.minutes = 60;
    if (parser.isSet(rpmOpt)) {
        if (!positiveInt(parser.value(rpmOpt), 1000000, &v))
            return usageError(QStringLiteral("--rpm needs an integer from 1 to 1000000"));
        opts.meanRpm = int(v);
    }
    if (parser.isSet(limitOpt)) {
        if (!positiveInt(parser.value(limitOpt), 1000000, &v))
            return usageError(QStringLiteral("--limit needs an integer from 1 to 1000000"));
        opts.limitRpm = int(v);
    }
    if (parser.isSet(openaiOpt)) {
        bool ok = false;
        const int n = parser.value(openaiOpt).toInt(&ok);
        if (!ok || n < 0 || n > 100000)
            return usageError(QStringLiteral("--openai-rpm needs an integer from 0 to 100000"));
        opts.openaiRpm = n;
    }
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        opts.seed = parser.value(seedOpt).toULongLong(&ok, 0);
        if (!ok)
            return usageError(QStringLiteral("--seed needs a non-negative integer"));
    }
    if (parser.isSet(startOpt)) {
        const auto t = parseTimestamp(parser.value(startOpt).toStdString());
        if (!t)
            return usageError(QStringLiteral("--start needs an RFC 3339 time such as "
                                             "2026-01-05T09:00:00Z, not '%1'")
                                  .arg(parser.value(startOpt)));
        opts.startMs = t->ms;
    }
    opts.incidents = !parser.isSet(noIncidentsOpt);
    const QString out = parser.value(outOpt);

    const bool live = parser.isSet(toOpt) || parser.isSet(sseOpt);
    if (parser.isSet(toOpt) && parser.isSet(sseOpt))
        return usageError(QStringLiteral("--to and --serve-sse cannot be combined"));
    if (live && parser.isSet(outOpt))
        return usageError(
            QStringLiteral("-o writes a file at once; --to FILE appends in real time"));
    if (!live && (parser.isSet(speedOpt) || parser.isSet(tokenOpt)))
        return usageError(QStringLiteral("--speed and --token go with --to or --serve-sse"));
    // The providers and tools the traffic calls: checked before anything is written.
    QString error;
    std::optional<SimCatalog> catalog
        = TrafficSimulator::loadCatalog(QString::fromLatin1(kBuiltInSimCatalog), &error);
    if (!catalog) {
        QTextStream(stderr) << "ratescope simulate: " << error << "\n";
        return 1;
    }
    if (live)
        return runLiveSimulation(parser, opts, std::move(*catalog), parser.isSet(startOpt));

    TrafficSimulator sim(opts, std::move(*catalog));
    QElapsedTimer timer;
    timer.start();
    SimulationWriteResult res;
    if (!writeSimulation(sim, out, &res, &error)) {
        QTextStream(stderr) << "ratescope simulate: " << error << "\n";
        return 1;
    }
    if (!out.isEmpty() && out != QLatin1String("-")) {
        QTextStream(stderr) << "ratescope simulate: wrote " << res.records << " records ("
                            << QString::number(double(res.bytes) / 1e6, 'f', 1) << " MB"
                            << (res.fileBytes != res.bytes
                                       ? QStringLiteral(", %1 MB on disk")
                                             .arg(double(res.fileBytes) / 1e6, 0, 'f', 1)
                                       : QString())
                            << ") to " << out << " in "
                            << QString::number(double(timer.elapsed()) / 1000.0, 'f', 2) << " s\n";
    }
    return 0;
}
