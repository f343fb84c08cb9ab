// The inspection window on a fixture: chart series against countBuckets, a click on a bucket
// filters the table, a selected row fills the detail pane, incidents and legend drive the
// one filter, wheel/drag/double-click change the visible range.
#include "aggregate/buckets.h"
#include "aggregate/scopes.h"
#include "base/palette.h"
#include "chartadapter.h"
#include "charttoolbar.h"
#include "detailpane.h"
#include "eventtableview.h"
#include "export/summary.h"
#include "exportmenu.h"
#include "filterbar.h"
#include "incidentspanel.h"
#include "legendbar.h"
#include "mainwindow.h"
#include "model/session.h"
#include "problemspanel.h"
#include "ratechart.h"
#include "scopelist.h"
#include "sourcepalette.h"
#include "testutil.h"
#include "theme.h"
#include "uisettings.h"
#include "warningbanner.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>

#include <climits>
#include <map>

namespace {

const QString kFixture = QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson");

} // namespace

class TestUiChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void seriesHoldTheCounts_data();
    void seriesHoldTheCounts();
    void limitLineFollowsTheBucket();
    void limitBoxTakesTheCliGrammar_data();
    void limitBoxTakesTheCliGrammar();
    void exportDialogOffersHeadroomAndMergeGap();
    void problemsPanelShowsTheRawLine();
    void clickOnABucketFiltersTheTable_data();
    void clickOnABucketFiltersTheTable();
    void selectedRowShowsTheProviderMessage();
    void detailShowsTheReportedLimitWithItsWindow();
    void rejectionShowsItsOwnNumbers();
    void incidentsSayWhichLimitBit_data();
    void incidentsSayWhichLimitBit();
    void incidentZoomsAndFilters();
    void exportIncidentNeedsASelection();
    void legendTogglesASource();
    void wheelDragAndDoubleClick();
    void hoverShowsTheBucketCounts();
    void categoriesAreHatchedAndCounted_data();
    void categoriesAreHatchedAndCounted();
    void filterBarSearchFilters();
    void droppedFilesAreOpened();
    void scopeListCountsEachApi();
    void allScopesDrawNoLimitAndSayWhy();
    void eachScopeRemembersItsLimit();
    void incidentSelectsItsScope();
    void driftBannerComparesWithTheReportedLimit();
    void themeSwitchKeepsTheData();
    void desktopThemeChangeIsFollowedOnlyInSystemMode();
    void requestsAsBarsIsRemembered();
    void utcToggleIsRemembered();
    void reportsUseTheWindowsColours_data();
    void reportsUseTheWindowsColours();

private:
    void waitForView();
    void openAndWait(const QString &path);
    void chooseScope(const QString &scope); // a click in the scope list, as a user does

    QTemporaryDir m_dir;
    std::unique_ptr<UiSettings> m_settings;
    std::unique_ptr<Theme> m_theme;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<QAbstractItemModelTester> m_eventTester, m_incidentTester;
    std::unique_ptr<MainWindow> m_window;
};

void TestUiChart::init()
{
    m_settings = std::make_unique<UiSettings>(m_dir.filePath(QStringLiteral("ui.ini")));
    m_settings->setLimitPerMinute(6);
    m_theme = std::make_unique<Theme>(*qobject_cast<QApplication *>(QCoreApplication::instance()));
    m_theme->apply(ThemeMode::Light);
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    m_eventTester = std::make_unique<QAbstractItemModelTester>(
        m_session->eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_incidentTester = std::make_unique<QAbstractItemModelTester>(
        m_session->incidentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings, *m_theme);
    m_window->resize(1300, 850);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ kFixture });
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    waitForView();
    m_window->chart()->redrawNow();
}

void TestUiChart::cleanup()
{
    m_window.reset();
    m_eventTester.reset();
    m_incidentTester.reset();
    m_session.reset();
    m_theme.reset();
    m_settings.reset();
}

void TestUiChart::waitForView()
{
    // the models take a new view one event after the filter delivers it
    QSignalSpy applied(m_session.get(), &Session::viewApplied);
    while (!m_session->isSettled())
        QVERIFY(applied.wait(10000));
}

void TestUiChart::openAndWait(const QString &path)
{
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ path });
    QVERIFY(loaded.count() > 0 || loaded.wait(20000));
    waitForView();
}

void TestUiChart::chooseScope(const QString &scope)
{
    QTreeWidget *tree = m_window->scopeList()->tree();
    const int row = int(m_window->scopeList()->shownScopes().indexOf(scope));
    QVERIFY2(row >= 0, qPrintable(scope));
    QTreeWidgetItem *item = tree->topLevelItem(row);
    // the list is laid out by posted events: under load it may not be yet (a click on an empty
    // rect lands nowhere)
    QTRY_VERIFY(!tree->visualItemRect(item).isEmpty()
        && tree->viewport()->rect().contains(tree->visualItemRect(item).center()));
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(item).center());
    QCOMPARE(m_session->filter().state().scope, scope);
    waitForView();
    m_window->chart()->redrawNow();
}

void TestUiChart::seriesHoldTheCounts_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addRow("bucket follows the zoom") << qint64(0);
    QTest::addRow("fixed 2 s") << qint64(2000);
    QTest::addRow("fixed 10 s") << qint64(10000);
    QTest::addRow("fixed 1 min") << qint64(60000);
    QTest::addRow("fixed 5 min") << qint64(300000);
}

