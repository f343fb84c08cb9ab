// LiveSession in-process: sources on their threads, batches, capture file, duplicates,
// dropped lines, early warnings, and the summary at the end.
#include "base/bytesize.h"
#include "live/liveidset.h"
#include "live/livesession.h"
#include "store/rawrecordreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
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
    void idsAreForgottenAfterTheHorizon_data();
    void idsAreForgottenAfterTheHorizon();
    void captureRotatesIntoSegments_data();
    void captureRotatesIntoSegments();
    void captureMaxSizes_data();
    void captureMaxSizes();
    void segmentNames_data();
    void segmentNames();
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
    LiveIdSet set(0); // every id kept: this is about the growing table
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
            QVERIFY(!set.insert(seen[std::size_t(i) * 7919 % seen.size()], 0));
            QVERIFY(!set.insert(seen.back(), 0));
            repeats += 2;
        }
        const std::uint64_t h = next();
        QVERIFY(set.insert(h, i));
        seen.push_back(h);
        sawGrowing += set.growing();
    }
    QCOMPARE(set.size(), seen.size());
    if (ids > 100000)
        QVERIFY(sawGrowing > 0);
    // every id is still known once all moves are done
    while (set.growing())
        set.insert(next(), ids);
    for (std::uint64_t h : seen)
        QVERIFY(!set.insert(h, ids));
    QCOMPARE(repeats > 0, repeatEvery > 0);
}

// Issue 22: the live id set forgets. A repeat within the horizon (of record time) of its twin
// is always dropped, however the generations fell; one two horizons later is counted; and the
// set holds the ids of at most two horizons of traffic, however long the session.
void TestLiveSession::idsAreForgottenAfterTheHorizon_data()
{
    QTest::addColumn<qint64>("horizonMs");
    QTest::addColumn<int>("perSecond");
    QTest::addColumn<int>("seconds");
    QTest::addRow("15 min at 100/s for 2 h") << qint64(15 * 60000) << 100 << 7200;
    QTest::addRow("1 min at 1000/s for 20 min") << qint64(60000) << 1000 << 1200;
    QTest::addRow("10 s at 5000/s for 100 s") << qint64(10000) << 5000 << 100;
}

void TestLiveSession::idsAreForgottenAfterTheHorizon()
{
    QFETCH(qint64, horizonMs);
    QFETCH(int, perSecond);
    QFETCH(int, seconds);
    LiveIdSet set(horizonMs);
    std::uint64_t x = 88172645463325252ull;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x | 1;
    };
    // (id, time) of every insert, to repeat some of them
    std::vector<std::pair<std::uint64_t, std::int64_t>> sent;
    std::size_t most = 0;
    int repeatsDropped = 0, lateCounted = 0;
    const std::int64_t stepMs = 1000 / perSecond ? 1000 / perSecond : 1;
    const std::int64_t n = std::int64_t(perSecond) * seconds;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t t = 1'700'000'000'000 + i * 1000 / perSecond;
        const std::uint64_t h = next();
        QVERIFY(set.insert(h, t));
        sent.push_back({ h, t });
        if (i % 997 == 0) {
            // the oldest id still within the horizon of this record: always a repeat
            const auto first = std::lower_bound(sent.begin(), sent.end(), t - horizonMs + stepMs,
                [](const auto &e, std::int64_t v) { return e.second < v; });
            QVERIFY2(!set.insert(first->first, t),
                qPrintable(QStringLiteral("a repeat %1 ms after its twin was counted")
                               .arg(t - first->second)));
            ++repeatsDropped;
            // one more than two horizons old: forgotten, counted again (and remembered anew)
            if (t - sent.front().second > 2 * horizonMs + 1000) {
                const auto old
                    = std::lower_bound(sent.begin(), sent.end(), t - 2 * horizonMs - 1000,
                        [](const auto &e, std::int64_t v) { return e.second < v; });
                QVERIFY(set.insert(old->first, t));
                QVERIFY(!set.insert(old->first, t));
                ++lateCounted;
            }
        }
        most = std::max(most, set.size());
    }
    QVERIFY(repeatsDropped > 0);
    QVERIFY(lateCounted > 0);
    QVERIFY(set.generations() >= seconds * 1000 / horizonMs - 1);
    // two horizons of ids (and the repeats inserted anew), never the whole run's
    const std::size_t twoHorizons = std::size_t(2 * horizonMs / 1000 * perSecond);
    QVERIFY2(most <= twoHorizons + std::size_t(lateCounted) + std::size_t(perSecond),
        qPrintable(QStringLiteral("%1 ids held, two horizons are %2").arg(most).arg(twoHorizons)));
    QVERIFY(most < std::size_t(n));
}

