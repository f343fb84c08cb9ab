#pragma once

#include "export/summary.h"

#include <QToolBar>

#include <array>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;

// Chart settings: the axis (requests, tokens, requests in flight), the configured limit on it
// (in --limit's grammar: 600, 100/10s; in flight a count; empty or 0: none), the bucket size
// (auto or fixed), UTC or local time.
class ChartToolBar : public QToolBar
{
    Q_OBJECT
public:
    explicit ChartToolBar(QWidget *parent = nullptr);

    QLineEdit *limitBox() const { return m_limit; }
    QAction *utcAction() const { return m_utc; }
    QAction *barsAction() const { return m_bars; }
    // The switch's action of an axis (tests click it).
    QAction *axisAction(LimitAxis axis) const;

public Q_SLOTS:
    void setLimit(std::optional<LimitSpec> limit);
    // Whose limit the box edits: one API scope, or ("") every scope without its own.
    void setLimitScope(const QString &scope);
    // The axes the chart can show (the others are hidden) and the one it shows.
    void setAxes(const std::vector<LimitAxis> &available, LimitAxis shown);
    void setFixedBucketMs(qint64 ms);
    void setUtc(bool utc);
    void setBars(bool bars);
    void showBucket(qint64 fromMs, qint64 toMs, qint64 bucketMs);

Q_SIGNALS:
    void limitChanged(std::optional<LimitSpec> limit); // only when the text is valid
    void axisChanged(LimitAxis axis);
    void fixedBucketChanged(qint64 ms);
    void utcChanged(bool utc);
    void barsChanged(bool bars);

private:
    void commitLimit();

    QLineEdit *m_limit;
    QLabel *m_limitLabel;
    QComboBox *m_bucket;
    QAction *m_utc;
    QAction *m_bars;
    QLabel *m_bucketInfo;
    std::array<QAction *, 5> m_axes {}; // by LimitAxis
    LimitAxis m_axis = LimitAxis::Requests;
    QString m_scope;
};
