#pragma once

#include "incidents/earlywarning.h"

#include <QFrame>

class QLabel;

// The early-warning strip above the chart: the newest warning ("minute 14:05 reached 92 % of
// the limit", "a new incident started: RATE_LIMITED"), its time, and a close button. It stays
// until closed or replaced, so a warning is never missed by looking away. A second one says
// where the limits drift (showText), and stays closed for a text the user dismissed.
class WarningBanner : public QFrame
{
    Q_OBJECT
public:
    explicit WarningBanner(QWidget *parent = nullptr);

    QString text() const;

public Q_SLOTS:
    void showWarning(const LiveWarning &warning);
    // A standing message ("" hides the banner).
    void showText(const QString &text);
    void setDark(bool dark);

private:
    QLabel *m_text;
    QString m_dismissed;
    bool m_dark = false;
};
