#pragma once

#include <QMainWindow>

class ChartToolBar;
class DetailPane;
class EventTableView;
class FilterBar;
class IncidentsPanel;
class LegendBar;
class LoadProgress;
class QSplitter;
class RateChart;
class RecentFilesMenu;
class Session;
class StatusInfo;
class Theme;
class UiSettings;

// Creates the panels, places them and connects their signals (style.md rule 7): no data,
// no loops over events, no I/O.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Session &session, UiSettings &settings, Theme &theme, QWidget *parent = nullptr);

    RateChart *chart() const { return m_chart; }
    EventTableView *table() const { return m_table; }
    DetailPane *detail() const { return m_detail; }
    IncidentsPanel *incidents() const { return m_incidents; }
    LegendBar *legend() const { return m_legend; }
    FilterBar *filterBar() const { return m_filterBar; }
    ChartToolBar *chartToolBar() const { return m_toolBar; }

public Q_SLOTS:
    void applyTheme(int mode); // ThemeMode

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void connectSession();
    void restoreLayout();

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
    QSplitter *m_vertical;
    QSplitter *m_bottom;
    QSplitter *m_lists;
};
