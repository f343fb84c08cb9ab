// The panels of a table in an engine (issue 21), against a real clickhouse-server 18.16 and a
// real PostgreSQL 15 started for the run, each holding LiteLLM's spend log fixture (ClickHouse:
// pushed into a `ratescope` table; PostgreSQL: LiteLLM_SpendLogs itself): the incidents panel
// shows, cell for cell, the incidents of the same requests read from the log file; a drill-down
// lists exactly the rows of its bucket, cell for cell as the file's, and the detail pane shows
// a row with the row itself as its raw record; a bucket larger than the cap lists its first rows
// and says of how many; a newer drill-down wins; a server stopped during a drill-down says so
// (no password in it) and the panels keep what they had.
#include "clickhouseserver.h"
#include "pgserver.h"
#include "testutil.h"

#include "engine/clickhousepush.h"
#include "engine/engineuri.h"
#include "enginepanelsfeed.h"
#include "model/detailloader.h"
#include "model/eventtablemodel.h"
#include "model/filteredview.h"
#include "model/incidentmodel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

#include <algorithm>

namespace {

constexpr double kMergeGap = 5.0;
const QString kTable = QStringLiteral("LiteLLM_SpendLogs"); // PostgreSQL's

// Every cell of every row, in the model's order, one line each.
QStringList cells(const QAbstractItemModel &m, const std::vector<int> &skipColumns = {})
{
    QStringList rows;
    for (int r = 0; r < m.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m.columnCount(); ++c) {
            if (std::find(skipColumns.begin(), skipColumns.end(), c) == skipColumns.end())
                row << m.index(r, c).data().toString();
        }
        rows << row.join(QStringLiteral(" | "));
    }
    return rows;
}

} // namespace

class TestUiEnginePanels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void incidentsAreTheFilesIncidents_data();
    void incidentsAreTheFilesIncidents();
    void drillDownListsTheBucketsRows_data();
    void drillDownListsTheBucketsRows();
    void largeBucketListsTheFirstRows_data();
    void largeBucketListsTheFirstRows();
    void newerDrillDownWins_data();
    void newerDrillDownWins();
    // last: it stops the servers
    void serverStoppedDuringDrillDown_data();
    void serverStoppedDuringDrillDown();

private:
    struct Panels
    {
        IncidentModel incidents;
        EventTableModel events;
        std::unique_ptr<EnginePanelsFeed> feed;
    };
    void addEngineRows();
    // The engine of the current data row (PostgreSQL's table `pgTable`); false when it is not
    // there.
    bool engine(EngineUri *uri, const QString &pgTable);
    std::unique_ptr<Panels> panels(const EngineUri &uri);
    // The file's table rows of [from, to), as the window lists them.
    QStringList fileRows(qint64 from, qint64 to);
    // Drills into [from, to) and waits for its rows; false when none came.
    static bool drillInto(Panels &p, qint64 from, qint64 to);
    QString secret(const EngineUri &uri) const;

    ClickHouseServer m_clickHouse;
    PgServer m_pg;
    QString m_noClickHouse, m_noPg; // why a server is not there
    std::shared_ptr<const RuleSet> m_rules = std::make_shared<const RuleSet>(RuleSet::builtIn());
    std::shared_ptr<const FilteredView> m_file; // the fixture's log, read as a file
    // the location column names the file and line, or the table and row: not compared
    const std::vector<int> m_notCompared { EventTableModel::LocationColumn };
};

void TestUiEnginePanels::initTestCase()
{
    Loaded file = loadFiles({ fixture(QStringLiteral("litellm/spendlogs.ndjson")) });
    QVERIFY(!file.reports.front().failed());
    // push reads the same store the view then shares
    std::shared_ptr<const EventStore> store(std::move(file.store));
    m_file = buildFilteredView(store, FilterState {}, kMergeGap, 1, [] { return false; });
    QVERIFY(m_file->incidents.size() >= 2);

    QString error;
    if (ClickHouseServer::program().isEmpty()) {
        m_noClickHouse = QStringLiteral("clickhouse-server is not installed");
    } else {
        QVERIFY2(m_clickHouse.startWithEventsTable(&error), qPrintable(error));
        const std::optional<EngineUri> to
            = parseEngineUri(m_clickHouse.uri(QStringLiteral("rs.ratescope_events")), &error);
        QVERIFY2(to, qPrintable(error));
        const PushResult pushed = pushToClickHouse(*to, *store, PushOptions {});
        QVERIFY2(pushed.error.isEmpty(), qPrintable(pushed.error));
        QCOMPARE(pushed.inserted, std::int64_t(store->size()));
    }
    m_noPg = PgServer::unavailable();
    if (m_noPg.isEmpty()) {
        qunsetenv("PGPASSWORD");
        QVERIFY2(m_pg.start(&error), qPrintable(error));
        QVERIFY2(m_pg.loadLiteLlm(
                     QStringLiteral(RATESCOPE_FIXTURE_DIR), QStringLiteral("litellm"), &error),
            qPrintable(error));
        // the same rows through a view that sleeps on each row when asked to
        QVERIFY2(m_pg.createSlowSpendLogs(QStringLiteral("litellm"), &error), qPrintable(error));
    }
}