void TestUiChart::seriesHoldTheCounts()
{
    QFETCH(qint64, bucketMs);
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(bucketMs);
    chart->redrawNow();
    QVERIFY(!chart->frame().decimated);
    const qint64 bucket = chart->bucketMs();
    if (bucketMs)
        QCOMPARE(bucket, bucketMs);
    ChartAdapter &a = chart->adapter();
    const auto requests = steps(a.points(ChartAdapter::SeriesId::Requests), bucket);
    const auto rl = steps(a.points(ChartAdapter::SeriesId::RateLimited), bucket);
    const auto te = steps(a.points(ChartAdapter::SeriesId::ToolError), bucket);
    const auto un = steps(a.points(ChartAdapter::SeriesId::Unclassified), bucket);
    const auto expected = countBuckets(*m_session->store(), bucket);
    QVERIFY(!expected.empty());
    for (const BucketCounts &b : expected) {
        QVERIFY2(requests.count(b.startMs), qPrintable(QString::number(b.startMs)));
        QCOMPARE(requests.at(b.startMs), double(b.requests));
        // the areas are stacked: each series is the cumulative top of its source
        QCOMPARE(rl.at(b.startMs), double(b.rejected[0]));
        QCOMPARE(te.at(b.startMs) - rl.at(b.startMs), double(b.rejected[1]));
        QCOMPARE(un.at(b.startMs) - te.at(b.startMs), double(b.rejected[2]));
    }
    double total = 0;
    for (const auto &[start, v] : requests)
        total += v;
    QCOMPARE(total, double(m_session->store()->size())); // empty buckets hold zero
}

void TestUiChart::limitLineFollowsTheBucket()
{
    chooseScope(QStringLiteral("acme.scalekit.dev"));
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(10000);
    chart->redrawNow();
    const QList<QPointF> limit = chart->adapter().points(ChartAdapter::SeriesId::Limit);
    QCOMPARE(limit.size(), 2);
    QCOMPARE(limit[0].y(), 1.0); // 6 per minute is 1 per 10 s
    // the minute 10:01 holds 12 requests, over 6: its buckets are marked
    const auto over = steps(chart->adapter().points(ChartAdapter::SeriesId::OverLimit), 10000);
    QVERIFY(over.at(1767607260000) > 0);
    QCOMPARE(over.at(1767607200000), 0.0); // 10:00 holds 6: not over
}

void TestUiChart::limitBoxTakesTheCliGrammar_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<qint64>("requests"); // 0: no limit
    QTest::addColumn<qint64>("windowS");
    QTest::addColumn<QString>("shown"); // the box's text afterwards
    QTest::addColumn<double>("lineY"); // the limit line per 10 s bucket
    QTest::addRow("per minute") << "600" << qint64(600) << qint64(60) << "600" << 100.0;
    QTest::addRow("over 10 s, as summarize --limit 100/10s")
        << "100/10s" << qint64(100) << qint64(60 / 6) << "100/10s" << 100.0;
    QTest::addRow("over an hour, spaces allowed")
        << " 3600 / 1h " << qint64(3600) << qint64(3600) << "3600/1h" << 10.0;
    QTest::addRow("N/60s is per minute") << "30/60s" << qint64(30) << qint64(60) << "30" << 5.0;
    QTest::addRow("empty: none") << "" << qint64(0) << qint64(0) << "" << -1.0;
    QTest::addRow("not the grammar: the old limit stays")
        << "12/x" << qint64(6) << qint64(60) << "12/x" << 1.0;
}

// The window's limit was an integer per minute while the CLI takes N/W. The box
// now reads what --limit reads, with the same parser, and the limit reaches the session (so
// exports), the chart and the settings.
void TestUiChart::limitBoxTakesTheCliGrammar()
{
    QFETCH(QString, typed);
    QFETCH(qint64, requests);
    QFETCH(qint64, windowS);
    QFETCH(QString, shown);
    QFETCH(double, lineY);
    QLineEdit *box = m_window->chartToolBar()->limitBox();
    QCOMPARE(box->text(), QStringLiteral("6")); // from the settings
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, typed);
    if (typed.isEmpty())
        box->clear();
    QTest::keyClick(box, Qt::Key_Return);
    const auto limit = m_session->limit();
    QCOMPARE(limit.has_value(), requests > 0);
    if (limit) {
        QCOMPARE(qint64(limit->requests), requests);
        QCOMPARE(qint64(limit->windowS.value_or(-1)), windowS);
        QVERIFY(m_settings->limit() == limit); // remembered in the CLI's grammar
    } else {
        QVERIFY(!m_settings->limit());
    }
    QCOMPARE(box->text(), shown);
    // typed while all scopes are shown: the limit of every scope without its own, drawn once
    // one scope is chosen
    chooseScope(QStringLiteral("acme.scalekit.dev"));
    QCOMPARE(box->text(), shown);
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(10000);
    chart->redrawNow();
    const QList<QPointF> line = chart->adapter().points(ChartAdapter::SeriesId::Limit);
    if (lineY < 0) {
        QVERIFY(line.isEmpty());
    } else {
        QVERIFY(!line.isEmpty());
        QCOMPARE(line.front().y(), lineY);
    }
}

