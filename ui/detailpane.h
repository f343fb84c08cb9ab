#pragma once

#include "model/eventdetail.h"

#include <QWidget>

class QTextBrowser;

// The selected record: the provider's message first, then source and guidance, the
// request's facts, its rate-limit headers and the raw record with file and line.
class DetailPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailPane(QWidget *parent = nullptr);

    void setUtc(bool utc);
    QString plainText() const;
    const EventDetailInfo &info() const { return m_info; }

public Q_SLOTS:
    void showDetail(const EventDetailInfo &info);
    void clear();

private:
    void render();

    QTextBrowser *m_browser;
    EventDetailInfo m_info;
    bool m_utc = true;
};
