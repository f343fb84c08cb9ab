#include "whatifpanel.h"

#include "model/whatifmodel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

#include <algorithm>
#include <cmath>

namespace {

QString count(std::int64_t n) { return QLocale().toString(qlonglong(n)); }

QString seconds(double s)
{
    return QLocale().toString(s, 'f', s < 10 ? 1 : 0) + QStringLiteral(" s");
}

} // namespace

WhatIfPanel::WhatIfPanel(WhatIfModel &model, QWidget *parent)
    : QDockWidget(tr("What if"), parent)
    , m_model(model)
    , m_slider(new QSlider(Qt::Horizontal))
    , m_limit(new QSpinBox)
    , m_window(new QComboBox)
    , m_algorithm(new QComboBox)
    , m_burstLabel(new QLabel(tr("Burst")))
    , m_burst(new QSpinBox)
    , m_retry(new QComboBox)
    , m_result(new QLabel)
{
    setObjectName(QStringLiteral("whatif"));
    auto *body = new QWidget(this);
    auto *grid = new QGridLayout(body);
    grid->setContentsMargins(6, 4, 6, 4);
    m_slider->setObjectName(QStringLiteral("whatif-slider"));
    m_slider->setRange(1, 1000);
    m_slider->setToolTip(resolutionNote());
    m_limit->setRange(1, 1'000'000'000);
    m_limit->setGroupSeparatorShown(true);
    m_limit->setToolTip(tr("The limit to replay the requests against (N per window)"));
    const std::pair<QString, int> windows[] = { { tr("per second"), 1 }, { tr("per 10 s"), 10 },
        { tr("per minute"), 60 }, { tr("per hour"), 3600 }, { tr("per day"), 86400 } };
    for (const auto &[text, s] : windows)
        m_window->addItem(text, s);
    m_window->setCurrentIndex(2);
    m_algorithm->addItem(tr("Fixed window"), int(LimiterSpec::Kind::Fixed));
    m_algorithm->addItem(tr("Sliding log"), int(LimiterSpec::Kind::Sliding));
    m_algorithm->addItem(tr("Token bucket"), int(LimiterSpec::Kind::TokenBucket));
    m_algorithm->addItem(tr("GCRA"), int(LimiterSpec::Kind::Gcra));
    m_algorithm->setToolTip(tr("How the limit counts (app/aggregate/limiters.h): a fixed window "
                               "aligned to UTC, a sliding log, a token bucket filled "
                               "continuously, GCRA as redis-cell does it"));
    m_burst->setRange(0, 1'000'000'000);
    m_burst->setGroupSeparatorShown(true);
    m_burst->setToolTip(tr("Token bucket: the tokens it holds at most; GCRA: requests beyond "
                           "the first that may come at once"));
    m_retry->addItem(tr("Retries as recorded"), int(RetryPolicy::Mode::AsRecorded));
    m_retry->addItem(tr("No retries"), int(RetryPolicy::Mode::None));
    m_retry->addItem(tr("Honour Retry-After"), int(RetryPolicy::Mode::Honour));
    m_retry->addItem(tr("Backoff 1 s…60 s, jitter"), int(RetryPolicy::Mode::Backoff));
    m_retry->setToolTip(
        tr("As recorded: every record at its own time. The others take the log's own retries "
           "out first (a request after a 429 of the same client and endpoint within 5 min: a "
           "guess), then drop a refused request, offer it again at the limiter's reset, or "
           "after an exponential backoff with full jitter. Honour and backoff are drawn once "
           "the exact replay is done."));
    m_result->setTextFormat(Qt::RichText);
    m_result->setWordWrap(true);
    m_result->setObjectName(QStringLiteral("whatif-result"));
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *limitLabel = new QLabel(tr("&Limit"));
    limitLabel->setBuddy(m_limit);
    grid->addWidget(limitLabel, 0, 0);
    grid->addWidget(m_slider, 0, 1, 1, 4);
    grid->addWidget(m_limit, 0, 5);
    grid->addWidget(m_window, 0, 6);
    grid->addWidget(m_algorithm, 1, 1);
    grid->addWidget(m_burstLabel, 1, 2);
    grid->addWidget(m_burst, 1, 3);
    grid->addWidget(m_retry, 1, 4, 1, 3);
    grid->addWidget(m_result, 2, 0, 1, 7);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(4, 1);
    setWidget(body);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        const QSignalBlocker block(m_limit);
        m_limit->setValue(v);
        settingsEdited();
    });
    connect(m_limit, &QSpinBox::valueChanged, this, [this](int v) {
        if (v > m_slider->maximum())
            m_slider->setMaximum(v);
        const QSignalBlocker block(m_slider);
        m_slider->setValue(v);
        settingsEdited();
    });
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        updateRange();
        settingsEdited();
    });
    connect(m_algorithm, &QComboBox::currentIndexChanged, this, [this] {
        const auto kind = LimiterSpec::Kind(m_algorithm->currentData().toInt());
        const bool bursts
            = kind == LimiterSpec::Kind::TokenBucket || kind == LimiterSpec::Kind::Gcra;
        if (bursts && m_burst->value() == 0) {
            const QSignalBlocker block(m_burst);
            m_burst->setValue(m_limit->value()); // a window's worth at once
        }
        settingsEdited();
    });
    connect(m_burst, &QSpinBox::valueChanged, this, &WhatIfPanel::settingsEdited);
    connect(m_retry, &QComboBox::currentIndexChanged, this, &WhatIfPanel::settingsEdited);
    connect(&m_model, &WhatIfModel::arrivalsChanged, this, &WhatIfPanel::arrivalsChanged);
    connect(&m_model, &WhatIfModel::curveChanged, this, &WhatIfPanel::curveChanged);
    settingsEdited();
}