// Export ▸ Report of what is shown…: the dialog asks the incident gap and the headroom, and
// the report written uses them.
void TestUiChart::exportDialogOffersHeadroomAndMergeGap()
{
    const QString path = m_dir.filePath(QStringLiteral("dialog-report.json"));
    QFile::remove(path);
    bool answered = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *gap = dialog->findChild<QDoubleSpinBox *>(QStringLiteral("mergeGap"));
        auto *headroom = dialog->findChild<QSpinBox *>(QStringLiteral("headroom"));
        QVERIFY(gap && headroom);
        QCOMPARE(gap->value(), 5.0); // summarize's defaults
        QCOMPARE(headroom->value(), 30);
        gap->setValue(0.1);
        headroom->setValue(50);
        dialog->selectFile(path);
        answered = true;
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept, protected there
    });
    QSignalSpy requested(m_window->exportMenu(), &ExportMenu::exportRequested);
    QSignalSpy done(&m_session->exporter(), &ReportExporter::finished);
    QAction *report = nullptr;
    for (QAction *a : m_window->exportMenu()->actions())
        report = a->text().contains(QLatin1String("what is shown")) ? a : report;
    QVERIFY(report);
    report->trigger(); // the dialog's own event loop runs the single shot
    QVERIFY(answered);
    QCOMPARE(requested.size(), 1);
    const auto choices = requested.front().at(2).value<ExportChoices>();
    QCOMPARE(choices.mergeGapMinutes.value_or(-1), 0.1);
    QCOMPARE(choices.headroomPercent, 50);
    QVERIFY(done.count() > 0 || done.wait(10000));
    QCOMPARE(done.front().at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json.value(QLatin1String("limit_to_ask"))
                 .toObject()
                 .value(QLatin1String("headroom_percent"))
                 .toInt(),
        50);
    // a gap of 6 s splits gateway_mix's rejections into more incidents than 5 min does
    QVERIFY(json.value(QLatin1String("incidents")).toArray().size()
        > qsizetype(m_session->filter().view()->incidents.size()));
}

// View > Problems: gateway_mix's bad line and duplicate are listed; a click on the bad line
// shows it as it is in the file (read in a worker), the status bar points to the panel.
void TestUiChart::problemsPanelShowsTheRawLine()
{
    ProblemsPanel *panel = m_window->problems();
    QVERIFY(panel->isVisible());
    QCOMPARE(panel->summary()->text(), QStringLiteral("1 line skipped, 1 duplicate record"));
    QTableView *table = panel->table();
    QCOMPARE(table->model()->rowCount(), 2);
    QCOMPARE(table->model()->index(0, 1).data().toULongLong(), 27ull);
    const QRect cell = table->visualRect(table->model()->index(0, 2));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QFile file(kFixture);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray line27 = file.readAll().split('\n').at(26);
    if (line27.endsWith('\r'))
        line27.chop(1); // the fixture mixes line ends; the panel shows the line without it
    QTRY_COMPARE(panel->rawLine()->toPlainText(), QString::fromUtf8(line27));
    if (qEnvironmentVariableIsSet("RATESCOPE_SHOT")) // a look at it, by hand
        m_window->grab().save(qEnvironmentVariable("RATESCOPE_SHOT"));
}

void TestUiChart::clickOnABucketFiltersTheTable_data()
{
    QTest::addColumn<int>("source"); // -1: click above the stack (every record)
    QTest::addRow("click on the TOOL_ERROR band") << int(RejectionSource::ToolError);
    QTest::addRow("click on the RATE_LIMITED band") << int(RejectionSource::RateLimited);
    QTest::addRow("click above the stack") << -1;
}

void TestUiChart::clickOnABucketFiltersTheTable()
{
    QFETCH(int, source);
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(60000);
    chart->redrawNow();
    // the minute with the most records of that source (or the most requests)
    const auto buckets = countBuckets(*m_session->store(), 60000);
    auto weight = [source](const BucketCounts &b) {
        return source < 0 ? b.requests - b.rejectedTotal()
                          : b.rejected[std::size_t(sourceIndex(RejectionSource(source)))];
    };
    const BucketCounts *best = &buckets.front();
    for (const BucketCounts &b : buckets) {
        if (weight(b) > weight(*best))
            best = &b;
    }
    QVERIFY(weight(*best) > 0);
    double y = best->requests; // just under the requests line, above the stack
    if (source == int(RejectionSource::RateLimited))
        y = best->rejected[0] / 2.0;
    else if (source == int(RejectionSource::ToolError))
        y = best->rejected[0] + best->rejected[1] / 2.0;
    else
        y = (best->rejectedTotal() + best->requests) / 2.0;
    ChartAdapter &a = chart->adapter();
    const QPoint pos(int(a.xPosition(best->startMs + 30000)), int(a.yPosition(y)));
    QSignalSpy clicked(chart, &RateChart::bucketClicked);
    QTest::mouseClick(a.viewport(), Qt::LeftButton, {}, pos);
    QCOMPARE(clicked.count(), 1);

    EventTableModel *model = m_session->eventModel();
    QVERIFY(model->drillDown().active);
    const EventStore &store = *m_session->store();
    int expected = 0;
    for (std::size_t i = 0; i < store.size(); ++i) {
        expected += floorTo(store.timeMs(i), 60000) == best->startMs
            && (source < 0 || int(store.source(i)) == source);
    }
    QCOMPARE(model->rowCount(), expected);
    for (int r = 0; r < model->rowCount(); ++r) {
        const qint64 t = model->index(r, 0).data(EventTableModel::TimeMsRole).toLongLong();
        QCOMPARE(floorTo(t, 60000), best->startMs);
        if (source >= 0)
            QCOMPARE(model->index(r, 0).data(EventTableModel::SourceRole).toInt(), source);
    }
}

void TestUiChart::selectedRowShowsTheProviderMessage()
{
    EventTableModel *model = m_session->eventModel();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, 0).data(EventTableModel::SourceRole).toInt()
            == int(RejectionSource::ToolError))
            row = r;
    }
    QVERIFY(row >= 0);
    const QString message = model->index(row, EventTableModel::MessageColumn).data().toString();
    QVERIFY(!message.isEmpty());
    m_window->table()->selectRow(row);
    DetailPane *detail = m_window->detail();
    QTRY_VERIFY(detail->plainText().contains(message));
    // the message comes first, then the source and its guidance
    QVERIFY(detail->plainText().indexOf(message)
        < detail->plainText().indexOf(QLatin1String("TOOL_ERROR")));
    QVERIFY(detail->plainText().contains(
        m_session->rules().guidance(RejectionSource::ToolError, false).left(40)));
    // then the raw record, read in a worker, pretty-printed, with its file and line
    QTRY_VERIFY(detail->info().rawLoaded);
    QVERIFY(detail->plainText().contains(
        QStringLiteral("gateway_mix.ndjson:%1").arg(detail->info().line)));
    QVERIFY(detail->plainText().contains(QLatin1String("\"tool_error_info\"")));
}

