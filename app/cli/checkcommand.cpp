// `ratescope check`: thresholds on a log for CI (issue 20). Loads like summarize, builds the
// same summary, and judges each threshold per scope (export/check.h).
#include "cli/cliutil.h"
#include "cli/commands.h"
#include "cli/commonoptions.h"
#include "cli/engineinputs.h"
#include "export/atomicwrite.h"
#include "export/check.h"
#include "export/report.h"
#include "rules/ruleset.h"
#include "sources/loader.h"

#include <QCommandLineParser>

namespace {

// A non-negative integer option; nullopt when not given; *bad when given and invalid.
std::optional<std::int64_t> countOption(const QCommandLineParser &p, const char *name, QString *bad)
{
    const QString key = QLatin1String(name);
    if (!p.isSet(key))
        return std::nullopt;
    bool ok = false;
    const qint64 n = p.value(key).toLongLong(&ok);
    if (!ok || n < 0)
        *bad = QStringLiteral("invalid --%1 \"%2\": expected a count, 0 or more")
                   .arg(key, p.value(key));
    return n;
}

} // namespace

int runCheck(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Fail (exit 1) when API logs break a threshold of 429s, for CI."));
    p.addOptions(checkOptions());
    p.addPositionalArgument(QStringLiteral("LOG"),
        QStringLiteral("Log files (.gz allowed); - is standard input; or a table, "
                       "postgresql://[user@]host[:port]/db?table=T[&profile=P]."),
        QStringLiteral("LOG..."));
    if (const std::optional<int> status = parseCommand(p, QStringLiteral("check"), args))
        return *status;
    const QStringList inputs = p.positionalArguments();

    CheckThresholds t;
    QString bad;
    if (p.isSet(QStringLiteral("max-429-rate"))) {
        bool ok = false;
        const double rate = p.value(QStringLiteral("max-429-rate")).toDouble(&ok);
        if (!ok || !(rate >= 0) || rate > 1)
            return usageError(
                QStringLiteral("invalid --max-429-rate \"%1\": expected a fraction from 0 to 1 "
                               "(0.01 = 1 %)")
                    .arg(p.value(QStringLiteral("max-429-rate"))));
        t.max429Rate = rate;
    }
    t.maxRejections = countOption(p, "max-rejections", &bad);
    t.maxIncidents = countOption(p, "max-incidents", &bad);
    t.maxMinutesOverLimit = countOption(p, "max-minutes-over-limit", &bad);
    if (!bad.isEmpty())
        return usageError(bad);
    if (!t.any())
        return usageError(QStringLiteral("no threshold given: --max-429-rate, --max-rejections, "
                                         "--max-incidents or --max-minutes-over-limit"));
    const QString source = p.value(QStringLiteral("source"));
    if (source.compare(QLatin1String("any"), Qt::CaseInsensitive) != 0) {
        t.source = sourceFromName(source.toUpper().toStdString());
        if (!t.source || *t.source == RejectionSource::None)
            return usageError(QStringLiteral("invalid --source \"%1\": expected RATE_LIMITED, "
                                             "TOOL_ERROR, UNCLASSIFIED or any")
                                  .arg(source));
    }
    t.scope = p.value(QStringLiteral("scope")).trimmed().toLower().toStdString();
    const QString format = p.isSet(QStringLiteral("format")) ? p.value(QStringLiteral("format"))
                                                             : QStringLiteral("text");
    if (format != QLatin1String("text") && format != QLatin1String("json")
        && format != QLatin1String("junit"))
        return usageError(
            QStringLiteral("unknown --format \"%1\": expected text, json or junit").arg(format));
    QString error;
    const std::optional<SummaryScoping> scoping = readScoping(p, &error);
    if (!scoping)
        return usageError(error);
    const std::optional<double> mergeGap = readMergeGap(p, &error);
    if (!mergeGap)
        return usageError(error);
    const std::optional<RuleSet> rules = readRules(p, &error);
    if (!rules)
        return usageError(error);

    EventStore store;
    const LoadOptions loadOptions;
    Loader loader(store, *rules, loadOptions);
    std::vector<InputReport> reports;
    // files, and postgresql:// or clickhouse:// tables (issue 21)
    const bool anyFailed
        = !loadFilesAndEngines(loader, store, *rules, loadOptions, inputs, &reports);
    const ScopeIndex scopes = ScopeIndex::build(store, scoping->by);
    if (const QString unknown = unknownLimitScope(*scoping, scopes); !unknown.isEmpty())
        return usageError(unknown);
    ReportOptions options;
    options.scoping = *scoping;
    options.mergeGapMinutes = *mergeGap;
    if (!t.scope.empty() && !scopes.find(QString::fromStdString(t.scope)))
        return usageError(QStringLiteral("no scope named %1 in the logs (they hold %2)")
                              .arg(QString::fromStdString(t.scope), [&scopes] {
                                  QStringList names;
                                  for (const std::string &n : scopes.names())
                                      names << QString::fromStdString(n);
                                  return names.join(QStringLiteral(", "));
                              }()));
    const Summary summary = makeReport(store, std::move(reports), options);
    const std::vector<CheckResult> results = runChecks(summary, t);
    const bool passed = !results.empty()
        && std::all_of(
            results.begin(), results.end(), [](const CheckResult &r) { return r.passed; });

    const std::string text = checkText(results, t);
    const std::string out = format == QLatin1String("json") ? checkJson(results, t)
        : format == QLatin1String("junit")                  ? checkJunit(results, t)
                                                            : text;
    if (p.isSet(QStringLiteral("output"))) {
        if (!writeFileAtomically(
                p.value(QStringLiteral("output")), QByteArray::fromStdString(out), &error)) {
            printErr(error);
            return 1;
        }
        // the verdict still reaches the CI log
        for (const QString &line :
            QString::fromStdString(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1String("FAIL")))
                printErr(line);
        }
    } else {
        printOut(QString::fromStdString(out));
    }
    return passed && !anyFailed ? 0 : 1;
}
