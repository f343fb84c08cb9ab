#include "watchmenu.h"

#include "base/bytesize.h"
#include "base/limitspec.h"
#include "uisettings.h"

#include <QActionGroup>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QHostAddress>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QUrl>

namespace {

int storedInt(const UiSettings &settings, const QString &key, int fallback)
{
    bool ok = false;
    const int v = settings.value(key).toInt(&ok);
    return ok ? v : fallback;
}

} // namespace

WatchMenu::WatchMenu(UiSettings &settings, QWidget *parent)
    : QMenu(tr("&Watch"), parent)
    , m_settings(settings)
{
    addAction(tr("&Follow file…"), QKeySequence(QStringLiteral("Ctrl+Shift+F")), this,
        &WatchMenu::followFile);
    addAction(tr("&Listen on port…"), QKeySequence(QStringLiteral("Ctrl+Shift+L")), this,
        &WatchMenu::listen);
    addAction(tr("Connect to stream &URL…"), QKeySequence(QStringLiteral("Ctrl+Shift+U")), this,
        &WatchMenu::connectUrl);
    addSeparator();
    m_pause = addAction(tr("&Pause"), QKeySequence(QStringLiteral("Ctrl+Shift+P")));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold the chart and the table still; records keep arriving"));
    connect(m_pause, &QAction::toggled, this, &WatchMenu::pauseToggled);
    m_stop = addAction(tr("&Stop watching"), this, &WatchMenu::stopRequested);
    m_openCapture = addAction(tr("Open the &capture folder"), this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_capturePath).absolutePath()));
    });
    addSeparator();

    m_fromStart = addAction(tr("Follow files from their &start"));
    m_fromStart->setCheckable(true);
    m_fromStart->setToolTip(tr("Off: like tail -F, only lines added after you start watching"));
    m_fromStart->setChecked(storedInt(settings, QStringLiteral("live/fromStart"), 0) != 0);
    connect(m_fromStart, &QAction::toggled, this,
        [this](bool on) { m_settings.setValue(QStringLiteral("live/fromStart"), on ? "1" : "0"); });
    const int minutes = storedInt(settings, QStringLiteral("live/windowMinutes"), 15);
    m_windowMs = qint64(minutes) * 60000;
    addChoices(addMenu(tr("Chart &follows the last")),
        { { tr("5 minutes"), 5 }, { tr("15 minutes"), 15 }, { tr("1 hour"), 60 },
            { tr("6 hours"), 360 } },
        minutes, QStringLiteral("live/windowMinutes"), &WatchMenu::chooseWindow);
    const int percent = storedInt(settings, QStringLiteral("live/warnPercent"), 90);
    m_share = percent / 100.0;
    addChoices(addMenu(tr("&Warn when a minute reaches")),
        { { tr("75 % of the limit"), 75 }, { tr("90 % of the limit"), 90 },
            { tr("100 % of the limit"), 100 } },
        percent, QStringLiteral("live/warnPercent"), &WatchMenu::chooseShare);
    m_notify = addAction(tr("&Desktop notifications"));
    m_notify->setCheckable(true);
    m_notify->setChecked(storedInt(settings, QStringLiteral("live/notify"), 1) != 0);
    connect(m_notify, &QAction::toggled, this, [this](bool on) {
        m_settings.setValue(QStringLiteral("live/notify"), on ? "1" : "0");
        Q_EMIT notificationsToggled(on);
    });
    // the raw records held in memory: a window; older ones are counted (issue 22)
    const int keepMinutes = storedInt(settings, QStringLiteral("live/keepMinutes"), 120);
    m_keepMs = qint64(std::max(0, keepMinutes)) * 60000;
    QMenu *hold = addMenu(tr("&Hold raw records of the last"));
    hold->setToolTip(tr("Older records are counted in the chart and incidents, and read back "
                        "from the capture file; all of them: memory grows as records come"));
    m_keep = addChoices(hold,
        { { tr("30 minutes"), 30 }, { tr("2 hours"), 120 }, { tr("6 hours"), 360 },
            { tr("24 hours"), 1440 }, { tr("All of them (memory grows)"), 0 } },
        keepMinutes, QStringLiteral("live/keepMinutes"), &WatchMenu::chooseKeep);
    // the capture file: one file (default), or segments with the newest kept
    QMenu *capture = addMenu(tr("&Capture file"));
    capture->setToolTip(tr("Everything received is appended to a capture file; it can start a "
                           "new segment at a size and delete the oldest"));
    const int maxMiB = storedInt(settings, QStringLiteral("live/captureMaxMiB"), 0);
    m_rotation.maxBytes = std::uint64_t(std::max(0, maxMiB)) << 20;
    m_captureMax = addChoices(capture,
        { { tr("One file, never rotated"), 0 }, { tr("New segment every 64 MiB"), 64 },
            { tr("New segment every 256 MiB"), 256 }, { tr("New segment every 1 GiB"), 1024 },
            { tr("New segment every 4 GiB"), 4096 } },
        maxMiB, QStringLiteral("live/captureMaxMiB"), &WatchMenu::chooseCaptureMax);
    capture->addSeparator();
    const int keep
        = storedInt(settings, QStringLiteral("live/captureKeep"), CaptureRotation::kDefaultKeep);
    m_rotation.keep = std::max(1, keep);
    m_captureKeep = addChoices(capture,
        { { tr("Keep the newest 2 segments"), 2 }, { tr("Keep the newest 4 segments"), 4 },
            { tr("Keep the newest 8 segments"), 8 }, { tr("Keep the newest 16 segments"), 16 },
            { tr("Keep the newest 64 segments"), 64 } },
        keep, QStringLiteral("live/captureKeep"), &WatchMenu::chooseCaptureKeep);
    setWatching(false);
}

