// ratescope simulate: deterministic Scalekit/Skytells traffic as NDJSON (sim/simulator.h).
#include "cli/commands.h"
#include "sim/simulationwriter.h"
#include "sim/simulator.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
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

} // namespace

int runSimulate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write deterministic, realistic Scalekit tool-calling and Skytells prediction traffic\n"
        "as NDJSON response-log records, with platform limit bursts, provider incidents and\n"
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
    for (const QCommandLineOption &o :
        { recordsOpt, minutesOpt, rpmOpt, limitOpt, seedOpt, startOpt, outOpt, noIncidentsOpt })
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
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        opts.seed = parser.value(seedOpt).toULongLong(&ok, 0);
        if (!ok)
            return usageError(QStringLiteral("--seed needs a non-negative integer"));
    }
    if (parser.isSet(startOpt)) {
        std::int64_t ms = 0;
        if (!simParseRfc3339(parser.value(startOpt).toStdString(), &ms))
            return usageError(QStringLiteral("--start needs an RFC 3339 time such as "
                                             "2026-01-05T09:00:00Z, not '%1'")
                                  .arg(parser.value(startOpt)));
        opts.startMs = ms;
    }
    opts.incidents = !parser.isSet(noIncidentsOpt);
    const QString out = parser.value(outOpt);

    TrafficSimulator sim(opts);
    QElapsedTimer timer;
    timer.start();
    SimulationWriteResult res;
    QString error;
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
