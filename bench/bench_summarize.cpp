// bench_summarize: `ratescope summarize` against `wc -l` on the same simulated response log,
// measured in the same run (summarize <= 8x wc -l, peak RSS <= 150 MB).
//
//   bench_summarize [--records N] [--keep FILE] [--runs R] [--ratescope PATH] [--portable PATH]
//
// Generates N records with the traffic simulator (seed 1, default traffic options), or reuses
// --keep FILE when its sidecar FILE.sim says it holds exactly those records, the size still
// matches and the simulator still yields the same bytes (a digest computed in memory). After
// one untimed `wc -l` (a warm page cache for both), `wc -l` and summarize run R times each,
// in turns; the best wall time of each counts. Then the start-up: both on the first record
// alone, 10 R times. The peak RSS of the summarize child comes from wait4(). With --portable
// (default: build-package/ratescope beside this build, when scripts/package.sh made it) the
// package's portable build (x86-64-v2) runs in the same turns, and must be within 10 % of the
// native one. Exit status: 0 all targets met, 1 a target missed or a child failed, 2 usage.
#include "sim/simulationwriter.h"
#include "sim/simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace {

constexpr double kMaxRatio = 8.0;
constexpr double kMaxPortableSlowdown = 1.10; // the package build within 10 % of native
constexpr double kMaxRssMb = 150.0;
constexpr int kSidecarVersion = 1;

struct ChildRun
{
    bool started = false;
    QString startError;
    int status = 0; // raw wait status
    double seconds = 0;
    long maxRssKb = 0;

    bool ok() const { return started && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
    QString describe() const
    {
        if (!started)
            return QStringLiteral("could not start: %1").arg(startError);
        if (WIFEXITED(status))
            return QStringLiteral("exit status %1").arg(WEXITSTATUS(status));
        if (WIFSIGNALED(status))
            return QStringLiteral("killed by signal %1 (%2)")
                .arg(WTERMSIG(status))
                .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status))));
        return QStringLiteral("wait status %1").arg(status);
    }
};

double now()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Runs argv[0] (looked up in PATH unless it has a slash) with standard output and standard
// error sent to the given files, and waits for it with wait4() to get its resource usage.
ChildRun runChild(const QStringList &args, const QString &stdoutPath, const QString &stderrPath)
{
    ChildRun run;
    std::vector<std::string> storage;
    storage.reserve(std::size_t(args.size()));
    for (const QString &a : args)
        storage.push_back(a.toStdString());
    std::vector<char *> argv;
    for (std::string &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);

    const std::string out = stdoutPath.toStdString();
    const std::string err = stderrPath.toStdString();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    pid_t pid = 0;
    const double t0 = now();
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        run.startError = QString::fromLocal8Bit(std::strerror(rc));
        return run;
    }
    rusage usage {};
    int status = 0;
    pid_t waited;
    do {
        waited = wait4(pid, &status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    run.seconds = now() - t0;
    if (waited < 0) {
        run.startError = QString::fromLocal8Bit(std::strerror(errno));
        return run;
    }
    run.started = true;
    run.status = status;
    run.maxRssKb = usage.ru_maxrss; // kilobytes on Linux
    return run;
}

QString readTail(const QString &path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    if (f.size() > maxBytes)
        f.seek(f.size() - maxBytes);
    return QString::fromUtf8(f.readAll());
}

SimulatorOptions benchOptions(qint64 records)
{
    SimulatorOptions opts;
    opts.seed = 1;
    opts.records = records;
    return opts;
}

// FNV-1a over the NDJSON the simulator yields today for these options (no disk I/O).
quint64 expectedDigest(qint64 records)
{
    quint64 h = 0xcbf29ce484222325ULL;
    TrafficSimulator sim(benchOptions(records));
    SimRecord rec;
    while (sim.next(rec)) {
        for (const char c : rec.line)
            h = (h ^ quint8(c)) * 0x100000001b3ULL;
        h = (h ^ quint8('\n')) * 0x100000001b3ULL;
    }
    return h;
}

QString sidecarText(qint64 records, qint64 bytes, quint64 digest)
{
    return QStringLiteral("ratescope-bench-sim %1 seed=1 records=%2 bytes=%3 fnv1a=%4\n")
        .arg(kSidecarVersion)
        .arg(records)
        .arg(bytes)
        .arg(digest, 16, 16, QLatin1Char('0'));
}

// The file holds these records when its sidecar says so, its size still matches, and the
// simulator still writes what the sidecar describes (a changed simulator invalidates it).
bool canReuse(const QString &path, qint64 records, quint64 digest)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    QFile side(path + QStringLiteral(".sim"));
    return side.open(QIODevice::ReadOnly)
        && QString::fromUtf8(side.readAll()) == sidecarText(records, info.size(), digest);
}

