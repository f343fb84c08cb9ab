#pragma once

#include <QToolBar>

class QComboBox;
class QLabel;
class QSpinBox;

// Chart settings: the configured limit, the bucket size (auto or fixed), UTC or local time.
class ChartToolBar : public QToolBar
{
    Q_OBJECT
public:
    explicit ChartToolBar(QWidget *parent = nullptr);

    QSpinBox *limitBox() const { return m_limit; }
    QAction *utcAction() const { return m_utc; }
    QAction *barsAction() const { return m_bars; }

public Q_SLOTS:
    void setLimit(qint64 limit);
    void setFixedBucketMs(qint64 ms);
    void setUtc(bool utc);
    void setBars(bool bars);
    void showBucket(qint64 fromMs, qint64 toMs, qint64 bucketMs);

Q_SIGNALS:
    void limitChanged(qint64 limit);
    void fixedBucketChanged(qint64 ms);
    void utcChanged(bool utc);
    void barsChanged(bool bars);

private:
    QSpinBox *m_limit;
    QComboBox *m_bucket;
    QAction *m_utc;
    QAction *m_bars;
    QLabel *m_bucketInfo;
};
