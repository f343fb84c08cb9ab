#pragma once

// What the soak runs of the live benchmarks share (issue 22): traffic of many simulated hours
// sent as fast as the session takes it (records carry simulated times), the process's RSS,
// and summaries compared apart from their inputs.

#include "loopback.h"
#include "sim/simulator.h"

#include <QByteArray>
#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

// Resident set of this process now, in MB (/proc/self/statm).
inline double rssMb()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    if (parts.size() < 2)
        return -1;
    return double(parts[1].toLongLong()) * double(::sysconf(_SC_PAGESIZE)) / 1e6;
}

// The simulator at about `perSecond` records a second of simulated time for `hours`: the demo's
// Scalekit, Skytells and OpenAI traffic scaled up, with its incidents, retries and polling.
inline SimulatorOptions soakTraffic(int perSecond, double hours)
{
    SimulatorOptions o;
    o.minutes = std::int64_t(hours * 60);
    o.meanRpm = perSecond * 60 * 42 / 100; // the rest: retries, Skytells, OpenAI (measured)
    o.limitRpm = o.meanRpm * 11 / 10;
    o.skytellsLimit = perSecond * 6;
    o.openaiRpm = perSecond * 6;
    o.openaiLimitRequests = perSecond * 8;
    o.openaiLimitTokens = perSecond * 3000;
    return o;
}

// The lines of the next `bytes` or so of traffic, each ending in a newline; empty at the end.
inline std::string nextTraffic(TrafficSimulator &sim, std::size_t bytes, std::int64_t *lastMs)
{
    std::string buf;
    buf.reserve(bytes + 4096);
    SimRecord r;
    while (buf.size() < bytes && sim.next(r)) {
        buf.append(r.line.data(), r.line.size());
        buf.push_back('\n');
        *lastMs = r.timeMs;
    }
    return buf;
}

// The simulated hours a soak has reached: advance(t, f) calls f(hour) once for each hour
// that record time t completed since the last call.
struct HourTicker
{
    std::int64_t startMs = 0;
    int hour = 0;

    template <typename F> void advance(std::int64_t reachedMs, F &&f)
    {
        while (reachedMs >= startMs + std::int64_t(hour + 1) * 3600000) {
            ++hour;
            f(hour);
        }
    }
};

// Sends the soak's traffic to a loopback socket as fast as the receiver takes it in: never more
// than `ahead` records beyond `taken` (what the session has counted), so that records queued
// between threads are not measured as the session's memory. Sets *records and then *sent.
inline void sendSoak(int fd, const SimulatorOptions &options,
    const std::atomic<std::int64_t> &taken, std::int64_t ahead, std::int64_t *records,
    std::atomic<bool> *sent)
{
    TrafficSimulator sim(options);
    std::int64_t lastMs = 0, n = 0;
    for (;;) {
        const std::string buf = nextTraffic(sim, 1 << 20, &lastMs);
        if (buf.empty())
            break;
        n += std::count(buf.begin(), buf.end(), '\n');
        while (n - taken > ahead)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        sendAll(fd, buf.data(), buf.size());
    }
    ::shutdown(fd, SHUT_WR);
    *records = n;
    *sent = true;
}

// A summary's JSON without some of its top-level keys.
inline std::string without(const QByteArray &json, const std::vector<std::string> &keys)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(
        json.constData(), json.constData() + json.size(), nullptr, false);
    if (j.is_discarded())
        return "(not JSON)";
    for (const std::string &k : keys)
        j.erase(k);
    return j.dump(1);
}

// A summary's JSON without its `inputs` section (which names the sources: a file, a listener),
// for comparing the summary of a live session with that of its capture read back.
inline std::string withoutInputs(const QByteArray &json) { return without(json, { "inputs" }); }
