// The window's live path without widgets: Session::watch → LiveFeed snapshots → the one
// filter, with real files and a real loopback listener. Pause holds the views still while
// records keep arriving; resume catches up; opening a file ends the watch.
#include "aggregate/scopes.h"
#include "model/session.h"
#include "store/rawrecordreader.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <numeric>
#include <tuple>

namespace {

QByteArray rec(int second, int status, const QByteArray &tool = "gmail_fetch_mails")
{
    QByteArray r
        = "{\"timestamp\":\"2026-01-05T10:00:" + QByteArray::number(second).rightJustified(2, '0')
        + "Z\",\"status\":" + QByteArray::number(status) + ",\"tool_name\":\"" + tool + "\"";
    if (status == 429)
        r += ",\"body\":{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\"}}";
    return r + "}\n";
}

// rec() with OpenAI's request-limit headers: 100 before second 30, 90 from it; the reset is
// short except at second 59 (7m12s, as a daily bucket says). Each lasts a while (from 0.4 s to
// 40 s: the longer ones still fly when later records arrive) and the ones that succeed report
// their usage.
QByteArray limited(int second, int status, const QByteArray &tool = "gmail_fetch_mails")
{
    QByteArray r = rec(second, status, tool);
    r.chop(2); // "}\n"
    if (status == 200)
        r += ",\"response\":{\"body\":{\"usage\":{\"prompt_tokens\":"
            + QByteArray::number(100 + second)
            + ",\"completion_tokens\":" + QByteArray::number(second) + "}}}";
    return r + ",\"duration_ms\":" + QByteArray::number((second * 7919) % 40000 + 400)
        + ",\"headers\":{\"x-ratelimit-limit-requests\":\"" + (second < 30 ? "100" : "90")
        + "\",\"x-ratelimit-reset-requests\":\"" + (second == 59 ? "7m12s" : "1s") + "\"}}\n";
}

void append(
    const QString &path, const QByteArray &bytes, QIODevice::OpenMode mode = QIODevice::Append)
{
    QFile f(path);
    if (!f.open(mode))
        qFatal("cannot append to %s", qPrintable(path));
    f.write(bytes);
}

LiveOptions followOptions(const QTemporaryDir &dir, const QString &log)
{
    LiveOptions o;
    o.capturePath = dir.filePath(QStringLiteral("capture.ndjson"));
    o.follow.fromStart = true;
    o.follow.pollMs = 20;
    LiveSourceSpec spec;
    spec.path = log;
    o.sources = { spec };
    return o;
}

// A record at 10:MM:SS; a 429 is RATE_LIMITED, with OpenAI's words on tokens per minute when
// `words` (limits.md §5 item 1), else "slow down" (no words: the counts judge it).
QByteArray at(int minute, int second, int status, bool words = false)
{
    const auto two = [](int n) { return QByteArray::number(n).rightJustified(2, '0'); };
    QByteArray r = "{\"timestamp\":\"2026-01-05T10:" + two(minute) + ":" + two(second)
        + "Z\",\"status\":" + QByteArray::number(status) + ",\"tool_name\":\"chat\"";
    if (status == 429)
        r += ",\"body\":{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\""
            + QByteArray(words
                    ? "Rate limit reached for gpt-4o in organization org-x on tokens per "
                      "min (TPM): Limit 30000, Used 28500, Requested 2400."
                    : "slow down")
            + "\"}}";
    return r + "}\n";
}

std::size_t shownEvents(Session &s)
{
    const auto store = s.filter().view()->store;
    return store ? store->size() : 0;
}

} // namespace

class TestModelLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void snapshotsFollowAGrowingFile();
    void snapshotsAreThrottled_data();
    void snapshotsAreThrottled();
    void pauseHoldsTheViewsAndResumeCatchesUp();
    void filterStaysOnAcrossSnapshots();
    void grownBindingsAreFreshOnes();
    void warningUsesTheWindowsLimit();
    void listenerRecordsReachTheViews();
    void stopShowsEverythingAndOpenEndsTheWatch();
    void sourceThatCannotStartLeavesTheViewAlone();
    void detailReadsBackFromCaptureSegments();
    void theWindowLetsGoOfOldEventsAndStaysExact_data();
    void theWindowLetsGoOfOldEventsAndStaysExact();
};

