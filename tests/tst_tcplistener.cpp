// TcpListener on real loopback sockets: framing across writes, many clients, refusals.
#include "sources/linequeue.h"
#include "sources/tcplistener.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

namespace {

struct Collector
{
    explicit Collector(LineQueue &q)
        : queue(q)
    {
        QObject::connect(&q, &LineQueue::dataAvailable, [this] {
            if (autoDrain)
                drain();
        });
    }
    void drain()
    {
        for (LineChunk &c : queue.takeAll()) {
            for (std::size_t i = 0; i < c.lines.size(); ++i) {
                const std::string_view l = c.line(i);
                lines << QByteArray(l.data(), qsizetype(l.size()));
            }
            for (const LineChunk::Problem &p : c.problems)
                problems << p.message;
        }
    }
    LineQueue &queue;
    bool autoDrain = true;
    QList<QByteArray> lines;
    QStringList problems;
};

std::unique_ptr<QTcpSocket> connectTo(quint16 port)
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QHostAddress::LocalHost, port);
    if (!s->waitForConnected(5000))
        qFatal("cannot connect to the listener");
    return s;
}

ListenOptions loopback(const QString &token = {})
{
    ListenOptions o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = 0;
    o.token = token;
    return o;
}

} // namespace

class TestTcpListener : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void httpRequestLine_data();
    void httpRequestLine();
    void listenAddress_data();
    void listenAddress();
    void linesSplitAcrossWritesFromTwoClients();
    void lastLineCountsWhenTheConnectionCloses();
    void refusedConnections_data();
    void refusedConnections();
    void tokenIsAcceptedAndNotARecord();
    void nonLoopbackNeedsAllowRemote();
    void fullQueueMakesTheSenderWait();
};

void TestTcpListener::httpRequestLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("http");
    QTest::addRow("POST") << QByteArray("POST / HTTP/1.1") << true;
    QTest::addRow("GET with a path") << QByteArray("GET /api/x?y=1 HTTP/1.0") << true;
    QTest::addRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0") << true;
    QTest::addRow("OPTIONS") << QByteArray("OPTIONS * HTTP/1.1") << true;
    QTest::addRow("a JSON record") << QByteArray("{\"method\":\"POST / HTTP/1.1\"}") << false;
    QTest::addRow("no version") << QByteArray("GET /") << false;
    QTest::addRow("no target") << QByteArray("GET  HTTP/1.1") << false;
    QTest::addRow("text") << QByteArray("hello world") << false;
    QTest::addRow("empty") << QByteArray() << false;
}

void TestTcpListener::httpRequestLine()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, http);
    QCOMPARE(isHttpRequestLine(std::string_view(line.constData(), std::size_t(line.size()))), http);
}

void TestTcpListener::listenAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addRow("IPv4") << "127.0.0.1:9099" << true << "127.0.0.1" << 9099;
    QTest::addRow("localhost") << "localhost:80" << true << "localhost" << 80;
    QTest::addRow("IPv6") << "[::1]:9099" << true << "::1" << 9099;
    QTest::addRow("port only") << ":9099" << true << "127.0.0.1" << 9099;
    QTest::addRow("any port") << "127.0.0.1:0" << true << "127.0.0.1" << 0;
    QTest::addRow("no port") << "127.0.0.1" << false << "" << 0;
    QTest::addRow("port too big") << "127.0.0.1:70000" << false << "" << 0;
    QTest::addRow("host name") << "example.com:80" << false << "" << 0;
}

void TestTcpListener::listenAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    ListenOptions o;
    QString error;
    QCOMPARE(parseListenAddress(text, &o, &error), ok);
    if (ok) {
        QCOMPARE(o.host, host);
        QCOMPARE(int(o.port), port);
    } else {
        QVERIFY(error.contains(text));
    }
}

void TestTcpListener::linesSplitAcrossWritesFromTwoClients()
{
    LineQueue queue;
    Collector got(queue);
    TcpListener l(0, loopback(), queue, {});
    QVERIFY(l.start());
    QVERIFY(l.port() != 0);
    QCOMPARE(l.state().name, QStringLiteral("tcp://127.0.0.1:%1").arg(l.port()));
    auto a = connectTo(l.port());
    auto b = connectTo(l.port());
    QTRY_COMPARE(l.state().connections, 2);
    QList<QByteArray> fromA, fromB;
    for (int i = 0; i < 200; ++i) {
        const QByteArray ra = "{\"client\":\"a\",\"n\":" + QByteArray::number(i) + "}";
        const QByteArray rb = "{\"client\":\"b\",\"n\":" + QByteArray::number(i) + "}";
        fromA << ra;
        fromB << rb;
        // each record in two writes, the cut moving through it, CRLF for b
        const int cut = i % (ra.size() + 1);
        a->write(ra.left(cut));
        a->flush();
        b->write(rb + "\r");
        b->flush();
        a->write(ra.mid(cut) + "\n");
        a->flush();
        b->write("\n");
        b->flush();
    }
    QTRY_COMPARE(got.lines.size(), 400);
    QList<QByteArray> gotA, gotB;
    for (const QByteArray &line : got.lines)
        (line.contains("\"a\"") ? gotA : gotB) << line;
    QCOMPARE(gotA, fromA); // each connection's lines whole and in order
    QCOMPARE(gotB, fromB);
    QCOMPARE(l.state().lines, std::uint64_t(400));
    a->disconnectFromHost();
    b->disconnectFromHost();
    QTRY_COMPARE(l.state().connections, 0);
}

