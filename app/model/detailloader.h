#pragma once

#include "export/redactor.h"
#include "model/eventdetail.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QObject>
#include <QThreadPool>

#include <memory>

// Fills EventDetailInfo for the selected event: the store's facts at once, then the raw
// record read back from its file in a worker (only the newest request is delivered).
// Texts from the input go through the built-in Redactor.
class DetailLoader : public QObject
{
    Q_OBJECT
public:
    explicit DetailLoader(std::shared_ptr<const RuleSet> rules, QObject *parent = nullptr);
    ~DetailLoader() override;

public Q_SLOTS:
    // incidentBinding: the binding of the incident the event belongs to (shown with it).
    void request(std::shared_ptr<const EventStore> store, int event,
        std::optional<Binding> incidentBinding = std::nullopt);
    void clear();

Q_SIGNALS:
    // Sent twice per request: with the store's facts, then with the raw record (rawLoaded).
    void detailReady(const EventDetailInfo &info);
    void cleared();

private:
    std::shared_ptr<const RuleSet> m_rules;
    std::shared_ptr<const Redactor> m_redactor;
    quint64 m_generation = 0;
    QThreadPool m_pool; // below the GUI thread's priority
};
