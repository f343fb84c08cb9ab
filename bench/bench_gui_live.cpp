// bench_gui_live: the window watching a loopback port, against its targets:
//   >= 100,000 records/s sustained over loopback with the GUI open
//   frame time p99 <= 16 ms   (the GUI thread's event loop: gaps between ticks of a 4 ms timer)
//   record-to-chart latency <= 100 ms (from a record's send to the chart drawing it)
// and prints the peak RSS (getrusage) with its bytes per record received (issue 22).
//
//   bench_gui_live [--rate R] [--seconds S]     (default 100000 records/s for 10 s)
//   bench_gui_live --soak [--hours 24] [--per-second 1000] [--keep-minutes 30] [--no-compare]
//
// --soak (issue 22): H simulated hours of the simulator's traffic (records carry simulated
// times) sent as fast as the window takes them, the window holding the raw records of the
// last --keep-minutes; RSS, records held and let go every simulated hour; at the end the
// chart's 1-second counts, totals and incidents compared with those of the capture file read
// back whole (target: the same, RSS <= 300 MB).
//
// A sender thread writes NDJSON records (several tools, 5 % platform 429s, each stamped with
// its send time in ms) to the window's `Listen on port` source, paced in 2 ms steps. The
// whole GUI path runs: sources, ingest and capture file, LiveFeed snapshots, the filter, the
// chart (follows the last 5 minutes), the table and incidents. Latency is measured for every
// record when the chart first draws it. Runs offscreen when there is no display.
// Exit status: 0 all targets met, 1 a target missed.
#include "base/mallocarenas.h"
#include "mainwindow.h"
#include "model/session.h"
#include "ratechart.h"
#include "theme.h"
#include "uisettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include "loopback.h"
#include "soak.h"
#include "sources/loader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace {

constexpr double kTargetRate = 100000.0;
constexpr double kTargetFrameMs = 16.0;
constexpr double kTargetLatencyMs = 100.0;

const char *const kTools[] = { "gmail_fetch_mails", "slack_send_message", "hubspot_contacts_search",
    "jira_issue_create", "googlecalendar_query_events" };

void appendRecord(std::string &buf, std::int64_t i, std::int64_t nowMs)
{
    const bool rejected = i % 20 == 7;
    buf += "{\"timestamp\":" + std::to_string(nowMs) + ",\"id\":\"r" + std::to_string(i)
        + "\",\"status\":" + (rejected ? "429" : "200")
        + ",\"url\":\"https://acme.scalekit.dev/api/v1/execute_tool\",\"tool_name\":\""
        + kTools[i % 5] + "\"";
    if (rejected)
        buf += ",\"body\":{\"code\":8,\"message\":\"rate limit exceeded\",\"details\":[{\"@type\":"
               "\"x.ErrorInfo\",\"error_code\":\"RATE_LIMITED\"}]}";
    buf += "}\n";
}

// The window as a user has it: settings in a scratch folder (no notifications, the chart
// following the last `followMinutes`, the limit when given), the light theme, 1400x900, shown.
struct ShownWindow
{
    ShownWindow(QApplication &app, const QTemporaryDir &dir, int followMinutes,
        std::int64_t limitPerMinute = 0)
        : settings(dir.filePath(QStringLiteral("ui.ini")))
        , theme(app)
        , session(RuleSet::builtIn())
        , window(session, (configure(settings, followMinutes, limitPerMinute), settings), theme)
    {
        theme.apply(ThemeMode::Light);
        window.resize(1400, 900);
        window.show();
        window.repaint();
        QApplication::processEvents();
    }
    static void configure(UiSettings &s, int followMinutes, std::int64_t limitPerMinute)
    {
        if (limitPerMinute > 0)
            s.setLimitPerMinute(limitPerMinute);
        s.setValue(QStringLiteral("live/windowMinutes"), QByteArray::number(followMinutes));
        s.setValue(QStringLiteral("live/notify"), "0");
    }

    UiSettings settings;
    Theme theme;
    Session session;
    MainWindow window;
};

