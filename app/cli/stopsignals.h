#pragma once

// SIGINT/SIGTERM as readable events (signalfd: no handler, no global state). They are
// blocked in this thread before any worker thread starts, so every thread inherits it.
// `ratescope monitor` ends on them, whatever it watches.

#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>

#include <algorithm>
#include <functional>

#include <csignal>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

class StopSignals
{
public:
    StopSignals()
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, &m_old);
        m_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    }
    ~StopSignals()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;
    int fd() const { return m_fd; }
    QString take()
    {
        signalfd_siginfo info {};
        if (::read(m_fd, &info, sizeof info) != ssize_t(sizeof info))
            return {};
        return info.ssi_signo == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM");
    }

private:
    int m_fd = -1;
    sigset_t m_old;
};

// What ends a monitor besides its sources: SIGINT or SIGTERM, and --duration (seconds; < 0:
// none). finish(why) runs in `context`'s thread ("SIGINT", "--duration reached").
class StopTriggers
{
public:
    StopTriggers(StopSignals &signals, QObject *context, double durationSeconds,
        std::function<void(const QString &)> finish)
        : m_notifier(qintptr(signals.fd()), QSocketNotifier::Read)
    {
        QObject::connect(&m_notifier, &QSocketNotifier::activated, context,
            [&signals, finish] { finish(signals.take()); });
        m_duration.setSingleShot(true);
        QObject::connect(&m_duration, &QTimer::timeout, context,
            [finish] { finish(QStringLiteral("--duration reached")); });
        if (durationSeconds >= 0)
            m_duration.start(int(std::min(durationSeconds * 1000.0, 2e9)));
    }
    StopTriggers(const StopTriggers &) = delete;
    StopTriggers &operator=(const StopTriggers &) = delete;

private:
    QSocketNotifier m_notifier;
    QTimer m_duration;
};
