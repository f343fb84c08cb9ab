#include "loadprogress.h"

#include "model/loadjob.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

LoadProgress::LoadProgress(LoadJob &job, QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    m_bar->setRange(0, 1000);
    m_bar->setFixedWidth(180);
    m_bar->setTextVisible(true);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    hide();
    connect(m_cancel, &QToolButton::clicked, &job, &LoadJob::cancel);
    connect(&job, &LoadJob::started, this, [this](const QStringList &paths) {
        m_label->setText(paths.size() == 1
                ? tr("Loading %1").arg(QFileInfo(paths.front()).fileName())
                : tr("Loading %1 files").arg(paths.size()));
        m_bar->setValue(0);
        show();
    });
    connect(&job, &LoadJob::progress, this, [this](qint64 done, qint64 total) {
        m_bar->setValue(total > 0 ? int(done * 1000 / total) : 0);
    });
    connect(&job, &LoadJob::finished, this, &QWidget::hide);
    connect(&job, &LoadJob::cancelled, this, &QWidget::hide);
}
