#include "mainwindow.h"

#include "appicon.h"
#include "charttoolbar.h"
#include "desktopnotifier.h"
#include "detailpane.h"
#include "enginechartfeed.h"
#include "enginepanelsfeed.h"
#include "eventtableview.h"
#include "exportmenu.h"
#include "filedropfilter.h"
#include "filterbar.h"
#include "incidentspanel.h"
#include "legendbar.h"
#include "livestatus.h"
#include "loadprogress.h"
#include "model/limitdrifttext.h"
#include "model/session.h"
#include "model/whatifmodel.h"
#include "problemspanel.h"
#include "ratechart.h"
#include "recentfilesmenu.h"
#include "render/chartdrawing.h"
#include "scopelist.h"
#include "statusinfo.h"
#include "theme.h"
#include "uisettings.h"
#include "warningbanner.h"
#include "watchmenu.h"
#include "whatifpanel.h"

#include <QAbstractButton>
#include <QActionGroup>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include <functional>

MainWindow::MainWindow(Session &session, UiSettings &settings, Theme &theme, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_settings(settings)
    , m_theme(theme)
    , m_toolBar(new ChartToolBar(this))
    , m_filterBar(new FilterBar(this))
    , m_legend(new LegendBar(this))
    , m_chart(new RateChart(this))
    , m_incidents(new IncidentsPanel(session.incidentModel(), this))
    , m_table(new EventTableView(this))
    , m_detail(new DetailPane(this))
    , m_status(new StatusInfo(this))
    , m_progress(new LoadProgress(session.loader(), this))
    , m_recent(new RecentFilesMenu(settings, this))
    , m_watch(new WatchMenu(settings, this))
    , m_export(new ExportMenu(m_chart, m_incidents, this))
    , m_liveStatus(new LiveStatus(this))
    , m_banner(new WarningBanner(this))
    , m_drift(new WarningBanner(this))
    , m_scopes(new ScopeList(this))
    , m_notifier(new DesktopNotifier(this))
    , m_problems(new ProblemsPanel(session.problemModel(), session.rawLines(), this))
    , m_whatIfModel(new WhatIfModel(this))
    , m_whatIf(new WhatIfPanel(*m_whatIfModel, this))
    , m_vertical(new QSplitter(Qt::Vertical, this))
    , m_bottom(new QSplitter(Qt::Horizontal, this))
    , m_lists(new QSplitter(Qt::Vertical, this))
    , m_top(new QSplitter(Qt::Horizontal, this))
{
    setWindowTitle(tr("RateScope"));
    setWindowIcon(appIcon());
    addToolBar(m_toolBar);
    m_table->setEventModel(session.eventModel());

    m_drift->setObjectName(QStringLiteral("driftBanner"));
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(0);
    topLayout->addWidget(m_filterBar);
    topLayout->addWidget(m_legend);
    topLayout->addWidget(m_banner);
    topLayout->addWidget(m_drift);
    // the API scopes beside the chart (shown when the data holds several)
    m_top->addWidget(m_scopes);
    m_top->addWidget(m_chart);
    m_top->setStretchFactor(1, 1);
    m_top->setSizes({ 260, 1140 });
    topLayout->addWidget(m_top, 1);
    m_lists->addWidget(m_incidents);
    m_lists->addWidget(m_table);
    m_lists->setStretchFactor(1, 3);
    m_lists->setSizes({ 150, 330 });
    m_bottom->addWidget(m_lists);
    m_bottom->addWidget(m_detail);
    m_bottom->setStretchFactor(0, 3);
    m_bottom->setStretchFactor(1, 2);
    m_vertical->addWidget(top);
    m_vertical->addWidget(m_bottom);
    m_vertical->setStretchFactor(0, 5);
    m_vertical->setStretchFactor(1, 4);
    m_vertical->setSizes({ 500, 400 });
    setCentralWidget(m_vertical);
    addDockWidget(Qt::BottomDockWidgetArea, m_problems);
    // The Problems panel takes room only when there is something in it: it opens itself when a
    // load skipped lines or failed an input, and View ▸ Problems (Ctrl+Shift+E) shows it anytime.
    m_problems->hide();
    connect(session.problemModel(), &QAbstractItemModel::modelReset, m_problems, [this] {
        if (m_problems->table()->model()->rowCount() > 0)
            m_problems->show();
    });
    // View ▸ What if (Ctrl+Shift+W): replays the scope against another limit while it is shown
    addDockWidget(Qt::BottomDockWidgetArea, m_whatIf);
    m_whatIf->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_liveStatus);
    statusBar()->addPermanentWidget(m_progress);

    createMenus();
    connectSession();
    connectLive();
    restoreLayout();
    connect(new FileDropFilter(this), &FileDropFilter::filesDropped, &session, &Session::open);
}

