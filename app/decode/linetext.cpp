#include "decode/linetext.h"

QString scalarMessage(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        ++p;
    const char *what = "a JSON value";
    if (p < end) {
        if (*p == '"')
            what = "a JSON string";
        else if (*p == 't' || *p == 'f')
            what = "a JSON boolean";
        else if (*p == 'n')
            what = "JSON null";
        else
            what = "a JSON number";
    }
    return QStringLiteral("not a record (%1, expected an object)").arg(QLatin1String(what));
}
