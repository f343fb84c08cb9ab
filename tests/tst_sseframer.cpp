// SseFramer: WHATWG event-stream parsing, fed whole, byte by byte and cut at every position.
#include "sources/sseframer.h"

#include <QtTest>

namespace {

struct Parsed
{
    QList<QByteArray> events; // "type|id|data"
    QList<QByteArray> drops; // "number:bytes"
    QByteArray lastEventId;
    qint64 retry = -1;
};

Parsed parse(const QList<QByteArray> &pieces, std::size_t max, bool finish)
{
    Parsed out;
    SseFramer f(max);
    const auto onEvent = [&](const SseEvent &e) {
        out.events << QByteArray(e.type.data(), qsizetype(e.type.size())) + '|'
                + QByteArray(e.lastEventId.data(), qsizetype(e.lastEventId.size())) + '|'
                + QByteArray(e.data.data(), qsizetype(e.data.size()));
    };
    const auto onDrop = [&](std::uint64_t n, std::uint64_t bytes) {
        out.drops << QByteArray::number(qulonglong(n)) + ':'
                + QByteArray::number(qulonglong(bytes));
    };
    for (const QByteArray &p : pieces)
        f.feed(p.constData(), std::size_t(p.size()), onEvent, onDrop);
    if (finish)
        f.finish();
    out.lastEventId = QByteArray::fromStdString(f.lastEventId());
    out.retry = f.retryMs();
    return out;
}

} // namespace

class TestSseFramer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsing_data();
    void parsing();
    void reconnectKeepsTheLastCompleteId();
    void boundedMemory();
};

void TestSseFramer::parsing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("max");
    QTest::addColumn<QList<QByteArray>>("events");
    QTest::addColumn<QList<QByteArray>>("drops");
    QTest::addColumn<QByteArray>("lastId");
    QTest::addColumn<qint64>("retry");
    using L = QList<QByteArray>;
    const int big = 1 << 20;
    QTest::addRow("LF") << QByteArray("data: {\"a\":1}\n\n") << big << L { "message||{\"a\":1}" }
                        << L {} << QByteArray() << qint64(-1);
    QTest::addRow("CRLF") << QByteArray("data: x\r\n\r\n") << big << L { "message||x" } << L {}
                          << QByteArray() << qint64(-1);
    QTest::addRow("CR alone") << QByteArray("data: x\r\rdata: y\r\r") << big
                              << L { "message||x", "message||y" } << L {} << QByteArray()
                              << qint64(-1);
    QTest::addRow("mixed breaks") << QByteArray("data: a\rdata: b\ndata: c\r\n\n") << big
                                  << L { "message||a\nb\nc" } << L {} << QByteArray() << qint64(-1);
    QTest::addRow("multi-line data joined with LF")
        << QByteArray("data: {\"a\":\ndata: 1}\n\n") << big << L { "message||{\"a\":\n1}" } << L {}
        << QByteArray() << qint64(-1);
    QTest::addRow("comments are keep-alives")
        << QByteArray(": ping\n:\ndata: x\n: mid\n\n") << big << L { "message||x" } << L {}
        << QByteArray() << qint64(-1);
    QTest::addRow("no space after colon") << QByteArray("data:x\n\n") << big << L { "message||x" }
                                          << L {} << QByteArray() << qint64(-1);
    QTest::addRow("only one space is removed")
        << QByteArray("data:  x\n\n") << big << L { "message|| x" } << L {} << QByteArray()
        << qint64(-1);
    QTest::addRow("field without colon")
        << QByteArray("data\ndata\n\n") << big << L { "message||\n" } << L {} << QByteArray()
        << qint64(-1);
    QTest::addRow("empty data is not dispatched")
        << QByteArray("event: x\n\ndata: y\n\n") << big << L { "message||y" } << L {}
        << QByteArray() << qint64(-1);
    QTest::addRow("event type") << QByteArray("event: add\ndata: 1\n\n") << big << L { "add||1" }
                                << L {} << QByteArray() << qint64(-1);
    QTest::addRow("id is remembered")
        << QByteArray("id: 7\ndata: a\n\ndata: b\n\n") << big << L { "message|7|a", "message|7|b" }
        << L {} << QByteArray("7") << qint64(-1);
    QTest::addRow("empty id resets")
        << QByteArray("id: 7\ndata: a\n\nid\ndata: b\n\n") << big
        << L { "message|7|a", "message||b" } << L {} << QByteArray() << qint64(-1);
    QTest::addRow("id with NUL is ignored")
        << (QByteArray("id: 7\n\nid: a") + QByteArray(1, '\0') + QByteArray("b\ndata: x\n\n"))
        << big << L { "message|7|x" } << L {} << QByteArray("7") << qint64(-1);
    QTest::addRow("id without data still counts")
        << QByteArray("id: 9\n\n") << big << L {} << L {} << QByteArray("9") << qint64(-1);
    QTest::addRow("retry digits") << QByteArray("retry: 1500\n\n") << big << L {} << L {}
                                  << QByteArray() << qint64(1500);
    QTest::addRow("retry with a sign is ignored")
        << QByteArray("retry: -5\nretry: 1.5\nretry: 2s\nretry:\n\n") << big << L {} << L {}
        << QByteArray() << qint64(-1);
    QTest::addRow("retry with a space is ignored")
        << QByteArray("retry: 10 \n\n") << big << L {} << L {} << QByteArray() << qint64(-1);
    QTest::addRow("unknown fields are ignored")
        << QByteArray("foo: bar\ndata: x\n\n") << big << L { "message||x" } << L {} << QByteArray()
        << qint64(-1);
    QTest::addRow("BOM at the start")
        << QByteArray("\xEF\xBB\xBF"
                      "data: x\n\n")
        << big << L { "message||x" } << L {} << QByteArray() << qint64(-1);
    QTest::addRow("unfinished event is discarded")
        << QByteArray("data: a\n\ndata: b\n") << big << L { "message||a" } << L {} << QByteArray()
        << qint64(-1);
    QTest::addRow("unfinished id does not count")
        << QByteArray("id: 1\ndata: a\n\nid: 2\ndata: b\n") << big << L { "message|1|a" } << L {}
        << QByteArray("1") << qint64(-1);
    QTest::addRow("event over the limit is dropped")
        << QByteArray("data: 12345678\n\ndata: ok\n\n") << 4 << L { "message||ok" } << L { "1:8" }
        << QByteArray() << qint64(-1);
    QTest::addRow("data lines adding up over the limit")
        << QByteArray("data: ab\ndata: cd\n\ndata: e\n\n") << 4 << L { "message||e" } << L { "1:5" }
        << QByteArray() << qint64(-1);
    QTest::addRow("long comment is ignored")
        << QByteArray(": 123456789\ndata: ok\n\n") << 4 << L { "message||ok" } << L {}
        << QByteArray() << qint64(-1);
}