// A record's reported limit is shown with its window (limits.md §3): Skytells' 3 per 10 s
// (x-skytells-ratelimit-window: 10s) reads "3/10s", not "3" as if per minute.
void TestUiChart::detailShowsTheReportedLimitWithItsWindow()
{
    EventTableModel *model = m_session->eventModel();
    const EventStore &store = *m_session->store();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        const int e = model->index(r, 0).data(EventTableModel::EventIndexRole).toInt();
        if (store.serverLimit(std::size_t(e)) > 0)
            row = r;
    }
    QVERIFY(row >= 0);
    m_window->table()->selectRow(row);
    DetailPane *detail = m_window->detail();
    QTRY_VERIFY(detail->plainText().contains(QLatin1String("Server limit")));
    QVERIFY2(detail->plainText().contains(QLatin1String("3/10s")), qPrintable(detail->plainText()));
}

// Issue 18, limits.md §4 and §5: a real OpenAI 429 ("on requests per min (RPM): Limit 3,
// Used 3, Requested 1", dd-trace-py's recording) says in the incidents panel that requests per
// minute bit, from its words; selected, the detail pane shows its own numbers under the message.
void TestUiChart::rejectionShowsItsOwnNumbers()
{
    openAndWait(QStringLiteral(
        RATESCOPE_FIXTURE_DIR "/llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml"));
    IncidentModel *incidents = m_session->incidentModel();
    QCOMPARE(incidents->rowCount(), 1);
    const QModelIndex binding = incidents->index(0, IncidentModel::BindingColumn);
    QCOMPARE(binding.data().toString(), QStringLiteral("requests/min — words"));
    QVERIFY2(binding.data(Qt::ToolTipRole).toString().contains(QLatin1String("openai-rpm")),
        qPrintable(binding.data(Qt::ToolTipRole).toString()));
    QCOMPARE(incidents->headerData(IncidentModel::BindingColumn, Qt::Horizontal).toString(),
        QStringLiteral("Limit that bit"));

    EventTableModel *model = m_session->eventModel();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, 0).data(EventTableModel::SourceRole).toInt()
            != int(RejectionSource::None))
            row = r;
    }
    QVERIFY(row >= 0);
    m_window->table()->selectRow(row);
    DetailPane *detail = m_window->detail();
    QTRY_VERIFY(detail->plainText().contains(QLatin1String("Requested")));
    const QString text = detail->plainText();
    QCOMPARE(detail->info().words.limit, std::optional<std::int64_t>(3));
    QCOMPARE(detail->info().words.used, std::optional<std::int64_t>(3));
    QCOMPARE(detail->info().words.requested, std::optional<std::int64_t>(1));
    // under the message: axis and window, Limit / Used / Requested, the form; then the
    // incident's binding
    for (const char *line : { "Its words name\nrequests per minute\n", "Limit\n3\n", "Used\n3\n",
             "Requested\n1\n", "Form\nopenai-rpm\n",
             "limit that bit first: requests per minute, from the words of the 429 (openai-rpm)" })
        QVERIFY2(text.contains(QLatin1String(line)), qPrintable(line + (" in:\n" + text)));
    QVERIFY(text.indexOf(QLatin1String("Requested")) > text.indexOf(QLatin1String("RPM")));
    QVERIFY(text.indexOf(QLatin1String("Requested")) < text.indexOf(QLatin1String("RATE_LIMITED")));

    // a new limit makes the view again for the bindings; the table keeps its rows, so the
    // selection and the detail stay
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    const quint64 before = m_session->filter().view()->generation;
    m_session->setLimitPerMinute(2);
    waitForView();
    QVERIFY(m_session->filter().view()->generation > before);
    QCOMPARE(reset.size(), 0);
    QVERIFY(detail->plainText().contains(QLatin1String("Requested")));

    // a message in no known form adds no table
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(EventTableModel::SourceRole).toInt()
            == int(RejectionSource::None)) {
            m_window->table()->selectRow(r);
            QTRY_VERIFY(!detail->plainText().contains(QLatin1String("Requested")));
            QVERIFY(!detail->plainText().contains(QLatin1String("Its words name")));
            QVERIFY(!detail->info().words.matched());
            break;
        }
    }
}

// The bundled demo with its limits (resources/demo/limits.json): Skytells' RATE_LIMITED
// incident is judged by the counts against its limit, the TOOL_ERROR ones are not known (an
// upstream provider's limit), and every row says what the report (buildSummary) says. Without a
// configured limit the view is made again: Scalekit's first incident is then not known (its
// responses report no limit), Skytells' is judged against the limit its responses reported.
void TestUiChart::incidentsSayWhichLimitBit_data()
{
    QTest::addColumn<bool>("configured");
    QTest::addColumn<QString>("scalekitFirst");
    QTest::addRow("limits.json") << true << QStringLiteral("requests/min — counts");
    QTest::addRow("reported limits only") << false << QStringLiteral("—");
}

