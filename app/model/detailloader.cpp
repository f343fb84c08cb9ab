#include "model/detailloader.h"

#include "model/threadpriority.h"
#include "store/rawrecordreader.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

DetailLoader::DetailLoader(std::shared_ptr<const RuleSet> rules, QObject *parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_redactor(std::make_shared<const Redactor>(Redactor::builtIn()))
{
    m_pool.setMaxThreadCount(1);
}

DetailLoader::~DetailLoader() { m_pool.waitForDone(); }

void DetailLoader::request(
    std::shared_ptr<const EventStore> store, int event, std::optional<Binding> incidentBinding)
{
    const quint64 gen = ++m_generation;
    if (!store || event < 0 || std::size_t(event) >= store->size()) {
        Q_EMIT cleared();
        return;
    }
    EventDetailInfo info
        = describeEvent(*store, std::size_t(event), *m_rules, std::move(incidentBinding));
    redactInputText(info, *m_redactor);
    Q_EMIT detailReady(info);
    QtConcurrent::run(&m_pool, [store, info, redactor = m_redactor]() mutable {
        lowerThreadPriority();
        QString error;
        const QByteArray raw = RawRecordReader::read(*store, std::size_t(info.event), &error);
        if (raw.isEmpty()) {
            info.rawLoaded = true;
            info.rawError = error.isEmpty() ? QStringLiteral("the record is empty") : error;
        } else {
            attachRawRecord(info, raw, *redactor);
        }
        return info;
    }).then(this, [this, gen](const EventDetailInfo &full) {
        if (gen == m_generation)
            Q_EMIT detailReady(full);
    });
}

void DetailLoader::clear()
{
    ++m_generation;
    Q_EMIT cleared();
}
