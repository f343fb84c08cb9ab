// HttpStreamSource against an HTTP server in the test (QTcpServer on loopback): SSE resume
// with Last-Event-ID, retry:, status handling, NDJSON bodies; and the backoff schedule.
#include "sources/httpstreamsource.h"
#include "sources/linequeue.h"
#include "sources/reconnectpolicy.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <functional>

namespace {

struct Collector
{
    explicit Collector(LineQueue &q)
        : queue(q)
    {
        QObject::connect(&q, &LineQueue::dataAvailable, [this] {
            for (LineChunk &c : queue.takeAll()) {
                for (std::size_t i = 0; i < c.lines.size(); ++i) {
                    const std::string_view l = c.line(i);
                    lines << QByteArray(l.data(), qsizetype(l.size()));
                }
                for (const LineChunk::Problem &p : c.problems)
                    problems << p.message;
            }
        });
    }
    LineQueue &queue;
    QList<QByteArray> lines;
    QStringList problems;
};

// A tiny HTTP/1.1 server: hands each request (once its headers are in) to the handler,
// which answers on the socket and may keep it open.
class TestServer : public QObject
{
public:
    using Handler = std::function<void(int index, const QByteArray &request, QTcpSocket *socket)>;
    explicit TestServer(Handler handler)
        : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                auto *buf = new QByteArray;
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s, buf] {
                    if (buf->contains("\r\n\r\n"))
                        return;
                    *buf += s->readAll();
                    if (buf->contains("\r\n\r\n")) {
                        requests << *buf;
                        m_handler(int(requests.size()) - 1, *buf, s);
                    }
                });
                QObject::connect(s, &QTcpSocket::disconnected, s, [s, buf] {
                    delete buf;
                    s->deleteLater();
                });
            }
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
    }
    QUrl url(const QString &path = QStringLiteral("/events")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    QList<QByteArray> requests;

private:
    QTcpServer m_server;
    Handler m_handler;
};

QByteArray header(const QByteArray &request, const QByteArray &name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

void respond(QTcpSocket *s, const QByteArray &status, const QByteArray &type,
    const QByteArray &body, const QByteArray &extra = {}, bool close = true)
{
    s->write("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nCache-Control: no-cache\r\n"
        + extra + (close ? "Connection: close\r\n" : "") + "\r\n" + body);
    s->flush();
    if (close)
        s->disconnectFromHost();
}

QByteArray rec(int n)
{
    return "{\"timestamp\":\"2026-01-05T10:00:0" + QByteArray::number(n % 10)
        + "Z\",\"status\":429,\"n\":" + QByteArray::number(n) + "}";
}

UrlOptions fastOptions()
{
    UrlOptions o;
    o.delayMs = 20;
    o.random = [] { return 0.5; };
    return o;
}

} // namespace

class TestSse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoff_data();
    void backoff();
    void resumesWithLastEventIdAndHonoursRetry();
    void statusCodes_data();
    void statusCodes();
    void ndjsonBodyAndItsLastLine();
    void backoffResetsAfterAnEvent();
};

void TestSse::backoff_data()
{
    QTest::addColumn<qint64>("delay");
    QTest::addColumn<QList<double>>("randoms");
    QTest::addColumn<QList<qint64>>("retryAfter"); // -1: none
    QTest::addColumn<QList<qint64>>("waits");
    using D = QList<double>;
    using I = QList<qint64>;
    QTest::addRow("first wait is the plain delay")
        << qint64(3000) << D { 0.0 } << I { -1 } << I { 3000 };
    QTest::addRow("then full jitter over delay*2^n")
        << qint64(3000) << D { 0.9, 0.5, 0.5, 0.999 } << I { -1, -1, -1, -1 }
        << I { 3000, 3000, 6000, 23976 };
    QTest::addRow("random 0 can reconnect at once")
        << qint64(3000) << D { 0.9, 0.0 } << I { -1, -1 } << I { 3000, 0 };
    QTest::addRow("capped at 60 s")
        << qint64(3000) << D { 0, 0, 0, 0, 0, 0, 0.999999, 0.999999 }
        << I { -1, -1, -1, -1, -1, -1, -1, -1 } << I { 3000, 0, 0, 0, 0, 0, 59999, 59999 };
    QTest::addRow("Retry-After is a floor")
        << qint64(3000) << D { 0.5, 0.5 } << I { 10000, 1000 } << I { 10000, 3000 };
    QTest::addRow("retry: 50") << qint64(50) << D { 0.5, 0.5, 0.5 } << I { -1, -1, -1 }
                               << I { 50, 50, 100 };
}

