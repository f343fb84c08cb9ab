// `ratescope whatif`: the recorded requests replayed against another limit or algorithm
// (issue 20; export/whatif.h).
#include "cli/cliutil.h"
#include "cli/commands.h"
#include "cli/commonoptions.h"
#include "export/atomicwrite.h"
#include "export/whatif.h"
#include "rules/ruleset.h"
#include "sources/loader.h"

#include <QCommandLineParser>
#include <QFile>

int runWhatIf(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Replay API logs against another limit or algorithm: the rejections it would have "
        "made, and the smallest limit with none."));
    p.addOptions(whatIfOptions());
    p.addPositionalArgument(QStringLiteral("LOG"),
        QStringLiteral("Log files (.gz allowed); - is standard input."), QStringLiteral("LOG..."));
    if (const std::optional<int> status = parseCommand(p, QStringLiteral("whatif"), args))
        return *status;
    const QStringList inputs = p.positionalArguments();
    QString error;
    std::optional<LimitSpec> limit;
    if (p.isSet(QStringLiteral("limit"))) {
        limit = parseLimitSpec(p.value(QStringLiteral("limit")), &error);
        if (!limit)
            return usageError(QStringLiteral("invalid --limit \"%1\": %2")
                                  .arg(p.value(QStringLiteral("limit")), error));
    }
    WhatIfOptions options;
    const auto algorithm = parseAlgorithm(p.value(QStringLiteral("algorithm")), limit, &error);
    if (!algorithm)
        return usageError(error);
    options.limiter = *algorithm;
    const auto retry = parseRetryPolicy(p.value(QStringLiteral("retry")), &error);
    if (!retry)
        return usageError(error);
    options.retry = *retry;
    if (p.isSet(QStringLiteral("limits"))) {
        QFile f(p.value(QStringLiteral("limits")));
        if (!f.open(QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read --limits %1").arg(f.fileName()));
        options.configured = parseLimitsJson(f.readAll(), &error);
        if (!error.isEmpty())
            return usageError(QStringLiteral("--limits %1: %2").arg(f.fileName(), error));
    }
    if (const auto by = scopeByFromName(p.value(QStringLiteral("scope-by"))))
        options.scopeBy = *by;
    else
        return usageError(
            QStringLiteral("invalid --scope-by \"%1\"").arg(p.value(QStringLiteral("scope-by"))));
    options.scope = p.value(QStringLiteral("scope")).trimmed().toLower().toStdString();
    const std::optional<double> mergeGap = readMergeGap(p, &error);
    if (!mergeGap)
        return usageError(error);
    options.mergeGapMinutes = *mergeGap;
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("md") && format != QLatin1String("json")
        && format != QLatin1String("csv"))
        return usageError(
            QStringLiteral("unknown --format \"%1\": expected md, json or csv").arg(format));
    const std::optional<RuleSet> rules = readRules(p, &error);
    if (!rules)
        return usageError(error);

    EventStore store;
    Loader loader(store, *rules, LoadOptions {});
    const bool anyFailed = !loadInputs(loader, inputs);
    const WhatIfReport report = runWhatIf(store, options);
    if (!options.scope.empty() && report.scopes.empty())
        return usageError(QStringLiteral("no scope named %1 in the logs")
                              .arg(QString::fromStdString(options.scope)));
    const std::string out = format == QLatin1String("json") ? whatIfJson(report)
        : format == QLatin1String("csv")                    ? whatIfCsv(report)
                                                            : whatIfMarkdown(report);
    if (p.isSet(QStringLiteral("output"))) {
        if (!writeFileAtomically(
                p.value(QStringLiteral("output")), QByteArray::fromStdString(out), &error)) {
            printErr(error);
            return 1;
        }
    } else {
        printOut(QString::fromStdString(out));
    }
    return anyFailed ? 1 : 0;
}