QString WhatIfPanel::resolutionNote()
{
    return tr("While the slider moves, the requests are replayed as counts per second, each "
              "second's requests as if they came at its start: exact for a fixed window (its "
              "windows hold whole seconds), and for a sliding log, a token bucket or GCRA off "
              "by at most the requests of one second at a window's edge or a refill. When the "
              "slider rests, every request is replayed at its own time (as ratescope whatif "
              "does) and the figures say \"exact\".");
}

LimiterSpec WhatIfPanel::limiter() const
{
    LimiterSpec spec;
    spec.kind = LimiterSpec::Kind(m_algorithm->currentData().toInt());
    spec.limit = m_limit->value();
    spec.windowMs = std::int64_t(m_window->currentData().toInt()) * 1000;
    spec.burst = m_burst->value();
    return spec;
}

RetryPolicy WhatIfPanel::retryPolicy() const
{
    RetryPolicy p;
    p.mode = RetryPolicy::Mode(m_retry->currentData().toInt());
    p.jitter = p.mode == RetryPolicy::Mode::Backoff;
    return p;
}

void WhatIfPanel::settingsEdited()
{
    const auto kind = LimiterSpec::Kind(m_algorithm->currentData().toInt());
    const bool bursts = kind == LimiterSpec::Kind::TokenBucket || kind == LimiterSpec::Kind::Gcra;
    m_burst->setEnabled(bursts);
    m_burstLabel->setEnabled(bursts);
    m_model.setSettings(limiter(), retryPolicy());
}

void WhatIfPanel::updateRange()
{
    const WhatIfArrivals *a = m_model.arrivals();
    if (!a)
        return;
    // up to twice the busiest window (a fixed window's smallest limit without refusals)
    const std::int64_t windowMs = std::int64_t(m_window->currentData().toInt()) * 1000;
    const std::int64_t peak = a->peakPerWindow(windowMs);
    const int top = int(std::clamp<std::int64_t>(
        std::max<std::int64_t>(peak * 2, m_limit->value()), 10, 1'000'000'000));
    const QSignalBlocker block(m_slider);
    m_slider->setRange(1, top);
    m_slider->setPageStep(std::max(1, top / 20));
    m_slider->setValue(m_limit->value());
}

void WhatIfPanel::arrivalsChanged()
{
    const WhatIfArrivals *a = m_model.arrivals();
    if (!a) {
        m_result->setText(m_model.reason().isEmpty() ? tr("<i>counting the requests…</i>")
                                                     : m_model.reason().toHtmlEscaped());
        return;
    }
    if (a->scope != m_scope) { // a new scope starts at its own limit
        m_scope = a->scope;
        const QSignalBlocker b1(m_limit), b2(m_window), b3(m_burst);
        const std::optional<LimitSpec> start = m_preset ? m_preset : a->ownLimit;
        m_preset.reset();
        const int w = start && start->windowS && *start->windowS > 0
            ? m_window->findData(int(*start->windowS))
            : -1;
        if (w >= 0) {
            m_window->setCurrentIndex(w);
            m_limit->setValue(int(std::min<std::int64_t>(start->requests, 1'000'000'000)));
        } else { // no limit known (or in a window the panel has not): the busiest minute
            m_window->setCurrentIndex(m_window->findData(60));
            m_limit->setValue(
                int(std::clamp<std::int64_t>(a->peakPerWindow(60000), 1, 1'000'000'000)));
        }
        if (m_burst->value() == 0)
            m_burst->setValue(m_limit->value());
    }
    updateRange();
    settingsEdited();
}

void WhatIfPanel::curveChanged()
{
    const WhatIfArrivals *a = m_model.arrivals();
    if (!a) {
        arrivalsChanged();
        return;
    }
    const WhatIfCurve &c = m_model.curve();
    const std::optional<WhatIfScope> &exact = m_model.exact();
    const QString unit = m_window->currentText();
    QString html;
    const QString recorded = tr("recorded: %1 RATE_LIMITED of %2 requests")
                                 .arg(count(a->recordedRejected), count(a->requests));
    if (exact) {
        html += tr("<b>%1</b> rejections predicted in %2 minutes, %3 incidents (exact) · %4")
                    .arg(count(exact->predicted.rejected), count(exact->predicted.minutesOverLimit),
                        count(exact->predicted.incidents), recorded);
        if (exact->smallestLimit)
            html += tr("<br>Smallest limit without a rejection: <b>%1 %2</b>")
                        .arg(count(*exact->smallestLimit), unit);
        if (exact->logRetries > 0)
            html += tr(" · the log's own retries taken out: %1").arg(count(exact->logRetries));
        if (exact->dropped > 0)
            html += tr(" · dropped: %1").arg(count(exact->dropped));
        if (exact->retryDelayP50S)
            html += tr(" · retries add %1 (median), %2 (p99)")
                        .arg(seconds(*exact->retryDelayP50S),
                            seconds(exact->retryDelayP99S.value_or(0)));
    } else if (m_retry->currentData().toInt() == int(RetryPolicy::Mode::Honour)
        || m_retry->currentData().toInt() == int(RetryPolicy::Mode::Backoff)) {
        html += tr("<i>replaying every request with its retries…</i> · %1").arg(recorded);
    } else {
        html += tr("<b>≈%1</b> rejections predicted in %2 minutes (per-second replay; exact when "
                   "the slider rests) · %3")
                    .arg(count(c.rejected), count(c.minutesOverLimit), recorded);
    }
    m_result->setText(html);
    m_result->setToolTip(resolutionNote());
}
