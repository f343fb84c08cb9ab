#include "cli/enginemonitor.h"

#include "cli/cliutil.h"
#include "cli/engineinputs.h"
#include "cli/stopsignals.h"
#include "engine/engineuri.h"
#include "engine/pollcursor.h"

#include <QDateTime>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>

int runEngineMonitor(
    const EngineMonitorSettings &settings, const RuleSet &rules, const ChartDrawing *drawing)
{
    QString error;
    const std::optional<EngineUri> uri = parseEngineUri(settings.uri, &error);
    if (!uri) {
        printErr(QStringLiteral("ratescope monitor: %1").arg(error));
        return 2;
    }
    StopSignals signals;
    EventStore store;
    InputReport total; // every poll's rows, as one input
    total.path = uri->display();
    total.format = uri->kind == EngineUri::Kind::PostgreSql ? QStringLiteral("postgresql")
                                                            : QStringLiteral("clickhouse");
    PollCursor cursor;
    int polls = 0;
    bool failedFirst = false;

    QEventLoop loop;
    QString stopReason;
    auto finish = [&](const QString &why) {
        if (stopReason.isEmpty()) {
            stopReason = why;
            loop.quit();
        }
    };
    QTimer pollTimer; // single shot, started again after each poll: polls never overlap
    pollTimer.setSingleShot(true);
    auto poll = [&] {
        TableReadOptions options;
        options.cursor = &cursor;
        options.storeFile = total.storeFile;
        options.rowsBefore = std::uint64_t(total.records + total.skipped + total.duplicates);
        InputReport r = readEngineTable(*uri, store, rules, options);
        ++polls;
        total.storeFile = r.storeFile;
        total.records += r.records;
        total.duplicates += r.duplicates;
        for (const LocatedError &e : r.errors)
            total.addError(e.line, e.message);
        total.skipped += r.skipped - std::int64_t(r.errors.size());
        reportInputProblems(r);
        if (r.failed()) {
            printErr(QStringLiteral("ratescope monitor: poll %1: %2").arg(polls).arg(r.fatal));
            if (polls == 1) {
                failedFirst = true;
                total.fatal = r.fatal;
                finish(QStringLiteral("the table could not be read"));
                return;
            }
        } else {
            std::int64_t rejected = 0;
            for (std::size_t i = 0; i < store.size(); ++i)
                rejected += store.isRejection(i);
            printErr(QStringLiteral("ratescope monitor: poll %1: %2 new rows; %3 requests, %4 "
                                    "rejected")
                         .arg(polls)
                         .arg(r.records + r.skipped + r.duplicates)
                         .arg(store.size())
                         .arg(rejected));
        }
        if (stopReason.isEmpty())
            pollTimer.start(int(std::min(settings.pollSeconds * 1000.0, 2e9)));
    };
    QObject::connect(&pollTimer, &QTimer::timeout, &loop, poll);
    const StopTriggers stops(signals, &loop, settings.durationSeconds, finish);

    printErr(QStringLiteral("ratescope monitor: polling %1 every %2 s")
                 .arg(uri->display())
                 .arg(settings.pollSeconds));
    pollTimer.start(0);
    loop.exec();
    pollTimer.stop();

    std::vector<InputReport> reports;
    reports.push_back(total);
    const Summary summary = makeReport(store, std::move(reports), settings.report);
    printErr(QStringLiteral("ratescope monitor: stopped (%1): %2 requests read in %3 polls")
                 .arg(stopReason)
                 .arg(store.size())
                 .arg(polls));
    if (!writeReport(settings.target, settings.format, summary, rules, &error, drawing)) {
        printErr(error);
        return 1;
    }
    return failedFirst ? 1 : 0;
}
