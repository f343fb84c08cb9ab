// FileFollower on real files: tail -F semantics under rotation, truncation, deletion.
#include "sources/filefollower.h"
#include "sources/linequeue.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// Collects what a source pushes, as soon as it is pushed (same thread: a direct call).
struct Collector
{
    explicit Collector(LineQueue &q, bool autoDrain = true)
        : queue(q)
    {
        if (autoDrain)
            QObject::connect(&q, &LineQueue::dataAvailable, [this] { drain(); });
    }
    void drain()
    {
        for (LineChunk &c : queue.takeAll()) {
            for (std::size_t i = 0; i < c.lines.size(); ++i) {
                const std::string_view l = c.line(i);
                lines << QByteArray(l.data(), qsizetype(l.size()));
                numbers << c.lines[i].number;
            }
            for (const LineChunk::Problem &p : c.problems)
                problems << QStringLiteral("%1: %2").arg(p.number).arg(p.message);
        }
    }
    LineQueue &queue;
    QList<QByteArray> lines;
    QList<std::uint64_t> numbers;
    QStringList problems;
};

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

QByteArray record(int seq)
{
    return QByteArray("{\"timestamp\":\"2026-01-05T10:00:00Z\",\"status\":200,\"seq\":")
        + QByteArray::number(seq) + '}';
}

FollowOptions fast(bool fromStart = false)
{
    FollowOptions o;
    o.fromStart = fromStart;
    o.pollMs = 20;
    o.rotationGraceMs = 100;
    return o;
}

} // namespace

class TestFollower : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsAtTheEndWithoutHalfALine();
    void fromStartReadsWhatIsThere();
    void waitsForAMissingFile();
    void unterminatedLineWaitsForItsNewline();
    void longLinesAreDroppedAndReported();
    void rotationTruncationAndRecreationLoseNothing();
    void fullQueueStopsReading();
};

void TestFollower::startsAtTheEndWithoutHalfALine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    append(path, record(1) + "\n{\"half");
    LineQueue queue;
    Collector got(queue);
    FileFollower f(0, path, queue, {}, fast());
    QVERIFY(f.start());
    append(path, "\":1}\n" + record(2) + "\n");
    QTRY_COMPARE(got.lines, QList<QByteArray> { record(2) });
    f.stop();
}

void TestFollower::fromStartReadsWhatIsThere()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    append(path, record(1) + "\r\n\n" + record(2) + "\n");
    LineQueue queue;
    Collector got(queue);
    FileFollower f(0, path, queue, {}, fast(true));
    QVERIFY(f.start());
    QTRY_COMPARE(got.lines, (QList<QByteArray> { record(1), record(2) }));
    QCOMPARE(got.numbers, (QList<std::uint64_t> { 1, 3 })); // the blank line 2 takes a number
}

void TestFollower::waitsForAMissingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("later.log"));
    LineQueue queue;
    Collector got(queue);
    FileFollower f(0, path, queue, {}, fast());
    QSignalSpy states(&f, &LiveSource::stateChanged);
    QVERIFY(f.start());
    QCOMPARE(f.state().status, LiveSourceState::Status::Waiting);
    append(path, record(1) + "\n"); // a new file is read from its start
    QTRY_COMPARE(got.lines, QList<QByteArray> { record(1) });
    QCOMPARE(f.state().status, LiveSourceState::Status::Following);
}

void TestFollower::unterminatedLineWaitsForItsNewline()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    append(path, QByteArray());
    LineQueue queue;
    Collector got(queue);
    FileFollower f(0, path, queue, {}, fast());
    QVERIFY(f.start());
    const QByteArray r = record(1);
    append(path, r.left(10));
    append(path, record(0) + "\n"); // a marker: once it is in, the half line was polled too
    QTRY_COMPARE(got.lines.size(), 1);
    QCOMPARE(got.lines.front(), r.left(10) + record(0)); // the half line waited for its newline
    append(path, r.mid(10));
    append(path, "\n");
    QTRY_COMPARE(got.lines.size(), 2);
    QCOMPARE(got.lines.back(), r.mid(10));
}

void TestFollower::longLinesAreDroppedAndReported()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    append(path, QByteArray());
    LineQueue queue;
    Collector got(queue);
    LiveLimits limits;
    limits.maxLineBytes = 1000;
    limits.readBytes = 256;
    FileFollower f(0, path, queue, limits, fast());
    QVERIFY(f.start());
    append(path, record(1) + "\n" + QByteArray(5000, 'x') + "\n" + record(2) + "\n");
    QTRY_COMPARE(got.lines, (QList<QByteArray> { record(1), record(2) }));
    QCOMPARE(got.numbers, (QList<std::uint64_t> { 1, 3 }));
    QCOMPARE(got.problems.size(), 1);
    QVERIFY2(
        got.problems.front().startsWith(QStringLiteral("2: line of 5000 bytes is longer than")),
        qPrintable(got.problems.front()));
    QCOMPARE(f.state().droppedLines, std::uint64_t(1));
}

