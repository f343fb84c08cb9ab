#pragma once

#include "aggregate/limiters.h"
#include "base/limitspec.h"
#include "export/whatif.h"

#include <QDockWidget>

#include <optional>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;
class WhatIfModel;

// View ▸ What if: the view's one scope replayed against another limit (issue 20). A limit
// slider and field with its window, an algorithm and a retry choice; the predicted refusals are
// drawn over the chart while the slider moves (WhatIfModel's per-second replay), and the exact
// replay's figures follow once it rests: the predicted rejections against the recorded ones,
// and the smallest limit without one.
class WhatIfPanel : public QDockWidget
{
    Q_OBJECT
public:
    explicit WhatIfPanel(WhatIfModel &model, QWidget *parent = nullptr);

    // The limit the next scope starts at, instead of its own (--what-if on the command line).
    void presetLimit(const LimitSpec &limit) { m_preset = limit; }

    QSlider *slider() const { return m_slider; }
    QSpinBox *limitBox() const { return m_limit; }
    QComboBox *windowBox() const { return m_window; }
    QComboBox *algorithmBox() const { return m_algorithm; }
    QSpinBox *burstBox() const { return m_burst; }
    QComboBox *retryBox() const { return m_retry; }
    QLabel *result() const { return m_result; }
    // The resolution of the drawn prediction and the error it can make (also the tooltip).
    static QString resolutionNote();

private:
    void arrivalsChanged();
    void curveChanged();
    void settingsEdited();
    void updateRange();
    LimiterSpec limiter() const;
    RetryPolicy retryPolicy() const;

    WhatIfModel &m_model;
    QSlider *m_slider;
    QSpinBox *m_limit;
    QComboBox *m_window;
    QComboBox *m_algorithm;
    QLabel *m_burstLabel;
    QSpinBox *m_burst;
    QComboBox *m_retry;
    QLabel *m_result;
    // the scope the settings were made for: a new scope starts at its own limit, the same
    // scope keeps what the user set
    std::string m_scope;
    std::optional<LimitSpec> m_preset;
};
