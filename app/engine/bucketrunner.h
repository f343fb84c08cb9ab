#pragma once

// The window's counts from an engine, whichever it is (issue 21 "what runs where"): the
// table's span once, then one query per view at its bucket size, the newest query winning
// (an older one is cancelled on the server and never reported). EngineChartFeed (ui/) draws
// what a runner gives and does not know which engine it asks; ClickHouseBucketRunner and
// PgBucketRunner ask theirs. Lives on the GUI thread: nothing here blocks for long.

#include "engine/clickhouseaggregate.h"
#include "store/eventbuilder.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

// A table's first and last time in ms; nullopt when it has no rows.
using EngineSpan = std::optional<std::pair<std::int64_t, std::int64_t>>;

class BucketQueryRunner : public QObject
{
    Q_OBJECT
public:
    // `engineName`: "ClickHouse", "PostgreSQL", the word the window's messages begin with.
    explicit BucketQueryRunner(QString engineName, QObject *parent = nullptr)
        : QObject(parent)
        , m_engineName(std::move(engineName))
    {
    }

    QString engineName() const { return m_engineName; }
    // Asks for the table's span: spanReady or failed follow, with the generation returned.
    virtual quint64 requestSpan() = 0;
    // Asks for the counts at bucketMs over range (a zoom or a pan): bucketsReady or failed.
    virtual quint64 requestBuckets(std::int64_t bucketMs, const TimeRange &range) = 0;
    // The password from now on (a prompt's answer), kept in memory only and never put in a
    // message. What was asked before is dropped: ask again.
    virtual void setPassword(const QString &password) = 0;

Q_SIGNALS:
    void spanReady(quint64 generation, const EngineSpan &span);
    void bucketsReady(quint64 generation, const EngineSeries &series);
    // `error` names the table and never holds a password; `authentication`: the server refused
    // the user or password (none given, or a wrong one).
    void failed(quint64 generation, const QString &error, bool authentication);

private:
    QString m_engineName;
};

class RuleSet;
struct EngineUri;

// The runner of a table's engine (ClickHouse or PostgreSQL), with the profile the URI names
// (or the table's built-in one); nullptr with *error when there is none for ClickHouse
// (PostgreSQL's profile is bound to the table's columns by its worker: an error then comes as
// the first query's failure).
std::unique_ptr<BucketQueryRunner> makeBucketQueryRunner(
    const EngineUri &uri, const RuleSet &rules, QString *error);
