#pragma once

#include "live/liveoptions.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

class EngineChartFeed;
class EnginePanelsFeed;
struct FilteredView;
class MainWindow;
class Session;

// `ratescope --screenshot FILE INPUT...`: loads the inputs, waits until the chart shows the
// data and the detail pane shows a rejection, then writes the window as a PNG. With live
// sources (--follow, --listen, --url, -) it watches them for a while, then writes it.
class ScreenshotRunner : public QObject
{
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow &window, Session &session, QString path, QObject *parent = nullptr);

    void start(const QStringList &inputs);
    // Watches the sources and grabs the window afterMs later (what arrived by then).
    void startLive(const std::vector<LiveSourceSpec> &sources, int afterMs);
    // A table (issue 21): starts the chart's feed; once the panels have found the incidents,
    // opens the first one and shows a rejection of its rows, then grabs the window (at once
    // when there is none), or once a query failed (the status bar says why; exit status 1).
    void startEngine(EngineChartFeed &chart, EnginePanelsFeed &panels);

Q_SIGNALS:
    void done(int exitCode);

private:
    void viewReady();
    // Selects the view's first rejection in the table, then grabs once its detail is shown.
    void showRejection(const std::shared_ptr<const FilteredView> &view);
    void grab();

    MainWindow &m_window;
    Session &m_session;
    QString m_path;
    bool m_loaded = false;
    bool m_grabbed = false;
    bool m_waitedForWhatIf = false;
    bool m_anyFailed = false;
};