void MainWindow::showEngineTable(EngineChartFeed *chart, EnginePanelsFeed *panels)
{
    m_filterBar->hide();
    // one status line for both: what the chart drew, then what the panels did
    auto statuses = std::make_shared<std::pair<QString, QString>>();
    auto show = [this, statuses] {
        const QString &a = statuses->first, &b = statuses->second;
        statusBar()->showMessage(
            a.isEmpty() || b.isEmpty() ? a + b : a + QStringLiteral(" · ") + b);
    };
    connect(chart, &EngineChartFeed::statusChanged, this, [statuses, show](const QString &text) {
        statuses->first = text;
        show();
    });
    connect(panels, &EnginePanelsFeed::statusChanged, this, [statuses, show](const QString &text) {
        statuses->second = text;
        show();
    });
    connect(panels, &EnginePanelsFeed::failed, m_banner, &WarningBanner::showText);
    connect(chart, &EngineChartFeed::passwordGiven, panels, &EnginePanelsFeed::setPassword);
    connect(chart, &EngineChartFeed::frameShown, panels, &EnginePanelsFeed::start,
        Qt::SingleShotConnection);
}

MainWindow::~MainWindow()
{
    // Closing takes the focus from the limit box, and its editingFinished would reach this
    // window's slots from QWidget's destructor, when MainWindow is gone (UBSan saw it in
    // tst_ui_live): stop listening to the tool bar first.
    disconnect(m_toolBar, nullptr, nullptr, nullptr);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open logs"), QString(),
            tr("Logs (*.ndjson *.jsonl *.json *.har *.yaml *.yml *.httprr *.txt *.log *.gz);;All "
               "files (*)"));
        if (!paths.isEmpty())
            m_session.open(paths);
    });
    file->addMenu(m_recent);
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, [this] {
        if (m_session.loadResult())
            m_session.open(m_session.loadResult()->paths);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    connect(m_recent, &RecentFilesMenu::openRequested, &m_session, &Session::open);
    menuBar()->addMenu(m_watch);
    menuBar()->addMenu(m_export);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, m_chart, &RateChart::zoomIn);
    view->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, m_chart, &RateChart::zoomOut);
    view->addAction(
        tr("&Reset zoom"), QKeySequence(QStringLiteral("Ctrl+0")), m_chart, &RateChart::resetZoom);
    view->addAction(tr("Pan &left"), QKeySequence(QStringLiteral("Alt+Left")), m_chart,
        [this] { m_chart->panBy(-0.25); });
    view->addAction(tr("Pan r&ight"), QKeySequence(QStringLiteral("Alt+Right")), m_chart,
        [this] { m_chart->panBy(0.25); });
    view->addSeparator();
    QAction *problems = m_problems->toggleViewAction();
    problems->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    view->addAction(problems);
    QAction *whatIf = m_whatIf->toggleViewAction();
    whatIf->setText(tr("&What if…"));
    whatIf->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+W")));
    view->addAction(whatIf);
    view->addAction(m_toolBar->utcAction());
    view->addAction(m_toolBar->barsAction());
    QMenu *axis = view->addMenu(tr("Chart &axis"));
    for (LimitAxis a : { LimitAxis::Requests, LimitAxis::Tokens, LimitAxis::InputTokens,
             LimitAxis::OutputTokens, LimitAxis::Concurrency })
        axis->addAction(m_toolBar->axisAction(a));
    view->addAction(tr("&Search"), QKeySequence::Find, this, [this] {
        m_filterBar->textEdit()->setFocus();
        m_filterBar->textEdit()->selectAll();
    });
    view->addAction(tr("Set &limit"), QKeySequence(QStringLiteral("Ctrl+L")), this, [this] {
        m_toolBar->limitBox()->setFocus();
        m_toolBar->limitBox()->selectAll();
    });
    view->addAction(tr("&Clear filter"), QKeySequence(QStringLiteral("Ctrl+Shift+X")), m_filterBar,
        &FilterBar::clear);
    view->addAction(tr("Show &all records"), QKeySequence(QStringLiteral("Ctrl+E")), this,
        [this] { m_session.eventModel()->setDrillDown(DrillDown {}); });
    QMenu *themes = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    const std::pair<ThemeMode, QString> modes[] = { { ThemeMode::System, tr("Follow the &system") },
        { ThemeMode::Light, tr("&Light") }, { ThemeMode::Dark, tr("&Dark") } };
    for (const auto &[mode, text] : modes) {
        QAction *a = themes->addAction(text, this, [this, m = mode] { applyTheme(int(m)); });
        a->setCheckable(true);
        a->setChecked(mode == m_theme.mode());
        group->addAction(a);
    }
    auto *clearDrill = new QShortcut(
        QKeySequence(Qt::Key_Escape), m_table, nullptr, nullptr, Qt::WidgetShortcut);
    clearDrill->setWhatsThis(tr("Show all records again (in the table)"));
    connect(clearDrill, &QShortcut::activated, this,
        [this] { m_session.eventModel()->setDrillDown(DrillDown {}); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this,
        [this] { QMessageBox::information(this, tr("Keyboard shortcuts"), shortcutHelp()); });
}