void TestSseFramer::parsing()
{
    QFETCH(QByteArray, input);
    QFETCH(int, max);
    QFETCH(QList<QByteArray>, events);
    QFETCH(QList<QByteArray>, drops);
    QFETCH(QByteArray, lastId);
    QFETCH(qint64, retry);

    for (int cut = 0; cut <= input.size(); ++cut) {
        const Parsed p = parse({ input.left(cut), input.mid(cut) }, std::size_t(max), true);
        QVERIFY2(p.events == events,
            qPrintable(QStringLiteral("cut at %1: %2")
                           .arg(cut)
                           .arg(QString::fromUtf8(p.events.join(" / ")))));
        QVERIFY2(p.drops == drops, qPrintable(QStringLiteral("cut at %1").arg(cut)));
        QCOMPARE(p.lastEventId, lastId);
        QCOMPARE(p.retry, retry);
    }
    QList<QByteArray> bytes;
    for (char c : input)
        bytes << QByteArray(1, c);
    const Parsed single = parse(bytes, std::size_t(max), true);
    QCOMPARE(single.events, events);
    QCOMPARE(single.drops, drops);
}

void TestSseFramer::reconnectKeepsTheLastCompleteId()
{
    SseFramer f;
    QList<QByteArray> got;
    const auto onEvent
        = [&](const SseEvent &e) { got << QByteArray(e.data.data(), qsizetype(e.data.size())); };
    const auto onDrop = [](std::uint64_t, std::uint64_t) {};
    const QByteArray first("retry: 10\nid: 1\ndata: a\n\nid: 2\ndata: b"); // cut inside event 2
    f.feed(first.constData(), std::size_t(first.size()), onEvent, onDrop);
    QVERIFY(f.finish()); // something was discarded
    QCOMPARE(f.lastEventId(), std::string("1")); // event 2 never completed: ask from 1
    QCOMPARE(f.retryMs(), std::int64_t(10));
    // a new stream: a BOM is skipped again, the id carries on until the server sends one
    const QByteArray second("\xEF\xBB\xBF"
                            "data: c\n\n");
    f.feed(second.constData(), std::size_t(second.size()), onEvent, onDrop);
    QCOMPARE(got, (QList<QByteArray> { "a", "c" }));
    QCOMPARE(f.lastEventId(), std::string("1"));
}

void TestSseFramer::boundedMemory()
{
    SseFramer f(1000);
    int events = 0;
    std::uint64_t dropped = 0;
    const QByteArray start("data: ");
    const QByteArray block(65536, 'x');
    f.feed(
        start.constData(), std::size_t(start.size()), [&](const SseEvent &) { ++events; },
        [&](std::uint64_t, std::uint64_t b) { dropped = b; });
    for (int i = 0; i < 64; ++i) // a 4 MB line
        f.feed(
            block.constData(), std::size_t(block.size()), [&](const SseEvent &) { ++events; },
            [&](std::uint64_t, std::uint64_t b) { dropped = b; });
    f.feed(
        "\n\ndata: y\n\n", 11, [&](const SseEvent &) { ++events; },
        [&](std::uint64_t, std::uint64_t b) { dropped = b; });
    QCOMPARE(dropped, std::uint64_t(65536) * 64);
    QCOMPARE(events, 1);
    QCOMPARE(f.dropped(), std::uint64_t(1));
    QCOMPARE(f.events(), std::uint64_t(2));
}

QTEST_GUILESS_MAIN(TestSseFramer)
#include "tst_sseframer.moc"