void TestUiEnginePanels::addEngineRows()
{
    QTest::addColumn<bool>("clickHouse");
    QTest::newRow("clickhouse") << true;
    QTest::newRow("postgresql") << false;
}

bool TestUiEnginePanels::engine(EngineUri *uri, const QString &pgTable)
{
    QFETCH(bool, clickHouse);
    const QString missing = clickHouse ? m_noClickHouse : m_noPg;
    if (!missing.isEmpty())
        return false;
    QString text;
    if (clickHouse) {
        text = m_clickHouse.uri(QStringLiteral("rs.ratescope_events"));
    } else {
        text = m_pg.uri(QStringLiteral("litellm"),
            QStringLiteral("table=%1&profile=litellm-spendlogs").arg(pgTable));
        text.replace(QStringLiteral("ratescope@"),
            QStringLiteral("ratescope:") + m_pg.password() + QLatin1Char('@'));
    }
    QString error;
    const std::optional<EngineUri> u = parseEngineUri(text, &error);
    if (!u)
        qWarning("%s", qPrintable(error));
    *uri = u.value_or(EngineUri {});
    return u.has_value();
}

QString TestUiEnginePanels::secret(const EngineUri &uri) const
{
    return uri.kind == EngineUri::Kind::ClickHouse ? QLatin1String(ClickHouseServer::kPassword)
                                                   : m_pg.password();
}

std::unique_ptr<TestUiEnginePanels::Panels> TestUiEnginePanels::panels(const EngineUri &uri)
{
    auto p = std::make_unique<Panels>();
    p->feed = std::make_unique<EnginePanelsFeed>(uri, m_rules, &p->incidents, &p->events);
    p->feed->setMergeGapMinutes(kMergeGap);
    return p;
}

QStringList TestUiEnginePanels::fileRows(qint64 from, qint64 to)
{
    EventTableModel model;
    model.setView(m_file);
    model.setDrillDown(DrillDown { true, from, to, FilterState::kAllSources });
    return cells(model, m_notCompared);
}

bool TestUiEnginePanels::drillInto(Panels &p, qint64 from, qint64 to)
{
    QSignalSpy listed(p.feed.get(), &EnginePanelsFeed::rowsListed);
    p.events.setDrillDown(DrillDown { true, from, to, FilterState::kAllSources });
    return listed.wait(60000);
}

// The current data row's engine in `uri` (PostgreSQL's table `pgTable`), or a skip saying why
// it is not there.
#define ENGINE_OR_SKIP(uri, pgTable)                                                               \
    do {                                                                                           \
        if (!engine(&(uri), pgTable)) {                                                            \
            QFETCH(bool, clickHouse);                                                              \
            QSKIP(qPrintable(QStringLiteral("no server to test against: ")                         \
                + (clickHouse ? m_noClickHouse : m_noPg)));                                        \
        }                                                                                          \
    } while (false)

void TestUiEnginePanels::incidentsAreTheFilesIncidents_data() { addEngineRows(); }