bool WatchMenu::notificationsEnabled() const { return m_notify->isChecked(); }

bool WatchMenu::followFromStart() const { return m_fromStart->isChecked(); }

QActionGroup *WatchMenu::addChoices(QMenu *menu, const QList<std::pair<QString, int>> &choices,
    int current, const QString &settingsKey, void (WatchMenu::*onChosen)(int))
{
    auto *group = new QActionGroup(menu);
    for (const auto &[text, value] : choices) {
        QAction *a = menu->addAction(text, this, [this, settingsKey, onChosen, v = value] {
            m_settings.setValue(settingsKey, QByteArray::number(v));
            (this->*onChosen)(v);
        });
        a->setCheckable(true);
        a->setChecked(value == current);
        a->setData(value);
        group->addAction(a);
    }
    return group;
}

void WatchMenu::checkChoice(
    QActionGroup *group, int value, const QString &text, const std::function<void()> &onChosen)
{
    for (QAction *a : group->actions()) {
        if (a->data().isValid() && a->data().toInt() == value) {
            a->setChecked(true);
            return;
        }
    }
    // not offered: shown checked for this run (and chosen again by it), never remembered
    auto *menu = qobject_cast<QMenu *>(group->parent());
    QAction *a = menu->addAction(text, this, onChosen);
    a->setCheckable(true);
    group->addAction(a);
    a->setChecked(true);
}

void WatchMenu::setCaptureRotation(const CaptureRotation &rotation)
{
    m_rotation = rotation;
    const std::uint64_t mib = std::uint64_t(1) << 20;
    const bool offered = rotation.maxBytes % mib == 0 && rotation.maxBytes / mib <= 4096;
    checkChoice(m_captureMax, offered ? int(rotation.maxBytes / mib) : -1,
        tr("New segment every %1 (command line)").arg(byteSizeText(rotation.maxBytes)),
        [this, bytes = rotation.maxBytes] { m_rotation.maxBytes = bytes; });
    checkChoice(m_captureKeep, rotation.keep,
        tr("Keep the newest %1 segments (command line)").arg(rotation.keep),
        [this, keep = rotation.keep] { m_rotation.keep = keep; });
}

void WatchMenu::chooseCaptureMax(int mebibytes)
{
    m_rotation.maxBytes = std::uint64_t(std::max(0, mebibytes)) << 20;
}

void WatchMenu::chooseCaptureKeep(int segments) { m_rotation.keep = std::max(1, segments); }

void WatchMenu::chooseKeep(int minutes) { m_keepMs = qint64(std::max(0, minutes)) * 60000; }