void TestUiChart::incidentsSayWhichLimitBit()
{
    QFETCH(bool, configured);
    QFETCH(QString, scalekitFirst);
    QFile file(QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/limits.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString error;
    const std::vector<LimitEntry> limits = parseLimitsJson(file.readAll(), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_session->setLimits(limits);
    openAndWait(QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz"));
    if (!configured) {
        m_session->setLimits({}); // the view is made again: only the bindings change
        QVERIFY(!m_session->isSettled());
        waitForView();
    }
    IncidentModel *model = m_session->incidentModel();
    SummaryScoping scoping;
    scoping.limits = m_session->limits();
    const Summary summary
        = buildSummary(*m_session->store(), {}, std::nullopt, 5.0, nullptr, scoping);
    QCOMPARE(model->rowCount(), int(summary.incidents.size()));
    int skytellsRows = 0, toolErrorRows = 0, scalekitRows = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString text = model->index(r, IncidentModel::BindingColumn).data().toString();
        QCOMPARE(text, bindingShortText(summary.incidents[std::size_t(r)].binding));
        const auto source
            = RejectionSource(model->index(r, 0).data(IncidentModel::SourceRole).toInt());
        const QString scope = model->index(r, 0).data(IncidentModel::ScopeRole).toString();
        if (scope == QLatin1String("api.skytells.ai") && source == RejectionSource::RateLimited) {
            ++skytellsRows;
            QCOMPARE(text, QStringLiteral("requests/min — counts"));
        }
        if (scope == QLatin1String("acme.scalekit.dev") && source == RejectionSource::RateLimited
            && scalekitRows++ == 0)
            QCOMPARE(text, scalekitFirst);
        if (source == RejectionSource::ToolError) {
            ++toolErrorRows;
            QCOMPARE(text, QStringLiteral("—"));
            QVERIFY(model->index(r, IncidentModel::BindingColumn)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(QLatin1String("not known")));
        }
    }
    QCOMPARE(skytellsRows, 1);
    QVERIFY(toolErrorRows > 0);
    QVERIFY(scalekitRows > 0);
}

void TestUiChart::incidentZoomsAndFilters()
{
    IncidentModel *incidents = m_session->incidentModel();
    QCOMPARE(incidents->rowCount(), 3); // Scalekit's, Skytells', the tool call log's
    const qint64 start = incidents->index(1, 0).data(IncidentModel::StartMsRole).toLongLong();
    const qint64 end = incidents->index(1, 0).data(IncidentModel::EndMsRole).toLongLong();
    const QRect cell = m_window->incidents()->view()->visualRect(incidents->index(1, 0));
    QTest::mouseClick(m_window->incidents()->view()->viewport(), Qt::LeftButton, {}, cell.center());
    RateChart *chart = m_window->chart();
    QVERIFY(chart->visibleFromMs() <= start && chart->visibleToMs() >= end);
    QVERIFY(chart->visibleToMs() - chart->visibleFromMs() < 10 * 60000); // zoomed in
    EventTableModel *model = m_session->eventModel();
    const EventStore &store = *m_session->store();
    int expected = 0;
    for (std::size_t i = 0; i < store.size(); ++i)
        expected += store.timeMs(i) >= start && store.timeMs(i) <= end;
    QCOMPARE(model->rowCount(), expected);

    // Export ▸ Incident… and the right-click export take the clicked incident's minutes
    const auto range = m_window->incidents()->selectedRange();
    QVERIFY(range.has_value());
    QCOMPARE(range->first, start / 60000 * 60000);
    QCOMPARE(range->second, end / 60000 * 60000 + 60000);
}

void TestUiChart::exportIncidentNeedsASelection()
{
    QVERIFY(!m_window->incidents()->selectedRange().has_value());
    QSignalSpy messages(m_window->exportMenu(), &ExportMenu::message);
    QSignalSpy requested(m_window->exportMenu(), &ExportMenu::exportRequested);
    QAction *incident = nullptr;
    for (QAction *a : m_window->exportMenu()->actions())
        incident = a->text().contains(QLatin1String("Incident")) ? a : incident;
    QVERIFY(incident);
    incident->trigger();
    QCOMPARE(messages.size(), 1); // says what to do, asks nothing
    QVERIFY(messages.front().front().toString().contains(QLatin1String("Select an incident")));
    QCOMPARE(requested.size(), 0);
}

void TestUiChart::legendTogglesASource()
{
    QToolButton *button = m_window->legend()->sourceButton(RejectionSource::RateLimited);
    button->click();
    QVERIFY(!m_session->filter().state().sourceEnabled(RejectionSource::RateLimited));
    waitForView(); // a small view may be ready before click() returns
    const auto rl = m_window->chart()->adapter().points(ChartAdapter::SeriesId::RateLimited);
    QVERIFY(!rl.isEmpty());
    for (const QPointF &p : rl)
        QCOMPARE(p.y(), 0.0);
    EventTableModel *model = m_session->eventModel();
    QCOMPARE(model->rowCount(), 32 - 9);
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY(model->index(r, 0).data(EventTableModel::SourceRole).toInt()
            != int(RejectionSource::RateLimited));
    button->click();
    waitForView();
    QCOMPARE(model->rowCount(), 32);
}

void TestUiChart::wheelDragAndDoubleClick()
{
    RateChart *chart = m_window->chart();
    ChartAdapter &a = chart->adapter();
    const qint64 from0 = chart->visibleFromMs(), to0 = chart->visibleToMs();
    const QPoint centre = a.plotArea().center().toPoint();
    QWheelEvent wheel(centre, a.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 240),
        Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(a.viewport(), &wheel);
    QVERIFY(chart->visibleToMs() - chart->visibleFromMs() < to0 - from0);
    chart->redrawNow();
    const qint64 zoomedFrom = chart->visibleFromMs(), span = chart->visibleToMs() - zoomedFrom;

    // drag 100 px to the right: the content follows, the range moves back in time
    QTest::mousePress(a.viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseMove(a.viewport(), centre + QPoint(50, 0));
    QTest::mouseMove(a.viewport(), centre + QPoint(100, 0));
    QTest::mouseRelease(a.viewport(), Qt::LeftButton, {}, centre + QPoint(100, 0));
    QVERIFY(chart->visibleFromMs() < zoomedFrom);
    QCOMPARE(chart->visibleToMs() - chart->visibleFromMs(), span);

    // Shift+drag selects a range to zoom to
    const QPoint left = centre - QPoint(60, 0), right = centre + QPoint(60, 0);
    const double t1 = a.timeAt(left.x()), t2 = a.timeAt(right.x());
    QTest::mousePress(a.viewport(), Qt::LeftButton, Qt::ShiftModifier, left);
    QTest::mouseMove(a.viewport(), centre);
    QTest::mouseMove(a.viewport(), right);
    QTest::mouseRelease(a.viewport(), Qt::LeftButton, Qt::ShiftModifier, right);
    QVERIFY(std::abs(double(chart->visibleFromMs()) - t1) < 1000
        || chart->visibleToMs() - chart->visibleFromMs() == 5000);
    QVERIFY(chart->visibleToMs() <= qint64(t2) + 5000);

    QTest::mouseDClick(a.viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(chart->visibleFromMs(), from0);
    QCOMPARE(chart->visibleToMs(), to0);
}

void TestUiChart::categoriesAreHatchedAndCounted_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addRow("1 s") << qint64(1000);
    QTest::addRow("10 s") << qint64(10000);
    QTest::addRow("1 min") << qint64(60000);
}

void TestUiChart::categoriesAreHatchedAndCounted()
{
    // the real gateway responses (limits.md §7): QUOTA 429s hatched over the 429s they are
    // part of, OVERLOADED and HIDDEN_THROTTLE answers stacked above them, each counted
    QFETCH(qint64, bucketMs);
    openAndWait(
        writeFile(QDir(m_dir.path()), QStringLiteral("gateways.ndjson"), gatewayCasesLog()));
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(bucketMs);
    chart->resetZoom();
    chart->redrawNow();
    QVERIFY(!chart->frame().decimated);
    ChartAdapter &a = chart->adapter();
    const auto top = steps(a.points(ChartAdapter::SeriesId::Unclassified), bucketMs);
    const auto quotaBase = steps(a.points(ChartAdapter::SeriesId::QuotaBase), bucketMs);
    const auto overloaded = steps(a.points(ChartAdapter::SeriesId::Overloaded), bucketMs);
    const auto hidden = steps(a.points(ChartAdapter::SeriesId::HiddenThrottle), bucketMs);
    const auto expected = countBuckets(*m_session->store(), bucketMs);
    std::array<qint64, kThrottleCategoryCount> total {};
    for (const BucketCounts &b : expected) {
        const qint64 t = b.startMs;
        QVERIFY2(top.count(t) && quotaBase.count(t) && overloaded.count(t) && hidden.count(t),
            qPrintable(QString::number(t)));
        QCOMPARE(top.at(t), double(b.rejectedTotal()));
        QCOMPARE(top.at(t) - quotaBase.at(t), double(b.throttled[0]));
        QCOMPARE(overloaded.at(t) - top.at(t), double(b.throttled[1]));
        QCOMPARE(hidden.at(t) - overloaded.at(t), double(b.throttled[2]));
        for (std::size_t k = 0; k < total.size(); ++k)
            total[k] += b.throttled[k];
    }
    // the store's own categories, counted one by one
    std::array<qint64, kThrottleCategoryCount> byEvent {};
    for (std::size_t i = 0; i < m_session->store()->size(); ++i) {
        if (const ThrottleCategory c = m_session->store()->category(i); c != ThrottleCategory::None)
            ++byEvent[std::size_t(categoryIndex(c))];
    }
    QCOMPARE(total, byEvent);
    QVERIFY(byEvent[0] > 0 && byEvent[1] > 0 && byEvent[2] > 0);
    // the legend names each with its count; the hover says it for the bucket
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        const ThrottleCategory c = categoryFromIndex(k);
        QToolButton *entry = m_window->legend()->categoryEntry(c);
        QVERIFY(entry->isVisible());
        QCOMPARE(entry->text(),
            QStringLiteral("%1  %2").arg(categoryName(c).data()).arg(byEvent[std::size_t(k)]));
    }
    for (const BucketCounts &b : expected) {
        if (b.throttled[1] == 0)
            continue;
        const QPointF pos(
            a.xPosition(double(b.startMs) + double(bucketMs) / 2), a.plotArea().center().y());
        const QString tip = chart->toolTipAt(pos);
        QVERIFY2(tip.contains(QStringLiteral("OVERLOADED (the service's trouble): <b>%1</b>")
                                  .arg(b.throttled[1])),
            qPrintable(tip));
        break;
    }
    // a log without one of them hides its entry again (gateway_mix has no hidden throttle)
    openAndWait(kFixture);
    QVERIFY(!m_window->legend()->categoryEntry(ThrottleCategory::HiddenThrottle)->isVisible());
    QVERIFY(m_window->legend()->categoryEntry(ThrottleCategory::Overloaded)->isVisible());
}

void TestUiChart::hoverShowsTheBucketCounts()
{
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(60000);
    chart->redrawNow();
    const auto buckets = countBuckets(*m_session->store(), 60000);
    const BucketCounts *best = &buckets.front();
    for (const BucketCounts &b : buckets) {
        if (b.rejectedTotal() > best->rejectedTotal())
            best = &b;
    }
    ChartAdapter &a = chart->adapter();
    const QPointF pos(a.xPosition(best->startMs + 30000), a.plotArea().center().y());
    const QString tip = chart->toolTipAt(pos);
    QVERIFY2(
        tip.contains(QStringLiteral("requests: <b>%1</b>").arg(best->requests)), qPrintable(tip));
    for (int k = 0; k < 3; ++k) {
        const QString name = QString::fromLatin1(sourceName(sourceFromIndex(k)).data());
        QVERIFY2(tip.contains(
                     QStringLiteral("%1: <b>%2</b>").arg(name).arg(best->rejected[std::size_t(k)])),
            qPrintable(tip));
    }
    // the limit is drawn (and its minutes marked) over one API: 10:01 holds 12 Scalekit
    // requests, over the limit of 6
    QVERIFY2(!tip.contains(QLatin1String("over the limit")), qPrintable(tip));
    chooseScope(QStringLiteral("acme.scalekit.dev"));
    QVERIFY(chart->toolTipAt(pos).contains(QLatin1String("over the limit")));
    QVERIFY(chart->toolTipAt(QPointF(-10, -10)).isEmpty());
}

void TestUiChart::filterBarSearchFilters()
{
    QLineEdit *edit = m_window->filterBar()->textEdit();
    QSignalSpy changed(&m_session->filter(), &FilterController::changed);
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("user-rate"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_session->filter().state().text, QStringLiteral("user-rate"));
    waitForView();
    EventTableModel *model = m_session->eventModel();
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY(model->index(r, EventTableModel::MessageColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("User-rate")));
    QVERIFY(changed.count() >= 1);
}

void TestUiChart::droppedFilesAreOpened()
{
    const QString other = QStringLiteral(
        RATESCOPE_FIXTURE_DIR "/samples/pygithub_SpecificExceptions.testRateLimitExceeded.txt");
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(other) });
    const QPoint centre = m_window->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    QCOMPARE(m_session->loadResult()->paths, QStringList { other });
    waitForView();
    QVERIFY(m_session->eventModel()->rowCount() > 0);
    QVERIFY(m_window->windowTitle().contains(QLatin1String("pygithub")));
}