// The panel for the table is the panel for the file: every incident, every column (start,
// duration, rejections, source, scope, binding, peak, top tools and providers, message).
void TestUiEnginePanels::incidentsAreTheFilesIncidents()
{
    EngineUri uri;
    ENGINE_OR_SKIP(uri, kTable);
    const auto p = panels(uri);
    QSignalSpy shown(p->feed.get(), &EnginePanelsFeed::incidentsShown);
    p->feed->start();
    QVERIFY2(shown.wait(60000), qPrintable(p->feed->status()));
    IncidentModel fromFile;
    fromFile.setView(m_file);
    QCOMPARE(p->incidents.rowCount(), int(m_file->incidents.size()));
    QCOMPARE(cells(p->incidents), cells(fromFile));
    QStringList want, have;
    for (int r = 0; r < fromFile.rowCount(); ++r) {
        want << incidentText(*fromFile.incident(r));
        have << incidentText(*p->incidents.incident(r));
    }
    QCOMPARE(have, want);
    QVERIFY2(p->feed->status().contains(QStringLiteral("Incidents: %1 in %2 requests")
                                            .arg(m_file->incidents.size())
                                            .arg(QLocale().toString(m_file->requests()))),
        qPrintable(p->feed->status()));
}

void TestUiEnginePanels::drillDownListsTheBucketsRows_data() { addEngineRows(); }

// The first incident's first minute, and the whole incident: the rows the table lists are the
// file's rows of that range, cell for cell; a row's detail is the file's event's, with the
// table's row as its raw record.
void TestUiEnginePanels::drillDownListsTheBucketsRows()
{
    EngineUri uri;
    ENGINE_OR_SKIP(uri, kTable);
    const auto p = panels(uri);
    const Incident &first = m_file->incidents.front();
    const qint64 minute = first.startMs / 60000 * 60000;
    using Range = std::pair<qint64, qint64>;
    for (const auto &[from, to] :
        { Range { minute, minute + 60000 }, Range { first.startMs, first.endMs + 1 } }) {
        QVERIFY2(drillInto(*p, from, to), qPrintable(p->feed->status()));
        const QStringList want = fileRows(from, to);
        QVERIFY(!want.isEmpty());
        QCOMPARE(p->events.rowCount(), int(want.size()));
        QStringList have = cells(p->events, m_notCompared);
        QCOMPARE(have, want);
    }

    // the detail of the first rejection listed: the file's event's facts, the row as raw record
    const auto view = p->events.shownView();
    int row = 0;
    while (row < p->events.rowCount()
        && view->store->source(std::size_t(p->events.eventAt(row))) == RejectionSource::None)
        ++row;
    QVERIFY(row < p->events.rowCount());
    DetailLoader details(m_rules);
    QSignalSpy ready(&details, &DetailLoader::detailReady);
    details.request(view->store, p->events.eventAt(row));
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
    const auto info = ready.last().at(0).value<EventDetailInfo>();
    QVERIFY(info.rawLoaded);
    QVERIFY2(info.rawError.isEmpty(), qPrintable(info.rawError));
    QVERIFY(QJsonDocument::fromJson(info.raw.toUtf8()).isObject());
    QVERIFY(info.status == 429 || info.status >= 500);
    QVERIFY(!info.message.isEmpty());

    EventTableModel fileModel;
    fileModel.setView(m_file);
    fileModel.setDrillDown(
        DrillDown { true, first.startMs, first.endMs + 1, FilterState::kAllSources });
    EventDetailInfo want
        = describeEvent(*m_file->store, std::size_t(fileModel.eventAt(row)), *m_rules);
    redactInputText(want, Redactor::builtIn()); // as the pane shows it
    QCOMPARE(info.timeMs, want.timeMs);
    QCOMPARE(info.tool, want.tool);
    QCOMPARE(info.provider, want.provider);
    QCOMPARE(info.message, want.message);
    QCOMPARE(int(info.source), int(want.source));
    // the raw record is the row: its message is in it (ClickHouse: a column; PostgreSQL: in
    // LiteLLM's metadata JSON)
    QVERIFY2(info.raw.contains(want.message.left(30)), qPrintable(info.raw));
}

void TestUiEnginePanels::largeBucketListsTheFirstRows_data() { addEngineRows(); }

// A cap of 10 rows in pages of 5: the first 10 rows of the hour, and the engine's count of it.
void TestUiEnginePanels::largeBucketListsTheFirstRows()
{
    EngineUri uri;
    ENGINE_OR_SKIP(uri, kTable);
    const auto p = panels(uri);
    p->feed->setRowsRequest(5, 10);
    const qint64 from = m_file->store->timeMs(0) / 3600000 * 3600000, to = from + 3600000;
    const QStringList all = fileRows(from, to);
    QVERIFY(all.size() > 10);
    QSignalSpy listed(p->feed.get(), &EnginePanelsFeed::rowsListed);
    QVERIFY(drillInto(*p, from, to));
    QCOMPARE(listed.last().at(0).toULongLong(), quint64(10));
    QCOMPARE(listed.last().at(1).toULongLong(), quint64(all.size()));
    QCOMPARE(cells(p->events, m_notCompared), all.mid(0, 10));
    QVERIFY2(p->feed->status().contains(
                 QStringLiteral("first 10 of %1 rows").arg(QLocale().toString(all.size()))),
        qPrintable(p->feed->status()));
}