// Issue 22: --capture-max 4 KiB over 3,000 records sent in 30 writes of about 7 KB, each
// received before the next: the capture rotates into many segments, each event reads back the
// line that was sent from its own segment (the older kept ones too), a batch stays in one
// segment, at most --capture-keep are ever on disk, and an event of a segment rotated away
// reads back as a clear message and no record, also once another file takes its path.
void TestLiveSession::captureRotatesIntoSegments_data()
{
    QTest::addColumn<int>("keep");
    QTest::addRow("every segment kept") << 1000;
    QTest::addRow("the newest 2 kept") << 2;
}

void TestLiveSession::captureRotatesIntoSegments()
{
    QFETCH(int, keep);
    QTemporaryDir dir;
    LiveOptions o = options(dir);
    LiveSourceSpec listen;
    listen.kind = LiveSourceSpec::Kind::Listen;
    o.sources = { listen };
    o.captureRotation.maxBytes = 4096;
    o.captureRotation.keep = keep;
    LiveSession live(std::make_shared<const RuleSet>(RuleSet::builtIn()), o);
    const QStringList segmentNames { QStringLiteral("capture.ndjson"),
        QStringLiteral("capture.*.ndjson") };
    auto onDisk = [&] { return QDir(dir.path()).entryList(segmentNames, QDir::Files); };
    qsizetype mostOnDisk = 0;
    bool batchInOneSegment = true;
    connect(&live, &LiveSession::batchReady, this, [&](std::shared_ptr<const LiveBatch> b) {
        mostOnDisk = std::max(mostOnDisk, onDisk().size());
        for (std::size_t i = 1; i < b->events.size(); ++i)
            batchInOneSegment = batchInOneSegment && b->events.file(i) == b->events.file(0);
    });
    QSignalSpy rotated(&live, &LiveSession::captureRotated);
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    auto c = connectTo(live.sourceStates().at(0).name);

    std::map<std::int64_t, QByteArray> sent; // time -> line
    QByteArray all;
    for (int w = 0; w < 30; ++w) {
        QByteArray bytes;
        for (int i = 0; i < 100; ++i) {
            const std::int64_t t = 1767607200000LL + (w * 100 + i) * 10;
            const QByteArray line = "{\"timestamp\":" + QByteArray::number(t)
                + ",\"status\":" + (i % 10 == 3 ? "429" : "200") + ",\"id\":\"r"
                + QByteArray::number(w * 100 + i) + "\",\"tool_name\":\"gmail_fetch_mails\"}";
            sent[t] = line;
            bytes += line + "\n";
        }
        all += bytes;
        c->write(bytes);
        QTRY_COMPARE(live.requests(), std::int64_t((w + 1) * 100));
        mostOnDisk = std::max(mostOnDisk, onDisk().size());
    }
    live.stop();

    // many segments, never more than `keep` of them on disk
    const int segments = live.captureSegmentCount();
    QVERIFY2(segments >= 15, qPrintable(QString::number(segments)));
    QCOMPARE(rotated.size(), segments - 1);
    QVERIFY(batchInOneSegment);
    QVERIFY2(mostOnDisk <= keep, qPrintable(QString::number(mostOnDisk)));
    const qsizetype kept = std::min(keep, segments);
    QCOMPARE(onDisk().size(), kept);
    QCOMPARE(live.captureSegments().size(), kept);
    for (const QString &path : live.captureSegments())
        QVERIFY2(QFile::exists(path), qPrintable(path));

    // the store names every segment by its index: the first is the capture path, then .2, .3
    const EventStore &store = live.store();
    QCOMPARE(store.size(), sent.size());
    QCOMPARE(store.fileCount(), std::size_t(segments));
    QCOMPARE(QString::fromStdString(store.filePath(0)), o.capturePath);
    QCOMPARE(QString::fromStdString(store.filePath(1)),
        dir.filePath(QStringLiteral("capture.2.ndjson")));
    QCOMPARE(QString::fromStdString(store.filePath(std::uint16_t(segments - 1))),
        live.captureSegments().back());
    if (kept == segments) { // nothing deleted: the segments in order are every byte sent
        QByteArray joined;
        for (int k = 0; k < segments; ++k) {
            QFile f(QString::fromStdString(store.filePath(std::uint16_t(k))));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY(bytes.endsWith('\n')); // whole lines only
            if (k + 1 < segments)
                QVERIFY(bytes.size() >= 4096); // rotated once it had reached --capture-max
            joined += bytes;
        }
        QCOMPARE(joined, all);
    }

    // each event reads back its own line, or (rotated away) a clear message and nothing
    int readBack = 0, gone = 0;
    std::set<std::uint16_t> readFrom;
    for (std::size_t i = 0; i < store.size(); ++i) {
        QString why;
        const QByteArray raw = RawRecordReader::read(store, i, &why);
        const std::uint16_t f = store.file(i);
        if (f < segments - kept) {
            const QString name = QFileInfo(QString::fromStdString(store.filePath(f))).fileName();
            QCOMPARE(raw, QByteArray());
            QCOMPARE(why,
                QStringLiteral("the capture file %1 was rotated away (--capture-keep %2): its "
                               "records are gone")
                    .arg(name)
                    .arg(keep));
            ++gone;
        } else {
            QVERIFY2(!raw.isEmpty(), qPrintable(why));
            QCOMPARE(raw, sent.at(store.timeMs(i)));
            readFrom.insert(f);
            ++readBack;
        }
    }
    QCOMPARE(readFrom.size(), std::size_t(kept)); // the older kept segments too
    QCOMPARE(gone > 0, kept < segments);
    QCOMPARE(readBack + gone, int(sent.size()));

    // another file at a rotated-away segment's path (here: a copy of a kept one, so its
    // offsets hold records too) is not read in its place
    if (kept < segments) {
        const QString first = QString::fromStdString(store.filePath(0));
        QVERIFY(!QFile::exists(first));
        QVERIFY(QFile::copy(live.captureSegments().front(), first));
        for (std::size_t i = 0; i < store.size() && store.file(i) == 0; ++i) {
            QString why;
            QVERIFY(RawRecordReader::read(store, i, &why).isEmpty());
            QVERIFY2(
                why.contains(QLatin1String("capture.ndjson was rotated away")), qPrintable(why));
        }
    }
}