void TestModelLive::snapshotsFollowAGrowingFile()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, rec(1, 200) + rec(2, 429) + rec(3, 200), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    QSignalSpy updates(&session, &Session::liveUpdated);
    QString error;
    QVERIFY2(session.watch(followOptions(dir, log), &error), qPrintable(error));
    QVERIFY(session.live().isActive());
    QTRY_COMPARE(shownEvents(session), std::size_t(3));
    const auto result = session.loadResult();
    QCOMPARE(result->paths, QStringList { dir.filePath(QStringLiteral("capture.ndjson")) });
    QCOMPARE(
        result->store->filePath(0), dir.filePath(QStringLiteral("capture.ndjson")).toStdString());
    QCOMPARE(session.filter().view()->rejected[0], 1); // RATE_LIMITED
    QCOMPARE(result->tools, QStringList { QStringLiteral("gmail_fetch_mails") });

    append(log, rec(4, 200, "slack_send") + rec(5, 429));
    QTRY_COMPARE(shownEvents(session), std::size_t(5));
    QCOMPARE(session.filter().view()->rejected[0], 2);
    QTRY_VERIFY(session.loadResult()->tools.contains(QStringLiteral("slack_send")));
    QVERIFY(updates.size() <= 5); // snapshotsAreThrottled checks the throttle itself
    QVERIFY(session.live().lastShownLatencyMs() >= 0);
    QVERIFY(session.live().lastShownLatencyMs() < 5000);
}

void TestModelLive::snapshotsAreThrottled_data()
{
    QTest::addColumn<int>("refreshMs");
    QTest::addColumn<int>("maxUpdates"); // before stop(); -1: no bound but the views'
    QTest::addRow("at most one per interval (1 h: only the first)") << 3600 * 1000 << 1;
    QTest::addRow("no interval: never ahead of the views") << 0 << -1;
}

