#include "filterbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>
#include <QToolButton>

namespace {

QComboBox *makeCombo(QWidget *parent, const QString &any, const QString &tip, int width)
{
    auto *c = new QComboBox(parent);
    c->addItem(any);
    c->setToolTip(tip);
    c->setMinimumContentsLength(width);
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    return c;
}

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    m_tool = makeCombo(this, tr("any tool"), tr("Only records of this tool"), 14);
    m_provider = makeCombo(this, tr("any provider"), tr("Only records of this provider"), 10);
    m_status = makeCombo(this, tr("any status"), tr("Only records with this HTTP status"), 7);
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Search message, endpoint, tool, code… (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(120);
    m_timeOn = new QCheckBox(tr("Time"), this);
    m_timeOn->setToolTip(tr("Only records from … to (half-open)"));
    m_from = new QDateTimeEdit(this);
    m_to = new QDateTimeEdit(this);
    for (QDateTimeEdit *e : { m_from, m_to }) {
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        e->setEnabled(false);
    }
    m_visible = new QToolButton(this);
    m_visible->setText(tr("Visible range"));
    m_visible->setToolTip(tr("Filter to the time range the chart shows"));
    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Clear tool, provider, status, text and time (sources stay)"));

    // narrow windows (and --size screenshots) squeeze the bar rather than grow the window
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(new QLabel(tr("Filter:"), this));
    layout->addWidget(m_tool);
    layout->addWidget(m_provider);
    layout->addWidget(m_status);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_timeOn);
    layout->addWidget(m_from);
    layout->addWidget(new QLabel(QStringLiteral("–"), this));
    layout->addWidget(m_to);
    layout->addWidget(m_visible);
    layout->addWidget(m_clear);

    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(250);
    connect(&m_textDelay, &QTimer::timeout, this, &FilterBar::emitEdited);
    connect(m_text, &QLineEdit::textEdited, &m_textDelay, qOverload<>(&QTimer::start));
    connect(m_text, &QLineEdit::returnPressed, this, &FilterBar::emitEdited);
    for (QComboBox *c : { m_tool, m_provider, m_status })
        connect(c, &QComboBox::activated, this, &FilterBar::emitEdited);
    connect(m_timeOn, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        emitEdited();
    });
    connect(m_from, &QDateTimeEdit::editingFinished, this, &FilterBar::emitEdited);
    connect(m_to, &QDateTimeEdit::editingFinished, this, &FilterBar::emitEdited);
    connect(m_visible, &QToolButton::clicked, this, [this] {
        if (m_visibleTo <= m_visibleFrom)
            return;
        FilterState s = current();
        s.fromMs = m_visibleFrom;
        s.toMs = m_visibleTo;
        setState(s);
        Q_EMIT edited(s);
    });
    connect(m_clear, &QToolButton::clicked, this, &FilterBar::clear);
    setUtc(true);
}

void FilterBar::setChoices(
    const QStringList &tools, const QStringList &providers, const QList<int> &statuses)
{
    // Each item's data is the value filtered on; its text is what is shown (tool and provider
    // names are input text: redacted).
    auto fill = [](QComboBox *c, const QStringList &items, const QVariantList &values) {
        // live snapshots call this often: leave an open list alone when nothing is new
        bool same = c->count() == items.size() + 1;
        for (int i = 0; same && i < items.size(); ++i)
            same = c->itemData(i + 1) == values[i];
        if (same)
            return;
        const QSignalBlocker block(c);
        while (c->count() > 1)
            c->removeItem(1);
        for (int i = 0; i < items.size(); ++i)
            c->addItem(items[i], values[i]);
    };
    auto names = [this](const QStringList &real) {
        QStringList shown;
        QVariantList values;
        for (const QString &n : real) {
            shown << QString::fromStdString(m_redactor.text(n.toStdString()));
            values << n;
        }
        return std::pair { shown, values };
    };
    const auto [toolText, toolValues] = names(tools);
    fill(m_tool, toolText, toolValues);
    const auto [providerText, providerValues] = names(providers);
    fill(m_provider, providerText, providerValues);
    QStringList s;
    QVariantList statusValues;
    for (int st : statuses) {
        s << (st < 0 ? tr("none") : QString::number(st));
        statusValues << st;
    }
    fill(m_status, s, statusValues);
    setState(m_state);
}

void FilterBar::setUtc(bool utc)
{
    m_utc = utc;
    for (QDateTimeEdit *e : { m_from, m_to }) {
        const qint64 ms = e->dateTime().toMSecsSinceEpoch();
        e->setTimeSpec(utc ? Qt::UTC : Qt::LocalTime);
        e->setDateTime(utc ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                           : QDateTime::fromMSecsSinceEpoch(ms));
    }
}

void FilterBar::setVisibleRange(qint64 fromMs, qint64 toMs)
{
    m_visibleFrom = fromMs;
    m_visibleTo = toMs;
    if (m_timeOn->isChecked())
        return;
    // while off, the (disabled) fields show what the chart shows: a sensible start when on
    const QSignalBlocker b1(m_from), b2(m_to);
    for (auto [edit, ms] : { std::pair { m_from, fromMs }, std::pair { m_to, toMs } })
        edit->setDateTime(m_utc ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                                : QDateTime::fromMSecsSinceEpoch(ms));
}

void FilterBar::setState(const FilterState &state)
{
    m_state = state;
    auto select = [](QComboBox *c, const QString &text) {
        const QSignalBlocker block(c);
        const int i = text.isEmpty() ? 0 : c->findData(text);
        c->setCurrentIndex(std::max(0, i));
    };
    select(m_tool, state.tool);
    select(m_provider, state.provider);
    {
        const QSignalBlocker block(m_status);
        const int i
            = state.status == FilterState::kAnyStatus ? 0 : m_status->findData(state.status);
        m_status->setCurrentIndex(std::max(0, i));
    }
    if (m_text->text() != state.text)
        m_text->setText(state.text);
    const QSignalBlocker b1(m_timeOn), b2(m_from), b3(m_to);
    const bool timeOn = state.fromMs || state.toMs;
    m_timeOn->setChecked(timeOn);
    m_from->setEnabled(timeOn);
    m_to->setEnabled(timeOn);
    auto toDt = [this](qint64 ms) {
        return m_utc ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                     : QDateTime::fromMSecsSinceEpoch(ms);
    };
    if (state.fromMs)
        m_from->setDateTime(toDt(*state.fromMs));
    if (state.toMs)
        m_to->setDateTime(toDt(*state.toMs));
}

void FilterBar::clear()
{
    FilterState s;
    s.sources = m_state.sources;
    setState(s);
    Q_EMIT edited(s);
}

FilterState FilterBar::current() const
{
    FilterState s;
    s.sources = m_state.sources;
    s.tool = m_tool->currentIndex() > 0 ? m_tool->currentData().toString() : QString();
    s.provider = m_provider->currentIndex() > 0 ? m_provider->currentData().toString() : QString();
    s.status
        = m_status->currentIndex() > 0 ? m_status->currentData().toInt() : FilterState::kAnyStatus;
    s.text = m_text->text().trimmed();
    if (m_timeOn->isChecked()) {
        s.fromMs = m_from->dateTime().toMSecsSinceEpoch();
        s.toMs = m_to->dateTime().toMSecsSinceEpoch();
    }
    return s;
}

void FilterBar::emitEdited()
{
    m_textDelay.stop();
    const FilterState s = current();
    m_state = s;
    Q_EMIT edited(s);
}
