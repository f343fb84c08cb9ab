#pragma once

#include "model/detailloader.h"
#include "model/eventtablemodel.h"
#include "model/filtercontroller.h"
#include "model/incidentmodel.h"
#include "model/livefeed.h"
#include "model/loadjob.h"
#include "model/problemmodel.h"
#include "model/rawlineloader.h"
#include "model/reportexporter.h"
#include "rules/ruleset.h"

#include <QObject>

#include <memory>

// One open log and everything derived from it: the loader, the one filter, the item models
// and the detail loader. main() builds one and passes it down; tests build their own.
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(RuleSet rules, QObject *parent = nullptr);

    const RuleSet &rules() const { return *m_rules; }
    LoadJob &loader() { return m_loader; }
    FilterController &filter() { return m_filter; }
    DetailLoader &details() { return m_details; }
    ReportExporter &exporter() { return m_exporter; }
    LiveFeed &live() { return m_live; }
    EventTableModel *eventModel() { return &m_events; }
    IncidentModel *incidentModel() { return &m_incidents; }
    // What the loader skipped or could not read (the Problems panel) and its raw lines.
    ProblemModel *problemModel() { return &m_problems; }
    RawLineLoader &rawLines() { return m_rawLines; }

    // The last finished load or live snapshot (null before the first).
    std::shared_ptr<const LoadResult> loadResult() const { return m_result; }
    std::shared_ptr<const EventStore> store() const { return m_filter.store(); }

    // The configured request limits (limits.md §1): one per API scope, and one with no scope
    // for every scope without its own, as `--limit [SCOPE:]N[/W]` gives them.
    const std::vector<LimitEntry> &limits() const { return m_limits; }
    // The limit of a scope on an axis: its own entry, else the one for every scope (the
    // shortest window when several); nullopt: none.
    std::optional<LimitSpec> limitFor(
        const QString &scope, LimitAxis axis = LimitAxis::Requests) const;
    // The axis the limit box edits: the one the chart shows.
    LimitAxis limitAxis() const { return m_limitAxis; }
    // The scope the limit box edits: the filter's scope, else the only scope of the data; ""
    // when the data holds several (the limit then goes to every scope without its own).
    QString limitScope() const;
    // The limit of limitScope() on limitAxis() (nullopt: none; reports then use the ones the
    // responses reported).
    std::optional<LimitSpec> limit() const { return limitFor(limitScope(), m_limitAxis); }
    // No filter computing and the models show the newest view.
    bool isSettled() const { return !m_filter.isBusy() && !m_applyPending; }

public Q_SLOTS:
    void open(const QStringList &paths);
    // Watches live sources instead of what is shown; false + *error when they cannot start.
    bool watch(LiveOptions options, QString *error);
    // Sets (or with nullopt clears) the limit of limitScope() on limitAxis().
    void setLimit(std::optional<LimitSpec> limit);
    void setLimitAxis(LimitAxis axis);
    void setLimitPerMinute(qint64 limit); // N/60s; 0: none
    void setLimits(std::vector<LimitEntry> limits);
    void setUtc(bool utc);
    // Detail of the event in a row of the event table (-1: none).
    void selectRow(int row);
    // Writes the report of what is shown (the filtered events; with a range, those of the
    // range only); exporter() says when done.
    // The limit is the window's; the incident gap and headroom what the export dialog says.
    void exportReport(const QString &path, std::optional<TimeRange> range = std::nullopt,
        ExportChoices choices = {});

Q_SIGNALS:
    void loaded(std::shared_ptr<const LoadResult> result);
    // A new snapshot of the live session (the filter recomputes; drill-down and detail stay).
    void liveUpdated(std::shared_ptr<const LoadResult> result);
    // The item models show a new view, every row of it. They take it a moment after the
    // filter's viewReady (and the table its rows in batches), so the chart (on viewReady) and
    // a million-row table never share one GUI stall.
    void viewApplied(std::shared_ptr<const FilteredView> view);
    // limit() changed: a new limit, or another scope chosen.
    void limitChanged(std::optional<LimitSpec> limit);
    void limitsChanged(const std::vector<LimitEntry> &limits);
    // Watching live with a window: a drill-down into events the window let go of is being
    // read back from the capture (reading), or could not be (the reason; the table then lists
    // none of them), or was (empty text).
    void recallChanged(bool reading, const QString &failure);

private:
    void finishApply();
    // A drill-down that reaches before the window's held events: reads them back (issue 22).
    void recall(const DrillDown &drill);

    std::shared_ptr<const RuleSet> m_rules;
    LoadJob m_loader;
    FilterController m_filter;
    DetailLoader m_details;
    ReportExporter m_exporter;
    LiveFeed m_live;
    EventTableModel m_events;
    IncidentModel m_incidents;
    ProblemModel m_problems;
    RawLineLoader m_rawLines;
    std::shared_ptr<const LoadResult> m_result;
    void announceLimit();

    std::vector<LimitEntry> m_limits;
    std::optional<LimitSpec> m_announced; // the limit() last said with limitChanged
    LimitAxis m_limitAxis = LimitAxis::Requests;
    bool m_applyPending = false;
    bool m_liveFresh = false; // the next live snapshot starts a new session's data
    quint64 m_recallGeneration = 0; // a newer drill-down drops an older read-back
};