// 60 records, each in a batch of its own (the next line is written once the session counted
// the last): one snapshot per batch would give 60 updates. Checked to fail with the throttle
// taken out of LiveFeed::maybeRefresh (the old check, 5 records and `<= 5`, could not).
void TestModelLive::snapshotsAreThrottled()
{
    QFETCH(int, refreshMs);
    QFETCH(int, maxUpdates);
    constexpr int kRecords = 60;
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, QByteArray(), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    session.live().setRefreshIntervalMs(refreshMs);
    int updates = 0, views = 0, aheadOfTheViews = 0;
    connect(&session, &Session::liveUpdated, this, [&] {
        ++updates;
        aheadOfTheViews += updates > views + 1; // a snapshot before the views took the last
    });
    connect(&session.filter(), &FilterController::viewReady, this, [&] { ++views; });
    LiveOptions options = followOptions(dir, log);
    options.follow.pollMs = 5;
    QString error;
    QVERIFY2(session.watch(options, &error), qPrintable(error));
    const LiveSession *live = session.live().session();
    for (int i = 0; i < kRecords; ++i) {
        append(log, rec(i, i % 7 == 0 ? 429 : 200));
        // generous timeouts: CI runs the tests two at a time on two loaded cores
        QTRY_COMPARE_WITH_TIMEOUT(live->requests(), std::int64_t(i + 1), 20000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(session.isSettled(), 20000);
    if (maxUpdates >= 0)
        QVERIFY2(updates <= maxUpdates, qPrintable(QStringLiteral("%1 updates").arg(updates)));
    QCOMPARE(aheadOfTheViews, 0);
    session.live().stop(); // everything received, in a last snapshot
    QTRY_COMPARE_WITH_TIMEOUT(shownEvents(session), std::size_t(kRecords), 20000);
}

void TestModelLive::pauseHoldsTheViewsAndResumeCatchesUp()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, rec(1, 200) + rec(2, 200), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    QString error;
    QVERIFY(session.watch(followOptions(dir, log), &error));
    QTRY_COMPARE(shownEvents(session), std::size_t(2));
    QTRY_VERIFY(!session.filter().isBusy());

    QSignalSpy paused(&session.live(), &LiveFeed::pausedChanged);
    session.live().setPaused(true);
    QCOMPARE(paused.size(), 1);
    QSignalSpy updates(&session, &Session::liveUpdated);
    append(log, rec(3, 200) + rec(4, 429) + rec(5, 200));
    // the records arrive (counters, capture file) ...
    QTRY_COMPARE(session.live().session()->requests(), 5);
    QTRY_VERIFY(QFileInfo(dir.filePath(QStringLiteral("capture.ndjson"))).size() > 0);
    // ... but the views hold still
    QCOMPARE(updates.size(), 0);
    QCOMPARE(shownEvents(session), std::size_t(2));

    session.live().setPaused(false);
    QTRY_COMPARE(shownEvents(session), std::size_t(5));
    QCOMPARE(session.filter().view()->rejected[0], 1);
}

void TestModelLive::filterStaysOnAcrossSnapshots()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, limited(1, 200) + limited(2, 429), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    QString error;
    QVERIFY(session.watch(followOptions(dir, log), &error));
    QTRY_COMPARE(shownEvents(session), std::size_t(2));
    FilterState only429 = session.filter().state();
    only429.status = 429;
    session.filter().apply(only429);
    QTRY_COMPARE(session.filter().view()->requests(), 1);
    append(log, limited(3, 429) + limited(4, 200) + limited(5, 429));
    QTRY_COMPARE(shownEvents(session), std::size_t(5));
    QTRY_COMPARE(session.filter().view()->requests(), 3);
    QCOMPARE(session.filter().state().status, 429);
    // every reset so far is short: OpenAI's limit is per minute (limits.md §3)
    QCOMPARE(session.filter().view()->reported.byWindow.size(), std::size_t(1));
    QCOMPARE(session.filter().view()->reported.byWindow.front().requests, 100);
    QCOMPARE(session.filter().view()->reported.byWindow.front().windowS,
        std::optional<std::int64_t>(60));
    // late records (older than the newest) and a second filter: the views built from the
    // new events only are the views built from scratch
    append(log, limited(1, 429, "late_tool") + limited(59, 429) + limited(0, 200));
    QTRY_COMPARE(shownEvents(session), std::size_t(8));
    QTRY_COMPARE(session.filter().view()->requests(), 5);
    FilterState all429 = session.filter().state();
    for (const FilterState &f : { all429, FilterState() }) {
        session.filter().apply(f);
        append(log, limited(30, 429) + limited(2, 200));
        const std::size_t n = shownEvents(session) + 2;
        QTRY_COMPARE(shownEvents(session), n);
        QTRY_VERIFY(!session.filter().isBusy());
        const auto grown = session.filter().view();
        const auto fresh = buildFilteredView(grown->store, f, 5.0, 0, {});
        QCOMPARE(grown->rows, fresh->rows);
        QCOMPARE(grown->rejected, fresh->rejected);
        // the other axes grew from the new events as they are built from scratch (the late
        // records change seconds that were drawn already, the long ones still fly)
        QCOMPARE(fresh->axisPyramid(LimitAxis::Tokens)->empty(), f.status == 429); // no usage
        QVERIFY(!fresh->axisPyramid(LimitAxis::Concurrency)->empty());
        for (LimitAxis a : { LimitAxis::Tokens, LimitAxis::Concurrency }) {
            const AxisPyramid &g = *grown->axisPyramid(a), &h = *fresh->axisPyramid(a);
            QCOMPARE(g.known(), h.known());
            QCOMPARE(g.requests(), h.requests());
            for (std::size_t k = 0; k < BucketPyramid::levelCount(); ++k) {
                QCOMPARE(g.level(k).size(), h.level(k).size());
                for (std::size_t b = 0; b < h.level(k).size(); ++b) {
                    QCOMPARE(g.level(k)[b].startMs, h.level(k)[b].startMs);
                    QCOMPARE(g.level(k)[b].value, h.level(k)[b].value);
                    QCOMPARE(g.level(k)[b].known, h.level(k)[b].known);
                }
            }
        }
        for (std::size_t k = 0; k < BucketPyramid::levelCount(); ++k) {
            QCOMPARE(grown->pyramid.level(k).size(), fresh->pyramid.level(k).size());
            for (std::size_t b = 0; b < fresh->pyramid.level(k).size(); ++b) {
                QCOMPARE(grown->pyramid.level(k)[b].startMs, fresh->pyramid.level(k)[b].startMs);
                QCOMPARE(grown->pyramid.level(k)[b].requests, fresh->pyramid.level(k)[b].requests);
                QCOMPARE(grown->pyramid.level(k)[b].rejected, fresh->pyramid.level(k)[b].rejected);
            }
        }
        // the limits the responses reported: grown from the new events, as from scratch (the
        // late 7m12s reset makes the window unknown for every record)
        QCOMPARE(grown->reported.byWindow, fresh->reported.byWindow);
        QCOMPARE(grown->reported.byWindow.size(), std::size_t(1));
        QCOMPARE(grown->reported.byWindow.front().requests, 90);
        QCOMPARE(grown->reported.byWindow.front().windowS, std::nullopt);
        QCOMPARE(grown->incidents.size(), fresh->incidents.size());
        for (std::size_t k = 0; k < fresh->incidents.size(); ++k) {
            const Incident &a = grown->incidents[k], &b = fresh->incidents[k];
            QCOMPARE(a.startMs, b.startMs);
            QCOMPARE(a.endMs, b.endMs);
            QCOMPARE(a.requests, b.requests);
            QCOMPARE(a.rejected, b.rejected);
            QCOMPARE(a.events, b.events);
            QCOMPARE(a.topTools.size(), b.topTools.size());
        }
    }
}

