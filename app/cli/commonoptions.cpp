#include "cli/commonoptions.h"

#include "base/bytesize.h"

#include <QFile>

QCommandLineOption limitOption()
{
    return { QStringLiteral("limit"),
        QStringLiteral("A limit: requests per minute, N/W over another window (100/10s, 1000/1d), "
                       "for one scope with SCOPE: (api.openai.com:500), on another axis with AXIS= "
                       "(tokens=90000). Repeatable."),
        QStringLiteral("[SCOPE:][AXIS=]N[/W]") };
}

QCommandLineOption limitsOption()
{
    return { QStringLiteral("limits"),
        QStringLiteral("Limits from a JSON file: [{\"scope\", \"axis\", \"limit\", \"window\"}]."),
        QStringLiteral("FILE") };
}

QCommandLineOption captureMaxOption()
{
    return { QStringLiteral("capture-max"),
        QStringLiteral("Start a new capture segment (<stem>.2.ndjson, .3, …) once one reaches "
                       "SIZE (bytes, or with K, M, G, KiB, MiB, GiB: 1GiB); default: one file."),
        QStringLiteral("SIZE") };
}

QCommandLineOption captureKeepOption()
{
    return { QStringLiteral("capture-keep"),
        QStringLiteral("With --capture-max: keep the newest N segments, delete older ones "
                       "(default 8)."),
        QStringLiteral("N") };
}

std::optional<CaptureRotation> readCaptureRotation(const QCommandLineParser &p, QString *error)
{
    CaptureRotation rotation;
    const bool max = p.isSet(QStringLiteral("capture-max"));
    if (max) {
        const QString text = p.value(QStringLiteral("capture-max"));
        QString why;
        const std::optional<std::uint64_t> bytes = parseByteSize(text, &why);
        if (bytes && *bytes < CaptureRotation::kMinBytes)
            why = QStringLiteral("a segment holds at least 1 KiB");
        if (!bytes || *bytes < CaptureRotation::kMinBytes) {
            *error = QStringLiteral("invalid --capture-max \"%1\": %2").arg(text, why);
            return std::nullopt;
        }
        rotation.maxBytes = *bytes;
    }
    if (p.isSet(QStringLiteral("capture-keep"))) {
        const QString text = p.value(QStringLiteral("capture-keep"));
        bool ok = false;
        const int keep = text.trimmed().toInt(&ok);
        if (!ok || keep < 1 || keep > 65536) {
            *error = QStringLiteral("invalid --capture-keep \"%1\": expected a number of "
                                    "segments, 1 or more")
                         .arg(text);
            return std::nullopt;
        }
        if (!max) {
            *error = QStringLiteral("--capture-keep needs --capture-max (without it the capture "
                                    "is one file)");
            return std::nullopt;
        }
        rotation.keep = keep;
    }
    return rotation;
}

namespace {

// The options both commands take. --format and -o have the same names, values and defaults
// in both; their help says what the command writes.

QCommandLineOption scopeByOption()
{
    return { QStringLiteral("scope-by"),
        QStringLiteral("What a limit applies to: host (default), host+model, host+client or all."),
        QStringLiteral("BY"), QStringLiteral("host") };
}

QCommandLineOption mergeGapOption()
{
    return { QStringLiteral("merge-gap"),
        QStringLiteral("Rejections at most this many minutes apart form one incident (default 5)."),
        QStringLiteral("MINUTES"), QStringLiteral("5") };
}

QCommandLineOption headroomOption()
{
    return { QStringLiteral("headroom"),
        QStringLiteral("Headroom in percent on the peak for the limit to ask for (default 30)."),
        QStringLiteral("PERCENT"), QStringLiteral("30") };
}

QCommandLineOption formatOption(const QString &help)
{
    return { QStringLiteral("format"), help, QStringLiteral("FORMAT"), QStringLiteral("md") };
}

QCommandLineOption outputOption(const QString &help)
{
    return { { QStringLiteral("o"), QStringLiteral("output") }, help, QStringLiteral("FILE") };
}

QCommandLineOption rulesOption()
{
    return { QStringLiteral("rules"),
        QStringLiteral("Classification rules file replacing the built-in one."),
        QStringLiteral("FILE") };
}

} // namespace

