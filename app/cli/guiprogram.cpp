#include "cli/guiprogram.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include <unistd.h>

int execGuiProgram(char **argv)
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string path = n > 0 ? std::string(self, std::size_t(n)) : std::string(argv[0]);
    const std::size_t slash = path.rfind('/');
    path = (slash == std::string::npos ? std::string(".") : path.substr(0, slash))
        + "/ratescope-gui";
    ::execv(path.c_str(), argv);
    std::fprintf(stderr,
        "ratescope: cannot start %s (the window, live sources and reports with a chart): %s\n",
        path.c_str(), std::strerror(errno));
    return 127;
}
