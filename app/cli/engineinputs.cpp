#include "cli/engineinputs.h"

#include "cli/cliutil.h"
#include "engine/clickhousesource.h"
#include "engine/engineuri.h"
#include "engine/pgsource.h"

InputReport loadEngineInput(const QString &uri, EventStore &store, const RuleSet &rules,
    const LoadOptions &options, const std::optional<QMap<QString, QString>> &map)
{
    QString error;
    const std::optional<EngineUri> parsed = parseEngineUri(uri, &error);
    if (!parsed) {
        InputReport r;
        r.path = redactUriPasswords(uri);
        r.fatal = error;
        return r;
    }
    if (parsed->kind == EngineUri::Kind::PostgreSql) {
        EngineReadOptions read;
        read.range = options.range;
        read.cancel = options.cancel;
        read.map = map;
        return readPostgresInWorker(*parsed, store, rules, read);
    }
    ClickHouseReadOptions read;
    read.range = options.range;
    read.cancel = options.cancel;
    read.map = map;
    return readClickHouse(*parsed, store, rules, read);
}

bool loadFilesAndEngines(Loader &loader, EventStore &store, const RuleSet &rules,
    const LoadOptions &options, const QStringList &inputs, std::vector<InputReport> *reports,
    const std::optional<QMap<QString, QString>> &map)
{
    bool ok = true;
    for (const QString &input : inputs) {
        InputReport r = isEngineUri(input) ? loadEngineInput(input, store, rules, options, map)
                                           : loader.load(input);
        reportInputProblems(r);
        ok = ok && !r.failed();
        if (reports)
            reports->push_back(std::move(r));
    }
    return ok;
}
