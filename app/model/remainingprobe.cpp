#include "model/remainingprobe.h"

#include "decode/ratelimitheaders.h"
#include "model/eventdetail.h"
#include "model/threadpriority.h"
#include "store/rawrecordreader.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <string>
#include <vector>

namespace {

constexpr std::size_t kCached = 64;

QThreadPool &probePool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(1);
        return p;
    }();
    return *pool;
}

} // namespace

RemainingReading readRemaining(
    const EventStore &store, std::size_t event, LimitAxis axis, const QByteArray &raw)
{
    RemainingReading out;
    out.event = event;
    out.axis = axis;
    out.read = true;
    // the headers as the detail pane finds them in the record (every shape we read)
    const QList<QPair<QString, QString>> headers = rateLimitHeadersOf(raw);
    std::vector<std::string> texts;
    texts.reserve(std::size_t(headers.size()) * 2);
    for (const auto &[name, value] : headers) {
        texts.push_back(name.toStdString());
        texts.push_back(value.toStdString());
    }
    std::vector<HeaderField> fields;
    for (std::size_t k = 0; k + 1 < texts.size(); k += 2)
        fields.push_back({ texts[k], texts[k + 1] });
    const std::string url(store.endpoint(event));
    const RateLimitInfo rl = readRateLimitHeaders(fields, store.timeMs(event), url);
    switch (axis) {
    case LimitAxis::Requests:
        out.remaining = rl.remaining;
        out.limit = rl.limit;
        break;
    case LimitAxis::Tokens:
    case LimitAxis::InputTokens:
    case LimitAxis::OutputTokens: {
        const AxisReading &a = rl.tokenAxes[std::size_t(axis) - 1];
        out.remaining = a.remaining;
        out.limit = a.limit;
        break;
    }
    case LimitAxis::Concurrency:
        break;
    }
    return out;
}

RemainingProbe::RemainingProbe(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RemainingReading>();
}

RemainingProbe::~RemainingProbe() { probePool().waitForDone(); }

const RemainingReading *RemainingProbe::lookup(
    const std::shared_ptr<const EventStore> &store, std::size_t event, LimitAxis axis)
{
    if (!store || event >= store->size())
        return nullptr;
    if (store.get() != m_store) { // another load: its events are others
        m_cache.clear();
        m_store = store.get();
    }
    for (const RemainingReading &r : m_cache) {
        if (r.event == event && r.axis == axis)
            return &r;
    }
    const auto same = [&](const std::optional<Wanted> &w) {
        return w && w->store == store && w->event == event && w->axis == axis;
    };
    if (same(m_running) || same(m_waiting))
        return nullptr;
    Wanted wanted { store, event, axis };
    if (m_running)
        m_waiting = std::move(wanted);
    else
        start(std::move(wanted));
    return nullptr;
}

void RemainingProbe::start(Wanted wanted)
{
    m_running = wanted;
    QtConcurrent::run(&probePool(), [wanted] {
        lowerThreadPriority();
        QString error;
        const QByteArray raw = RawRecordReader::read(*wanted.store, wanted.event, &error);
        if (raw.isEmpty()) {
            RemainingReading r;
            r.event = wanted.event;
            r.axis = wanted.axis;
            r.error = error.isEmpty() ? QStringLiteral("the record is empty") : error;
            return r;
        }
        return readRemaining(*wanted.store, wanted.event, wanted.axis, raw);
    }).then(this, [this, store = wanted.store.get()](const RemainingReading &r) {
        m_running.reset();
        if (store == m_store) {
            m_cache.push_front(r);
            if (m_cache.size() > kCached)
                m_cache.pop_back();
            Q_EMIT ready(r);
        }
        if (m_waiting) {
            Wanted next = std::move(*m_waiting);
            m_waiting.reset();
            start(std::move(next));
        }
    });
}