void TestUiChart::themeSwitchKeepsTheData()
{
    const auto before = m_window->chart()->adapter().points(ChartAdapter::SeriesId::Requests);
    m_window->applyTheme(int(ThemeMode::Dark));
    QVERIFY(m_theme->isDark());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    QCOMPARE(m_settings->theme(), ThemeMode::Dark); // remembered
    m_window->chart()->redrawNow();
    QCOMPARE(m_window->chart()->adapter().points(ChartAdapter::SeriesId::Requests), before);
    m_window->applyTheme(int(ThemeMode::Light));
    QVERIFY(!m_theme->isDark());
}

void TestUiChart::desktopThemeChangeIsFollowedOnlyInSystemMode()
{
    // forced dark: the desktop changing its theme changes nothing
    m_window->applyTheme(int(ThemeMode::Dark));
    QEvent change(QEvent::ThemeChange);
    QApplication::sendEvent(m_window.get(), &change);
    QVERIFY(m_theme->isDark());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    // following the system: the palette is the platform's answer now (offscreen: light),
    // asked again on each change
    m_window->applyTheme(int(ThemeMode::System));
    QApplication::sendEvent(m_window.get(), &change);
    QCOMPARE(m_theme->mode(), ThemeMode::System);
    QVERIFY(!m_theme->isDark());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() >= 128);
    QCOMPARE(m_settings->theme(), ThemeMode::System);
}

