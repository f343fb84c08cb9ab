#include "charttoolbar.h"

#include "model/bucketpyramid.h"
#include "model/timeticks.h"

#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

ChartToolBar::ChartToolBar(QWidget *parent)
    : QToolBar(tr("Chart"), parent)
{
    setObjectName(QStringLiteral("chartToolBar"));
    // The axis switch (limits.md §2): one checked at a time; axes the data has no value on
    // are hidden.
    auto *axes = new QActionGroup(this);
    axes->setExclusive(true);
    const struct
    {
        LimitAxis axis;
        QString text, key, tip;
    } kAxes[] = {
        { LimitAxis::Requests, tr("Requests"), QStringLiteral("Alt+1"),
            tr("Requests per bucket, with the request limits (Alt+1)") },
        { LimitAxis::Tokens, tr("Tokens"), QStringLiteral("Alt+2"),
            tr("Tokens per bucket from the responses' usage, with the token limits (Alt+2); "
               "requests that reported no usage are not counted") },
        { LimitAxis::InputTokens, tr("Input"), QString(),
            tr("Input tokens per bucket, with the input-token limits") },
        { LimitAxis::OutputTokens, tr("Output"), QString(),
            tr("Output tokens per bucket, with the output-token limits") },
        { LimitAxis::Concurrency, tr("In flight"), QStringLiteral("Alt+3"),
            tr("The most requests in flight at once in each bucket, from their start and "
               "duration, with the concurrency limit (Alt+3)") },
    };
    for (const auto &a : kAxes) {
        QAction *action = addAction(a.text);
        action->setCheckable(true);
        action->setToolTip(a.tip);
        if (!a.key.isEmpty())
            action->setShortcut(QKeySequence(a.key));
        action->setObjectName(QStringLiteral("axis_") + limitAxisName(a.axis));
        action->setVisible(a.axis == LimitAxis::Requests);
        axes->addAction(action);
        m_axes[std::size_t(a.axis)] = action;
        const LimitAxis axis = a.axis;
        connect(action, &QAction::triggered, this, [this, axis] {
            if (axis == m_axis)
                return;
            m_axis = axis;
            setLimitScope(m_scope);
            Q_EMIT axisChanged(axis);
        });
    }
    m_axes[0]->setChecked(true);
    addSeparator();
    m_limitLabel = new QLabel(tr(" Limit "), this);
    m_limitLabel->setObjectName(QStringLiteral("limitLabel"));
    addWidget(m_limitLabel);
    m_limit = new QLineEdit(this);
    m_limit->setObjectName(QStringLiteral("limitBox"));
    m_limit->setPlaceholderText(tr("none"));
    m_limit->setClearButtonEnabled(true);
    m_limit->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("100000/10s")) + 40);
    m_limit->setToolTip(tr("The limit you have (Ctrl+L): requests per minute (600) or over "
                           "another window (100/10s, 5000/1h), as summarize --limit; empty "
                           "hides it"));
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

    connect(m_limit, &QLineEdit::editingFinished, this, &ChartToolBar::commitLimit);
    connect(m_bucket, &QComboBox::activated, this,
        [this](int i) { Q_EMIT fixedBucketChanged(m_bucket->itemData(i).toLongLong()); });
    connect(m_utc, &QAction::toggled, this, &ChartToolBar::utcChanged);
    connect(m_bars, &QAction::toggled, this, &ChartToolBar::barsChanged);
}

void ChartToolBar::setLimit(std::optional<LimitSpec> limit)
{
    const QSignalBlocker block(m_limit);
    m_limit->setText(limit ? limitSpecText(*limit) : QString());
    m_limit->setStyleSheet(QString());
}

QAction *ChartToolBar::axisAction(LimitAxis axis) const { return m_axes[std::size_t(axis)]; }

void ChartToolBar::setAxes(const std::vector<LimitAxis> &available, LimitAxis shown)
{
    for (std::size_t k = 0; k < m_axes.size(); ++k)
        m_axes[k]->setVisible(available.size() > 1
            && std::find(available.begin(), available.end(), LimitAxis(k)) != available.end());
    // setChecked() does not emit triggered(); not blocked, so that the group unchecks the others
    m_axes[std::size_t(shown)]->setChecked(true);
    if (shown != m_axis) {
        m_axis = shown;
        setLimitScope(m_scope);
    }
}

void ChartToolBar::setLimitScope(const QString &scope)
{
    m_scope = scope;
    const QString what = m_axis == LimitAxis::Requests ? tr("Limit")
        : m_axis == LimitAxis::Concurrency             ? tr("In-flight limit")
                                                       : tr("Token limit");
    m_limitLabel->setText(scope.isEmpty()
            ? tr(" %1 (every scope) ").arg(what)
            : tr(" %1 of %2 ").arg(what, fontMetrics().elidedText(scope, Qt::ElideMiddle, 180)));
    m_limitLabel->setToolTip(scope.isEmpty()
            ? tr("The limit of every API scope that has none of its own")
            : tr("The limit of %1 (each API scope remembers its own)").arg(scope));
}

void ChartToolBar::commitLimit()
{
    const QString text = m_limit->text().trimmed();
    if (text.isEmpty() || text == QLatin1String("0")) {
        m_limit->setStyleSheet(QString());
        Q_EMIT limitChanged(std::nullopt);
        return;
    }
    QString error;
    // the CLI's grammar, one parser: N[/W], or on another axis AXIS=N[/W] (in flight: a count)
    std::optional<LimitSpec> limit;
    if (m_axis == LimitAxis::Requests) {
        limit = parseLimitSpec(text, &error);
    } else if (text.contains(QLatin1Char(':')) || text.contains(QLatin1Char('='))) {
        error = tr("the limit of the axis shown: N or N/W, like 200000 or 5000/1h");
    } else if (const auto entry
        = parseLimitEntry(limitAxisName(m_axis) + QLatin1Char('=') + text, &error)) {
        limit = entry->spec;
    }
    if (!limit) { // say so where the user typed, keep the limit in force
        m_limit->setStyleSheet(QStringLiteral("QLineEdit { border: 2px solid #D55E00; }"));
        m_limit->setToolTip(error);
        return;
    }
    m_limit->setStyleSheet(QString());
    m_limit->setText(limitSpecText(*limit));
    Q_EMIT limitChanged(limit);
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
