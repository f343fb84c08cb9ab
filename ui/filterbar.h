#pragma once

#include "export/redactor.h"
#include "model/filterstate.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QToolButton;

// Tool, provider, status, text and time range of the one filter. Sources are the legend's.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(QWidget *parent = nullptr);

    void setChoices(
        const QStringList &tools, const QStringList &providers, const QList<int> &statuses);
    void setUtc(bool utc);
    QLineEdit *textEdit() const { return m_text; }

public Q_SLOTS:
    // Shows a state (from the controller) without emitting edited().
    void setState(const FilterState &state);
    // The chart's visible range, used by "visible range".
    void setVisibleRange(qint64 fromMs, qint64 toMs);
    void clear();

Q_SIGNALS:
    void edited(const FilterState &state);

private:
    FilterState current() const;
    void emitEdited();

    FilterState m_state; // the last state shown (keeps the legend's sources)
    // tool and provider choices show redacted text; the item data holds the name filtered on
    Redactor m_redactor = Redactor::builtIn();
    QComboBox *m_tool;
    QComboBox *m_provider;
    QComboBox *m_status;
    QLineEdit *m_text;
    QCheckBox *m_timeOn;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QToolButton *m_visible;
    QToolButton *m_clear;
    QTimer m_textDelay;
    qint64 m_visibleFrom = 0;
    qint64 m_visibleTo = 0;
    bool m_utc = true;
};