void TestFollower::rotationTruncationAndRecreationLoseNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.log"));
    const QString rotated = dir.filePath(QStringLiteral("app.log.1"));
    append(path, QByteArray());
    LineQueue queue;
    Collector got(queue);
    LiveLimits limits;
    limits.readBytes = 100; // many reads per burst, lines cut across them
    FileFollower f(0, path, queue, limits, fast());
    QSignalSpy notices(&f, &LiveSource::notice);
    QVERIFY(f.start());

    QList<QByteArray> expected;
    int seq = 0;
    int switches = 0;
    auto writeLines = [&](const QString &p, int n) {
        QByteArray bytes;
        for (int i = 0; i < n; ++i) {
            bytes += record(++seq) + '\n';
            expected << record(seq);
        }
        // in two writes cut inside a line: the follower must never split it
        const int cut = int(bytes.size()) / 2 + 3;
        append(p, bytes.left(cut));
        append(p, bytes.mid(cut));
    };
    for (int round = 0; round < 40; ++round) {
        switch (round % 4) {
        case 0: // plain appends
            writeLines(path, 5);
            break;
        case 1: { // rotation: lines the follower has not read yet stay in the old file
            writeLines(path, 3);
            QFile::remove(rotated);
            QVERIFY(QFile::rename(path, rotated));
            writeLines(path, 4); // the new file, at once
            // (a second replacement before the follower has seen the first could not be
            // followed by anyone: the file in between is gone from the name)
            ++switches;
            QTRY_COMPARE(f.state().reconnects, std::uint64_t(switches));
            break;
        }
        case 2: { // truncation (copytruncate): once read, the file is emptied in place
            writeLines(path, 2);
            QTRY_COMPARE(got.lines.size(), expected.size());
            const int before = int(notices.count());
            QFile t(path);
            QVERIFY(t.open(QIODevice::WriteOnly | QIODevice::Truncate));
            t.close();
            QTRY_VERIFY(notices.count() > before);
            QVERIFY(notices.last().at(1).toString().contains(QStringLiteral("file truncated")));
            writeLines(path, 3);
            break;
        }
        case 3: { // deletion, then the name comes back
            writeLines(path, 2);
            QTRY_COMPARE(got.lines.size(), expected.size());
            QVERIFY(QFile::remove(path));
            QTRY_COMPARE(f.state().status, LiveSourceState::Status::Waiting);
            writeLines(path, 3);
            ++switches;
            QTRY_COMPARE(f.state().reconnects, std::uint64_t(switches));
            break;
        }
        }
    }
    QTRY_COMPARE(got.lines.size(), expected.size());
    QCOMPARE(got.lines, expected); // nothing lost, duplicated, split or reordered
    QVERIFY(got.problems.isEmpty());
    QCOMPARE(f.state().reconnects, std::uint64_t(20)); // 10 rotations + 10 re-creations
}

void TestFollower::fullQueueStopsReading()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    QByteArray bytes;
    QList<QByteArray> expected;
    for (int i = 0; i < 2000; ++i) {
        bytes += record(i) + '\n';
        expected << record(i);
    }
    append(path, bytes);
    LineQueue queue(4096); // about 60 lines
    Collector got(queue, false);
    LiveLimits limits;
    limits.readBytes = 1024;
    FileFollower f(0, path, queue, limits, fast(true));
    QSignalSpy room(&queue, &LineQueue::roomAvailable);
    connect(&queue, &LineQueue::roomAvailable, &f, &LiveSource::resume);
    QVERIFY(f.start());
    // nobody drains: the follower stops at the limit (plus the one read it had in hand)
    QVERIFY(queue.bytes() >= queue.maxBytes());
    QVERIFY(queue.bytes() < queue.maxBytes() + 2 * 1024);
    QVERIFY(queue.fullEvents() > 0);
    // draining lets it go on, as far as the limit again, until the file is read
    while (got.lines.size() < expected.size()) {
        const qsizetype before = got.lines.size();
        got.drain();
        QTRY_VERIFY(queue.bytes() > 0 || got.lines.size() == expected.size());
        QVERIFY(got.lines.size() > before);
    }
    QCOMPARE(got.lines, expected);
    QVERIFY(room.count() > 10);
}

QTEST_GUILESS_MAIN(TestFollower)
#include "tst_follower.moc"
