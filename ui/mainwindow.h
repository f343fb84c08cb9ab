#pragma once

#include "live/liveoptions.h"

#include <QMainWindow>

#include <optional>
#include <vector>

class ChartToolBar;
class DesktopNotifier;
class DetailPane;
class EngineChartFeed;
class EnginePanelsFeed;
class EventTableView;
class ExportMenu;
class FilterBar;
class IncidentsPanel;
class LegendBar;
class LiveStatus;
class LoadProgress;
class ProblemsPanel;
class QSplitter;
class RateChart;
class RecentFilesMenu;
class ScopeList;
class Session;
class StatusInfo;
class Theme;
class UiSettings;
class WarningBanner;
class WatchMenu;
class WhatIfModel;
class WhatIfPanel;

// Creates the panels, places them and connects their signals (style.md rule 7): no data,
// no loops over events, no I/O.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Session &session, UiSettings &settings, Theme &theme, QWidget *parent = nullptr);
    ~MainWindow() override;

    RateChart *chart() const { return m_chart; }
    EventTableView *table() const { return m_table; }
    DetailPane *detail() const { return m_detail; }
    IncidentsPanel *incidents() const { return m_incidents; }
    LegendBar *legend() const { return m_legend; }
    FilterBar *filterBar() const { return m_filterBar; }
    ChartToolBar *chartToolBar() const { return m_toolBar; }
    WatchMenu *watchMenu() const { return m_watch; }
    ExportMenu *exportMenu() const { return m_export; }
    LiveStatus *liveStatus() const { return m_liveStatus; }
    WarningBanner *warningBanner() const { return m_banner; }
    ProblemsPanel *problems() const { return m_problems; }
    ScopeList *scopeList() const { return m_scopes; }
    WarningBanner *driftBanner() const { return m_drift; }
    WhatIfPanel *whatIf() const { return m_whatIf; }
    WhatIfModel *whatIfModel() const { return m_whatIfModel; }
    // Help ▸ Keyboard shortcuts (HTML), built from the actions and shortcuts as they are set
    QString shortcutHelp() const;

public Q_SLOTS:
    void applyTheme(int mode); // ThemeMode
    // A table in an engine (issue 21): the chart from the engine's counts (`chart`), the
    // incidents, the drill-down's rows and their detail from `panels`, started once the chart
    // has its first frame. The filter bar is hidden: its filters apply to rows held, and the
    // engine holds them.
    void showEngineTable(EngineChartFeed *chart, EnginePanelsFeed *panels);
    // Watches these sources instead of what is shown; says why in a message box when it can't.
    // Files are followed from their start when fromStart says so, else as Watch ▸ says.
    bool watch(const std::vector<LiveSourceSpec> &sources, std::optional<bool> fromStart = {});

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createMenus();
    void connectSession();
    void connectLive();
    void restoreLayout();
    void showUtc(bool utc); // every view that shows times
    void showDark(bool dark); // every view that draws its own colours
    void showDrift(); // the drift banner, for the view shown and the limits set

    Session &m_session;
    UiSettings &m_settings;
    Theme &m_theme;
    ChartToolBar *m_toolBar;
    FilterBar *m_filterBar;
    LegendBar *m_legend;
    RateChart *m_chart;
    IncidentsPanel *m_incidents;
    EventTableView *m_table;
    DetailPane *m_detail;
    StatusInfo *m_status;
    LoadProgress *m_progress;
    RecentFilesMenu *m_recent;
    WatchMenu *m_watch;
    ExportMenu *m_export;
    LiveStatus *m_liveStatus;
    WarningBanner *m_banner;
    WarningBanner *m_drift;
    ScopeList *m_scopes;
    DesktopNotifier *m_notifier;
    ProblemsPanel *m_problems;
    WhatIfModel *m_whatIfModel;
    WhatIfPanel *m_whatIf;
    QSplitter *m_vertical;
    QSplitter *m_bottom;
    QSplitter *m_lists;
    QSplitter *m_top;
};
