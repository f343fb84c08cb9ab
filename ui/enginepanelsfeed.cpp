#include "enginepanelsfeed.h"

#include "engine/engineincidents.h"
#include "model/eventtablemodel.h"
#include "model/incidentmodel.h"
#include "model/timeticks.h"

#include <QLocale>
#include <QMetaObject>
#include <QThread>

#include <algorithm>

namespace {

// The incidents, the table's rows and the detail's binding as a file's view has them.
std::shared_ptr<const FilteredView> viewOf(std::shared_ptr<const EventStore> store, double mergeGap,
    quint64 generation, const std::atomic<bool> &cancel)
{
    return buildFilteredView(std::move(store), FilterState {}, mergeGap, generation,
        [&cancel] { return cancel.load(); });
}

} // namespace

EnginePanelsFeed::EnginePanelsFeed(EngineUri uri, std::shared_ptr<const RuleSet> rules,
    IncidentModel *incidents, EventTableModel *events, QObject *parent)
    : QObject(parent)
    , m_uri(std::move(uri))
    , m_rules(std::move(rules))
    , m_incidents(incidents)
    , m_events(events)
{
    connect(m_events, &EventTableModel::drillDownChanged, this, &EnginePanelsFeed::drill);
}

EnginePanelsFeed::~EnginePanelsFeed()
{
    for (const auto &cancel : { m_incidentsCancel, m_drillCancel }) {
        if (cancel)
            cancel->store(true);
    }
    for (QThread *t : m_threads) {
        t->wait();
        delete t;
    }
}

void EnginePanelsFeed::setRowsRequest(int pageRows, std::uint64_t maxRows)
{
    m_request.pageRows = std::max(1, pageRows);
    m_request.maxRows = maxRows;
}

void EnginePanelsFeed::setPassword(const QString &password)
{
    m_uri.password = password;
    m_uri.hasPassword = true;
}

QString EnginePanelsFeed::engineName() const
{
    return m_uri.kind == EngineUri::Kind::ClickHouse ? QStringLiteral("ClickHouse")
                                                     : QStringLiteral("PostgreSQL");
}

void EnginePanelsFeed::run(std::function<void()> work)
{
    QThread *thread = QThread::create(std::move(work));
    m_threads.push_back(thread);
    connect(thread, &QThread::finished, this, [this, thread] {
        m_threads.erase(std::remove(m_threads.begin(), m_threads.end(), thread), m_threads.end());
        thread->deleteLater();
    });
    thread->start(QThread::LowPriority); // below the GUI thread's
}

void EnginePanelsFeed::start()
{
    if (m_incidentsCancel)
        m_incidentsCancel->store(true);
    m_incidentsCancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_incidentsGeneration;
    setStatus(tr("Finding incidents from %1's per-minute counts…").arg(engineName()));
    run([this, generation, uri = m_uri, rules = m_rules, gap = m_mergeGap,
            cancel = m_incidentsCancel] {
        QString error;
        std::optional<EngineIncidents> found
            = findEngineIncidents(uri, *rules, gap, &error, cancel.get());
        std::shared_ptr<const FilteredView> view;
        quint64 tableRows = 0;
        if (found) {
            tableRows = found->tableRows;
            view = viewOf(std::make_shared<const EventStore>(std::move(found->store)), gap,
                generation, *cancel);
        }
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            this,
            [this, generation, view, tableRows, error] {
                incidentsFound(generation, view, tableRows, error);
            },
            Qt::QueuedConnection);
    });
}

void EnginePanelsFeed::incidentsFound(quint64 generation, std::shared_ptr<const FilteredView> view,
    quint64 tableRows, const QString &error)
{
    if (generation != m_incidentsGeneration)
        return;
    if (!view) {
        fail(tr("%1: %2 (no incidents found; the panels keep what they had)")
                 .arg(engineName(), error.simplified()));
        return;
    }
    m_incidents->setView(view);
    const int n = int(view->incidents.size());
    setStatus(tr("Incidents: %1 in %2 requests, found from %3's per-minute counts and the %4 "
                 "rows of their minutes")
                  .arg(QLocale().toString(n), QLocale().toString(qulonglong(tableRows)),
                      engineName(), QLocale().toString(qulonglong(view->store->size()))));
    Q_EMIT incidentsShown(n);
}

void EnginePanelsFeed::drill(const DrillDown &drill)
{
    if (m_restoring)
        return;
    if (m_drillCancel)
        m_drillCancel->store(true); // the older drill-down's rows are never listed
    const quint64 generation = ++m_drillGeneration;
    if (!drill.active) {
        m_drillCancel.reset();
        setStatus(tr("Click a bucket of the chart or an incident to list its rows"));
        return;
    }
    m_drillCancel = std::make_shared<std::atomic<bool>>(false);
    BucketRowsRequest request = m_request;
    request.range = TimeRange { drill.fromMs, drill.toMs };
    setStatus(tr("Reading the rows of %1 – %2 from %3…")
                  .arg(formatEventTime(drill.fromMs, m_events->isUtc()),
                      formatEventTime(drill.toMs, m_events->isUtc()), engineName()));
    run([this, generation, drill, request, uri = m_uri, rules = m_rules, gap = m_mergeGap,
            cancel = m_drillCancel] {
        const BucketRows rows = readBucketRows(uri, *rules, request, cancel.get());
        std::shared_ptr<const FilteredView> view;
        if (!rows.report.failed())
            view = viewOf(rows.store, gap, generation, *cancel);
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(
            this,
            [this, generation, drill, view, rows] { rowsRead(generation, drill, view, rows); },
            Qt::QueuedConnection);
    });
}

void EnginePanelsFeed::rowsRead(quint64 generation, const DrillDown &drill,
    std::shared_ptr<const FilteredView> view, const BucketRows &rows)
{
    if (generation != m_drillGeneration)
        return;
    if (!view) {
        // the table lists the last rows read again, the incidents and the detail stay
        if (m_shownRows) {
            m_restoring = true;
            m_events->setDrillDown(m_shownDrill);
            m_events->setRecalled(m_shownRows, m_shownDrill);
            m_restoring = false;
        }
        fail(tr("%1: %2 (the rows of this bucket cannot be listed; the panels keep what they had)")
                 .arg(engineName(), rows.report.fatal.simplified()));
        return;
    }
    m_shownDrill = drill;
    m_shownRows = view;
    m_events->setRecalled(view, drill);
    const QLocale locale;
    QString text = rows.complete()
        ? tr("%1 rows of the range read from %2")
              .arg(locale.toString(qulonglong(rows.rowsRead)), engineName())
        : tr("The first %1 of %2 rows of the range read from %3 (zoom in to list fewer)")
              .arg(locale.toString(qulonglong(rows.rowsRead)),
                  locale.toString(qulonglong(rows.rowsInRange)), engineName());
    if (rows.report.skipped > 0)
        text += tr("; %1 the profile cannot read").arg(rows.report.skipped);
    setStatus(text);
    Q_EMIT rowsListed(rows.rowsRead, rows.rowsInRange);
}

void EnginePanelsFeed::setStatus(const QString &text)
{
    m_status = text;
    Q_EMIT statusChanged(text);
}

void EnginePanelsFeed::fail(const QString &text)
{
    setStatus(text);
    Q_EMIT failed(text);
}