// Starts watching a loopback listener (the capture in dir, keepMs of raw records held; 0:
// all) and returns its port.
quint16 watchLoopback(Session &session, const QTemporaryDir &dir, std::int64_t keepMs)
{
    LiveOptions o;
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { listen };
    o.capturePath = dir.filePath(QStringLiteral("capture.ndjson"));
    o.windowKeepMs = keepMs;
    QString error;
    if (!session.watch(o, &error))
        qFatal("%s", qPrintable(error));
    const QString name = session.live().session()->sourceStates().at(0).name;
    return quint16(name.mid(name.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
}

// ---- --soak ---------------------------------------------------------------------------------
int runWindowSoak(QApplication &app, double hours, int perSecond, int keepMinutes, bool compare)
{
    QTextStream out(stdout);
    constexpr double kTargetRssMb = 300;
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/bench-gui-soak-XXXXXX"));
    ShownWindow ui(app, dir, 60);
    Session &session = ui.session;
    const quint16 port = watchLoopback(session, dir, std::int64_t(keepMinutes) * 60000);
    const LiveSession *live = session.live().session();
    const SimulatorOptions so = soakTraffic(perSecond, hours);
    out << "soak: " << hours << " simulated hours at about " << perSecond
        << " records/s into the window (listening on loopback), raw records of the last "
        << keepMinutes << " minutes held\n";
    out.flush();

    double peakRss = 0;
    QElapsedTimer clock;
    HourTicker hours_ { so.startMs };
    const auto report = [&](std::int64_t reachedMs) {
        hours_.advance(reachedMs, [&](int hour) {
            const double rss = rssMb();
            peakRss = std::max(peakRss, rss);
            const auto shown = session.loadResult();
            out << QStringLiteral("  hour %1: %2 records, RSS %3 MB, held %4, let go %5, %6 s\n")
                       .arg(hour, 2)
                       .arg(live->requests())
                       .arg(rss, 0, 'f', 1)
                       .arg(shown && shown->store ? shown->store->size() : 0)
                       .arg(shown && shown->history ? shown->history->events : 0)
                       .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
            out.flush();
        });
    };
    // The sender stays within 50,000 records (50 s of the traffic's pace) of what the session
    // has taken in: lines queued between threads are the benchmark's backlog, not the
    // window's memory (200,000, as bench_live's soak allows, put ~100 MB of lines in flight).
    constexpr std::int64_t kAhead = 50000;
    std::atomic<std::int64_t> taken { 0 };
    std::atomic<bool> sent { false };
    std::int64_t records = 0;
    QEventLoop loop;
    QObject::connect(&session, &Session::liveUpdated, &loop, [&] {
        taken = live->requests();
        report(live->newestMs());
        if (sent && live->requests() >= records)
            loop.quit();
    });
    const int fd = connectLoopback(port, true);
    clock.start();
    std::thread sender([&] { sendSoak(fd, so, taken, kAhead, &records, &sent); });
    loop.exec();
    sender.join();
    ::close(fd);
    session.live().stop();
    while (!session.isSettled() || session.filter().view()->store != session.loadResult()->store)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    report(so.startMs + so.minutes * 60000);
    peakRss = std::max(peakRss, rssMb());
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    peakRss = std::max(peakRss, double(usage.ru_maxrss) * 1024.0 / 1e6);
    out << QStringLiteral("sent %1 records in %2 s (%3 records/s), peak RSS %4 MB (target <= %5)\n")
               .arg(records)
               .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1)
               .arg(double(records) * 1000.0 / double(std::max<qint64>(1, clock.elapsed())), 0, 'f',
                   0)
               .arg(peakRss, 0, 'f', 1)
               .arg(kTargetRssMb);
    out.flush();
    const auto view = session.filter().view();
    bool same = true;
    if (compare) {
        // the capture read back whole, as a window holding every record would show it
        auto store = std::make_shared<EventStore>();
        Loader loader(*store, session.rules());
        loader.load(live->capturePath());
        const auto all = buildFilteredView(
            store, view->filter, view->mergeGapMinutes, 1, {}, nullptr, 0, view->limits);
        const auto key = [](const std::vector<BucketCounts> &buckets) {
            std::vector<std::array<std::int64_t, 5>> k;
            for (const BucketCounts &b : buckets)
                k.push_back({ b.startMs, b.requests, b.rejected[0], b.rejected[1], b.rejected[2] });
            return k;
        };
        const auto incidentKey = [](const std::vector<Incident> &list) {
            std::vector<std::array<std::int64_t, 6>> k;
            for (const Incident &i : list)
                k.push_back({ i.startMs, i.endMs, i.requests, i.rejected[0], i.rejected[1],
                    i.rejected[2] });
            return k;
        };
        same = key(view->pyramid.level(0)) == key(all->pyramid.level(0))
            && view->requests() == all->requests() && view->rejected == all->rejected
            && incidentKey(view->incidents) == incidentKey(all->incidents);
        out << QStringLiteral("window (%1 records held, %2 let go, %3 incidents) against the "
                              "capture read back (%4 records, %5 incidents): %6\n")
                   .arg(view->store->size())
                   .arg(view->history ? view->history->events : 0)
                   .arg(view->incidents.size())
                   .arg(store->size())
                   .arg(all->incidents.size())
                   .arg(same ? QStringLiteral("the same 1-second counts, totals and incidents")
                             : QStringLiteral("DIFFERENT"));
    }
    session.live().close();
    const bool ok = same && peakRss <= kTargetRssMb;
    out << (ok ? "targets met\n" : "TARGET MISSED\n");
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    limitMallocArenas();
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The window watching a loopback port."));
    p.addHelpOption();
    p.addOptions({ { QStringLiteral("rate"), QStringLiteral("Records/s (default 100000)."),
                       QStringLiteral("R"), QStringLiteral("100000") },
        { QStringLiteral("seconds"), QStringLiteral("Length of the run (default 10)."),
            QStringLiteral("S"), QStringLiteral("10") },
        { QStringLiteral("soak"), QStringLiteral("Soak run: many simulated hours (issue 22).") },
        { QStringLiteral("hours"), QStringLiteral("Simulated hours of the soak (default 24)."),
            QStringLiteral("H"), QStringLiteral("24") },
        { QStringLiteral("per-second"),
            QStringLiteral("Records per simulated second of the soak (default 1000)."),
            QStringLiteral("N"), QStringLiteral("1000") },
        { QStringLiteral("keep-minutes"),
            QStringLiteral("Raw records the window holds in the soak (default 30)."),
            QStringLiteral("M"), QStringLiteral("30") },
        { QStringLiteral("no-compare"),
            QStringLiteral("Soak: skip reading the capture back at the end.") } });
    p.process(app);
    if (p.isSet(QStringLiteral("soak")))
        return runWindowSoak(app, p.value(QStringLiteral("hours")).toDouble(),
            p.value(QStringLiteral("per-second")).toInt(),
            p.value(QStringLiteral("keep-minutes")).toInt(),
            !p.isSet(QStringLiteral("no-compare")));
    const double rate = p.value(QStringLiteral("rate")).toDouble();
    const double seconds = p.value(QStringLiteral("seconds")).toDouble();
    const auto total = std::int64_t(rate * seconds);
    QTextStream out(stdout);

    QTemporaryDir dir;
    ShownWindow ui(app, dir, 5, std::int64_t(rate * 60 * 1.2));
    Session &session = ui.session;
    MainWindow &window = ui.window;
    const quint16 port = watchLoopback(session, dir, 0); // 10 s: every record held

    // frame time: gaps between ticks of a 4 ms timer on the GUI thread
    std::vector<double> gaps;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(4);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (sinceTick.isValid())
            gaps.push_back(double(sinceTick.nsecsElapsed()) / 1e6);
        sinceTick.start();
    });

    // latency: each record, when the chart first draws a view holding it
    std::vector<std::int32_t> latencies;
    latencies.reserve(std::size_t(total));
    std::size_t shown = 0;
    int snapshots = 0;
    QEventLoop loop;
    QObject::connect(window.chart(), &RateChart::frameDrawn, [&] {
        const auto view = session.filter().view();
        if (!view || !view->store || view->store->size() <= shown)
            return;
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        const EventStore &s = *view->store;
        for (std::size_t i = shown; i < s.size(); ++i)
            latencies.push_back(std::int32_t(now - s.timeMs(i)));
        shown = s.size();
        ++snapshots;
        if (std::int64_t(shown) >= total)
            loop.quit();
    });

    const int fd = connectLoopback(port, true);
    std::atomic<std::int64_t> sentCount { 0 };
    QElapsedTimer clock;
    clock.start();
    ticker.start();
    std::thread sender([&] {
        const auto start = std::chrono::steady_clock::now();
        std::string buf;
        std::int64_t sent = 0;
        while (sent < total) {
            const double elapsed
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const std::int64_t due = std::min<std::int64_t>(total, std::int64_t(elapsed * rate));
            buf.clear();
            const std::int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
            for (; sent < due; ++sent)
                appendRecord(buf, sent, nowMs);
            if (!buf.empty())
                sendAll(fd, buf.data(), buf.size());
            sentCount = sent;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    QTimer::singleShot(int(seconds * 1000) + 60000, &loop, &QEventLoop::quit);
    loop.exec();
    const qint64 elapsedMs = clock.elapsed();
    ticker.stop();
    sender.join();
    ::close(fd);

    const double received = double(session.live().session()->requests());
    const double achieved = received * 1000.0 / double(std::max<qint64>(1, elapsedMs));
    const double frameP50 = percentile(gaps, 0.5), frameP99 = percentile(gaps, 0.99);
    const double frameMax = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    const double latP50 = percentile(latencies, 0.5), latP99 = percentile(latencies, 0.99);
    const double latMax
        = latencies.empty() ? 0 : double(*std::max_element(latencies.begin(), latencies.end()));
    const bool okRate = achieved >= kTargetRate * 0.98 && std::int64_t(shown) >= total;
    const bool okFrame = frameP99 <= kTargetFrameMs;
    const bool okLatency = latP99 <= kTargetLatencyMs;
    auto verdict = [](bool ok) { return ok ? QStringLiteral("ok") : QStringLiteral("MISSED"); };
    out << "bench_gui_live: " << total << " records offered at " << rate << "/s for " << seconds
        << " s to the window's loopback listener\n";
    out << QStringLiteral("  received and charted       %1 records in %2 ms = %3 records/s "
                          "(target >= %4)  %5\n")
               .arg(shown)
               .arg(elapsedMs)
               .arg(achieved, 0, 'f', 0)
               .arg(kTargetRate, 0, 'f', 0)
               .arg(verdict(okRate));
    out << QStringLiteral("  chart updates              %1 (%2 per second)\n")
               .arg(snapshots)
               .arg(double(snapshots) * 1000.0 / double(std::max<qint64>(1, elapsedMs)), 0, 'f', 1);
    out << QStringLiteral("  GUI frame time (4 ms tick) p50 %1 ms, p99 %2 ms, max %3 ms "
                          "(target p99 <= %4)  %5\n")
               .arg(frameP50, 0, 'f', 1)
               .arg(frameP99, 0, 'f', 1)
               .arg(frameMax, 0, 'f', 1)
               .arg(kTargetFrameMs, 0, 'f', 0)
               .arg(verdict(okFrame));
    out << QStringLiteral("  record-to-chart latency    p50 %1 ms, p99 %2 ms, max %3 ms "
                          "(target p99 <= %4)  %5\n")
               .arg(latP50, 0, 'f', 0)
               .arg(latP99, 0, 'f', 0)
               .arg(latMax, 0, 'f', 0)
               .arg(kTargetLatencyMs, 0, 'f', 0)
               .arg(verdict(okLatency));
    // the peak, not the end: snapshots being built and let go come and go
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const double peakMb = double(usage.ru_maxrss) / 1024.0;
    out << QStringLiteral("  peak RSS                   %1 MB (%2 bytes per record)\n")
               .arg(peakMb, 0, 'f', 0)
               .arg(received > 0 ? peakMb * 1048576.0 / double(received) : 0.0, 0, 'f', 0);
    out.flush();
    session.live().close();
    return okRate && okFrame && okLatency ? 0 : 1;
}
