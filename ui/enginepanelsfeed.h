#pragma once

// The panels of a table in an engine (issue 21), beside the chart EngineChartFeed draws: the
// incidents panel from the engine's per-minute rejection counts refined from the raw rows of
// their few minutes (findEngineIncidents), and the event table of a drill-down from the rows
// of the chosen bucket or incident only (readBucketRows: keyset pages, the first maxRows of
// a larger bucket, "the first N of M" said in the status). The detail pane then shows a
// listed row as a file's record, the row itself (as JSON) being its raw record.
// Each query runs in a thread of its own, never on the GUI thread; a newer drill-down cancels
// the older one, whose rows are never listed. A failure says why (no password in it) and the
// panels keep what they had: the table lists the last bucket read again.
// The models are the session's: the table's drill-downs (a chart click, an incident) come as
// EventTableModel::drillDownChanged, and the rows read are listed with setRecalled.

#include "engine/bucketrows.h"
#include "engine/engineuri.h"
#include "model/filteredview.h"
#include "model/filterstate.h"
#include "rules/ruleset.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class EventTableModel;
class IncidentModel;
class QThread;

class EnginePanelsFeed : public QObject
{
    Q_OBJECT
public:
    EnginePanelsFeed(EngineUri uri, std::shared_ptr<const RuleSet> rules, IncidentModel *incidents,
        EventTableModel *events, QObject *parent = nullptr);
    // Cancels what still runs and waits for it.
    ~EnginePanelsFeed() override;

    void setMergeGapMinutes(double minutes) { m_mergeGap = minutes; }
    // How a drill-down reads a bucket: rows per keyset page, and the most rows listed.
    void setRowsRequest(int pageRows, std::uint64_t maxRows);
    // The password from now on (the chart's prompt's answer), kept in memory only.
    void setPassword(const QString &password);
    // Finds the incidents (once the chart has its first frame: they share two cores).
    void start();
    QString status() const { return m_status; }
    // Whether a query runs (tests wait for it to end).
    bool isBusy() const { return !m_threads.empty(); }

Q_SIGNALS:
    // What the feed is doing or did ("Reading the rows of 10:42–10:43 from ClickHouse…", "the
    // first 5,000 of 12,345 rows …") or what went wrong.
    void statusChanged(const QString &text);
    // A query failed: the status's words, for the banner.
    void failed(const QString &text);
    void incidentsShown(int count);
    // A drill-down's rows are listed: how many were read, and how many the range holds.
    void rowsListed(quint64 read, quint64 inRange);

private:
    void drill(const DrillDown &drill);
    void incidentsFound(quint64 generation, std::shared_ptr<const FilteredView> view,
        quint64 tableRows, const QString &error);
    void rowsRead(quint64 generation, const DrillDown &drill,
        std::shared_ptr<const FilteredView> view, const BucketRows &rows);
    // Runs work in a thread of its own (ended with it: libpq's per-thread state goes too).
    void run(std::function<void()> work);
    QString engineName() const;
    void setStatus(const QString &text);
    void fail(const QString &text);

    EngineUri m_uri;
    std::shared_ptr<const RuleSet> m_rules;
    IncidentModel *m_incidents;
    EventTableModel *m_events;
    double m_mergeGap = 5.0;
    BucketRowsRequest m_request;
    quint64 m_incidentsGeneration = 0;
    quint64 m_drillGeneration = 0;
    std::shared_ptr<std::atomic<bool>> m_incidentsCancel;
    std::shared_ptr<std::atomic<bool>> m_drillCancel;
    // the rows listed last, given back to the table when a newer drill-down fails
    DrillDown m_shownDrill;
    std::shared_ptr<const FilteredView> m_shownRows;
    bool m_restoring = false;
    std::vector<QThread *> m_threads;
    QString m_status;
};