void WatchMenu::setKeepMs(qint64 ms)
{
    m_keepMs = std::max<qint64>(0, ms);
    const bool offered = m_keepMs % 60000 == 0
        && QList<qint64> { 30, 120, 360, 1440, 0 }.contains(m_keepMs / 60000);
    checkChoice(m_keep, offered ? int(m_keepMs / 60000) : -1,
        m_keepMs == 0 ? tr("All of them (command line)")
                      : tr("%1 (command line)").arg(spanText(m_keepMs / 1000)),
        [this, ms = m_keepMs] { m_keepMs = ms; });
}

void WatchMenu::chooseWindow(int minutes)
{
    m_windowMs = qint64(minutes) * 60000;
    Q_EMIT followWindowChanged(m_windowMs);
}

void WatchMenu::chooseShare(int percent)
{
    m_share = percent / 100.0;
    Q_EMIT warnShareChanged(m_share);
}

void WatchMenu::setWatching(bool watching)
{
    m_pause->setEnabled(watching);
    m_stop->setEnabled(watching);
    if (!watching)
        setPaused(false);
}

void WatchMenu::setPaused(bool paused)
{
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
}

void WatchMenu::setCapturePath(const QString &path)
{
    m_capturePath = path;
    m_openCapture->setEnabled(!path.isEmpty());
}

void WatchMenu::followFile()
{
    const QString path = QFileDialog::getOpenFileName(parentWidget(), tr("Follow a growing log"),
        QString::fromUtf8(m_settings.value(QStringLiteral("live/lastFile"))),
        tr("Logs (*.ndjson *.jsonl *.log *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    m_settings.setValue(QStringLiteral("live/lastFile"), path.toUtf8());
    LiveSourceSpec spec;
    spec.kind = LiveSourceSpec::Kind::File;
    spec.path = path;
    Q_EMIT watchRequested({ spec });
}

void WatchMenu::listen()
{
    QString last = QString::fromUtf8(m_settings.value(QStringLiteral("live/lastListen")));
    if (last.isEmpty())
        last = QStringLiteral("127.0.0.1:9099");
    bool ok = false;
    const QString text = QInputDialog::getText(parentWidget(), tr("Listen on port"),
        tr("Accept NDJSON records over TCP on (HOST:PORT; loopback unless you say otherwise):"),
        QLineEdit::Normal, last, &ok);
    if (!ok || text.trimmed().isEmpty())
        return;
    LiveSourceSpec spec;
    spec.kind = LiveSourceSpec::Kind::Listen;
    QString error;
    if (!parseListenAddress(text.trimmed(), &spec.listen, &error)) {
        QMessageBox::warning(parentWidget(), tr("Listen on port"), error);
        return;
    }
    const QHostAddress address(spec.listen.host);
    const bool loopback = spec.listen.host == QLatin1String("localhost") || address.isLoopback();
    if (!loopback) {
        // binding anything but loopback is an explicit choice
        if (QMessageBox::warning(parentWidget(), tr("Listen on port"),
                tr("%1 is not a loopback address: other machines could send records to it. "
                   "Listen there anyway?")
                    .arg(spec.listen.host),
                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Yes)
            return;
        spec.listen.allowRemote = true;
    }
    m_settings.setValue(QStringLiteral("live/lastListen"), text.trimmed().toUtf8());
    Q_EMIT watchRequested({ spec });
}

void WatchMenu::connectUrl()
{
    bool ok = false;
    const QString text = QInputDialog::getText(parentWidget(), tr("Connect to stream URL"),
        tr("An http(s) URL that streams NDJSON or Server-Sent Events:"), QLineEdit::Normal,
        QString::fromUtf8(m_settings.value(QStringLiteral("live/lastUrl"))), &ok);
    if (!ok || text.trimmed().isEmpty())
        return;
    LiveSourceSpec spec;
    QString error;
    if (!parseSourceSpec(text.trimmed(), &spec, &error) || spec.kind != LiveSourceSpec::Kind::Url) {
        QMessageBox::warning(parentWidget(), tr("Connect to stream URL"),
            error.isEmpty() ? tr("\"%1\" is not an http:// or https:// URL").arg(text) : error);
        return;
    }
    m_settings.setValue(QStringLiteral("live/lastUrl"), text.trimmed().toUtf8());
    Q_EMIT watchRequested({ spec });
}
