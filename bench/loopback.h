#pragma once

// What the live benchmarks share: a blocking loopback client and percentiles.

#include <QtGlobal>

#include <algorithm>
#include <arpa/inet.h>
#include <cstddef>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

// A blocking TCP connection to 127.0.0.1:port (TCP_NODELAY when asked: paced senders).
inline int connectLoopback(quint16 port, bool noDelay = false)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
        qFatal("cannot connect to 127.0.0.1:%u", unsigned(port));
    if (noDelay) {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

inline void sendAll(int fd, const char *p, std::size_t n)
{
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            qFatal("send failed");
        p += w;
        n -= std::size_t(w);
    }
}

template <typename T> double percentile(std::vector<T> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return double(v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))]);
}