void TestUiEnginePanels::newerDrillDownWins_data() { addEngineRows(); }

// Two drill-downs at once: only the second's rows are ever listed.
void TestUiEnginePanels::newerDrillDownWins()
{
    EngineUri uri;
    ENGINE_OR_SKIP(uri, kTable);
    const auto p = panels(uri);
    const Incident &first = m_file->incidents.front();
    const Incident &last = m_file->incidents.back();
    QSignalSpy listed(p->feed.get(), &EnginePanelsFeed::rowsListed);
    p->events.setDrillDown(
        DrillDown { true, first.startMs, first.endMs + 1, FilterState::kAllSources });
    const qint64 from = last.startMs / 60000 * 60000, to = from + 60000;
    p->events.setDrillDown(DrillDown { true, from, to, FilterState::kAllSources });
    QVERIFY(listed.wait(60000));
    // every read's thread has ended: a thread posts its answer before it finishes, and its
    // end is what takes it off the list, so a late answer of the first was delivered by now
    QTRY_VERIFY_WITH_TIMEOUT(!p->feed->isBusy(), 30000);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(cells(p->events, m_notCompared), fileRows(from, to));
}

void TestUiEnginePanels::serverStoppedDuringDrillDown_data() { addEngineRows(); }

// The server gone in the middle of a drill-down (after a first one): it says so (without the
// password), the table lists the first one's rows again and the incidents stay. The read is
// made slow enough to be stopped under: pages of one row, and PostgreSQL's rows through a view
// that sleeps 50 ms a row.
void TestUiEnginePanels::serverStoppedDuringDrillDown()
{
    EngineUri uri;
    ENGINE_OR_SKIP(uri, QStringLiteral("spendlogs"));
    const bool clickHouse = uri.kind == EngineUri::Kind::ClickHouse;
    const auto p = panels(uri);
    QSignalSpy shown(p->feed.get(), &EnginePanelsFeed::incidentsShown);
    p->feed->start();
    QVERIFY(shown.wait(60000));
    const QStringList incidents = cells(p->incidents);
    const Incident &first = m_file->incidents.front();
    const qint64 minute = first.startMs / 60000 * 60000;
    QVERIFY(drillInto(*p, minute, minute + 60000));
    const QStringList rows = cells(p->events);
    QVERIFY(!rows.isEmpty());

    p->feed->setRowsRequest(1, 100000);
    if (!clickHouse) {
        QString error;
        QVERIFY2(m_pg.exec(QStringLiteral("litellm"),
                     QStringLiteral("UPDATE slow SET \"on\" = true"), &error),
            qPrintable(error));
    }
    QSignalSpy failed(p->feed.get(), &EnginePanelsFeed::failed);
    const Incident &last = m_file->incidents.back();
    p->events.setDrillDown(
        DrillDown { true, last.startMs, last.endMs + 1, FilterState::kAllSources });
    // the read is under way (its thread runs, the status says so) when the server goes: pages
    // of one row from a view that sleeps 50 ms a row take seconds, so it is stopped mid-read
    QVERIFY(p->feed->isBusy());
    QTRY_VERIFY(p->feed->status().startsWith(QStringLiteral("Reading the rows")));
    if (clickHouse)
        m_clickHouse.kill();
    else
        m_pg.stop();
    QVERIFY(failed.wait(60000));
    const QString message = failed.last().at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("cannot be listed")), qPrintable(message));
    QVERIFY2(message.startsWith(
                 clickHouse ? QStringLiteral("ClickHouse: ") : QStringLiteral("PostgreSQL: ")),
        qPrintable(message));
    QVERIFY2(!message.contains(secret(uri)), qPrintable(message));
    QCOMPARE(p->feed->status(), message);
    QCOMPARE(cells(p->events), rows);
    QCOMPARE(p->events.drillDown().fromMs, minute);
    QCOMPARE(cells(p->incidents), incidents);
}

QTEST_MAIN(TestUiEnginePanels)
#include "tst_ui_engine_panels.moc"
