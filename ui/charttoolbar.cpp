#include "charttoolbar.h"

#include "model/bucketpyramid.h"
#include "model/timeticks.h"

#include <QComboBox>
#include <QLabel>
#include <QSpinBox>

ChartToolBar::ChartToolBar(QWidget *parent)
    : QToolBar(tr("Chart"), parent)
{
    setObjectName(QStringLiteral("chartToolBar"));
    addWidget(new QLabel(tr(" Limit "), this));
    m_limit = new QSpinBox(this);
    m_limit->setRange(0, 100000000);
    m_limit->setSingleStep(10);
    m_limit->setSuffix(tr(" /min"));
    m_limit->setSpecialValueText(tr("none"));
    m_limit->setToolTip(tr("The limit you have, requests per minute (Ctrl+L); 0 hides it"));
    m_limit->setKeyboardTracking(false);
    addWidget(m_limit);
    addSeparator();
    addWidget(new QLabel(tr(" Bucket "), this));
    m_bucket = new QComboBox(this);
    m_bucket->addItem(tr("auto"), qint64(0));
    for (qint64 ms : BucketPyramid::kSizes)
        m_bucket->addItem(formatDuration(ms), ms);
    m_bucket->setToolTip(tr("Bucket size: follows the zoom (auto) or fixed"));
    addWidget(m_bucket);
    m_bucketInfo = new QLabel(this);
    m_bucketInfo->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("(now 30 min)")) + 8);
    addWidget(m_bucketInfo);
    m_bars = addAction(tr("Bars"));
    m_bars->setCheckable(true);
    m_bars->setShortcut(QKeySequence(QStringLiteral("Ctrl+B")));
    m_bars->setToolTip(tr("Requests as bars; off: as a line (Ctrl+B)"));
    addSeparator();
    m_utc = addAction(tr("UTC"));
    m_utc->setCheckable(true);
    m_utc->setChecked(true);
    m_utc->setShortcut(QKeySequence(QStringLiteral("Ctrl+U")));
    m_utc->setToolTip(tr("Times in UTC; off: local time (Ctrl+U)"));

    connect(m_limit, &QSpinBox::valueChanged, this, [this](int v) { Q_EMIT limitChanged(v); });
    connect(m_bucket, &QComboBox::activated, this,
        [this](int i) { Q_EMIT fixedBucketChanged(m_bucket->itemData(i).toLongLong()); });
    connect(m_utc, &QAction::toggled, this, &ChartToolBar::utcChanged);
    connect(m_bars, &QAction::toggled, this, &ChartToolBar::barsChanged);
}

void ChartToolBar::setLimit(qint64 limit)
{
    const QSignalBlocker block(m_limit);
    m_limit->setValue(int(limit));
}

void ChartToolBar::setFixedBucketMs(qint64 ms)
{
    const QSignalBlocker block(m_bucket);
    m_bucket->setCurrentIndex(std::max(0, m_bucket->findData(ms)));
}

void ChartToolBar::setUtc(bool utc)
{
    const QSignalBlocker block(m_utc);
    m_utc->setChecked(utc);
}

void ChartToolBar::setBars(bool bars)
{
    const QSignalBlocker block(m_bars);
    m_bars->setChecked(bars);
}

void ChartToolBar::showBucket(qint64, qint64, qint64 bucketMs)
{
    m_bucketInfo->setText(
        m_bucket->currentIndex() == 0 ? tr(" (now %1)").arg(formatDuration(bucketMs)) : QString());
}
