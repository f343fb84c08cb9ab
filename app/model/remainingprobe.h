#pragma once

#include "base/limitspec.h"
#include "store/eventstore.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <cstdint>
#include <list>
#include <memory>
#include <optional>

// What one response said it had left on one axis (limits.md §3): the `…-remaining` headers of
// its raw record, read with the dialect table. The store keeps no remaining counts (they change
// with every response, and would cost bytes on every event), so the chart's hover reads the
// last response of a bucket back from its file, on demand.
struct RemainingReading
{
    std::size_t event = 0;
    LimitAxis axis = LimitAxis::Requests;
    bool read = false; // the raw record was read (else `error` says why)
    std::optional<std::int64_t> remaining;
    std::optional<std::int64_t> limit; // of the same axis, from the same response
    QString error;
};

// The reading of event i's raw text (a record RawRecordReader gave back).
RemainingReading readRemaining(
    const EventStore &store, std::size_t event, LimitAxis axis, const QByteArray &raw);

// Reads the remaining of an event in a worker, one at a time: a request made while one runs
// replaces the one waiting (the hover moved on), and the last readings are kept.
class RemainingProbe : public QObject
{
    Q_OBJECT
public:
    explicit RemainingProbe(QObject *parent = nullptr);
    ~RemainingProbe() override;

    // The reading when it was made already (for this store), else nullptr and a request.
    const RemainingReading *lookup(
        const std::shared_ptr<const EventStore> &store, std::size_t event, LimitAxis axis);

Q_SIGNALS:
    void ready(const RemainingReading &reading);

private:
    struct Wanted
    {
        std::shared_ptr<const EventStore> store;
        std::size_t event = 0;
        LimitAxis axis = LimitAxis::Requests;
    };
    void start(Wanted wanted);

    const EventStore *m_store = nullptr; // of the cached readings
    std::list<RemainingReading> m_cache; // newest first, a few dozen
    std::optional<Wanted> m_running, m_waiting;
};

Q_DECLARE_METATYPE(RemainingReading)
