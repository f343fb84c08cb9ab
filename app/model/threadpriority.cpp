#include "model/threadpriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    // nice values are per thread on Linux; raising one's own needs no privilege
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5);
#endif
}
