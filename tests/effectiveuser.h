#pragma once

// For the tests that must run as root (CI) and still see a permission denied: root reads
// through chmod 000 (CAP_DAC_OVERRIDE), an effective uid of 65534 does not.

#include <QtGlobal>

#include <sys/types.h>
#include <unistd.h>

// Runs as another effective user until destroyed (glibc changes it in every thread). Root
// keeps its real and saved uid, so it can come back.
class EffectiveUser
{
public:
    explicit EffectiveUser(uid_t uid)
        : m_previous(::geteuid())
        , m_ok(::seteuid(uid) == 0)
    {
    }
    ~EffectiveUser()
    {
        if (m_ok && ::seteuid(m_previous) != 0)
            qFatal("cannot return to uid %u", unsigned(m_previous));
    }
    EffectiveUser(const EffectiveUser &) = delete;
    EffectiveUser &operator=(const EffectiveUser &) = delete;
    bool ok() const { return m_ok; }

private:
    uid_t m_previous;
    bool m_ok;
};
