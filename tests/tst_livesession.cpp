// LiveSession in-process: sources on their threads, batches, capture file, duplicates,
// dropped lines, early warnings, and the summary at the end.
#include "live/liveidset.h"
#include "live/livesession.h"
#include "store/rawrecordreader.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

namespace {

QByteArray rec(const QByteArray &time, int status, const QByteArray &id = {})
{
    QByteArray r = "{\"timestamp\":\"" + time + "\",\"status\":" + QByteArray::number(status);
    if (!id.isEmpty())
        r += ",\"id\":\"" + id + "\"";
    if (status == 429)
        r += ",\"body\":{\"code\":8,\"message\":\"rate limit "
             "exceeded\",\"details\":[{\"@type\":\"x.ErrorInfo\",\"error_code\":\"RATE_LIMITED\"}]}"
             ",\"tool_name\":\"gmail_fetch_mails\"";
    return r + "}";
}

std::unique_ptr<QTcpSocket> connectTo(const QString &name)
{
    const quint16 port = quint16(name.mid(name.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QHostAddress::LocalHost, port);
    if (!s->waitForConnected(5000))
        qFatal("cannot connect");
    return s;
}

LiveOptions options(const QTemporaryDir &dir)
{
    LiveOptions o;
    o.capturePath = dir.filePath(QStringLiteral("capture.ndjson"));
    o.follow.fromStart = true;
    o.follow.pollMs = 20;
    o.limits.maxLineBytes = 300;
    return o;
}

} // namespace

class TestLiveSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fileAndListenerIntoOneSummary();
    void batchesAreBoundedAndOrdered();
    void listenerThatCannotBindFailsTheStart();
    void idsStayKnownWhileTheSetGrows_data();
    void idsStayKnownWhileTheSetGrows();
};

void TestLiveSession::fileAndListenerIntoOneSummary()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(rec("2026-01-05T10:00:01Z", 200) + "\n"
            + rec("2026-01-05T10:00:02Z", 429, "tcl_same") + "\n\n"
            + rec("2026-01-05T10:00:03Z", 200) + "\n");
    }
    LiveOptions o = options(dir);
    LiveSourceSpec file;
    file.path = log;
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { file, listen };
    o.limit = LimitSpec { 4, 60, false };
    LiveSession live(std::make_shared<const RuleSet>(RuleSet::builtIn()), o);
    QSignalSpy batches(&live, &LiveSession::batchReady);
    QSignalSpy warnings(&live, &LiveSession::warning);
    QSignalSpy notices(&live, &LiveSession::notice);
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    QCOMPARE(live.capturePath(), o.capturePath);
    const QString tcpName = live.sourceStates().at(1).name;
    QVERIFY(tcpName.startsWith(QStringLiteral("tcp://127.0.0.1:")));
    QTRY_COMPARE(live.requests(), std::int64_t(3));

    auto c = connectTo(tcpName);
    c->write(rec("2026-01-05T10:00:04Z", 429, "tcl_same") + "\n"); // a duplicate of the file's
    c->write("{\"timestamp\":\"2026-01-05T10:00:05Z\",\"pad\":\"" + QByteArray(400, 'x')
        + "\"}\n"); // too long
    c->write("{not json\n");
    c->write(rec("2026-01-05T10:00:06Z", 200));
    c->disconnectFromHost(); // its last line counts now
    QTRY_COMPARE(live.requests(), std::int64_t(4));
    QTRY_VERIFY(live.sourceStates().at(1).skipped == 2);
    live.stop();

    const Summary s = live.summary();
    QCOMPARE(s.requests, std::int64_t(4));
    QCOMPARE(s.rejected[0], std::int64_t(1));
    QCOMPARE(s.inputs.size(), std::size_t(2));
    QCOMPARE(s.inputs[0].path, log);
    QCOMPARE(s.inputs[0].records, std::int64_t(3));
    QCOMPARE(s.inputs[1].path, tcpName);
    QCOMPARE(s.inputs[1].records, std::int64_t(1));
    QCOMPARE(s.inputs[1].duplicates, std::int64_t(1));
    QCOMPARE(s.inputs[1].skipped, std::int64_t(2));
    QCOMPARE(s.inputs[1].errors.size(), std::size_t(2));
    QCOMPARE(s.inputs[1].errors[0].line, std::uint64_t(2));
    QVERIFY(
        s.inputs[1].errors[0].message.contains(QStringLiteral("longer than the 300 bytes limit")));
    QCOMPARE(s.inputs[1].errors[1].line, std::uint64_t(3));
    QCOMPARE(live.sourceStates().at(1).droppedLines, std::uint64_t(1));

    // early warnings: the incident, then 4 of a limit of 4 (>= 90 %)
    QVERIFY(warnings.count() >= 2);
    QCOMPARE(warnings.at(0).at(0).value<LiveWarning>().kind, LiveWarning::Kind::IncidentStarted);
    bool near = false;
    for (const auto &w : warnings)
        near = near || w.at(0).value<LiveWarning>().kind == LiveWarning::Kind::NearLimit;
    QVERIFY(near);
    QVERIFY(!notices.isEmpty());

    // every analysed line is in the capture file, and each event reads back from it
    QFile cap(o.capturePath);
    QVERIFY(cap.open(QIODevice::ReadOnly));
    const QList<QByteArray> captured = cap.readAll().split('\n');
    QCOMPARE(captured.size(), 6 + 1); // 3 + 3 lines (the long one is not kept), then ""
    const EventStore &store = live.store();
    QCOMPARE(store.size(), std::size_t(4));
    QCOMPARE(QString::fromStdString(store.filePath(0)), o.capturePath);
    std::set<std::int64_t> times;
    for (std::size_t i = 0; i < store.size(); ++i) {
        QString why;
        const QByteArray raw = RawRecordReader::read(store, i, &why);
        QVERIFY2(!raw.isEmpty(), qPrintable(why));
        QCOMPARE(raw, captured.at(int(store.line(i)) - 1));
        times.insert(store.timeMs(i));
    }
    QCOMPARE(times.size(), std::size_t(4));
    QVERIFY(batches.count() >= 2);
}

