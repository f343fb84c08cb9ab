// Free-text redaction examines every `name=value` and `Name: value` in the
// text (a pair never hides the next one), and header-style text is redacted like headers.
// Item 2: every pass is linear, so a megabyte of text is redacted at once.
#include "export/redactor.h"

#include <QElapsedTimer>
#include <QtTest>

class TestRedactor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freeText_data();
    void freeText();
    void headerValuesOnTheirOwnLines();
    void longTextIsLinear_data();
    void longTextIsLinear();
};

void TestRedactor::freeText_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    // the reproduction: `said: access_token=…` was taken as one pair named "said"
    QTest::addRow("pairs after a text's own colon")
        << "upstream said: access_token=SECRET refresh_token=r3fr3sh api_key=k3y"
        << "upstream said: access_token=[REDACTED] refresh_token=[REDACTED] api_key=[REDACTED]";
    QTest::addRow("pair after a colon without a space") << "said:access_token=SECRET"
                                                        << "said:access_token=[REDACTED]";
    QTest::addRow("pair as another pair's value") << "param=api_key=SECRET&x=1"
                                                  << "param=api_key=[REDACTED]&x=1";
    QTest::addRow("pair right after another pair's name") << "error: token=SECRET"
                                                          << "error: token=[REDACTED]";
    QTest::addRow("header name inside another pair's value") << "token= X-Api-Key: sk-1 more"
                                                             << "token= [REDACTED] [REDACTED]";
    // found by fuzz_redactor: the pair took the scheme word, and the scheme pass then saw none
    QTest::addRow("auth scheme as a pair's value") << "said _token= Bearer SECRET1 y"
                                                   << "said _token= [REDACTED] y";
    QTest::addRow("pair name quoted as another pair's value")
        << R"(api_key: "client_secret": "s3cr3t")"
        << R"(api_key: "[REDACTED]": "[REDACTED]")";
    QTest::addRow("pair inside a quoted value") << R"(note="see token=abc" x)"
                                                << R"(note="see token=[REDACTED]" x)";
    QTest::addRow("Cookie header") << "Cookie: session=abc123"
                                   << "Cookie: [REDACTED]";
    QTest::addRow("Cookie header, several cookies") << "sent Cookie: a=1; b=2; theme=dark"
                                                    << "sent Cookie: [REDACTED]";
    QTest::addRow("Set-Cookie header") << "rejected, Set-Cookie: sid=s1d-v4lue; Path=/; HttpOnly"
                                       << "rejected, Set-Cookie: [REDACTED]";
    QTest::addRow("X-Api-Key header") << "X-Api-Key: sk-live-123456"
                                      << "X-Api-Key: [REDACTED]";
    QTest::addRow("Authorization header with a scheme") << "Authorization: Bearer abcdef123456"
                                                        << "Authorization: Bearer [REDACTED]";
    QTest::addRow("Authorization header, short credential") << "Authorization: Basic abc"
                                                            << "Authorization: Basic [REDACTED]";
    QTest::addRow("Authorization header without a scheme")
        << "upstream said: Authorization: sk-raw-credential"
        << "upstream said: Authorization: [REDACTED]";
    QTest::addRow("Proxy-Authorization header") << "Proxy-Authorization: Digest username=x"
                                                << "Proxy-Authorization: Digest [REDACTED]";
    QTest::addRow("header name ignoring case") << "x-api-key:sk-lower-123"
                                               << "x-api-key:[REDACTED]";
    QTest::addRow("header inside a quoted text") << "sent \"Cookie: a=1; b=2\" twice"
                                                 << "sent \"Cookie: [REDACTED]\" twice";
    QTest::addRow("value in double quotes with spaces") << "password=\"correct horse battery\" next"
                                                        << "password=\"[REDACTED]\" next";
    QTest::addRow("value in single quotes with spaces") << "client_secret: 'a b c' next"
                                                        << "client_secret: '[REDACTED]' next";
    QTest::addRow("unclosed quote runs to the end of the line") << "password=\"abc def\nnext"
                                                                << "password=\"[REDACTED]\nnext";
    QTest::addRow("JSON pair in text") << R"({"client_secret": "xyz", "n": 1})"
                                       << R"({"client_secret": "[REDACTED]", "n": 1})";
    QTest::addRow("several secrets on one line")
        << "token=a1 password=b2, client_secret=c3; sig=d4 ok"
        << "token=[REDACTED] password=[REDACTED], client_secret=[REDACTED]; sig=[REDACTED] ok";
    QTest::addRow("secret at the very end") << "retry with api_key=SECRETEND"
                                            << "retry with api_key=[REDACTED]";
    QTest::addRow("header at the very end") << "bad key; X-Api-Key: k"
                                            << "bad key; X-Api-Key: [REDACTED]";
    QTest::addRow("scheme word after a scheme word") << "digest Bearer abcdef123456"
                                                     << "digest Bearer [REDACTED]";
    QTest::addRow("bearer at the very end") << "got Bearer abcdef123456"
                                            << "got Bearer [REDACTED]";
    QTest::addRow("JWT at the very end") << "jwt eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl"
                                         << "jwt [REDACTED]";
    QTest::addRow("name after dashes") << "--password=hunter2"
                                       << "--password=[REDACTED]";
    QTest::addRow("URL password and query")
        << "see https://me:pw@host/p?token=t&a=1#state=s"
        << "see https://[REDACTED]@host/p?token=[REDACTED]&a=1#state=[REDACTED]";
    // what must stay
    QTest::addRow("other header stays") << "Retry-After: 30"
                                        << "Retry-After: 30";
    QTest::addRow("ordinary message stays")
        << "User-rate limit exceeded. Retry after 2026-01-05T10:03:00Z"
        << "User-rate limit exceeded. Retry after 2026-01-05T10:03:00Z";
    QTest::addRow("keyword without value stays") << "rate limit key exceeded"
                                                 << "rate limit key exceeded";
    QTest::addRow("status code stays") << "error code: 8, state=2"
                                       << "error code: 8, state=2";
    QTest::addRow("quoted status code goes") << R"(code="8")"
                                             << R"(code="[REDACTED]")";
    QTest::addRow("empty value stays") << "token=&a=1"
                                       << "token=&a=1";
}

