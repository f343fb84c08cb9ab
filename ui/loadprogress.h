#pragma once

#include <QWidget>

class LoadJob;
class QLabel;
class QProgressBar;
class QToolButton;

// A progress bar with Cancel for the background load (shown only while loading).
class LoadProgress : public QWidget
{
    Q_OBJECT
public:
    explicit LoadProgress(LoadJob &job, QWidget *parent = nullptr);

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
};
