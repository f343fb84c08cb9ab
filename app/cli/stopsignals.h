#pragma once

// SIGINT/SIGTERM as readable events (signalfd: no handler, no global state). They are
// blocked in this thread before any worker thread starts, so every thread inherits it.
// `ratescope monitor` ends on them, whatever it watches.

#include <QString>

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