void TestLiveSession::batchesAreBoundedAndOrdered()
{
    QTemporaryDir dir;
    LiveOptions o = options(dir);
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { listen };
    o.ingest.batchRecords = 1000;
    LiveSession live(std::make_shared<const RuleSet>(RuleSet::builtIn()), o);
    std::vector<std::shared_ptr<const LiveBatch>> got;
    connect(&live, &LiveSession::batchReady, this,
        [&](std::shared_ptr<const LiveBatch> b) { got.push_back(b); });
    QString error;
    QVERIFY(live.start(&error));
    auto c = connectTo(live.sourceStates().at(0).name);
    QByteArray all;
    for (int i = 0; i < 5000; ++i)
        all += "{\"timestamp\":" + QByteArray::number(1767607200000LL + i)
            + ",\"status\":200,\"id\":\"r" + QByteArray::number(i) + "\"}\n";
    c->write(all);
    QTRY_COMPARE(live.requests(), std::int64_t(5000));
    live.stop();
    std::uint64_t seq = 0;
    std::size_t events = 0;
    std::int64_t last = 0;
    for (const auto &b : got) {
        QCOMPARE(b->sequence, ++seq);
        QVERIFY(b->events.size() <= 1000);
        QVERIFY(b->sentMs >= b->oldestReceivedMs);
        for (std::size_t i = 0; i < b->events.size(); ++i) { // one connection: in order
            QVERIFY(b->events.timeMs(i) > last);
            last = b->events.timeMs(i);
        }
        events += b->events.size();
    }
    QCOMPARE(events, std::size_t(5000));
    QVERIFY(got.size() >= 5);
}

void TestLiveSession::listenerThatCannotBindFailsTheStart()
{
    QTemporaryDir dir;
    LiveOptions o = options(dir);
    LiveSourceSpec a;
    a.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { a };
    LiveSession first(std::make_shared<const RuleSet>(RuleSet::builtIn()), o);
    QString error;
    QVERIFY(first.start(&error));
    const QString taken = first.sourceStates().at(0).name;
    LiveOptions o2 = options(dir);
    LiveSourceSpec b;
    b.kind = LiveSourceSpec::Kind::Listen;
    b.listen.port = quint16(taken.mid(taken.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
    o2.sources = { b };
    o2.capturePath = dir.filePath(QStringLiteral("second.ndjson"));
    LiveSession second(std::make_shared<const RuleSet>(RuleSet::builtIn()), o2);
    QVERIFY(!second.start(&error));
    QVERIFY2(error.contains(QStringLiteral("cannot listen")), qPrintable(error));
    QVERIFY(!second.isRunning());
}

// LiveIdSet moves its table across a few slots per insert: a repeat of any id seen before is
// found whether it has been moved yet or not, and nothing is lost when a move ends.
void TestLiveSession::idsStayKnownWhileTheSetGrows_data()
{
    QTest::addColumn<int>("ids");
    QTest::addColumn<int>("repeatEvery"); // every Nth insert repeats an earlier id
    QTest::addRow("small, no repeats") << 500 << 0;
    QTest::addRow("through 8 doublings, every 3rd a repeat") << 200000 << 3;
    QTest::addRow("through 10 doublings, every 50th a repeat") << 800000 << 50;
}

void TestLiveSession::idsStayKnownWhileTheSetGrows()
{
    QFETCH(int, ids);
    QFETCH(int, repeatEvery);
    LiveIdSet set;
    std::uint64_t x = 88172645463325252ull; // xorshift: ids that look like hashes
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x | 1;
    };
    std::vector<std::uint64_t> seen;
    int repeats = 0, sawGrowing = 0;
    for (int i = 0; i < ids; ++i) {
        if (repeatEvery && i % repeatEvery == 0 && !seen.empty()) {
            // an old id (early ones sit in a table being moved), and the newest one
            QVERIFY(!set.insert(seen[std::size_t(i) * 7919 % seen.size()]));
            QVERIFY(!set.insert(seen.back()));
            repeats += 2;
        }
        const std::uint64_t h = next();
        QVERIFY(set.insert(h));
        seen.push_back(h);
        sawGrowing += set.growing();
    }
    QCOMPARE(set.size(), seen.size());
    if (ids > 100000)
        QVERIFY(sawGrowing > 0);
    // every id is still known once all moves are done
    while (set.growing())
        set.insert(next());
    for (std::uint64_t h : seen)
        QVERIFY(!set.insert(h));
    QCOMPARE(repeats > 0, repeatEvery > 0);
}

QTEST_GUILESS_MAIN(TestLiveSession)
#include "tst_livesession.moc"