QList<QCommandLineOption> summarizeOptions()
{
    return {
        limitOption(),
        limitsOption(),
        scopeByOption(),
        mergeGapOption(),
        { QStringLiteral("from"), QStringLiteral("Keep records at or after this time (RFC 3339)."),
            QStringLiteral("T") },
        { QStringLiteral("to"), QStringLiteral("Keep records before this time (RFC 3339)."),
            QStringLiteral("T") },
        { QStringLiteral("map"),
            QStringLiteral("A table (postgresql://, clickhouse://) read without a profile: the "
                           "column of each field, time=COLUMN,status=COLUMN,url=COLUMN,… "
                           "(PostgreSQL: COLUMN.a.b is a path into a JSON column)."),
            QStringLiteral("FIELD=COLUMN,...") },
        formatOption(QStringLiteral("md (default), json, csv, html or pdf.")),
        headroomOption(),
        outputOption(QStringLiteral("Write to FILE atomically instead of standard output.")),
        rulesOption(),
        { QStringLiteral("threads"), QStringLiteral("Parser threads (default: one per core)."),
            QStringLiteral("N") },
        { QStringLiteral("stats"),
            QStringLiteral("Print load time and memory per event to standard error.") },
    };
}

QList<QCommandLineOption> checkOptions()
{
    return {
        { QStringLiteral("max-429-rate"),
            QStringLiteral("Fail when a scope's rejections are more than this share of its "
                           "requests (0.01 = 1 %)."),
            QStringLiteral("FRACTION") },
        { QStringLiteral("max-rejections"),
            QStringLiteral("Fail when a scope has more than N rejections."), QStringLiteral("N") },
        { QStringLiteral("source"),
            QStringLiteral("The rejections counted: RATE_LIMITED, TOOL_ERROR, UNCLASSIFIED or any "
                           "(default)."),
            QStringLiteral("SOURCE"), QStringLiteral("any") },
        { QStringLiteral("max-incidents"),
            QStringLiteral("Fail when a scope has more than N incidents (of --source when given)."),
            QStringLiteral("N") },
        { QStringLiteral("max-minutes-over-limit"),
            QStringLiteral("Fail when a scope has more than N minutes over its limit (given with "
                           "--limit, or reported by its responses; none known fails)."),
            QStringLiteral("N") },
        { QStringLiteral("scope"),
            QStringLiteral("Check this scope only (default: every scope of the logs)."),
            QStringLiteral("SCOPE") },
        limitOption(),
        limitsOption(),
        scopeByOption(),
        mergeGapOption(),
        formatOption(QStringLiteral("text (default), json or junit.")),
        outputOption(QStringLiteral("Write the result to FILE atomically (the verdict still goes "
                                    "to standard error).")),
        rulesOption(),
    };
}

QList<QCommandLineOption> whatIfOptions()
{
    return {
        { QStringLiteral("limit"),
            QStringLiteral("The limit to replay against: N per minute, or N/W (100/10s, 5000/1h)."),
            QStringLiteral("N[/W]") },
        { QStringLiteral("algorithm"),
            QStringLiteral("fixed (default: windows aligned to UTC), sliding (a log over W), "
                           "token-bucket:RATE/W,BURST or gcra:RATE/W,BURST."),
            QStringLiteral("ALGORITHM"), QStringLiteral("fixed") },
        { QStringLiteral("retry"),
            QStringLiteral("as-recorded (default: the log's own retries, as they were), none (a "
                           "refused request is dropped), honour (retried when the limiter would "
                           "let it through) or backoff:BASE,CAP[,jitter] (seconds); all but "
                           "as-recorded take the log's own retries out first."),
            QStringLiteral("MODE"), QStringLiteral("as-recorded") },
        { QStringLiteral("scope"), QStringLiteral("Replay this scope only (default: every scope)."),
            QStringLiteral("SCOPE") },
        scopeByOption(),
        { QStringLiteral("limits"),
            QStringLiteral("The scopes' own limits for the validation replay (a JSON array, as "
                           "summarize --limits); else the ones their responses reported."),
            QStringLiteral("FILE") },
        mergeGapOption(),
        formatOption(QStringLiteral("md (default), json or csv.")),
        outputOption(QStringLiteral("Write to FILE atomically instead of standard output.")),
        rulesOption(),
    };
}

