#include "cli/engineinputs.h"

#include "cli/cliutil.h"
#include "engine/enginetable.h"

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
    TableReadOptions read;
    read.range = options.range;
    read.cancel = options.cancel;
    read.map = map;
    return readEngineTable(*parsed, store, rules, read);
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
