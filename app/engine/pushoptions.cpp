#include "engine/pushoptions.h"

QString pushStoppedError(
    const QString &table, std::int64_t done, std::int64_t events, const QString &why)
{
    return QStringLiteral("%1: pushing stopped after %2 of %3 events (%4); the batches before it "
                          "are in the table: run the same push again to resume")
        .arg(table)
        .arg(done)
        .arg(events)
        .arg(why);
}