QList<QCommandLineOption> monitorOptions()
{
    return {
        { QStringLiteral("listen"),
            QStringLiteral("Accept NDJSON records over TCP on HOST:PORT (repeatable; loopback only "
                           "unless --allow-remote; port 0 picks a free one)."),
            QStringLiteral("HOST:PORT") },
        { QStringLiteral("allow-remote"),
            QStringLiteral("Allow --listen on a non-loopback address (prints a warning).") },
        { QStringLiteral("token"),
            QStringLiteral("Shared token for --listen: each connection's first line must be \"AUTH "
                           "<token>\"."),
            QStringLiteral("TOKEN") },
        { QStringLiteral("from-start"),
            QStringLiteral("Read followed files from their start instead of their end.") },
        { QStringLiteral("duration"),
            QStringLiteral("Stop after this many seconds (counted once every source is open)."),
            QStringLiteral("SECONDS") },
        limitOption(),
        limitsOption(),
        scopeByOption(),
        mergeGapOption(),
        headroomOption(),
        { QStringLiteral("warn-at"),
            QStringLiteral("Early warning when the current minute reaches this percentage of the "
                           "limit (default 90)."),
            QStringLiteral("PERCENT"), QStringLiteral("90") },
        formatOption(
            QStringLiteral("Summary format: md (default), json, csv, html or pdf (pdf needs -o).")),
        outputOption(
            QStringLiteral("Write the summary to FILE atomically instead of standard output.")),
        { QStringLiteral("capture"),
            QStringLiteral(
                "Append what is received to FILE (default: a new file in the data directory)."),
            QStringLiteral("FILE") },
        captureMaxOption(),
        captureKeepOption(),
        { QStringLiteral("max-line-bytes"),
            QStringLiteral("Longer lines are dropped and counted (default 1048576)."),
            QStringLiteral("N") },
        { QStringLiteral("status-every"),
            QStringLiteral("Seconds between status lines (default 60)."), QStringLiteral("SECONDS"),
            QStringLiteral("60") },
        { QStringLiteral("keep-all"),
            QStringLiteral("Keep every record for the final summary. By default monitor keeps "
                           "per-minute rollups of everything and only the last 2 minutes of "
                           "records (memory stays flat over days, the summary is the same); "
                           "keep all when records come more than 2 minutes out of order (the "
                           "summary names them under \"inexact\"). A --merge-gap under a "
                           "minute keeps all.") },
        { QStringLiteral("bounded"),
            QStringLiteral("Rollups and the last 2 minutes of records (the default).") },
        { QStringLiteral("poll"),
            QStringLiteral(
                "A table (postgresql://, clickhouse://): seconds between reads of its new rows "
                "(default 5)."),
            QStringLiteral("SECONDS"), QStringLiteral("5") },
        rulesOption(),
    };
}

std::optional<std::vector<LimitEntry>> readLimits(const QCommandLineParser &p, QString *error)
{
    std::vector<LimitEntry> limits;
    for (const QString &text : p.values(QStringLiteral("limit"))) {
        const auto entry = parseLimitEntry(text, error);
        if (!entry)
            return std::nullopt;
        limits.push_back(*entry);
    }
    if (p.isSet(QStringLiteral("limits"))) {
        const QString path = p.value(QStringLiteral("limits"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read --limits %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        QString why;
        const std::vector<LimitEntry> entries = parseLimitsJson(file.readAll(), &why);
        if (!why.isEmpty()) {
            *error = QStringLiteral("invalid --limits %1: %2").arg(path, why);
            return std::nullopt;
        }
        limits.insert(limits.end(), entries.begin(), entries.end());
    }
    return limits;
}

std::optional<SummaryScoping> readScoping(const QCommandLineParser &p, QString *error)
{
    SummaryScoping scoping;
    const QString by = p.value(QStringLiteral("scope-by"));
    const auto scopeBy = scopeByFromName(by);
    if (!scopeBy) {
        *error = QStringLiteral(
            "invalid --scope-by \"%1\": expected host, host+model, host+client or all")
                     .arg(by);
        return std::nullopt;
    }
    scoping.by = *scopeBy;
    std::optional<std::vector<LimitEntry>> limits = readLimits(p, error);
    if (!limits)
        return std::nullopt;
    scoping.limits = std::move(*limits);
    return scoping;
}

QString unknownLimitScope(const SummaryScoping &scoping, const ScopeIndex &scopes)
{
    for (const LimitEntry &e : scoping.limits) {
        if (e.scope.isEmpty() || scopes.find(e.scope))
            continue;
        QStringList seen;
        for (const std::string &name : scopes.names())
            seen << QString::fromStdString(name);
        return QStringLiteral(
            "--limit scope \"%1\" matches no request; the scopes seen (by %2): %3")
            .arg(e.scope, scopeByName(scoping.by),
                seen.isEmpty() ? QStringLiteral("none") : seen.join(QStringLiteral(", ")));
    }
    return {};
}

std::optional<double> readMergeGap(const QCommandLineParser &p, QString *error)
{
    bool ok = false;
    const double minutes = p.value(QStringLiteral("merge-gap")).toDouble(&ok);
    if (ok && minutes >= 0)
        return minutes;
    *error = QStringLiteral("invalid --merge-gap \"%1\": expected minutes, a decimal is allowed")
                 .arg(p.value(QStringLiteral("merge-gap")));
    return std::nullopt;
}

std::optional<RuleSet> readRules(const QCommandLineParser &p, QString *error)
{
    if (!p.isSet(QStringLiteral("rules")))
        return RuleSet::builtIn();
    return RuleSet::fromFile(p.value(QStringLiteral("rules")), error);
}
