#pragma once

#include "sources/livesourcestate.h"

#include <QWidget>

#include <map>

class QLabel;

// The status bar's live part: one label per watched source ("tcp://127.0.0.1:9099 listening,
// 2 connections, 1200 records/s"), whether the view is paused, and where everything received
// is captured. Hidden while nothing is watched.
class LiveStatus : public QWidget
{
    Q_OBJECT
public:
    explicit LiveStatus(QWidget *parent = nullptr);

    // The label of a source (tests, screenshots).
    QString sourceText(int id) const;
    QString captureText() const;

public Q_SLOTS:
    void startWatching(const QString &capturePath);
    // The capture went on in a new segment (--capture-max).
    void setCapturePath(const QString &capturePath);
    void setSourceState(const LiveSourceState &state);
    void setPaused(bool paused);
    void stopWatching();

private:
    QLabel *m_paused;
    QLabel *m_capture;
    std::map<int, QLabel *> m_sources;
};
