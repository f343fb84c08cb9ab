// `ratescope monitor`: live sources, headless (shared/spec/summary.md "ratescope monitor").
#include "base/bytesize.h"
#include "cli/cliutil.h"
#include "cli/commands.h"
#include "cli/commonoptions.h"
#include "cli/enginemonitor.h"
#include "cli/stopsignals.h"
#include "decode/timestamp.h"
#include "engine/engineuri.h"
#include "export/report.h"
#include "export/reportwriter.h"
#include "live/livesession.h"
#include "rules/ruleset.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

namespace {

int monitorUsage(const QString &message)
{
    printErr(QStringLiteral("ratescope monitor: %1").arg(message));
    printErr(QStringLiteral("Try 'ratescope monitor --help'."));
    return 2;
}

QString grouped(std::int64_t n)
{
    QString s = QString::number(n);
    for (int i = int(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3)
        s.insert(i, QLatin1Char(','));
    return s;
}

constexpr std::size_t kScopesInStatus = 3;

// "api.skytells.ai 50 of 120/min 42 %", "api.github.com 30, limit 5000/1h"
QString scopeStatusText(const ScopeStatus &s)
{
    QString text
        = QStringLiteral("%1 %2").arg(QString::fromStdString(s.name)).arg(s.minuteRequests);
    if (s.limit && s.limit->perMinute())
        text
            += QStringLiteral(" of %1 %2 %")
                   .arg(limitReadingText(*s.limit))
                   .arg(std::llround(double(s.minuteRequests) * 100.0 / double(s.limit->requests)));
    else if (s.limit)
        text += QStringLiteral(", limit %1").arg(limitReadingText(*s.limit));
    return text;
}

// One line: totals, the current minute (each API scope against its own limit), each source's
// state.
QString statusLine(const LiveSession &live)
{
    const auto rej = live.rejected();
    QString line = QStringLiteral(
        "%1 UTC: %2 requests, %3 rejected (RATE_LIMITED %4, TOOL_ERROR %5, UNCLASSIFIED %6)")
                       .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss")))
                       .arg(grouped(live.requests()))
                       .arg(grouped(rej[0] + rej[1] + rej[2]))
                       .arg(rej[0])
                       .arg(rej[1])
                       .arg(rej[2]);
    if (live.newestMs() != INT64_MIN) {
        const std::int64_t minute = floorToMinute(live.newestMs());
        const auto it = live.minutes().find(minute);
        const std::int64_t rpm = it == live.minutes().end() ? 0 : it->second.requests;
        line += QStringLiteral("; minute %1: %2 rpm")
                    .arg(QString::fromStdString(formatUtcMinute(minute)).mid(11, 5))
                    .arg(rpm);
        // each API against its own limit (limits.md §1), the busiest first
        const std::vector<ScopeStatus> scopes = live.scopeStatus();
        QStringList shown;
        for (std::size_t k = 0; k < std::min(scopes.size(), kScopesInStatus); ++k)
            shown << scopeStatusText(scopes[k]);
        if (scopes.size() > kScopesInStatus)
            shown << QStringLiteral("%1 more").arg(scopes.size() - kScopesInStatus);
        if (!shown.isEmpty())
            line += QStringLiteral(" [%1]").arg(shown.join(QStringLiteral(", ")));
    }
    QStringList parts;
    for (const LiveSourceState &s : live.sourceStates())
        parts << QStringLiteral("%1 %2").arg(s.name, sourceStatusText(s));
    return line + QStringLiteral("; ") + parts.join(QStringLiteral("; "));
}

} // namespace

int runMonitor(const QStringList &args, const ChartDrawing *drawing)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Watch live traffic: follow files like tail -F, read standard input, accept NDJSON over\n"
        "TCP, or read an NDJSON / Server-Sent Events URL. Prints one status line a minute and,\n"
        "at the end (--duration, Ctrl-C or SIGTERM), the summary of everything received.\n"
        "Everything received is also appended to a capture file (its path is printed)."));
    p.addHelpOption();
    p.addOptions(monitorOptions());
    p.addPositionalArgument(QStringLiteral("SOURCE"),
        QStringLiteral(
            "A file to follow, - for standard input, an http(s) URL (NDJSON or SSE), or a "
            "table polled for new rows, postgresql://[user@]host[:port]/db?table=T&profile=P or "
            "clickhouse://host:8123/db.table?profile=P."),
        QStringLiteral("[SOURCE...]"));
    if (!p.parse(QStringList { QStringLiteral("ratescope monitor") } + args))
        return monitorUsage(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        printOut(p.helpText());
        return 0;
    }

    LiveOptions options;
    QString error;
    for (const QString &l : p.values(QStringLiteral("listen"))) {
        LiveSourceSpec spec;
        spec.kind = LiveSourceSpec::Kind::Listen;
        if (!parseListenAddress(l, &spec.listen, &error))
            return monitorUsage(error);
        spec.listen.allowRemote = p.isSet(QStringLiteral("allow-remote"));
        spec.listen.token = p.value(QStringLiteral("token"));
        options.sources.push_back(spec);
    }
    int stdinCount = 0;
    QStringList engines; // postgresql:// and clickhouse:// tables, polled by time (enginemonitor.h)
    for (const QString &s : p.positionalArguments()) {
        if (isEngineUri(s)) {
            engines << s;
            continue;
        }
        LiveSourceSpec spec;
        if (!parseSourceSpec(s, &spec, &error))
            return monitorUsage(error);
        stdinCount += spec.kind == LiveSourceSpec::Kind::Stdin;
        options.sources.push_back(spec);
    }
    if (!engines.isEmpty() && (!options.sources.empty() || engines.size() > 1))
        return monitorUsage(QStringLiteral("a table is monitored on its own (one URI, no other "
                                           "source)"));
    if (options.sources.empty() && engines.isEmpty())
        return monitorUsage(
            QStringLiteral("no source given (a file, -, a URL, or --listen HOST:PORT)"));
    if (stdinCount > 1)
        return monitorUsage(QStringLiteral("standard input (-) can be given once"));
    const std::optional<SummaryScoping> scoping = readScoping(p, &error);
    if (!scoping)
        return monitorUsage(error);
    // The early warning watches each scope against its own limit (limits.md §1); the status
    // line shows the limit given for every scope (the first request limit without SCOPE:); the
    // final report applies every limit to its scope. Scopes are not known before traffic
    // arrives, so a SCOPE that never shows up is not an error here.
    options.scopeLimits = scoping->limits;
    for (const LimitEntry &e : scoping->limits) {
        if (e.scope.isEmpty() && e.axis == LimitAxis::Requests) {
            options.limit = e.spec;
            break;
        }
    }
    const std::optional<double> mergeGap = readMergeGap(p, &error);
    if (!mergeGap)
        return monitorUsage(error);
    options.mergeGapMinutes = *mergeGap;
    if (p.isSet(QStringLiteral("keep-all")) && p.isSet(QStringLiteral("bounded")))
        return monitorUsage(QStringLiteral("--keep-all and --bounded are each other's opposite"));
    // Issue 22: bounded by default, so that a monitor left running for days does not grow. Its
    // summary is the same (tst_monitor); a merge gap under a minute needs every record (an
    // incident may then end inside a minute), and --keep-all keeps them for records that come
    // more than the reorder window late.
    if (!p.isSet(QStringLiteral("keep-all")) && options.mergeGapMinutes >= 1.0) {
        // records later than this behind the newest are folded out of order (and said so)
        constexpr std::int64_t kReorderMs = 2 * 60 * 1000;
        options.rollupReorderMs = kReorderMs;
        options.rollupScopeBy = scoping->by;
        options.keepStore = false;
    }
    bool ok = false;
    const int headroom = p.value(QStringLiteral("headroom")).toInt(&ok);
    if (!ok || headroom < 0 || headroom > 1000)
        return monitorUsage(QStringLiteral("invalid --headroom \"%1\": expected a percentage")
                                .arg(p.value(QStringLiteral("headroom"))));
    const double warnAt = p.value(QStringLiteral("warn-at")).toDouble(&ok);
    if (!ok || !(warnAt > 0 && warnAt <= 1000))
        return monitorUsage(QStringLiteral("invalid --warn-at \"%1\": expected a percentage")
                                .arg(p.value(QStringLiteral("warn-at"))));
    options.warnShare = warnAt / 100.0;
    double duration = -1;
    if (p.isSet(QStringLiteral("duration"))) {
        duration = p.value(QStringLiteral("duration")).toDouble(&ok);
        if (!ok || !(duration >= 0) || duration > 1e8)
            return monitorUsage(QStringLiteral("invalid --duration \"%1\": expected seconds")
                                    .arg(p.value(QStringLiteral("duration"))));
    }
    const double statusEvery = p.value(QStringLiteral("status-every")).toDouble(&ok);
    if (!ok || !(statusEvery > 0))
        return monitorUsage(QStringLiteral("invalid --status-every \"%1\": expected seconds")
                                .arg(p.value(QStringLiteral("status-every"))));
    if (p.isSet(QStringLiteral("max-line-bytes"))) {
        const qint64 n = p.value(QStringLiteral("max-line-bytes")).toLongLong(&ok);
        if (!ok || n < 1 || n > (qint64(1) << 30))
            return monitorUsage(QStringLiteral("invalid --max-line-bytes \"%1\"")
                                    .arg(p.value(QStringLiteral("max-line-bytes"))));
        options.limits.maxLineBytes = std::size_t(n);
    }
    const QString format = p.value(QStringLiteral("format"));
    if (!reportFormats().contains(format))
        return monitorUsage(
            QStringLiteral("unknown --format \"%1\": expected md, json, csv, html or pdf")
                .arg(format));
    const QString target = p.isSet(QStringLiteral("output")) ? p.value(QStringLiteral("output"))
                                                             : QStringLiteral("-");
    if (format == QLatin1String("pdf") && target == QLatin1String("-")) // as summarize checks
        return monitorUsage(QStringLiteral("--format pdf needs -o FILE"));
    if (!drawing && reportDrawsChart(target, format))
        return monitorUsage(
            QStringLiteral("a %1 report draws a chart: run ratescope-gui monitor").arg(format));
    options.follow.fromStart = p.isSet(QStringLiteral("from-start"));
    options.capturePath = p.value(QStringLiteral("capture"));
    const std::optional<CaptureRotation> rotation = readCaptureRotation(p, &error);
    if (!rotation)
        return monitorUsage(error);
    options.captureRotation = *rotation;

    std::optional<RuleSet> rules = readRules(p, &error);
    if (!rules)
        return monitorUsage(error);
    if (!engines.isEmpty()) {
        EngineMonitorSettings settings;
        settings.uri = engines.front();
        settings.pollSeconds = p.value(QStringLiteral("poll")).toDouble(&ok);
        if (!ok || !(settings.pollSeconds >= 0.05) || settings.pollSeconds > 86400)
            return monitorUsage(QStringLiteral("invalid --poll \"%1\": expected seconds")
                                    .arg(p.value(QStringLiteral("poll"))));
        settings.durationSeconds = duration;
        settings.report.scoping = *scoping;
        settings.report.mergeGapMinutes = *mergeGap;
        settings.report.headroomPercent = headroom;
        settings.target = target;
        settings.format = format;
        return runEngineMonitor(settings, *rules, drawing);
    }
    auto sharedRules = std::make_shared<const RuleSet>(std::move(*rules));

    StopSignals signals;
    LiveSession live(sharedRules, options);
    QEventLoop loop;
    QString stopReason;
    auto finish = [&](const QString &why) {
        if (stopReason.isEmpty()) {
            stopReason = why;
            loop.quit();
        }
    };
    QObject::connect(&live, &LiveSession::notice, [](const QString &text) {
        // "FILE:LINE: reason" lines are printed as summarize prints them
        printErr(text);
    });
    QObject::connect(&live, &LiveSession::warning, [](const LiveWarning &w) {
        printErr(QStringLiteral("ratescope monitor: warning: %1").arg(w.text));
    });
    QObject::connect(&live, &LiveSession::allSourcesEnded, &loop,
        [&] { finish(QStringLiteral("every source ended")); });
    QObject::connect(&live, &LiveSession::captureRotated,
        [&live](const QString &path, const QStringList &removed) {
            QStringList parts;
            if (!path.isEmpty())
                parts << QStringLiteral("capturing to %1").arg(path);
            if (!removed.isEmpty())
                parts << QStringLiteral("rotated away (--capture-keep %1): %2")
                             .arg(live.options().captureRotation.keep)
                             .arg(removed.join(QStringLiteral(", ")));
            printErr(QStringLiteral("ratescope monitor: ") + parts.join(QStringLiteral("; ")));
        });

    if (!live.start(&error)) {
        printErr(QStringLiteral("ratescope monitor: %1").arg(error));
        return 1;
    }
    printErr(QStringLiteral("ratescope monitor: capturing everything received to %1")
                 .arg(live.capturePath()));
    if (rotation->maxBytes > 0)
        printErr(QStringLiteral("ratescope monitor: a new capture segment each %1 (%2, %3, …), "
                                "the newest %4 kept")
                     .arg(byteSizeText(rotation->maxBytes),
                         QFileInfo(CaptureFile::segmentPath(live.capturePath(), 2)).fileName(),
                         QFileInfo(CaptureFile::segmentPath(live.capturePath(), 3)).fileName())
                     .arg(rotation->keep));
    for (const LiveSourceState &s : live.sourceStates()) {
        switch (s.kind) {
        case LiveSourceState::Kind::Listener:
            printErr(QStringLiteral("ratescope monitor: listening on %1").arg(s.name));
            break;
        case LiveSourceState::Kind::File:
            printErr(QStringLiteral("ratescope monitor: following %1%2")
                         .arg(s.name,
                             s.status == LiveSourceState::Status::Waiting
                                 ? QStringLiteral(" (waiting for it to appear)")
                                 : QString()));
            break;
        case LiveSourceState::Kind::Stdin:
            printErr(QStringLiteral("ratescope monitor: reading standard input"));
            break;
        case LiveSourceState::Kind::Url:
            printErr(QStringLiteral("ratescope monitor: reading %1").arg(s.name));
            break;
        }
    }

    const StopTriggers stops(signals, &loop, duration, finish);
    QTimer statusTimer;
    QObject::connect(&statusTimer, &QTimer::timeout, &loop,
        [&] { printErr(QStringLiteral("ratescope monitor: %1").arg(statusLine(live))); });
    statusTimer.start(int(std::min(statusEvery * 1000.0, 2e9)));

    if (stopReason.isEmpty())
        loop.exec();
    statusTimer.stop();
    live.stop();

    // as `summarize`: the retry findings, the limit to ask for, and no secrets
    ReportOptions report = live.reportOptions();
    report.limit.reset(); // every --limit is in the scoping
    report.scoping = *scoping;
    report.headroomPercent = headroom;
    const Summary summary = live.summaryOf(report);
    const QStringList segments = live.captureSegments();
    QString capture = live.capturePath();
    if (live.captureSegmentCount() > 1) // "12 segments, 8 kept: FIRST … LAST"
        capture = QStringLiteral("%1 segments, %2 kept")
                      .arg(live.captureSegmentCount())
                      .arg(segments.size())
            + (segments.isEmpty() ? QString()
                    : segments.size() == 1
                    ? QStringLiteral(": ") + segments.front()
                    : QStringLiteral(": %1 … %2").arg(segments.front(), segments.back()));
    printErr(QStringLiteral("ratescope monitor: stopped (%1): %2 requests received; capture: %3")
                 .arg(stopReason, grouped(live.requests()), capture));
    if (!writeReport(target, format, summary, *sharedRules, &error, drawing)) {
        printErr(error);
        return 1;
    }
    return 0;
}
