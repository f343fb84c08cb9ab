#pragma once

// The id of each event `ratescope push` loads (issue 21), the same for every engine: a digest
// of the event's values (time to the ms, status, source, method, endpoint, actors, message,
// codes, limits, tokens) and of how many identical events came before it in the push. So the
// same log pushed twice gives the same ids (an id already in the table is not loaded again),
// and two identical requests in one log are both kept (the second's id ends in "-1").

#include "store/eventstore.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <cstddef>

// Event i's values as the PostgreSQL table's columns (pgpush.h), without the id: what the id
// is a digest of.
QJsonObject pushedEventValues(const EventStore &store, std::size_t i);

// Ids in push order: call next() once per event, in the store's order.
class PushIds
{
public:
    // The id of the event whose values (pushedEventValues) these are.
    QString next(const QJsonObject &values);

private:
    QHash<QByteArray, int> m_seen;
};
