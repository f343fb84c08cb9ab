#include "warningbanner.h"

#include "base/palette.h"
#include "sourcepalette.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

WarningBanner::WarningBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("warningBanner"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_text, 1);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, [this] {
        m_dismissed = m_text->text();
        hide();
    });
    setDark(false);
    hide();
}

QString WarningBanner::text() const { return m_text->text(); }

void WarningBanner::showWarning(const LiveWarning &warning)
{
    const QString when = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    m_text->setText(tr("⚠ %1 (at %2)").arg(warning.text, when));
    show();
}

void WarningBanner::showText(const QString &text)
{
    if (text.isEmpty() || text == m_dismissed) {
        hide();
        return;
    }
    m_text->setText(QStringLiteral("⚠ ") + text);
    show();
}

void WarningBanner::setDark(bool dark)
{
    m_dark = dark;
    // the over-limit colour of the chart, so the banner and the bands read as one thing
    const QColor band = QColor::fromRgba(Palette::kOverLimit);
    const QColor bg = dark ? band.darker(260) : band.lighter(150);
    const QColor fg = dark ? QColor(0xF0, 0xF0, 0xF0) : QColor(0x20, 0x20, 0x20);
    setStyleSheet(QStringLiteral("#%4 { background: %1; border-bottom: 1px solid %2; }"
                                 "#%4 QLabel { color: %3; }")
                      .arg(bg.name(), band.name(), fg.name(), objectName()));
}