void TestUiChart::requestsAsBarsIsRemembered()
{
    ChartAdapter &adapter = m_window->chart()->adapter();
    QVERIFY(!adapter.requestsAsBars());
    m_window->chartToolBar()->barsAction()->trigger();
    QVERIFY(adapter.requestsAsBars());
    QVERIFY(m_settings->requestsAsBars());
    // the bars are the requests' steps, filled: same points as the line
    m_window->chart()->redrawNow();
    QCOMPARE(adapter.points(ChartAdapter::SeriesId::RequestBars),
        adapter.points(ChartAdapter::SeriesId::Requests));
    m_window->chartToolBar()->barsAction()->trigger();
    QVERIFY(!adapter.requestsAsBars());
    QVERIFY(!m_settings->requestsAsBars());
    QVERIFY(adapter.points(ChartAdapter::SeriesId::RequestBars).isEmpty());
}

void TestUiChart::utcToggleIsRemembered()
{
    QAction *utc = m_window->chartToolBar()->utcAction();
    QVERIFY(utc->isChecked());
    utc->trigger();
    QCOMPARE(
        m_session->eventModel()->headerData(EventTableModel::TimeColumn, Qt::Horizontal).toString(),
        QStringLiteral("Time (local)"));
    QVERIFY(!m_settings->utc());
    utc->trigger();
    QVERIFY(m_settings->utc());
}

void TestUiChart::reportsUseTheWindowsColours_data()
{
    QTest::addColumn<int>("source");
    for (RejectionSource src :
        { RejectionSource::RateLimited, RejectionSource::ToolError, RejectionSource::Unclassified })
        QTest::addRow("%s", std::string(sourceName(src)).c_str()) << int(src);
}

// The report chart and the HTML chips (sourceRgb, base/palette.h: no QtGui there) show each
// source in the window's colour.
void TestUiChart::reportsUseTheWindowsColours()
{
    QFETCH(int, source);
    QCOMPARE(QColor::fromRgba(sourceRgb(RejectionSource(source))),
        SourcePalette::color(RejectionSource(source)));
}