// Issue 18: the incidents of a grown live view are judged (limits.md §5) as those of a view made
// from scratch with the same limits: an incident that gets words later, a new one, one that
// grows without words (it keeps its counts), and new limits (the view is made again).
void TestModelLive::grownBindingsAreFreshOnes()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, QByteArray(), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    LimitSpec fivePerMinute;
    fivePerMinute.requests = 5;
    fivePerMinute.windowS = 60;
    session.setLimits({ { QString(), LimitAxis::Requests, fivePerMinute } });
    QString error;
    QVERIFY2(session.watch(followOptions(dir, log), &error), qPrintable(error));
    using E = Binding::Evidence;
    struct Expected
    {
        std::optional<LimitAxis> axis;
        E evidence;
    };
    const auto check = [&session](std::size_t events, const std::vector<Expected> &expected) {
        QTRY_COMPARE(shownEvents(session), events);
        QTRY_VERIFY(!session.filter().isBusy());
        const auto grown = session.filter().view();
        const auto fresh = buildFilteredView(
            grown->store, grown->filter, 5.0, 0, {}, nullptr, 0, session.limits());
        QCOMPARE(grown->incidents.size(), expected.size());
        QCOMPARE(fresh->incidents.size(), expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k) {
            const Binding &a = grown->incidents[k].binding, &b = fresh->incidents[k].binding;
            QCOMPARE(a.axis, b.axis);
            QCOMPARE(a.windowS, b.windowS);
            QCOMPARE(a.evidence, b.evidence);
            QCOMPARE(a.rule, b.rule);
            QCOMPARE(a.axis, expected[k].axis);
            QCOMPARE(a.evidence, expected[k].evidence);
        }
    };
    QByteArray first;
    for (int s = 1; s <= 6; ++s)
        first += at(0, s, 200);
    append(log, first + at(0, 7, 429));
    check(7, { { LimitAxis::Requests, E::Counts } });
    if (QTest::currentTestFailed())
        return;
    append(log, at(0, 8, 429, true) + at(0, 9, 429)); // its words name tokens per minute
    check(9, { { LimitAxis::Tokens, E::Message } });
    if (QTest::currentTestFailed())
        return;
    append(log, at(10, 0, 200) + at(10, 1, 429)); // a new incident, 10 minutes later
    check(11, { { LimitAxis::Tokens, E::Message }, { LimitAxis::Requests, E::Counts } });
    if (QTest::currentTestFailed())
        return;
    append(log, at(10, 2, 429)); // it grows, without words: still its counts
    check(12, { { LimitAxis::Tokens, E::Message }, { LimitAxis::Requests, E::Counts } });
    if (QTest::currentTestFailed())
        return;
    // no limit any more (none reported either): the counts say nothing
    const quint64 before = session.filter().view()->generation;
    session.setLimits({});
    QTRY_VERIFY(session.filter().view()->generation > before);
    check(12, { { LimitAxis::Tokens, E::Message }, { std::nullopt, E::Unknown } });
}

void TestModelLive::warningUsesTheWindowsLimit()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, QByteArray(), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    session.setLimitPerMinute(10);
    QSignalSpy warnings(&session.live(), &LiveFeed::warning);
    QString error;
    QVERIFY(session.watch(followOptions(dir, log), &error));
    QTRY_COMPARE(session.live().session()->sourceStates().front().status,
        LiveSourceState::Status::Following);
    QByteArray eight;
    for (int s = 0; s < 8; ++s)
        eight += rec(s, 200);
    append(log, eight);
    QTRY_COMPARE(session.live().session()->requests(), 8);
    QCOMPARE(warnings.size(), 0); // 8 of 10 is under 90 %
    // the user lowers the limit in the toolbar while watching: warnings follow it
    session.setLimitPerMinute(5);
    append(log, rec(9, 200));
    QTRY_COMPARE(warnings.size(), 1);
    const auto w = warnings.front().front().value<LiveWarning>();
    QCOMPARE(w.kind, LiveWarning::Kind::NearLimit);
    QCOMPARE(w.limit, 5);
    QCOMPARE(w.count, 9);
}

void TestModelLive::listenerRecordsReachTheViews()
{
    QTemporaryDir dir;
    LiveOptions o;
    o.capturePath = dir.filePath(QStringLiteral("capture.ndjson"));
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen; // 127.0.0.1, any free port
    o.sources = { listen };
    Session session(RuleSet::builtIn());
    QString error;
    QVERIFY2(session.watch(o, &error), qPrintable(error));
    const QString name = session.live().session()->sourceStates().front().name;
    QVERIFY2(name.startsWith(QLatin1String("tcp://127.0.0.1:")), qPrintable(name));
    QTcpSocket socket;
    socket.connectToHost(
        QHostAddress::LocalHost, quint16(name.section(QLatin1Char(':'), -1).toUInt()));
    QVERIFY(socket.waitForConnected(5000));
    QByteArray lines;
    for (int s = 0; s < 50; ++s)
        lines += rec(s, s % 10 == 0 ? 429 : 200);
    socket.write(lines.left(777)); // a record split across writes
    QVERIFY(socket.waitForBytesWritten(5000));
    socket.write(lines.mid(777));
    QVERIFY(socket.waitForBytesWritten(5000));
    QTRY_COMPARE(shownEvents(session), std::size_t(50));
    QCOMPARE(session.filter().view()->rejected[0], 5);
    // the listener's counters reach the state the status bar shows
    QTRY_COMPARE(session.live().session()->sourceStates().front().records, 50u);
}