void TestSse::backoff()
{
    QFETCH(qint64, delay);
    QFETCH(QList<double>, randoms);
    QFETCH(QList<qint64>, retryAfter);
    QFETCH(QList<qint64>, waits);
    ReconnectPolicy p;
    p.setDelayMs(delay);
    QList<qint64> got;
    for (qsizetype i = 0; i < randoms.size(); ++i)
        got << p.nextWaitMs(randoms[i],
            retryAfter[i] < 0 ? std::nullopt : std::optional<std::int64_t>(retryAfter[i]));
    QCOMPARE(got, waits);
    p.eventArrived();
    QCOMPARE(p.nextWaitMs(0.5), delay);
}

void TestSse::resumesWithLastEventIdAndHonoursRetry()
{
    TestServer server([](int index, const QByteArray &, QTcpSocket *s) {
        if (index == 0) {
            // two whole events, then the connection drops in the middle of the third
            respond(s, "200 OK", "text/event-stream",
                ": hello\nretry: 50\n\nid: 1\ndata: " + rec(1)
                    + "\n\nid: 2\ndata: " + rec(2).left(20) + "\ndata: " + rec(2).mid(20)
                    + "\r\n\r\nid: 3\ndata: " + rec(3));
        } else {
            respond(s, "200 OK", "text/event-stream; charset=utf-8",
                "id: 3\r\ndata: " + rec(3) + "\r\n\r\nid: 4\rdata: " + rec(4) + "\r\r", {}, false);
        }
    });
    LineQueue queue;
    Collector got(queue);
    UrlOptions o = fastOptions();
    o.delayMs = 3000; // the server's retry: 50 replaces it
    HttpStreamSource src(0, server.url(), queue, {}, o);
    QSignalSpy reconnects(&src, &HttpStreamSource::reconnectScheduled);
    QSignalSpy opened(&src, &HttpStreamSource::streamOpened);
    QVERIFY(src.start());
    QTRY_COMPARE(got.lines.size(), 4);
    // the multi-line data is one record; its line break became a space
    QCOMPARE(got.lines,
        (QList<QByteArray> { rec(1), rec(2).left(20) + ' ' + rec(2).mid(20), rec(3), rec(4) }));
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(header(server.requests[0], "Last-Event-ID"), QByteArray());
    QCOMPARE(
        header(server.requests[1], "Last-Event-ID"), QByteArray("2")); // event 3 never completed
    QVERIFY(header(server.requests[0], "Accept").startsWith("text/event-stream"));
    QCOMPARE(reconnects.count(), 1);
    QCOMPARE(reconnects.front().at(0).toLongLong(), qint64(50)); // retry: honoured
    QCOMPARE(opened.count(), 2);
    QCOMPARE(opened.front().at(0).toBool(), true);
    QCOMPARE(src.state().format, QStringLiteral("sse"));
    QCOMPARE(src.state().status, LiveSourceState::Status::Connected);
    QCOMPARE(src.lastEventId(), std::string("4"));
    src.stop();
}

void TestSse::statusCodes_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("extra");
    QTest::addColumn<bool>("reconnect");
    QTest::addColumn<qint64>("wait");
    QTest::addColumn<QString>("message");
    QTest::addRow("204 stops") << QByteArray("204 No Content") << QByteArray() << false
                               << qint64(-1) << "204";
    QTest::addRow("404 stops") << QByteArray("404 Not Found") << QByteArray() << false << qint64(-1)
                               << "404 Not Found";
    QTest::addRow("401 stops") << QByteArray("401 Unauthorized") << QByteArray() << false
                               << qint64(-1) << "401";
    QTest::addRow("500 retries") << QByteArray("500 Internal Server Error") << QByteArray() << true
                                 << qint64(20) << "500";
    QTest::addRow("502 retries") << QByteArray("502 Bad Gateway") << QByteArray() << true
                                 << qint64(20) << "502";
    QTest::addRow("408 retries") << QByteArray("408 Request Timeout") << QByteArray() << true
                                 << qint64(20) << "408";
    QTest::addRow("429 honours Retry-After")
        << QByteArray("429 Too Many Requests") << QByteArray("Retry-After: 7\r\n") << true
        << qint64(7000) << "429";
    QTest::addRow("503 honours fractional Retry-After")
        << QByteArray("503 Service Unavailable") << QByteArray("Retry-After: 1.5\r\n") << true
        << qint64(1500) << "503";
    // an HTTP-date counts from the response's own Date (the server's clock), not this machine's
    QTest::addRow("429 Retry-After as an HTTP-date")
        << QByteArray("429 Too Many Requests")
        << QByteArray("Date: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
                      "Retry-After: Wed, 21 Oct 2015 07:28:09 GMT\r\n")
        << true << qint64(9000) << "429";
}