void TestRedactor::freeText()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(Redactor::builtIn().text(in.toStdString())), out);
}

void TestRedactor::headerValuesOnTheirOwnLines()
{
    const std::string in = "HTTP/1.1 429\r\nSet-Cookie: sid=abc; Path=/\r\nRetry-After: 5\r\n"
                           "X-Api-Key: sk-9\nContent-Type: text/plain";
    QCOMPARE(QString::fromStdString(Redactor::builtIn().text(in)),
        QStringLiteral("HTTP/1.1 429\r\nSet-Cookie: [REDACTED]\r\nRetry-After: 5\r\n"
                       "X-Api-Key: [REDACTED]\nContent-Type: text/plain"));
}

void TestRedactor::longTextIsLinear_data()
{
    QTest::addColumn<QByteArray>("unit");
    QTest::addColumn<QByteArray>("secret"); // must not survive, when not empty
    QTest::addRow("one long name") << QByteArray("a") << QByteArray();
    QTest::addRow("names with dashes") << QByteArray("ab-") << QByteArray();
    QTest::addRow("colons") << QByteArray("said: ") << QByteArray();
    QTest::addRow("pairs") << QByteArray("x=y ") << QByteArray();
    QTest::addRow("secret pairs") << QByteArray("token=s3cr3t&") << QByteArray("s3cr3t");
    QTest::addRow("open quotes") << QByteArray("password=\"a ") << QByteArray();
    QTest::addRow("JWT starts") << QByteArray("eyJabcd-") << QByteArray();
    QTest::addRow("header names") << QByteArray("Cookie: ") << QByteArray();
    QTest::addRow("secret names") << QByteArray("token=") << QByteArray();
    QTest::addRow("quoted secret names") << QByteArray("api_key:\"") << QByteArray();
    QTest::addRow("scheme words") << QByteArray("Bearer ") << QByteArray();
    QTest::addRow("URL parameters")
        << QByteArray("https://h/?token=s3cr3t&") << QByteArray("s3cr3t");
}

// A megabyte of one pattern: a backtracking scan took minutes. The bound is
// generous, to catch a quadratic pass, not to time the machine.
void TestRedactor::longTextIsLinear()
{
    QFETCH(QByteArray, unit);
    QFETCH(QByteArray, secret);
    const QByteArray text = unit.repeated(int((1 << 20) / unit.size()));
    const Redactor r = Redactor::builtIn();
    QElapsedTimer timer;
    timer.start();
    const std::string out = r.text(text.toStdString());
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!out.empty());
    if (!secret.isEmpty())
        QVERIFY(out.find(secret.toStdString()) == std::string::npos);
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