QString MainWindow::shortcutHelp() const
{
    // read from the actions, buttons and shortcuts themselves, so that it cannot go stale
    const auto keys = [](const QList<QKeySequence> &sequences) {
        QStringList texts;
        for (const QKeySequence &k : sequences)
            texts << k.toString(QKeySequence::NativeText).toHtmlEscaped();
        return texts.join(QStringLiteral(" / "));
    };
    const auto row = [](const QString &keys, const QString &text) {
        return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(keys, text.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table>");
    std::function<void(const QMenu *)> addMenu = [&](const QMenu *menu) {
        for (const QAction *a : menu->actions()) {
            if (a->menu())
                addMenu(a->menu());
            else if (!a->shortcuts().isEmpty())
                html += row(keys(a->shortcuts()),
                    a->isCheckable() && !a->actionGroup() ? tr("%1 (on / off)").arg(a->iconText())
                                                          : a->iconText());
        }
    };
    for (const QAction *top : menuBar()->actions()) {
        if (top->menu())
            addMenu(top->menu());
    }
    for (const QAbstractButton *b : m_legend->findChildren<QAbstractButton *>()) {
        if (!b->shortcut().isEmpty())
            html += row(keys({ b->shortcut() }), tr("show / hide %1").arg(b->text()));
    }
    for (const QShortcut *s : findChildren<QShortcut *>())
        html += row(keys({ s->key() }), s->whatsThis());
    return html
        + tr("</table><p>Chart: wheel zooms, drag pans, Shift+drag or right-drag "
             "selects a range, double-click resets, click lists a bucket's records.</p>");
}

void MainWindow::connectSession()
{
    FilterController &filter = m_session.filter();
    EventTableModel *events = m_session.eventModel();
    connect(&filter, &FilterController::changed, m_legend, &LegendBar::setFilter);
    connect(&filter, &FilterController::changed, m_filterBar, &FilterBar::setState);
    connect(&filter, &FilterController::busyChanged, m_status, &StatusInfo::setBusy);
    connect(&filter, &FilterController::viewReady, m_chart, &RateChart::setView);
    connect(&filter, &FilterController::viewReady, m_status, &StatusInfo::setView);
    connect(&filter, &FilterController::viewReady, m_legend,
        [this](std::shared_ptr<const FilteredView> v) { m_legend->setCounts(*v); });
    connect(m_legend, &LegendBar::sourceToggled, &filter, &FilterController::setSourceEnabled);
    connect(m_scopes, &ScopeList::scopeChosen, &filter, &FilterController::setScope);
    connect(&filter, &FilterController::changed, m_scopes,
        [this](const FilterState &state) { m_scopes->setCurrentScope(state.scope); });
    connect(&filter, &FilterController::viewReady, this, &MainWindow::showDrift);
    connect(&filter, &FilterController::viewReady, m_whatIfModel, &WhatIfModel::setView);
    connect(m_whatIf, &QDockWidget::visibilityChanged, m_whatIfModel, &WhatIfModel::setActive);
    connect(m_whatIfModel, &WhatIfModel::curveChanged, m_chart,
        [this] { m_chart->setPrediction(m_whatIfModel->curve().refusedPerSecond); });
    connect(m_filterBar, &FilterBar::edited, &filter, &FilterController::apply);

    connect(m_chart, &RateChart::bucketClicked, events, &EventTableModel::setDrillDown);
    connect(m_chart, &RateChart::rangeChanged, m_toolBar, &ChartToolBar::showBucket);
    connect(m_chart, &RateChart::rangeChanged, m_filterBar, &FilterBar::setVisibleRange);
    connect(m_incidents, &IncidentsPanel::incidentActivated, this,
        [this](qint64 start, qint64 end, const QString &scope) {
            // an incident is one API's: show that API with its limits (a table's chart is the
            // engine's counts, which the filter does not narrow: no store to filter)
            if (!scope.isEmpty() && m_session.store() && m_session.filter().state().scope != scope)
                m_session.filter().setScope(scope);
            const qint64 pad = std::max<qint64>(30000, (end - start) / 4);
            m_chart->zoomTo(start - pad, end + pad);
            m_session.eventModel()->setDrillDown(
                DrillDown { true, start, end + 1, FilterState::kAllSources });
        });
    auto showRows
        = [this, events] { m_status->setTableRows(events->rowCount(), events->drillDown()); };
    connect(events, &QAbstractItemModel::modelReset, m_status, showRows);
    connect(m_table, &EventTableView::rowSelected, &m_session, &Session::selectRow);
    connect(&m_session.details(), &DetailLoader::detailReady, m_detail, &DetailPane::showDetail);
    connect(&m_session.details(), &DetailLoader::cleared, m_detail, &DetailPane::clear);

    connect(m_toolBar, &ChartToolBar::limitChanged, &m_session, &Session::setLimit);
    // the axis switch: the chart draws the axis, the limit box edits that axis's limit
    connect(m_toolBar, &ChartToolBar::axisChanged, m_chart, &RateChart::setAxis);
    connect(m_chart, &RateChart::axesChanged, this, [this] {
        m_toolBar->setAxes(m_chart->availableAxes(), m_chart->shownAxis());
        m_legend->setValueLabel(RateChart::axisNoun(m_chart->shownAxis()));
        m_session.setLimitAxis(m_chart->shownAxis());
    });
    // the box shows the limit of the scope shown; the chart resolves each view's own
    connect(&m_session, &Session::limitChanged, this, [this](std::optional<LimitSpec> l) {
        m_toolBar->setLimit(l);
        m_toolBar->setLimitScope(m_session.limitScope());
    });
    connect(&m_session, &Session::limitsChanged, this, [this](const std::vector<LimitEntry> &l) {
        m_chart->setLimits(l);
        m_settings.setLimits(l);
        showDrift();
    });
    connect(m_toolBar, &ChartToolBar::fixedBucketChanged, m_chart, &RateChart::setFixedBucketMs);
    connect(m_toolBar, &ChartToolBar::fixedBucketChanged, this,
        [this](qint64 ms) { m_settings.setFixedBucketMs(ms); });
    connect(m_toolBar, &ChartToolBar::barsChanged, this, [this](bool bars) {
        m_chart->setRequestsAsBars(bars);
        m_settings.setRequestsAsBars(bars);
    });
    connect(m_toolBar, &ChartToolBar::utcChanged, this, [this](bool utc) {
        showUtc(utc);
        m_settings.setUtc(utc);
    });

    // a load and a live update both bring the status line, the filter's choices and the
    // window the server reported
    for (const auto signal : { &Session::loaded, &Session::liveUpdated }) {
        connect(&m_session, signal, m_status, &StatusInfo::setLoadResult);
        connect(&m_session, signal, this, [this](std::shared_ptr<const LoadResult> r) {
            m_filterBar->setChoices(r->tools, r->providers, r->statuses);
            m_scopes->setScopes(r->scopes);
        });
    }
    connect(&m_session, &Session::loaded, this, [this](std::shared_ptr<const LoadResult> r) {
        m_recent->add(r->paths);
        setWindowTitle(tr("%1 — RateScope")
                           .arg(r->paths.size() == 1 ? QFileInfo(r->paths.front()).fileName()
                                                     : tr("%1 files").arg(r->paths.size())));
        QStringList failures;
        for (const InputReport &report : r->reports) {
            if (report.failed())
                failures << QStringLiteral("%1: %2").arg(
                    QFileInfo(report.path).fileName(), report.fatal);
        }
        if (!failures.isEmpty())
            m_status->showMessage(failures.join(QStringLiteral("; ")));
    });
    m_session.exporter().setChartDrawing(&qtChartDrawing());
    connect(m_export, &ExportMenu::exportRequested, &m_session, &Session::exportReport);
    connect(m_export, &ExportMenu::message, m_status, &StatusInfo::showMessage);
    connect(m_incidents, &IncidentsPanel::exportRequested, m_export, &ExportMenu::exportIncident);
    connect(&m_session.exporter(), &ReportExporter::finished, m_status,
        [this](const QString &path, const QString &error) {
            m_status->showMessage(error.isEmpty() ? tr("Report written to %1").arg(path)
                                                  : tr("Export failed: %1").arg(error));
        });
    connect(&m_session.loader(), &LoadJob::cancelled, m_status,
        [this] { m_status->showMessage(tr("Loading cancelled")); });
}

void MainWindow::connectLive()
{
    LiveFeed &live = m_session.live();
    connect(m_watch, &WatchMenu::watchRequested, this,
        [this](const std::vector<LiveSourceSpec> &sources) { watch(sources); });
    connect(m_watch, &WatchMenu::pauseToggled, &live, &LiveFeed::setPaused);
    connect(m_watch, &WatchMenu::stopRequested, &live, &LiveFeed::stop);
    connect(m_watch, &WatchMenu::followWindowChanged, m_chart, [this](qint64 ms) {
        if (m_session.live().isActive() && !m_session.live().isPaused())
            m_chart->setFollowWindowMs(ms);
    });
    connect(m_watch, &WatchMenu::notificationsToggled, m_notifier, &DesktopNotifier::setEnabled);
    m_notifier->setEnabled(m_watch->notificationsEnabled());
    connect(m_chart, &RateChart::userNavigated, &live, [&live] { live.setPaused(true); });

    connect(&live, &LiveFeed::started, this, [this](const QString &capturePath) {
        m_liveStatus->startWatching(capturePath);
        m_watch->setWatching(true);
        m_watch->setCapturePath(capturePath);
        m_banner->hide();
        m_chart->setEmptyText(tr("Watching: waiting for the first record…"));
        m_chart->setFollowWindowMs(m_watch->followWindowMs());
        setWindowTitle(tr("Live — RateScope"));
    });
    connect(&live, &LiveFeed::stopped, this, [this] {
        m_liveStatus->stopWatching();
        m_watch->setWatching(false);
        m_chart->setFollowWindowMs(0);
    });
    connect(&live, &LiveFeed::pausedChanged, this, [this](bool paused) {
        m_watch->setPaused(paused);
        m_liveStatus->setPaused(paused);
        if (m_session.live().isActive())
            m_chart->setFollowWindowMs(paused ? 0 : m_watch->followWindowMs());
    });
    connect(&live, &LiveFeed::sourceStateChanged, m_liveStatus, &LiveStatus::setSourceState);
    connect(&live, &LiveFeed::captureRotated, m_liveStatus, &LiveStatus::setCapturePath);
    connect(&live, &LiveFeed::warning, m_banner, &WarningBanner::showWarning);
    connect(&live, &LiveFeed::warning, m_notifier, &DesktopNotifier::notify);
    connect(&live, &LiveFeed::notice, m_status, &StatusInfo::showMessage);
    // a drill-down before the records the window holds: read back from the capture
    connect(
        &m_session, &Session::recallChanged, this, [this](bool reading, const QString &failure) {
            if (reading)
                m_status->showMessage(tr("Reading older records back from the capture file…"));
            else if (!failure.isEmpty())
                m_banner->showText(
                    tr("The records of this range cannot be listed: %1").arg(failure));
            else
                m_status->showMessage(tr("Older records read back from the capture file"));
        });
    connect(&m_session, &Session::loaded, this, [this] {
        m_liveStatus->hide();
        m_chart->setEmptyText(tr("Open a log: File ▸ Open (Ctrl+O), or drop files here."));
    });
}

bool MainWindow::watch(const std::vector<LiveSourceSpec> &sources, std::optional<bool> fromStart)
{
    LiveOptions options;
    options.sources = sources;
    options.warnShare = m_watch->warnShare();
    options.follow.fromStart = fromStart.value_or(m_watch->followFromStart());
    options.captureRotation = m_watch->captureRotation();
    options.windowKeepMs = m_watch->keepMs();
    QString error;
    if (m_session.watch(options, &error))
        return true;
    m_status->showMessage(tr("Cannot watch: %1").arg(error));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Watch"), error, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // not exec(): nothing waits for the user to read it
    return false;
}

void MainWindow::restoreLayout()
{
    m_scopes->setCurrentScope(m_session.filter().state().scope); // chosen before this window
    m_session.setLimits(m_settings.limits());
    m_chart->setLimits(m_session.limits());
    m_toolBar->setLimit(m_session.limit());
    m_toolBar->setLimitScope(m_session.limitScope());
    m_toolBar->setFixedBucketMs(m_settings.fixedBucketMs());
    m_chart->setFixedBucketMs(m_settings.fixedBucketMs());
    m_toolBar->setBars(m_settings.requestsAsBars());
    m_chart->setRequestsAsBars(m_settings.requestsAsBars());
    m_toolBar->setUtc(m_settings.utc());
    showUtc(m_settings.utc());
    showDark(m_theme.isDark());
    resize(1400, 900);
    resizeDocks({ m_problems }, { 160 }, Qt::Vertical); // the chart keeps most of the height
    restoreGeometry(m_settings.value(QStringLiteral("window/geometry")));
    restoreState(m_settings.value(QStringLiteral("window/state")));
    m_vertical->restoreState(m_settings.value(QStringLiteral("window/vertical")));
    m_bottom->restoreState(m_settings.value(QStringLiteral("window/bottom")));
    m_lists->restoreState(m_settings.value(QStringLiteral("window/lists")));
    m_top->restoreState(m_settings.value(QStringLiteral("window/top")));
}

void MainWindow::applyTheme(int mode)
{
    const bool dark = m_theme.apply(ThemeMode(mode));
    m_settings.setTheme(ThemeMode(mode));
    showDark(dark);
}

void MainWindow::showUtc(bool utc)
{
    m_session.setUtc(utc);
    m_chart->setUtc(utc);
    m_detail->setUtc(utc);
    m_filterBar->setUtc(utc);
}

void MainWindow::showDark(bool dark)
{
    m_chart->setDark(dark);
    m_legend->setDark(dark);
    m_banner->setDark(dark);
    m_drift->setDark(dark);
}

void MainWindow::showDrift()
{
    const std::shared_ptr<const FilteredView> view = m_session.filter().view();
    if (!view || view->scopes.size() != 1) {
        m_drift->showText(QString());
        return;
    }
    const QString scope = QString::fromStdString(view->scopes.front());
    m_drift->showText(
        limitDriftText(scope, m_session.limitFor(scope), view->reported, m_settings.utc()));
}

void MainWindow::changeEvent(QEvent *event)
{
    // the desktop switched light/dark: follow it when asked to (our own palette changes
    // arrive as PaletteChange, never as ThemeChange)
    if (event->type() == QEvent::ThemeChange && m_theme.mode() == ThemeMode::System)
        applyTheme(int(ThemeMode::System));
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings.setValue(QStringLiteral("window/state"), saveState());
    m_settings.setValue(QStringLiteral("window/vertical"), m_vertical->saveState());
    m_settings.setValue(QStringLiteral("window/bottom"), m_bottom->saveState());
    m_settings.setValue(QStringLiteral("window/lists"), m_lists->saveState());
    m_settings.setValue(QStringLiteral("window/top"), m_top->saveState());
    QMainWindow::closeEvent(event);
}