void TestSse::statusCodes()
{
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, extra);
    QFETCH(bool, reconnect);
    QFETCH(qint64, wait);
    QFETCH(QString, message);
    TestServer server([&](int, const QByteArray &, QTcpSocket *s) {
        respond(s, status, "text/event-stream",
            status.startsWith("204") ? QByteArray() : "data: " + rec(1) + "\n\n", extra);
    });
    LineQueue queue;
    Collector got(queue);
    HttpStreamSource src(0, server.url(), queue, {}, fastOptions());
    QSignalSpy reconnects(&src, &HttpStreamSource::reconnectScheduled);
    QSignalSpy notices(&src, &LiveSource::notice);
    QVERIFY(src.start());
    if (reconnect) {
        QVERIFY(reconnects.count() > 0 || reconnects.wait(5000));
        QCOMPARE(reconnects.front().at(0).toLongLong(), wait);
        QCOMPARE(reconnects.front().at(1).toInt(), status.left(3).toInt());
        QCOMPARE(src.state().status, LiveSourceState::Status::Reconnecting);
        QCOMPARE(src.state().reconnectInMs, wait);
    } else {
        QTRY_COMPARE(src.state().status, LiveSourceState::Status::Failed);
        QVERIFY(reconnects.isEmpty());
    }
    QVERIFY2(src.state().message.contains(message), qPrintable(src.state().message));
    QVERIFY(!notices.isEmpty());
    QVERIFY(got.lines.isEmpty()); // an error's body is never taken as records
    src.stop();
}

void TestSse::ndjsonBodyAndItsLastLine()
{
    TestServer server([](int index, const QByteArray &, QTcpSocket *s) {
        if (index == 0)
            respond(s, "200 OK", "application/x-ndjson",
                rec(1) + "\n\n" + rec(2) + "\r\n" + rec(3)); // no final newline
        else
            respond(s, "200 OK", "application/x-ndjson", rec(4) + "\n", {}, false);
    });
    LineQueue queue;
    Collector got(queue);
    HttpStreamSource src(0, server.url(QStringLiteral("/log.ndjson")), queue, {}, fastOptions());
    QSignalSpy reconnects(&src, &HttpStreamSource::reconnectScheduled);
    QVERIFY(src.start());
    QTRY_COMPARE(got.lines, (QList<QByteArray> { rec(1), rec(2), rec(3), rec(4) }));
    QCOMPARE(src.state().format, QStringLiteral("ndjson"));
    QCOMPARE(reconnects.count(), 1); // after the clean end of the first body
    QCOMPARE(reconnects.front().at(0).toLongLong(), qint64(20));
    QCOMPARE(header(server.requests[1], "Last-Event-ID"), QByteArray());
    src.stop();
}

void TestSse::backoffResetsAfterAnEvent()
{
    // four empty answers (the backoff grows), then one with an event, then empty again
    TestServer server([](int index, const QByteArray &, QTcpSocket *s) {
        respond(s, "200 OK", "text/event-stream",
            index == 4 ? "data: " + rec(1) + "\n\n" : QByteArray(": nothing\n"));
    });
    LineQueue queue;
    Collector got(queue);
    HttpStreamSource src(0, server.url(), queue, {}, fastOptions());
    QSignalSpy reconnects(&src, &HttpStreamSource::reconnectScheduled);
    QVERIFY(src.start());
    QTRY_VERIFY(reconnects.count() >= 5);
    src.stop();
    QList<qint64> waits;
    for (const auto &args : reconnects)
        waits << args.at(0).toLongLong();
    // 20, then 0.5 * 20 * 2^1, 0.5 * 20 * 2^2, 0.5 * 20 * 2^3; an event: 20 again
    QCOMPARE(waits.mid(0, 5), (QList<qint64> { 20, 20, 40, 80, 20 }));
    QCOMPARE(got.lines, QList<QByteArray> { rec(1) });
}

QTEST_GUILESS_MAIN(TestSse)
#include "tst_sse.moc"