void TestModelLive::stopShowsEverythingAndOpenEndsTheWatch()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, rec(1, 200), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    QString error;
    QVERIFY(session.watch(followOptions(dir, log), &error));
    QTRY_COMPARE(shownEvents(session), std::size_t(1));
    session.live().setPaused(true);
    append(log, rec(2, 200) + rec(3, 429));
    QTRY_COMPARE(session.live().session()->requests(), 3);
    QSignalSpy stopped(&session.live(), &LiveFeed::stopped);
    session.live().stop(); // paused or not, the last snapshot holds everything
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!session.live().isActive());
    QVERIFY(!session.live().isPaused());
    QTRY_COMPARE(shownEvents(session), std::size_t(3));

    // the capture file reopens as a log with the same records
    QSignalSpy loaded(&session, &Session::loaded);
    // watch something else (into another capture), then open the first capture instead
    const QString other = dir.filePath(QStringLiteral("other.log"));
    append(other, rec(7, 200), QIODevice::WriteOnly);
    LiveOptions again = followOptions(dir, other);
    again.capturePath = dir.filePath(QStringLiteral("capture-2.ndjson"));
    QVERIFY(session.watch(again, &error));
    session.open({ dir.filePath(QStringLiteral("capture.ndjson")) });
    QVERIFY(!session.live().isActive());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(session.loadResult()->paths.front(), dir.filePath(QStringLiteral("capture.ndjson")));
    QTRY_COMPARE(shownEvents(session), std::size_t(3));
}

