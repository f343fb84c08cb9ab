#include "cli/engineinput.h"

#include "engine/engineuri.h"

InputReport loadEngineInput(const QString &uriText, EventStore &store, const RuleSet &rules,
    const EngineReadOptions &options)
{
    QString error;
    const std::optional<EngineUri> uri = parseEngineUri(uriText, &error);
    if (!uri) {
        InputReport r;
        r.path = redactUriPasswords(uriText);
        r.fatal = error;
        return r;
    }
    if (uri->kind == EngineUri::Kind::PostgreSql)
        return readPostgresInWorker(*uri, store, rules, options);
    InputReport r;
    r.path = uri->display();
    r.format = uri->scheme();
    r.fatal = QStringLiteral("%1: %2 tables are not read by this build").arg(r.path, uri->scheme());
    return r;
}