QTEST_MAIN(TestUiChart)
// The scope list beside the chart: All scopes, then each API with its requests and 429s, most
// rejections first, counted here from the store by host.
void TestUiChart::scopeListCountsEachApi()
{
    const EventStore &store = *m_session->store();
    std::map<QString, std::pair<int, int>> counted; // scope -> requests, 429s
    for (std::size_t i = 0; i < store.size(); ++i) {
        auto &c = counted[QString::fromStdString(scopeHostOf(store.endpoint(i)))];
        ++c.first;
        c.second += store.isRejection(i) ? 1 : 0;
    }
    QVERIFY(counted.size() > 1);
    ScopeList *list = m_window->scopeList();
    QVERIFY(list->isVisible());
    const QStringList shown = list->shownScopes();
    QCOMPARE(shown.size(), qsizetype(counted.size() + 1));
    QCOMPARE(shown.front(), QString()); // All scopes first
    int lastRejected = INT_MAX;
    for (int row = 1; row < shown.size(); ++row) {
        QTreeWidgetItem *item = list->tree()->topLevelItem(row);
        const auto &[requests, rejected] = counted.at(shown[row]);
        QCOMPARE(item->text(1), QLocale().toString(requests));
        QCOMPARE(item->text(2), QLocale().toString(rejected));
        QVERIFY(rejected <= lastRejected);
        lastRejected = rejected;
    }
    QCOMPARE(shown.at(1), QStringLiteral("acme.scalekit.dev")); // 10 of the fixture's 429s
    // choosing one shows that API's records only
    chooseScope(QStringLiteral("api.skytells.ai"));
    QCOMPARE(
        m_session->eventModel()->rowCount(), counted.at(QStringLiteral("api.skytells.ai")).first);
    chooseScope(QString());
    QCOMPARE(m_session->eventModel()->rowCount(), int(store.size()));
}

// The total of several APIs has no single limit: no line, and the chart says why. One scope
// shows its own limit and the one its responses reported (Skytells: 3 per 10 s), no other.
void TestUiChart::allScopesDrawNoLimitAndSayWhy()
{
    RateChart *chart = m_window->chart();
    chart->setFixedBucketMs(10000);
    chart->redrawNow();
    QVERIFY(chart->adapter().points(ChartAdapter::SeriesId::Limit).isEmpty());
    QVERIFY(chart->adapter().points(ChartAdapter::SeriesId::ServerLimit).isEmpty());
    QVERIFY2(chart->limitNote().contains(QLatin1String("no limit line")),
        qPrintable(chart->limitNote()));
    QCOMPARE(m_window->chartToolBar()
                 ->findChild<QLabel *>(QStringLiteral("limitLabel"))
                 ->text()
                 .trimmed(),
        QStringLiteral("Limit (every scope)"));

    chooseScope(QStringLiteral("api.skytells.ai"));
    QVERIFY(chart->limitNote().isEmpty());
    QVERIFY(chart->drawnServerWindowS() == std::optional<qint64>(10));
    const QList<QPointF> server = chart->adapter().points(ChartAdapter::SeriesId::ServerLimit);
    QVERIFY(!server.isEmpty());
    QCOMPARE(server.front().y(), 3.0); // 3 per 10 s, in 10 s buckets
    QCOMPARE(chart->adapter().points(ChartAdapter::SeriesId::Limit).front().y(), 1.0); // 6/min

    chooseScope(QStringLiteral("acme.scalekit.dev")); // reported nothing: no dashed line
    QVERIFY(chart->adapter().points(ChartAdapter::SeriesId::ServerLimit).isEmpty());
    QVERIFY(!chart->drawnServerWindowS());
}

// A limit typed with a scope shown is that scope's; the others keep theirs; it is remembered.
void TestUiChart::eachScopeRemembersItsLimit()
{
    QLineEdit *box = m_window->chartToolBar()->limitBox();
    chooseScope(QStringLiteral("api.skytells.ai"));
    QCOMPARE(box->text(), QStringLiteral("6")); // every scope's, until it has its own
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("3/10s"));
    QTest::keyClick(box, Qt::Key_Return);
    QVERIFY(m_session->limitFor(QStringLiteral("api.skytells.ai"))
        == parseLimitSpec(QStringLiteral("3/10s"), nullptr));
    chooseScope(QStringLiteral("acme.scalekit.dev"));
    QCOMPARE(box->text(), QStringLiteral("6"));
    chooseScope(QStringLiteral("api.skytells.ai"));
    QCOMPARE(box->text(), QStringLiteral("3/10s"));

    UiSettings reread(m_dir.filePath(QStringLiteral("ui.ini")));
    QStringList texts;
    for (const LimitEntry &e : reread.limits())
        texts << limitEntryText(e);
    texts.sort();
    QCOMPARE(texts, (QStringList { QStringLiteral("6"), QStringLiteral("api.skytells.ai:3/10s") }));
}

// Choosing an incident while all scopes are shown selects its API.
void TestUiChart::incidentSelectsItsScope()
{
    IncidentModel *model = m_session->incidentModel();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(IncidentModel::ScopeRole).toString()
            == QLatin1String("api.skytells.ai"))
            row = r;
    }
    QVERIFY(row >= 0);
    m_window->incidents()->activateRow(row);
    QCOMPARE(m_session->filter().state().scope, QStringLiteral("api.skytells.ai"));
    QCOMPARE(
        m_window->scopeList()->tree()->currentItem()->text(0), QStringLiteral("api.skytells.ai"));
    waitForView();
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, 0).data(IncidentModel::ScopeRole).toString(),
            QStringLiteral("api.skytells.ai"));
}

// Configured against reported (limits.md §6), as a banner over the scope shown.
void TestUiChart::driftBannerComparesWithTheReportedLimit()
{
    WarningBanner *banner = m_window->driftBanner();
    chooseScope(QStringLiteral("api.skytells.ai"));
    QVERIFY(!banner->isVisible()); // 6/min is not over the reported 10 s window: no comparison
    QLineEdit *box = m_window->chartToolBar()->limitBox();
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("5/10s"));
    QTest::keyClick(box, Qt::Key_Return);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QLatin1String(
                 "api.skytells.ai: the limit set here is 5/10s, its responses report 3/10s")),
        qPrintable(banner->text()));
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("3/10s"));
    QTest::keyClick(box, Qt::Key_Return);
    QVERIFY(!banner->isVisible());
}

#include "tst_ui_chart.moc"