void TestTcpListener::lastLineCountsWhenTheConnectionCloses()
{
    LineQueue queue;
    Collector got(queue);
    TcpListener l(0, loopback(), queue, {});
    QVERIFY(l.start());
    auto c = connectTo(l.port());
    c->write("{\"n\":1}\n{\"n\":2}");
    c->flush();
    QTRY_COMPARE(got.lines, QList<QByteArray> { "{\"n\":1}" });
    c->disconnectFromHost();
    QTRY_COMPARE(got.lines, (QList<QByteArray> { "{\"n\":1}", "{\"n\":2}" }));
}

void TestTcpListener::refusedConnections_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("why");
    QTest::addRow("HTTP request from a web page") << QByteArray(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\r\n{\"status\":429}\n")
                                                  << QString() << "HTTP request (POST / HTTP/1.1)";
    QTest::addRow("TLS handshake")
        << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n{}\n") << QString()
        << "TLS handshake";
    QTest::addRow("missing token") << QByteArray("{\"status\":429}\n") << "s3cret"
                                   << "AUTH <token>";
    QTest::addRow("wrong token") << QByteArray("AUTH guess\n{\"status\":429}\n") << "s3cret"
                                 << "wrong token";
}

void TestTcpListener::refusedConnections()
{
    QFETCH(QByteArray, sent);
    QFETCH(QString, token);
    QFETCH(QString, why);
    LineQueue queue;
    Collector got(queue);
    TcpListener l(0, loopback(token), queue, {});
    QSignalSpy notices(&l, &LiveSource::notice);
    QVERIFY(l.start());
    auto c = connectTo(l.port());
    QSignalSpy closed(c.get(), &QTcpSocket::disconnected);
    c->write(sent);
    c->flush();
    QVERIFY(closed.count() > 0 || closed.wait(5000)); // the listener closed it
    QTRY_COMPARE(notices.count(), 1);
    const QString text = notices.front().at(1).toString();
    QVERIFY2(
        text.contains(why) && text.contains(QStringLiteral("nothing was taken")), qPrintable(text));
    QCOMPARE(l.state().rejectedConnections, std::uint64_t(1));
    QVERIFY(got.lines.isEmpty()); // not one record from it
    // the listener goes on serving others
    auto ok = connectTo(l.port());
    ok->write(
        token.isEmpty() ? QByteArray("{\"n\":1}\n") : "AUTH " + token.toUtf8() + "\n{\"n\":1}\n");
    ok->flush();
    QTRY_COMPARE(got.lines, QList<QByteArray> { "{\"n\":1}" });
}

void TestTcpListener::tokenIsAcceptedAndNotARecord()
{
    LineQueue queue;
    Collector got(queue);
    TcpListener l(0, loopback(QStringLiteral("s3cret")), queue, {});
    QVERIFY(l.start());
    auto c = connectTo(l.port());
    c->write("AUTH s3cret\r\n{\"n\":1}\nAUTH s3cret\n");
    c->flush();
    QTRY_COMPARE(got.lines,
        (QList<QByteArray> { "{\"n\":1}", "AUTH s3cret" })); // only the first line is the token
    QCOMPARE(l.state().rejectedConnections, std::uint64_t(0));
}

void TestTcpListener::nonLoopbackNeedsAllowRemote()
{
    LineQueue queue;
    ListenOptions o = loopback();
    o.host = QStringLiteral("0.0.0.0");
    TcpListener refused(0, o, queue, {});
    QVERIFY(!refused.start());
    QCOMPARE(refused.state().status, LiveSourceState::Status::Failed);
    QVERIFY(refused.state().message.contains(QStringLiteral("--allow-remote")));

    o.allowRemote = true;
    TcpListener allowed(1, o, queue, {});
    QSignalSpy notices(&allowed, &LiveSource::notice);
    QVERIFY(allowed.start());
    QCOMPARE(notices.count(), 1);
    QVERIFY(notices.front().at(1).toString().startsWith(QStringLiteral("warning:")));
}

void TestTcpListener::fullQueueMakesTheSenderWait()
{
    LineQueue queue(64 * 1024);
    Collector got(queue);
    got.autoDrain = false;
    LiveLimits limits;
    limits.readBytes = 16 * 1024;
    TcpListener l(0, loopback(), queue, limits);
    connect(&queue, &LineQueue::roomAvailable, &l, &LiveSource::resume);
    QVERIFY(l.start());
    auto c = connectTo(l.port());
    const QByteArray line = "{\"timestamp\":\"2026-01-05T10:00:00Z\",\"status\":200,\"pad\":\""
        + QByteArray(200, 'p') + "\"}\n";
    const int count = 40000; // about 10 MB: more than the kernel buffers hold
    QByteArray all;
    for (int i = 0; i < count; ++i)
        all += line;
    c->write(all);
    // nobody drains: reading stops at the limit and the rest waits in the sender
    QTRY_VERIFY(queue.fullEvents() > 0);
    QTRY_VERIFY(c->bytesToWrite() > 0 && !c->waitForBytesWritten(50));
    QVERIFY(queue.bytes() < queue.maxBytes() + 2 * limits.readBytes);
    // draining lets everything through, whole
    got.autoDrain = true;
    got.drain();
    QTRY_COMPARE(got.lines.size(), count);
    QVERIFY(std::all_of(
        got.lines.begin(), got.lines.end(), [&](const QByteArray &l) { return l + '\n' == line; }));
}

QTEST_GUILESS_MAIN(TestTcpListener)
#include "tst_tcplistener.moc"
