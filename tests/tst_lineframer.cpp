// LineFramer: NDJSON line framing, fed whole, byte by byte and cut at every position.
#include "sources/lineframer.h"

#include <QtTest>

namespace {

struct Framed
{
    QList<QByteArray> lines; // "number:text"
    QList<QByteArray> drops; // "number:bytes"
};

Framed frame(const QList<QByteArray> &pieces, std::size_t max, bool finish)
{
    Framed out;
    LineFramer f(max);
    const auto onLine = [&](std::string_view t, std::uint64_t n) {
        out.lines << QByteArray::number(qulonglong(n)) + ':'
                + QByteArray(t.data(), qsizetype(t.size()));
    };
    const auto onDrop = [&](std::uint64_t n, std::uint64_t bytes) {
        out.drops << QByteArray::number(qulonglong(n)) + ':'
                + QByteArray::number(qulonglong(bytes));
    };
    for (const QByteArray &p : pieces)
        f.feed(p.constData(), std::size_t(p.size()), onLine, onDrop);
    if (finish)
        f.finish(onLine, onDrop);
    return out;
}

} // namespace

class TestLineFramer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framing_data();
    void framing();
    void pendingLineIsBounded();
    void discardPendingStartsAFreshLine();
};

void TestLineFramer::framing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("finish");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QList<QByteArray>>("drops");
    using L = QList<QByteArray>;
    QTest::addRow("LF") << QByteArray("a\nbb\n") << 100 << false << L { "1:a", "2:bb" } << L {};
    QTest::addRow("CRLF loses its CR")
        << QByteArray("a\r\nbb\r\n") << 100 << false << L { "1:a", "2:bb" } << L {};
    QTest::addRow("lone CR is data")
        << QByteArray("a\rb\n") << 100 << false << L { "1:a\rb" } << L {};
    QTest::addRow("blank lines are lines")
        << QByteArray("\n\r\n x\n") << 100 << false << L { "1:", "2:", "3: x" } << L {};
    QTest::addRow("unterminated line waits")
        << QByteArray("a\nhalf") << 100 << false << L { "1:a" } << L {};
    QTest::addRow("unterminated line counts at the end")
        << QByteArray("a\nhalf") << 100 << true << L { "1:a", "2:half" } << L {};
    QTest::addRow("final CR at the end") << QByteArray("a\r") << 100 << true << L { "1:a" } << L {};
    QTest::addRow("nothing pending at the end")
        << QByteArray("a\n") << 100 << true << L { "1:a" } << L {};
    QTest::addRow("exactly max") << QByteArray("abcd\n") << 4 << false << L { "1:abcd" } << L {};
    QTest::addRow("exactly max with CRLF")
        << QByteArray("abcd\r\n") << 4 << false << L { "1:abcd" } << L {};
    QTest::addRow("one over max is dropped")
        << QByteArray("abcde\nok\n") << 4 << false << L { "2:ok" } << L { "1:5" };
    QTest::addRow("long line with CRLF counts without CR")
        << QByteArray("abcdef\r\nok\r\n") << 4 << false << L { "2:ok" } << L { "1:6" };
    QTest::addRow("long unterminated line at the end")
        << QByteArray("ok\nabcdefgh") << 4 << true << L { "1:ok" } << L { "2:8" };
    QTest::addRow("many long lines") << QByteArray("aaaaaa\nbbbbbbbbbb\nc\n") << 4 << false
                                     << L { "3:c" } << L { "1:6", "2:10" };
    QTest::addRow("NUL bytes pass")
        << QByteArray("a\0b\n", 4) << 100 << false << L { QByteArray("1:a\0b", 5) } << L {};
}

void TestLineFramer::framing()
{
    QFETCH(QByteArray, input);
    QFETCH(int, max);
    QFETCH(bool, finish);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QList<QByteArray>, drops);

    const Framed whole = frame({ input }, std::size_t(max), finish);
    QCOMPARE(whole.lines, lines);
    QCOMPARE(whole.drops, drops);
    // every single cut point, and one byte at a time: the same lines
    for (int cut = 0; cut <= input.size(); ++cut) {
        const Framed two = frame({ input.left(cut), input.mid(cut) }, std::size_t(max), finish);
        QVERIFY2(two.lines == lines && two.drops == drops,
            qPrintable(QStringLiteral("cut at %1").arg(cut)));
    }
    QList<QByteArray> bytes;
    for (char c : input)
        bytes << QByteArray(1, c);
    const Framed single = frame(bytes, std::size_t(max), finish);
    QCOMPARE(single.lines, lines);
    QCOMPARE(single.drops, drops);
}

void TestLineFramer::pendingLineIsBounded()
{
    LineFramer f(1000);
    int lines = 0;
    std::uint64_t dropped = 0;
    const QByteArray block(4096, 'x');
    for (int i = 0; i < 1000; ++i) { // 4 MB without a newline
        f.feed(
            block.constData(), std::size_t(block.size()),
            [&](std::string_view, std::uint64_t) { ++lines; },
            [&](std::uint64_t, std::uint64_t b) { dropped = b; });
        QVERIFY(f.pendingBytes() == std::size_t(i + 1) * 4096); // counted, not held
    }
    f.feed(
        "\n{}\n", 4, [&](std::string_view, std::uint64_t) { ++lines; },
        [&](std::uint64_t, std::uint64_t b) { dropped = b; });
    QCOMPARE(dropped, std::uint64_t(4096) * 1000);
    QCOMPARE(lines, 1);
    QCOMPARE(f.dropped(), std::uint64_t(1));
}

void TestLineFramer::discardPendingStartsAFreshLine()
{
    LineFramer f;
    QList<QByteArray> got;
    const auto onLine = [&](std::string_view t, std::uint64_t) {
        got << QByteArray(t.data(), qsizetype(t.size()));
    };
    const auto onDrop = [](std::uint64_t, std::uint64_t) {};
    f.feed("{\"half", 6, onLine, onDrop);
    QCOMPARE(f.discardPending(), std::size_t(6));
    f.feed("{}\n", 3, onLine, onDrop);
    QCOMPARE(got, QList<QByteArray> { "{}" });
}

QTEST_GUILESS_MAIN(TestLineFramer)
#include "tst_lineframer.moc"
