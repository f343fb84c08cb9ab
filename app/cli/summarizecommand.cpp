// `ratescope summarize`: the analysis without a window (shared/spec/summary.md).
#include "cli/cliutil.h"
#include "cli/commands.h"
#include "cli/commonoptions.h"
#include "cli/engineinputs.h"
#include "decode/timestamp.h"
#include "engine/engineuri.h"
#include "export/atomicwrite.h"
#include "export/report.h"
#include "export/reportwriter.h"
#include "rules/ruleset.h"
#include "sources/loader.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

int runSummarize(const QStringList &args, const ChartDrawing *drawing)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Summarize rate-limit rejections in API logs."));
    p.addOptions(summarizeOptions());
    p.addPositionalArgument(QStringLiteral("INPUT"),
        QStringLiteral("Log files (.gz allowed); - is standard input; or a table, "
                       "postgresql://[user@]host[:port]/db?table=T[&profile=P] or "
                       "clickhouse://host:8123/db.table[?profile=P]."),
        QStringLiteral("INPUT..."));
    if (const std::optional<int> status = parseCommand(p, QStringLiteral("summarize"), args))
        return *status;
    const QStringList inputs = p.positionalArguments();

    QString error;
    const std::optional<SummaryScoping> scoping = readScoping(p, &error);
    if (!scoping)
        return usageError(error);
    const std::optional<double> mergeGap = readMergeGap(p, &error);
    if (!mergeGap)
        return usageError(error);
    bool ok = false;
    LoadOptions options;
    for (const char *name : { "from", "to" }) {
        const QString key = QLatin1String(name);
        if (!p.isSet(key))
            continue;
        const auto t = parseTimestamp(p.value(key).toStdString());
        if (!t)
            return usageError(QStringLiteral("invalid --%1 \"%2\": expected an RFC 3339 time")
                                  .arg(key, p.value(key)));
        (key == QLatin1String("from") ? options.range.fromMs : options.range.toMs) = t->ms;
    }
    if (p.isSet(QStringLiteral("threads")))
        options.threads = p.value(QStringLiteral("threads")).toInt();
    const QString format = p.value(QStringLiteral("format"));
    if (!reportFormats().contains(format))
        return usageError(
            QStringLiteral("unknown --format \"%1\": expected md, json, csv, html or pdf")
                .arg(format));
    const int headroom = p.value(QStringLiteral("headroom")).toInt(&ok);
    if (!ok || headroom < 0 || headroom > 1000)
        return usageError(QStringLiteral("invalid --headroom \"%1\": expected a percentage")
                              .arg(p.value(QStringLiteral("headroom"))));
    const QString target = p.isSet(QStringLiteral("output")) ? p.value(QStringLiteral("output"))
                                                             : QStringLiteral("-");
    if (format == QLatin1String("pdf") && target == QLatin1String("-"))
        return usageError(QStringLiteral("--format pdf needs -o FILE"));
    if (!drawing && reportDrawsChart(target, format)) // before the work, not after it
        return usageError(
            QStringLiteral("a %1 report draws a chart: run ratescope-gui summarize").arg(format));

    const std::optional<RuleSet> rules = readRules(p, &error);
    if (!rules)
        return usageError(error);
    std::optional<QMap<QString, QString>> map;
    if (p.isSet(QStringLiteral("map"))) {
        map = parseColumnMap(p.value(QStringLiteral("map")), &error);
        if (!map)
            return usageError(QStringLiteral("invalid --map: ") + error);
    }

    QElapsedTimer clock;
    clock.start();
    EventStore store;
    Loader loader(store, *rules, options);
    std::vector<InputReport> reports;
    const bool anyFailed
        = !loadFilesAndEngines(loader, store, *rules, options, inputs, &reports, map);
    const qint64 loadMs = clock.elapsed();
    const QString unknownScope = unknownLimitScope(*scoping, ScopeIndex::build(store, scoping->by));
    if (!unknownScope.isEmpty())
        return usageError(unknownScope);
    ReportOptions report;
    report.scoping = *scoping;
    report.mergeGapMinutes = *mergeGap;
    report.headroomPercent = headroom;
    const Summary summary = makeReport(store, std::move(reports), report);
    if (p.isSet(QStringLiteral("stats"))) {
        printErr(QStringLiteral(
            "stats: %1 events loaded in %2 ms, analysed in %3 ms; store %4 MB = %5 bytes/event")
                     .arg(store.size())
                     .arg(loadMs)
                     .arg(clock.elapsed() - loadMs)
                     .arg(double(store.bytesUsed()) / 1e6, 0, 'f', 1)
                     .arg(store.empty() ? 0.0 : double(store.bytesUsed()) / double(store.size()), 0,
                         'f', 1));
    }
    if (!writeReport(target, format, summary, *rules, &error, drawing)) {
        printErr(error);
        return 1;
    }
    return anyFailed ? 1 : 0;
}
