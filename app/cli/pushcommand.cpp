// `ratescope push LOG... --to postgresql://…|clickhouse://…` (issue 21; engine/pgpush.h,
// engine/clickhousepush.h).
#include "cli/cliutil.h"
#include "cli/commands.h"
#include "engine/clickhousepush.h"
#include "engine/engineuri.h"
#include "engine/pgpush.h"
#include "rules/ruleset.h"
#include "sources/loader.h"

#include <QCommandLineParser>

int runPush(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Classify API logs with the same rules as summarize and load the events into a "
        "PostgreSQL or ClickHouse table (its DDL is in the README), in batches; run again to "
        "resume: an event already there is never loaded twice."));
    p.addOptions({
        { QStringLiteral("to"),
            QStringLiteral("The table: postgresql://[user@]host[:port]/db[?table=T] "
                           "(default table ratescope_events; password from PGPASSWORD or "
                           "~/.pgpass), or clickhouse://host[:8123]/db.table (user and "
                           "password from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD)."),
            QStringLiteral("URI") },
        { QStringLiteral("batch"), QStringLiteral("Events per INSERT (default 5000)."),
            QStringLiteral("N"), QStringLiteral("5000") },
        { QStringLiteral("rules"),
            QStringLiteral("Classification rules file replacing the built-in one."),
            QStringLiteral("FILE") },
    });
    p.addPositionalArgument(QStringLiteral("LOG"),
        QStringLiteral("Log files (.gz allowed); - is standard input."), QStringLiteral("LOG..."));
    if (const std::optional<int> status = parseCommand(p, QStringLiteral("push"), args))
        return *status;
    if (!p.isSet(QStringLiteral("to")))
        return usageError(QStringLiteral("push needs --to postgresql://… or clickhouse://…"));
    QString error;
    const std::optional<EngineUri> uri = parseEngineUri(p.value(QStringLiteral("to")), &error);
    if (!uri)
        return usageError(error);
    bool ok = false;
    const int batch = p.value(QStringLiteral("batch")).toInt(&ok);
    if (!ok || batch < 1)
        return usageError(
            QStringLiteral("invalid --batch \"%1\"").arg(p.value(QStringLiteral("batch"))));
    const std::optional<RuleSet> rules = p.isSet(QStringLiteral("rules"))
        ? RuleSet::fromFile(p.value(QStringLiteral("rules")), &error)
        : RuleSet::builtIn();
    if (!rules)
        return usageError(error);
    for (const QString &input : p.positionalArguments()) {
        if (isEngineUri(input))
            return usageError(QStringLiteral("push reads log files, not tables"));
    }

    EventStore store;
    Loader loader(store, *rules, LoadOptions {});
    const bool anyFailed = !loadInputs(loader, p.positionalArguments());
    PushOptions options;
    options.batchRows = batch;
    const PushResult r = uri->kind == EngineUri::Kind::PostgreSql
        ? pushToPostgres(*uri, store, options)
        : pushToClickHouse(*uri, store, options);
    printErr(QStringLiteral("%1: %2 events, %3 loaded, %4 already there")
                 .arg(uri->display())
                 .arg(r.events)
                 .arg(r.inserted)
                 .arg(r.existing));
    if (!r.error.isEmpty()) {
        printErr(r.error);
        return 1;
    }
    return anyFailed ? 1 : 0;
}
