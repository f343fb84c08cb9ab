#include "screenshotrunner.h"

#include "enginechartfeed.h"
#include "enginepanelsfeed.h"
#include "eventtableview.h"
#include "incidentspanel.h"
#include "mainwindow.h"
#include "model/session.h"
#include "model/whatifmodel.h"
#include "ratechart.h"

#include <QPixmap>
#include <QTextStream>
#include <QTimer>

ScreenshotRunner::ScreenshotRunner(
    MainWindow &window, Session &session, QString path, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_session(session)
    , m_path(std::move(path))
{
    connect(&session, &Session::loaded, this, [this](std::shared_ptr<const LoadResult> r) {
        m_loaded = true;
        m_anyFailed = r->anyFailed();
    });
    connect(&session, &Session::viewApplied, this, [this] {
        if (m_loaded && m_session.isSettled())
            viewReady();
    });
    connect(&session.loader(), &LoadJob::cancelled, this, [this] { Q_EMIT done(1); });
}

void ScreenshotRunner::start(const QStringList &inputs) { m_session.open(inputs); }

void ScreenshotRunner::startLive(const std::vector<LiveSourceSpec> &sources, int afterMs)
{
    if (!m_window.watch(sources, true)) {
        QTimer::singleShot(0, this, [this] { Q_EMIT done(1); });
        return;
    }
    QTimer::singleShot(afterMs, this, &ScreenshotRunner::grab);
}

void ScreenshotRunner::viewReady() { showRejection(m_session.filter().view()); }

void ScreenshotRunner::showRejection(const std::shared_ptr<const FilteredView> &view)
{
    // show a rejection in the detail pane: the first TOOL_ERROR (its message is the
    // provider's), else the first rejection
    int event = -1;
    if (view && view->store) {
        for (RejectionSource wanted : { RejectionSource::ToolError, RejectionSource::RateLimited,
                 RejectionSource::Unclassified }) {
            for (std::uint32_t e : view->rows) {
                if (view->store->source(e) == wanted) {
                    event = int(e);
                    break;
                }
            }
            if (event >= 0)
                break;
        }
    }
    const int row = m_session.eventModel()->rowOfEvent(event);
    if (row < 0) {
        QTimer::singleShot(0, this, &ScreenshotRunner::grab);
        return;
    }
    connect(&m_session.details(), &DetailLoader::detailReady, this,
        [this](const EventDetailInfo &info) {
            if (info.rawLoaded)
                QTimer::singleShot(0, this, &ScreenshotRunner::grab);
        });
    QTimer::singleShot(5000, this, &ScreenshotRunner::grab); // the raw record never came
    m_window.table()->selectRow(row);
    m_window.table()->setFocus();
}

void ScreenshotRunner::startEngine(EngineChartFeed &chart, EnginePanelsFeed &panels)
{
    // the chart's first frame starts the panels (MainWindow::showEngineTable); the first
    // incident is then opened, its rows listed and a rejection of them shown
    connect(&panels, &EnginePanelsFeed::incidentsShown, this, [this](int count) {
        if (count > 0)
            m_window.incidents()->activateRow(0);
        else
            QTimer::singleShot(0, this, &ScreenshotRunner::grab);
    });
    connect(&panels, &EnginePanelsFeed::rowsListed, this,
        [this] { showRejection(m_session.eventModel()->shownView()); });
    auto failed = [this] {
        m_anyFailed = true;
        QTimer::singleShot(0, this, &ScreenshotRunner::grab);
    };
    connect(&chart, &EngineChartFeed::queryFailed, this, failed);
    connect(&panels, &EnginePanelsFeed::failed, this, failed);
    QTimer::singleShot(120000, this, [this] { // the server never answered: what is there
        m_anyFailed = true;
        grab();
    });
    chart.start();
}

void ScreenshotRunner::grab()
{
    if (m_grabbed)
        return;
    // an open What-if panel is shown with its exact replay's figures
    WhatIfModel *whatIf = m_window.whatIfModel();
    if (whatIf->isActive() && whatIf->reason().isEmpty() && !whatIf->exact()
        && !m_waitedForWhatIf) {
        m_waitedForWhatIf = true;
        connect(whatIf, &WhatIfModel::curveChanged, this, [this, whatIf] {
            if (whatIf->exact())
                QTimer::singleShot(0, this, &ScreenshotRunner::grab);
        });
        QTimer::singleShot(20000, this, &ScreenshotRunner::grab); // never came
        return;
    }
    m_grabbed = true;
    m_window.chart()->redrawNow(); // with the final layout's plot width
    QTimer::singleShot(0, this, [this] {
        const QPixmap pixmap = m_window.grab();
        QTextStream err(stderr);
        if (!pixmap.save(m_path, "PNG")) {
            err << "ratescope: cannot write " << m_path << "\n";
            Q_EMIT done(1);
            return;
        }
        err << "ratescope: wrote " << m_path << " (" << pixmap.width() << "x" << pixmap.height()
            << ")\n";
        Q_EMIT done(m_anyFailed ? 1 : 0);
    });
}
