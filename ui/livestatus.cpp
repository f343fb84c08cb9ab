#include "livestatus.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>

LiveStatus::LiveStatus(QWidget *parent)
    : QWidget(parent)
    , m_paused(new QLabel(tr("⏸ paused"), this))
    , m_capture(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_paused);
    layout->addWidget(m_capture);
    m_paused->setToolTip(tr("The chart and the table hold still; records keep arriving and are "
                            "captured. Watch ▸ Resume shows them."));
    m_paused->hide();
    m_capture->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

QString LiveStatus::sourceText(int id) const
{
    const auto it = m_sources.find(id);
    return it == m_sources.end() ? QString() : it->second->text();
}

QString LiveStatus::captureText() const { return m_capture->text(); }

void LiveStatus::startWatching(const QString &capturePath)
{
    for (auto &[id, label] : m_sources)
        delete label;
    m_sources.clear();
    setCapturePath(capturePath);
    setPaused(false);
    show();
}

void LiveStatus::setCapturePath(const QString &capturePath)
{
    m_capture->setText(tr("capture: %1").arg(QFileInfo(capturePath).fileName()));
    m_capture->setToolTip(tr("Everything received is appended to\n%1\nOpen it later to inspect "
                             "or export this session.")
                              .arg(QDir::toNativeSeparators(capturePath)));
}

void LiveStatus::setSourceState(const LiveSourceState &state)
{
    QLabel *&label = m_sources[state.id];
    if (!label) {
        label = new QLabel(this);
        static_cast<QHBoxLayout *>(layout())->insertWidget(int(m_sources.size()) - 1, label);
    }
    const bool bad = state.status == LiveSourceState::Status::Failed
        || state.status == LiveSourceState::Status::Reconnecting
        || state.status == LiveSourceState::Status::Waiting;
    label->setText(QStringLiteral("%1 %2: %3")
                       .arg(bad ? QStringLiteral("○") : QStringLiteral("●"), state.name,
                           sourceStatusText(state)));
    label->setToolTip(state.message.isEmpty()
            ? tr("%1 records, %2 skipped, %3 duplicates, %4 dropped lines")
                  .arg(state.records)
                  .arg(state.skipped)
                  .arg(state.duplicates)
                  .arg(state.droppedLines)
            : state.message);
}

void LiveStatus::setPaused(bool paused) { m_paused->setVisible(paused); }

void LiveStatus::stopWatching()
{
    m_paused->hide();
    for (auto &[id, label] : m_sources)
        label->setText(label->text() + tr(" (stopped)"));
}
