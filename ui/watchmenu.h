#pragma once

#include "live/liveoptions.h"

#include <QMenu>

#include <functional>
#include <vector>

class QActionGroup;
class UiSettings;

// Watch ▸ Follow file…, Listen on port…, Connect to stream URL…, Pause/Resume, Stop, how much
// of the recent past the chart follows, the early-warning share, desktop notifications and how
// the capture file rotates (--capture-max, --capture-keep).
// Asks for what a source needs (remembering the last answers) and says what was chosen; it
// never starts anything itself.
class WatchMenu : public QMenu
{
    Q_OBJECT
public:
    WatchMenu(UiSettings &settings, QWidget *parent);

    QAction *pauseAction() const { return m_pause; }
    QAction *stopAction() const { return m_stop; }
    qint64 followWindowMs() const { return m_windowMs; }
    double warnShare() const { return m_share; }
    bool notificationsEnabled() const;
    // Follow files from their first line, not only what is added (like tail -F).
    bool followFromStart() const;
    // Watch ▸ Capture file: a new segment every N MiB (or never), the newest K kept.
    CaptureRotation captureRotation() const { return m_rotation; }
    // The command line's --capture-max / --capture-keep: used for this run, not remembered (a
    // size the menu does not offer is added to it, checked).
    void setCaptureRotation(const CaptureRotation &rotation);
    // Watch ▸ Hold raw records of the last: the window the live view keeps every event of
    // (LiveOptions::windowKeepMs; 0: all of them, memory grows). Older ones are counted.
    qint64 keepMs() const { return m_keepMs; }
    // The command line's --keep: used for this run, not remembered.
    void setKeepMs(qint64 ms);

public Q_SLOTS:
    // The window watches (or stopped): Pause and Stop are offered only while it does.
    void setWatching(bool watching);
    void setPaused(bool paused);
    void setCapturePath(const QString &path);

Q_SIGNALS:
    void watchRequested(const std::vector<LiveSourceSpec> &sources);
    void pauseToggled(bool paused);
    void stopRequested();
    void followWindowChanged(qint64 windowMs);
    void warnShareChanged(double share);
    void notificationsToggled(bool enabled);

private:
    void followFile();
    void listen();
    void connectUrl();
    QActionGroup *addChoices(QMenu *menu, const QList<std::pair<QString, int>> &choices,
        int current, const QString &settingsKey, void (WatchMenu::*onChosen)(int));
    // Checks the choice of this value, or adds one (text, onChosen) when none is offered.
    void checkChoice(
        QActionGroup *group, int value, const QString &text, const std::function<void()> &onChosen);
    void chooseWindow(int minutes);
    void chooseShare(int percent);
    void chooseCaptureMax(int mebibytes);
    void chooseCaptureKeep(int segments);
    void chooseKeep(int minutes);

    UiSettings &m_settings;
    QAction *m_pause;
    QAction *m_stop;
    QAction *m_openCapture;
    QAction *m_notify;
    QAction *m_fromStart;
    QString m_capturePath;
    qint64 m_windowMs = 15 * 60000;
    double m_share = 0.9;
    CaptureRotation m_rotation;
    QActionGroup *m_captureMax = nullptr;
    QActionGroup *m_captureKeep = nullptr;
    QActionGroup *m_keep = nullptr;
    qint64 m_keepMs = 2 * 3600 * 1000;
};
