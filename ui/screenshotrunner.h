#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

class MainWindow;
class Session;

// `ratescope --screenshot FILE INPUT...`: loads the inputs, waits until the chart shows the
// data and the detail pane shows a rejection, then writes the window as a PNG.
class ScreenshotRunner : public QObject
{
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow &window, Session &session, QString path, QObject *parent = nullptr);

    void start(const QStringList &inputs);

Q_SIGNALS:
    void done(int exitCode);

private:
    void viewReady();
    void grab();

    MainWindow &m_window;
    Session &m_session;
    QString m_path;
    bool m_loaded = false;
    bool m_grabbed = false;
    bool m_anyFailed = false;
};