// --capture-max's grammar: powers of 1024 with or without "iB", decimals when whole bytes.
void TestLiveSession::captureMaxSizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes"); // -1: refused
    QTest::addColumn<QString>("shown");
    QTest::addRow("bytes") << "65536" << qint64(65536) << "64 KiB";
    QTest::addRow("K") << "4K" << qint64(4096) << "4 KiB";
    QTest::addRow("KiB with a space") << "4 KiB" << qint64(4096) << "4 KiB";
    QTest::addRow("M lower case") << "512m" << qint64(512) * 1024 * 1024 << "512 MiB";
    QTest::addRow("GiB") << "1GiB" << (qint64(1) << 30) << "1 GiB";
    QTest::addRow("G") << "1G" << (qint64(1) << 30) << "1 GiB";
    QTest::addRow("a decimal") << "1.5G" << (qint64(3) << 29) << "1.5 GiB";
    QTest::addRow("B") << "1500B" << qint64(1500) << "1500 bytes";
    QTest::addRow("GB (1000 elsewhere)") << "1GB" << qint64(-1) << "";
    QTest::addRow("no number") << "G" << qint64(-1) << "";
    QTest::addRow("zero") << "0" << qint64(-1) << "";
    QTest::addRow("negative") << "-1M" << qint64(-1) << "";
    QTest::addRow("half a byte") << "1.5" << qint64(-1) << "";
    QTest::addRow("unknown unit") << "1P" << qint64(-1) << "";
}

void TestLiveSession::captureMaxSizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QFETCH(QString, shown);
    QString error;
    const std::optional<std::uint64_t> parsed = parseByteSize(text, &error);
    if (bytes < 0) {
        QVERIFY(!parsed);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, std::uint64_t(bytes));
    QCOMPARE(byteSizeText(*parsed), shown);
}

// Segments are named after the capture's first file, beside it; nothing else is renamed.
void TestLiveSession::segmentNames_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("third");
    QTest::addRow("the default name") << "/c/live-20260105-100000Z.ndjson"
                                      << "/c/live-20260105-100000Z.3.ndjson";
    QTest::addRow("--capture cap.log") << "cap.log"
                                       << "cap.3.log";
    QTest::addRow("two dots") << "/c/a.b.ndjson"
                              << "/c/a.b.3.ndjson";
    QTest::addRow("no suffix") << "/c/capture"
                               << "/c/capture.3";
}

void TestLiveSession::segmentNames()
{
    QFETCH(QString, first);
    QFETCH(QString, third);
    QCOMPARE(CaptureFile::segmentPath(first, 3), third);
}

QTEST_GUILESS_MAIN(TestLiveSession)
#include "tst_livesession.moc"