void TestModelLive::sourceThatCannotStartLeavesTheViewAlone()
{
    QTemporaryDir dir;
    Session session(RuleSet::builtIn());
    QSignalSpy loaded(&session, &Session::loaded);
    session.open({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    QVERIFY(loaded.wait(10000));
    QTRY_VERIFY(shownEvents(session) > 0);
    const std::size_t before = shownEvents(session);
    LiveOptions o;
    o.capturePath = dir.filePath(QStringLiteral("no/such/dir/capture.ndjson"));
    LiveSourceSpec spec;
    spec.path = dir.path(); // a directory is not a file to follow
    o.sources = { spec };
    QString error;
    QVERIFY(!session.watch(o, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!session.live().isActive());
    QCOMPARE(shownEvents(session), before);
}

// Issue 22, the window's path: with the capture in segments of 4 KiB (the newest 2 kept), the
// snapshots name every segment, and the detail of an event shows its line from an older kept
// segment, or says its segment was rotated away (and shows no record).
void TestModelLive::detailReadsBackFromCaptureSegments()
{
    QTemporaryDir dir;
    LiveOptions o;
    o.capturePath = dir.filePath(QStringLiteral("capture.ndjson"));
    o.captureRotation.maxBytes = 4096;
    o.captureRotation.keep = 2;
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { listen };
    Session session(RuleSet::builtIn());
    QString error;
    QVERIFY2(session.watch(o, &error), qPrintable(error));
    const QString name = session.live().session()->sourceStates().front().name;
    QTcpSocket socket;
    socket.connectToHost(
        QHostAddress::LocalHost, quint16(name.section(QLatin1Char(':'), -1).toUInt()));
    QVERIFY(socket.waitForConnected(5000));
    std::map<std::int64_t, std::pair<QByteArray, int>> sent; // time -> (line, n)
    for (int w = 0; w < 12; ++w) { // each write more than a segment, received before the next
        QByteArray bytes;
        for (int i = 0; i < 80; ++i) {
            const int n = w * 80 + i;
            const std::int64_t t = 1767607200000LL + std::int64_t(n) * 250;
            const QByteArray line = "{\"timestamp\":" + QByteArray::number(t)
                + ",\"status\":" + (i % 8 == 0 ? "429" : "200")
                + ",\"tool_name\":\"gmail_fetch_mails\",\"body\":{\"n\":" + QByteArray::number(n)
                + "}}";
            sent[t] = { line, n };
            bytes += line + "\n";
        }
        socket.write(bytes);
        QVERIFY(socket.waitForBytesWritten(5000));
        QTRY_COMPARE(session.live().session()->requests(), std::int64_t((w + 1) * 80));
    }
    session.live().stop();
    QTRY_COMPARE(shownEvents(session), sent.size());
    const int segments = session.live().session()->captureSegmentCount();
    QVERIFY2(segments >= 6, qPrintable(QString::number(segments)));
    const std::shared_ptr<const EventStore> store = session.loadResult()->store;
    QCOMPARE(store->fileCount(), std::size_t(segments));
    QVERIFY(store->removedFiles());

    // the first event of a segment
    const auto firstOf = [&](int segment) {
        for (std::size_t i = 0; i < store->size(); ++i) {
            if (store->file(i) == segment)
                return int(i);
        }
        return -1;
    };
    QSignalSpy details(&session.details(), &DetailLoader::detailReady);
    // the detail once its raw record was read: the second detailReady of a request
    const auto detailOf = [&](int event) {
        details.clear();
        session.details().request(store, event);
        if (!QTest::qWaitFor([&] { return details.size() == 2; }, 10000))
            qFatal("no raw record for event %d", event);
        return details.at(1).at(0).value<EventDetailInfo>();
    };
    // the first segment was rotated away
    const int gone = firstOf(0);
    QVERIFY(gone >= 0);
    const EventDetailInfo goneInfo = detailOf(gone);
    QVERIFY(goneInfo.rawLoaded);
    QVERIFY(goneInfo.raw.isEmpty());
    QCOMPARE(goneInfo.rawError,
        QStringLiteral("the capture file capture.ndjson was rotated away (--capture-keep 2): its "
                       "records are gone"));
    // the older of the two kept, and the newest
    for (int segment : { segments - 2, segments - 1 }) {
        const int event = firstOf(segment);
        QVERIFY(event >= 0);
        const EventDetailInfo info = detailOf(event);
        QVERIFY(info.rawLoaded);
        QVERIFY2(info.rawError.isEmpty(), qPrintable(info.rawError));
        const auto &[line, n] = sent.at(store->timeMs(std::size_t(event)));
        QVERIFY2(info.raw.contains(QStringLiteral("\"n\": %1").arg(n)), qPrintable(info.raw));
        QString why;
        QCOMPARE(RawRecordReader::read(*store, std::size_t(event), &why), line);
    }
}

void TestModelLive::theWindowLetsGoOfOldEventsAndStaysExact_data()
{
    QTest::addColumn<QString>("filterBy"); // "", "scope", "tool"
    QTest::addColumn<bool>("rotated"); // the capture in 512 KiB segments, the newest 8 kept
    QTest::newRow("no filter: counts of all time") << QString() << false;
    QTest::newRow("one scope: counts of all time") << QStringLiteral("scope") << false;
    QTest::newRow("a tool: the events held") << QStringLiteral("tool") << false;
    QTest::newRow("old segments deleted") << QString() << true;
}

// Issue 22: three hours of simulated traffic (several APIs, incidents, retries) reach the
// window in 24 pieces while it keeps 30 minutes of raw events. The events before the window
// leave the snapshots; the chart's counts at every bucket size, the totals and the incidents
// stay those of every event in memory, for a filter that keeps whole scopes. Another filter
// applies to the events held, and says so. Drilling into old buckets reads their events back
// from the capture: every field the same as in a store of every event, or, when rotation
// deleted their segment, a message that names it and no event at all.
void TestModelLive::theWindowLetsGoOfOldEventsAndStaysExact()
{
    QFETCH(QString, filterBy);
    QFETCH(bool, rotated);
    QTemporaryDir dir;
    SimulatorOptions sim;
    sim.minutes = 180;
    sim.meanRpm = 30;
    sim.limitRpm = 33;
    sim.skytellsLimit = 12;
    sim.openaiRpm = 20;
    sim.openaiLimitRequests = 26;
    const QString whole = simulatedFile(QDir(dir.path()), QStringLiteral("sim.ndjson"), sim);
    QFile in(whole);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = in.readAll().split('\n');

    Loaded all = loadFiles({ whole });
    const auto everything = std::shared_ptr<const EventStore>(std::move(all.store));
    const ScopeIndex scopes = ScopeIndex::build(*everything, ScopeBy::Host);
    QVERIFY(scopes.size() >= 2);
    FilterState filter;
    if (filterBy == QLatin1String("scope"))
        filter.scope = QString::fromStdString(scopes.names().front());
    else if (filterBy == QLatin1String("tool"))
        filter.tool = QString::fromUtf8(everything->tool(0));

    const QString log = dir.filePath(QStringLiteral("app.log"));
    append(log, QByteArray(), QIODevice::WriteOnly);
    Session session(RuleSet::builtIn());
    session.live().setRefreshIntervalMs(5);
    LiveOptions options = followOptions(dir, log);
    options.follow.pollMs = 5;
    options.windowKeepMs = 30 * 60000;
    if (rotated)
        options.captureRotation = CaptureRotation { 512 * 1024, 8 };
    QString error;
    QVERIFY2(session.watch(options, &error), qPrintable(error));
    session.filter().apply(filter);
    const qsizetype pieces = 24;
    std::int64_t sent = 0; // lines
    for (qsizetype k = 0; k < pieces; ++k) {
        QByteArray piece;
        for (qsizetype i = lines.size() * k / pieces; i < lines.size() * (k + 1) / pieces; ++i) {
            if (!lines[i].isEmpty()) {
                piece += lines[i] + '\n';
                ++sent;
            }
        }
        append(log, piece);
        const auto taken = [&session] {
            const InputReport r = session.live().session()->inputReports().front();
            return r.records + r.skipped + r.duplicates;
        };
        // each piece shown before the next comes: the window is trimmed as it goes
        QTRY_VERIFY_WITH_TIMEOUT(taken() >= sent && session.isSettled(), 20000);
    }
    session.live().stop();
    // at rest: every record received in the view (held or let go; a settled view may still be
    // the one before the last snapshot), and the top lists of an incident across the edge
    // merged again (joinsStale)
    const auto shownAll = [&session] {
        const auto v = session.filter().view();
        return v && v->store == session.loadResult()->store
            && std::int64_t(v->store->size()) + (v->history ? v->history->events : 0)
            == session.live().session()->requests();
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        session.isSettled() && shownAll() && !session.filter().view()->joinsStale, 60000);
    const auto view = session.filter().view();
    QVERIFY(view->history && !view->history->empty());
    QCOMPARE(std::size_t(view->history->events) + view->store->size(), everything->size());
    QVERIFY2(view->store->size() < everything->size() / 3,
        qPrintable(QStringLiteral("%1 of %2 events held")
                       .arg(view->store->size())
                       .arg(everything->size())));

    const auto reference = buildFilteredView(
        everything, filter, view->mergeGapMinutes, 1, {}, nullptr, 0, session.filter().limits());
    QVERIFY(reference);
    const auto bucketsFrom = [](const std::vector<BucketCounts> &buckets, std::int64_t fromMs) {
        std::vector<std::tuple<std::int64_t, std::uint32_t, std::uint32_t, std::uint32_t,
            std::uint32_t, std::int32_t, std::uint32_t>>
            out;
        for (const BucketCounts &c : buckets) {
            if (c.startMs >= fromMs)
                out.emplace_back(c.startMs, c.requests, c.rejected[0], c.rejected[1], c.rejected[2],
                    c.serverLimit, std::accumulate(c.throttled.begin(), c.throttled.end(), 0u));
        }
        return out;
    };
    // old buckets drilled into: a minute, ten seconds, the quarter hour with most rejections
    const std::int64_t edge = view->heldFromMs();
    std::int64_t busiest = reference->pyramid.firstMs(), most = -1;
    for (const BucketCounts &b : reference->pyramid.level(BucketPyramid::levelOf(900000))) {
        if (b.startMs + 900000 <= edge && std::int64_t(b.rejectedTotal()) > most) {
            most = b.rejectedTotal();
            busiest = b.startMs;
        }
    }
    const std::int64_t first = floorTo(reference->pyramid.firstMs(), 60000);
    const std::vector<std::pair<std::int64_t, std::int64_t>> ranges { { first, first + 60000 },
        { first + 600000, first + 610000 }, { busiest, busiest + 900000 },
        { edge - 60000, edge + 60000 } }; // across the edge: read back and held
    for (const auto &[from, to] : ranges) {
        const CaptureReadBack back
            = eventsOfRange(*view->history, *view->store, session.rules(), from, to);
        const QString range = QStringLiteral("[%1, %2)").arg(from).arg(to);
        if (rotated && from < edge - 60000) {
            // the first segments are gone: said, with no event given
            QVERIFY2(back.error.contains(QStringLiteral("rotated away"))
                    && back.error.contains(QStringLiteral(".ndjson")),
                qPrintable(back.error));
            QVERIFY(!back.events);
            continue;
        }
        QVERIFY2(back.error.isEmpty(), qPrintable(range + QLatin1Char(' ') + back.error));
        // rotated: lines and offsets are the segment's, not the log's
        const auto fields = [rotated](const EventStore &store, std::size_t i) {
            const QString f = eventFields(store, i);
            return rotated ? f.section(QLatin1Char(' '), 0, -3) : f;
        };
        QStringList got, expected;
        for (std::size_t i = 0; i < back.events->size(); ++i)
            got << fields(*back.events, i);
        for (std::size_t i = 0; i < everything->size(); ++i) {
            if (everything->timeMs(i) >= from && everything->timeMs(i) < to)
                expected << fields(*everything, i);
        }
        QVERIFY2(!expected.isEmpty(), qPrintable(range));
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
        // and the raw record of each, from the capture (one file: its lines are the log's)
        for (std::size_t i = 0; i < back.events->size() && !rotated; i += 97) {
            QString why;
            const QByteArray raw = RawRecordReader::read(*back.events, i, &why);
            QVERIFY2(!raw.isEmpty(), qPrintable(why));
            QCOMPARE(raw, lines.at(qsizetype(back.events->line(i)) - 1));
        }
    }

    // a report exported from the window is made of every event, the old ones read back; with
    // their segment deleted it is not written, and says why
    if (filterBy.isEmpty()) {
        const QString json = dir.filePath(QStringLiteral("report.json"));
        QSignalSpy written(&session.exporter(), &ReportExporter::finished);
        session.exportReport(json);
        QTRY_COMPARE_WITH_TIMEOUT(written.size(), 1, 60000);
        const QString failure = written.front().at(1).toString();
        if (rotated) {
            QVERIFY2(failure.contains(QStringLiteral("rotated away")), qPrintable(failure));
            QVERIFY(!QFile::exists(json));
        } else {
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
            QFile f(json);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonObject report = QJsonDocument::fromJson(f.readAll()).object();
            QCOMPARE(
                report.value(QStringLiteral("requests")).toInteger(), qint64(everything->size()));
            const QJsonArray incidents = report.value(QStringLiteral("incidents")).toArray();
            QCOMPARE(std::size_t(incidents.size()), reference->incidents.size());
        }
    }

    if (filterBy == QLatin1String("tool")) {
        // not counted before the edge, exact after it
        QVERIFY(!view->historyCounted);
        QVERIFY(bucketsFrom(view->pyramid.level(0), edge)
            == bucketsFrom(reference->pyramid.level(0), edge));
        QVERIFY(view->requests() < reference->requests());
        return;
    }
    QVERIFY(view->historyCounted);
    QCOMPARE(view->requests(), reference->requests());
    QCOMPARE(view->rejected, reference->rejected);
    QCOMPARE(view->throttled, reference->throttled);
    for (std::size_t level = 0; level < BucketPyramid::levelCount(); ++level)
        QVERIFY2(bucketsFrom(view->pyramid.level(level), INT64_MIN)
                == bucketsFrom(reference->pyramid.level(level), INT64_MIN),
            qPrintable(QStringLiteral("bucket size %1 ms").arg(BucketPyramid::bucketMs(level))));
    // every incident, those let go (no events held), those across the edge and those held,
    // with what it says
    QVERIFY(std::any_of(view->incidents.begin(), view->incidents.end(),
        [&](const Incident &i) { return i.startMs < view->heldFromMs(); }));
    QVERIFY(std::any_of(view->incidents.begin(), view->incidents.end(),
        [](const Incident &i) { return !i.events.empty(); }));
    if (filter.scope.isEmpty()) {
        QVERIFY(std::any_of(view->incidents.begin(), view->incidents.end(),
            [](const Incident &i) { return i.events.empty(); }));
        QVERIFY(std::any_of(view->incidents.begin(), view->incidents.end(), [&](const Incident &i) {
            return !i.events.empty() && i.startMs < view->heldFromMs();
        }));
    }
    const auto named = [](const std::vector<NamedCount> &list) {
        std::vector<std::pair<std::string, std::int64_t>> out;
        for (const NamedCount &n : list)
            out.emplace_back(n.name, n.count);
        return out;
    };
    QCOMPARE(view->incidents.size(), reference->incidents.size());
    for (std::size_t k = 0; k < view->incidents.size(); ++k) {
        const Incident &a = view->incidents[k], &b = reference->incidents[k];
        const QByteArray where = QByteArray::number(qint64(k)) + ' ' + QByteArray(a.scope.c_str())
            + ' ' + QDateTime::fromMSecsSinceEpoch(a.startMs, Qt::UTC).toString().toUtf8();
        QVERIFY2(a.scope == b.scope && a.startMs == b.startMs && a.endMs == b.endMs, where);
        QVERIFY2(a.requests == b.requests && a.peakRpm == b.peakRpm, where);
        QVERIFY2(a.rejected == b.rejected && a.dominant == b.dominant, where);
        QVERIFY2(named(a.topTools) == named(b.topTools), where);
        QVERIFY2(named(a.topProviders) == named(b.topProviders), where);
        QVERIFY2(named(a.messages) == named(b.messages), where);
        QVERIFY2(a.maxRetryAfterS == b.maxRetryAfterS && a.quota == b.quota, where);
        QVERIFY2(a.events.size() <= b.events.size(), where); // the rejections held of it
        for (std::uint32_t e : a.events)
            QVERIFY2(e < view->store->size() && view->store->isRejection(e), where);
    }
}

QTEST_GUILESS_MAIN(TestModelLive)
#include "tst_model_live.moc"