int usage(const QString &message)
{
    QTextStream(stderr) << "bench_summarize: " << message << "\n";
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_summarize"));
    QTextStream out(stdout);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times `ratescope summarize` against `wc -l` on a simulated log."));
    parser.addHelpOption();
    const QCommandLineOption recordsOpt(QStringLiteral("records"),
        QStringLiteral("Records to simulate (default 1000000)."), QStringLiteral("N"),
        QStringLiteral("1000000"));
    const QCommandLineOption keepOpt(QStringLiteral("keep"),
        QStringLiteral("Keep the simulated log at FILE and reuse it "
                       "on later runs."),
        QStringLiteral("FILE"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"),
        QStringLiteral("Timed runs per command (default 3)."), QStringLiteral("R"),
        QStringLiteral("3"));
    const QCommandLineOption binOpt(QStringLiteral("ratescope"),
        QStringLiteral("The ratescope binary (default: next to this "
                       "program)."),
        QStringLiteral("PATH"));
    const QCommandLineOption portableOpt(QStringLiteral("portable"),
        QStringLiteral("A portable ratescope (the Debian package's build) timed in the same "
                       "turns (default: ../build-package/ratescope, if built)."),
        QStringLiteral("PATH"));
    parser.addOptions({ recordsOpt, keepOpt, runsOpt, binOpt, portableOpt });
    if (!parser.parse(QCoreApplication::arguments()))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    bool ok = false;
    const qint64 records = parser.value(recordsOpt).toLongLong(&ok);
    if (!ok || records < 1)
        return usage(QStringLiteral("--records needs a positive integer"));
    const int runs = parser.value(runsOpt).toInt(&ok);
    if (!ok || runs < 1 || runs > 100)
        return usage(QStringLiteral("--runs needs an integer from 1 to 100"));
    const QString ratescope = parser.isSet(binOpt)
        ? parser.value(binOpt)
        : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ratescope"));
    if (!QFileInfo(ratescope).isExecutable())
        return usage(QStringLiteral("no ratescope binary at %1 (build the ratescope target or "
                                    "pass --ratescope)")
                         .arg(ratescope));

    const QString portableDefault = QDir(QCoreApplication::applicationDirPath())
                                        .filePath(QStringLiteral("../build-package/ratescope"));
    const QString portable = parser.isSet(portableOpt) ? parser.value(portableOpt)
        : QFileInfo(portableDefault).isExecutable()    ? QDir::cleanPath(portableDefault)
                                                       : QString();
    if (!portable.isEmpty() && !QFileInfo(portable).isExecutable())
        return usage(QStringLiteral("no portable ratescope binary at %1").arg(portable));

    QTemporaryDir scratch;
    if (!scratch.isValid())
        return usage(QStringLiteral("cannot create a temporary directory"));
    const QString file = parser.isSet(keepOpt) ? QFileInfo(parser.value(keepOpt)).absoluteFilePath()
                                               : scratch.filePath(QStringLiteral("bench.ndjson"));

    // 1. The input.
    double genSeconds = -1;
    const quint64 digest = expectedDigest(records);
    if (!canReuse(file, records, digest)) {
        out << "Generating " << records << " records into " << file << " ..." << Qt::endl;
        TrafficSimulator sim(benchOptions(records));
        QElapsedTimer timer;
        timer.start();
        SimulationWriteResult res;
        QString error;
        QFile::remove(file + QStringLiteral(".sim"));
        if (!writeSimulation(sim, file, &res, &error)) {
            QTextStream(stderr) << "bench_summarize: " << error << "\n";
            return 1;
        }
        genSeconds = double(timer.nsecsElapsed()) / 1e9;
        QFile side(file + QStringLiteral(".sim"));
        if (side.open(QIODevice::WriteOnly))
            side.write(sidecarText(records, qint64(res.fileBytes), digest).toUtf8());
    } else {
        out << "Reusing " << file << Qt::endl;
    }
    const qint64 fileBytes = QFileInfo(file).size();

    // 2. wc -l once, untimed: the page cache holds the file for every timed run.
    const QString wcOut = scratch.filePath(QStringLiteral("wc.out"));
    const QString wcErr = scratch.filePath(QStringLiteral("wc.err"));
    const QStringList wcArgs { QStringLiteral("wc"), QStringLiteral("-l"), file };
    ChildRun warm = runChild(wcArgs, wcOut, wcErr);
    if (!warm.ok()) {
        QTextStream(stderr) << "bench_summarize: wc -l failed: " << warm.describe() << "\n"
                            << readTail(wcErr, 4096);
        return 1;
    }
    QFile wcFile(wcOut);
    qint64 lines = -1;
    if (wcFile.open(QIODevice::ReadOnly))
        lines = QString::fromUtf8(wcFile.readAll())
                    .simplified()
                    .section(QLatin1Char(' '), 0, 0)
                    .toLongLong();
    // 3. wc -l and summarize in turns (so that both see the same state of the machine: on
    // this VM an idle `wc -l` is up to 1.4x faster than a busy one, summarize less so).
    const QString sumOut = scratch.filePath(QStringLiteral("summarize.out"));
    const QString sumErr = scratch.filePath(QStringLiteral("summarize.err"));
    const auto sumArgsFor = [&](const QString &input, const QString &program) {
        return QStringList { program, QStringLiteral("summarize"), QStringLiteral("--limit"),
            QStringLiteral("600"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("-o"), QStringLiteral("/dev/null"), input };
    };
    const QStringList sumArgs = sumArgsFor(file, ratescope);
    double wcBest = 1e300, sumBest = 1e300, portableBest = 1e300;
    long rssKb = 0;
    bool childFailed = false;
    const auto failed = [&](const QStringList &args, const ChildRun &r) {
        QTextStream err(stderr);
        err << "bench_summarize: `" << args.join(QLatin1Char(' ')) << "` failed: " << r.describe()
            << "\n";
        const QString tail = readTail(sumErr, 8192);
        err << (tail.isEmpty() ? QStringLiteral("(no standard error output)\n") : tail);
        if (!tail.endsWith(QLatin1Char('\n')))
            err << "\n";
        childFailed = true;
    };
    // `times` runs of each in turns, the best wall time of each kept; false when wc failed.
    // `portableSum`, when not empty, runs in the same turns right after `sum`.
    const auto inTurns = [&](const QStringList &wc, const QStringList &sum, int times,
                             double &wcBest, double &sumBest, const QStringList &portableSum = {},
                             double *portableBest = nullptr) {
        for (int i = 0; i < times && !childFailed; ++i) {
            const ChildRun w = runChild(wc, wcOut, wcErr);
            if (!w.ok()) {
                QTextStream(stderr) << "bench_summarize: wc -l failed: " << w.describe() << "\n";
                return false;
            }
            wcBest = std::min(wcBest, w.seconds);
            const ChildRun r = runChild(sum, sumOut, sumErr);
            if (!r.ok()) {
                failed(sum, r);
                break;
            }
            sumBest = std::min(sumBest, r.seconds);
            rssKb = std::max(rssKb, r.maxRssKb);
            if (portableSum.isEmpty())
                continue;
            const ChildRun pr = runChild(portableSum, sumOut, sumErr);
            if (!pr.ok()) {
                failed(portableSum, pr);
                break;
            }
            *portableBest = std::min(*portableBest, pr.seconds);
        }
        return true;
    };
    if (!inTurns(wcArgs, sumArgs, runs, wcBest, sumBest,
            portable.isEmpty() ? QStringList() : sumArgsFor(file, portable), &portableBest))
        return 1;

    // Start-up: summarize of the file's first record alone (loading the program and its
    // libraries, the rules, the report), against `wc -l` of that one line.
    double startBest = 1e300, wcStartBest = 1e300;
    const QString one = scratch.filePath(QStringLiteral("one.ndjson"));
    {
        QFile in(file), first(one);
        if (in.open(QIODevice::ReadOnly) && first.open(QIODevice::WriteOnly))
            first.write(in.readLine(1 << 20));
    }
    if (!inTurns({ QStringLiteral("wc"), QStringLiteral("-l"), one }, sumArgsFor(one, ratescope),
            10 * runs, wcStartBest, startBest))
        return 1;

    // 4. The table.
    const double sizeMb = double(fileBytes) / 1e6;
    const double ratio = childFailed ? 0 : sumBest / std::max(wcBest, 1e-9);
    const double rssMb = double(rssKb) * 1024.0 / 1e6;
    const bool ratioPass = !childFailed && ratio <= kMaxRatio;
    const bool rssPass = !childFailed && rssMb <= kMaxRssMb;
    auto row = [&out](const QString &what, const QString &value, const QString &target,
                   const QString &verdict) {
        out << what.leftJustified(22) << value.leftJustified(18) << target.leftJustified(14)
            << verdict << "\n";
    };
    const QString na = QStringLiteral("n/a");
    out << "\n";
    row(QStringLiteral("measure"), QStringLiteral("value"), QStringLiteral("target"),
        QStringLiteral("result"));
    row(QStringLiteral("file size"), QStringLiteral("%1 MB").arg(sizeMb, 0, 'f', 1), QString(),
        QString());
    row(QStringLiteral("records"),
        QStringLiteral("%1%2").arg(records).arg(
            lines >= 0 && lines != records ? QStringLiteral(" (wc: %1)").arg(lines) : QString()),
        QString(), QString());
    if (genSeconds >= 0)
        row(QStringLiteral("generation"), QStringLiteral("%1 s").arg(genSeconds, 0, 'f', 2),
            QString(), QString());
    row(QStringLiteral("wc -l (best of %1)").arg(runs),
        QStringLiteral("%1 s").arg(wcBest, 0, 'f', 3), QString(), QString());
    row(QStringLiteral("summarize (best of %1)").arg(runs),
        childFailed ? QStringLiteral("FAILED") : QStringLiteral("%1 s").arg(sumBest, 0, 'f', 3),
        QString(), QString());
    row(QStringLiteral("start-up (1 record)"),
        childFailed ? na : QStringLiteral("%1 ms").arg(startBest * 1e3, 0, 'f', 1),
        QStringLiteral("wc -l %1 ms").arg(wcStartBest * 1e3, 0, 'f', 1), QString());
    row(QStringLiteral("ratio summarize/wc"), childFailed ? na : QString::number(ratio, 'f', 2),
        QStringLiteral("<= %1").arg(kMaxRatio, 0, 'f', 0),
        ratioPass ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    row(QStringLiteral("peak RSS summarize"),
        childFailed ? na : QStringLiteral("%1 MB").arg(rssMb, 0, 'f', 1),
        QStringLiteral("<= %1 MB").arg(kMaxRssMb, 0, 'f', 0),
        rssPass ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    bool portablePass = true;
    if (!portable.isEmpty()) {
        const double slower = childFailed ? 0 : portableBest / std::max(sumBest, 1e-9);
        portablePass = !childFailed && slower <= kMaxPortableSlowdown;
        row(QStringLiteral("portable (best of %1)").arg(runs),
            childFailed
                ? na
                : QStringLiteral("%1 s (x%2)").arg(portableBest, 0, 'f', 3).arg(slower, 0, 'f', 3),
            QStringLiteral("<= x%1").arg(kMaxPortableSlowdown, 0, 'f', 2),
            portablePass ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    } else {
        row(QStringLiteral("portable"), QStringLiteral("not built"),
            QStringLiteral("scripts/package.sh"), QString());
    }
    out << Qt::endl;
    return ratioPass && rssPass && portablePass ? 0 : 1;
}
