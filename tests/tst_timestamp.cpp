// Timestamps in every form of formats.md §1.1 (decode/timestamp.h).
#include "decode/timestamp.h"

#include <cstdio>
#include <random>
#include <string>

#include <QtTest>

#include <cmath>
#include <limits>
#include <string>

class TestTimestamp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void rejects_data();
    void rejects();
    void httpDate_data();
    void httpDate();
    void epochDouble_data();
    void epochDouble();
    void epochInt_data();
    void epochInt();
    void format_data();
    void format();
    void roundTrip_data();
    void roundTrip();
    void formatExtremes();
    void minuteFloor_data();
    void minuteFloor();
    void commonShapeReadsAsTheGeneralReaderDoes();
};

namespace {
constexpr qint64 kMs20260105 = 1767609727120; // 2026-01-05T10:42:07.120Z
constexpr qint64 kMs20231027 = 1698434345000; // 2023-10-27T19:19:05Z

std::string utf8(const QString &s) { return s.toStdString(); }
}

void TestTimestamp::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<bool>("hadZone");

    // RFC 3339 / ISO 8601
    QTest::addRow("spec example, Z and millis")
        << "2026-01-05T10:42:07.120Z" << kMs20260105 << true;
    QTest::addRow("no fraction") << "2026-01-05T10:42:07Z" << qint64(1767609727000) << true;
    QTest::addRow("lowercase t and z") << "2026-01-05t10:42:07.120z" << kMs20260105 << true;
    QTest::addRow("space instead of T") << "2026-01-05 10:42:07.120Z" << kMs20260105 << true;
    QTest::addRow("1 fraction digit") << "2026-01-05T10:42:07.1Z" << qint64(1767609727100) << true;
    QTest::addRow("2 fraction digits") << "2026-01-05T10:42:07.12Z" << kMs20260105 << true;
    QTest::addRow("6 fraction digits") << "2026-01-05T10:42:07.120999Z" << kMs20260105 << true;
    QTest::addRow("9 fraction digits")
        << "2026-01-05T10:42:07.123456789Z" << qint64(1767609727123) << true;
    QTest::addRow("truncate .1239, never round")
        << "2026-01-05T10:42:07.1239Z" << qint64(1767609727123) << true;
    QTest::addRow("truncate .9999 stays in the second")
        << "2026-01-05T10:42:07.9999Z" << qint64(1767609727999) << true;
    QTest::addRow("12 fraction digits truncated")
        << "2026-01-05T10:42:07.999999999999Z" << qint64(1767609727999) << true;
    QTest::addRow("comma as decimal sign") << "2026-01-05T10:42:07,120Z" << kMs20260105 << true;
    QTest::addRow("offset +05:30") << "2026-01-05T16:12:07.120+05:30" << kMs20260105 << true;
    QTest::addRow("offset +0530") << "2026-01-05T16:12:07.120+0530" << kMs20260105 << true;
    QTest::addRow("offset +05") << "2026-01-05T15:42:07.120+05" << kMs20260105 << true;
    QTest::addRow("offset -08:00") << "2026-01-05T02:42:07.120-08:00" << kMs20260105 << true;
    QTest::addRow("offset +00:00") << "2026-01-05T10:42:07.120+00:00" << kMs20260105 << true;
    QTest::addRow("offset -00:00 (unknown local)")
        << "2026-01-05T10:42:07.120-00:00" << kMs20260105 << true;
    QTest::addRow("offset crosses the date")
        << "2026-01-06T00:12:07.120+13:30" << kMs20260105 << true;
    // mitmproxy_firefox.har: startedDateTime with a -07:00 offset
    QTest::addRow("firefox HAR offset")
        << "2023-03-29T16:58:59.303-07:00" << qint64(1680134339303) << true;
    QTest::addRow("space before offset") << "2026-01-05 10:42:07.120 +0000" << kMs20260105 << true;
    QTest::addRow("Go time.String()") << "2026-01-05 11:42:07.12 +0100 CET" << kMs20260105 << true;
    QTest::addRow("zone word UTC") << "2026-01-05 10:42:07.120 UTC" << kMs20260105 << true;
    QTest::addRow("no zone is UTC") << "2026-01-05T10:42:07.120" << kMs20260105 << false;
    QTest::addRow("no zone, space (python str)")
        << "2026-01-05 10:42:07.120000" << kMs20260105 << false;
    // praw cassette recorded_at: no zone
    QTest::addRow("betamax recorded_at") << "2022-04-30T21:52:49" << qint64(1651355569000) << false;
    QTest::addRow("minutes only") << "2026-01-05T10:42Z" << qint64(1767609720000) << true;
    QTest::addRow("date only") << "2026-01-05" << qint64(1767571200000) << false;
    QTest::addRow("surrounding whitespace")
        << "  2026-01-05T10:42:07.120Z\t" << kMs20260105 << true;
    QTest::addRow("leap second :60") << "2016-12-31T23:59:60Z" << qint64(1483228799999) << true;
    QTest::addRow("leap second :60 with fraction")
        << "2016-12-31T23:59:60.5Z" << qint64(1483228799999) << true;
    QTest::addRow("leap second :60 with offset")
        << "2017-01-01T05:29:60+05:30" << qint64(1483228799999) << true;
    QTest::addRow("29 Feb of a leap year")
        << "2024-02-29T12:00:00Z" << qint64(1709208000000) << true;
    QTest::addRow("29 Feb 2000 (div by 400)")
        << "2000-02-29T00:00:00Z" << qint64(951782400000) << true;
    QTest::addRow("epoch zero") << "1970-01-01T00:00:00Z" << qint64(0) << true;
    QTest::addRow("pre-1970, 1 ms before epoch")
        << "1969-12-31T23:59:59.999Z" << qint64(-1) << true;
    QTest::addRow("pre-1970, fraction truncated")
        << "1969-12-31T23:59:59.9999Z" << qint64(-1) << true;
    QTest::addRow("pre-1970, moon landing")
        << "1969-07-20T20:17:40Z" << qint64(-14182940000) << true;
    QTest::addRow("pre-1970, 1900") << "1900-01-01T00:00:00Z" << qint64(-2208988800000) << true;
    QTest::addRow("year 0000") << "0000-01-01T00:00:00Z" << qint64(-62167219200000) << true;
    QTest::addRow("year 0000 with positive offset")
        << "0000-01-01T00:00:00+01:00" << qint64(-62167222800000) << true;
    QTest::addRow("year 9999 last ms")
        << "9999-12-31T23:59:59.999Z" << qint64(253402300799999) << true;
    QTest::addRow("year 9999 with negative offset")
        << "9999-12-31T23:59:59-01:00" << qint64(253402304399000) << true;

    // HTTP-dates
    QTest::addRow("IMF-fixdate") << "Fri, 27 Oct 2023 19:19:05 GMT" << kMs20231027 << true;
    QTest::addRow("RFC 850") << "Friday, 27-Oct-23 19:19:05 GMT" << kMs20231027 << true;
    QTest::addRow("asctime") << "Fri Oct 27 19:19:05 2023" << kMs20231027 << true;
    QTest::addRow("asctime, space-padded day")
        << "Sat Oct  7 19:19:05 2023" << qint64(1696706345000) << true;
    // pygithub_SpecificExceptions.testRateLimitExceeded.txt: response Date header
    QTest::addRow("pygithub Date header")
        << "Fri, 17 May 2013 12:23:56 GMT" << qint64(1368793436000) << true;
    // anthropic_429_headers_anthropic-sdk-typescript-357.txt: date header
    QTest::addRow("anthropic date header")
        << "Tue, 26 Mar 2024 19:59:59 GMT" << qint64(1711483199000) << true;

    // Epoch numbers as text, unit by magnitude
    QTest::addRow("epoch seconds") << "1700000000" << qint64(1700000000000) << true;
    QTest::addRow("epoch seconds, fraction") << "1700000000.5" << qint64(1700000000500) << true;
    QTest::addRow("epoch seconds .9999 truncated")
        << "1700000000.9999" << qint64(1700000000999) << true;
    QTest::addRow("epoch seconds, 9 fraction digits")
        << "1700000000.123456789" << qint64(1700000000123) << true;
    QTest::addRow("epoch seconds just below 1e11")
        << "99999999999" << qint64(99999999999000) << true;
    QTest::addRow("epoch ms from 1e11") << "100000000000" << qint64(100000000000) << true;
    QTest::addRow("epoch ms") << "1700000000123" << qint64(1700000000123) << true;
    QTest::addRow("epoch ms, fraction truncated")
        << "1700000000123.9" << qint64(1700000000123) << true;
    QTest::addRow("epoch us") << "1700000000123456" << qint64(1700000000123) << true;
    QTest::addRow("epoch ns") << "1700000000123456789" << qint64(1700000000123) << true;
    QTest::addRow("epoch ns beyond int64")
        << "17000000001234567890" << qint64(17000000001234) << true;
    QTest::addRow("epoch with exponent") << "1.7e9" << qint64(1700000000000) << true;
    QTest::addRow("epoch zero") << "0" << qint64(0) << true;
    QTest::addRow("epoch plus sign") << "+1700000000" << qint64(1700000000000) << true;
    QTest::addRow("negative epoch seconds") << "-1" << qint64(-1000) << true;
    QTest::addRow("negative epoch floors -1.5") << "-1.5" << qint64(-1500) << true;
    QTest::addRow("negative epoch floors -0.0005") << "-0.0005" << qint64(-1) << true;
    QTest::addRow("negative epoch floors .0001")
        << "-1700000000.0001" << qint64(-1700000000001) << true;
    QTest::addRow("negative epoch ms") << "-1700000000123" << qint64(-1700000000123) << true;
    QTest::addRow("negative epoch us floors")
        << "-1700000000123456" << qint64(-1700000000124) << true;
    QTest::addRow("negative zero") << "-0" << qint64(0) << true;
}

void TestTimestamp::parse()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QFETCH(bool, hadZone);
    const auto t = parseTimestamp(utf8(text));
    QVERIFY2(t.has_value(), qPrintable(text));
    QCOMPARE(qint64(t->ms), ms);
    QCOMPARE(t->hadZone, hadZone);
}

void TestTimestamp::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << "";
    QTest::addRow("only spaces") << "   ";
    QTest::addRow("word") << "abc";
    QTest::addRow("NaN") << "NaN";
    QTest::addRow("nan") << "nan";
    QTest::addRow("inf") << "inf";
    QTest::addRow("-Infinity") << "-Infinity";
    QTest::addRow("1e400 overflows") << "1e400";
    QTest::addRow("-1e400 overflows") << "-1e400";
    QTest::addRow("huge integer") << "99999999999999999999999999";
    QTest::addRow("hex") << "0x10";
    QTest::addRow("number then garbage") << "1700000000abc";
    QTest::addRow("two dots") << "1.2.3";
    QTest::addRow("lone sign") << "-";
    QTest::addRow("lone dot") << ".";
    QTest::addRow("double sign") << "--1";
    QTest::addRow("dangling exponent") << "1e";
    QTest::addRow("month 13") << "2026-13-01T00:00:00Z";
    QTest::addRow("month 00") << "2026-00-10T00:00:00Z";
    QTest::addRow("day 32") << "2026-01-32T00:00:00Z";
    QTest::addRow("day 00") << "2026-01-00T00:00:00Z";
    QTest::addRow("Feb 30") << "2026-02-30T00:00:00Z";
    QTest::addRow("Feb 29 of a common year") << "2023-02-29T00:00:00Z";
    QTest::addRow("Feb 29 1900 (div by 100)") << "1900-02-29T00:00:00Z";
    QTest::addRow("Apr 31") << "2026-04-31T00:00:00Z";
    QTest::addRow("hour 25") << "2026-01-05T25:00:00Z";
    QTest::addRow("hour 24") << "2026-01-05T24:00:00Z";
    QTest::addRow("minute 60") << "2026-01-05T10:60:00Z";
    QTest::addRow("second 61") << "2026-01-05T10:42:61Z";
    QTest::addRow("offset hour 24") << "2026-01-05T10:42:07+24:00";
    QTest::addRow("offset minute 60") << "2026-01-05T10:42:07+05:60";
    QTest::addRow("offset one digit") << "2026-01-05T10:42:07+5";
    QTest::addRow("dot without digits") << "2026-01-05T10:42:07.Z";
    QTest::addRow("trailing garbage") << "2026-01-05T10:42:07Zjunk";
    QTest::addRow("trailing word after Z") << "2026-01-05T10:42:07Z x";
    QTest::addRow("unknown zone word") << "2026-01-05T10:42:07 XYZ";
    QTest::addRow("one-digit month") << "2026-1-05T10:42:07Z";
    QTest::addRow("slashes") << "2026/01/05T10:42:07Z";
    QTest::addRow("bad separator") << "2026-01-05X10:42:07Z";
    QTest::addRow("hour only") << "2026-01-05T10Z";
    QTest::addRow("one-digit second") << "2026-01-05T10:42:7Z";
    QTest::addRow("five-digit year") << "12026-01-05T10:42:07Z";
    QTest::addRow("negative year") << "-2026-01-05T10:42:07Z";
    QTest::addRow("time only") << "10:42:07";
    QTest::addRow("IMF without zone") << "Fri, 27 Oct 2023 19:19:05";
    QTest::addRow("IMF unknown zone") << "Fri, 27 Oct 2023 19:19:05 PST";
    QTest::addRow("IMF bad month") << "Fri, 27 Foo 2023 19:19:05 GMT";
    QTest::addRow("IMF day 32") << "Fri, 32 Oct 2023 19:19:05 GMT";
    QTest::addRow("IMF 31 Nov") << "Fri, 31 Nov 2023 19:19:05 GMT";
    QTest::addRow("IMF hour 25") << "Fri, 27 Oct 2023 25:19:05 GMT";
    QTest::addRow("IMF bad day name") << "Fry, 27 Oct 2023 19:19:05 GMT";
    QTest::addRow("IMF three-digit year") << "Fri, 27 Oct 203 19:19:05 GMT";
    QTest::addRow("IMF trailing garbage") << "Fri, 27 Oct 2023 19:19:05 GMT+";
    QTest::addRow("asctime without year") << "Fri Oct 27 19:19:05";
    QTest::addRow("asctime bad month") << "Fri Okt 27 19:19:05 2023";
    QTest::addRow("asctime with zone") << "Fri Oct 27 19:19:05 2023 GMT";
    QTest::addRow("RFC 850 missing dash") << "Friday, 27-Oct 23 19:19:05 GMT";
}

void TestTimestamp::rejects()
{
    QFETCH(QString, text);
    const auto t = parseTimestamp(utf8(text));
    QVERIFY2(!t.has_value(), qPrintable(QStringLiteral("accepted as %1").arg(t ? t->ms : 0)));
}

void TestTimestamp::httpDate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("ms");
    QTest::addRow("IMF-fixdate") << "Fri, 27 Oct 2023 19:19:05 GMT" << true << kMs20231027;
    QTest::addRow("RFC 850") << "Friday, 27-Oct-23 19:19:05 GMT" << true << kMs20231027;
    QTest::addRow("RFC 850, 19yy pivot")
        << "Friday, 31-Dec-99 23:59:59 GMT" << true << qint64(946684799000);
    QTest::addRow("asctime") << "Fri Oct 27 19:19:05 2023" << true << kMs20231027;
    QTest::addRow("asctime, one-digit day")
        << "Sat Oct 7 19:19:05 2023" << true << qint64(1696706345000);
    QTest::addRow("numeric offset +0000")
        << "Fri, 27 Oct 2023 19:19:05 +0000" << true << kMs20231027;
    QTest::addRow("numeric offset +0200")
        << "Fri, 27 Oct 2023 21:19:05 +0200" << true << kMs20231027;
    QTest::addRow("UTC instead of GMT") << "Fri, 27 Oct 2023 19:19:05 UTC" << true << kMs20231027;
    QTest::addRow("without day name") << "27 Oct 2023 19:19:05 GMT" << true << kMs20231027;
    QTest::addRow("one-digit day")
        << "Sat, 7 Oct 2023 19:19:05 GMT" << true << qint64(1696706345000);
    QTest::addRow("leap second") << "Sat, 31 Dec 2016 23:59:60 GMT" << true
                                 << qint64(1483228799999);
    QTest::addRow("pre-1970") << "Thu, 01 Jan 1900 00:00:00 GMT" << true << qint64(-2208988800000);
    QTest::addRow("RFC 3339 is not an HTTP-date") << "2026-01-05T10:42:07Z" << false << qint64(0);
    QTest::addRow("epoch is not an HTTP-date") << "1700000000" << false << qint64(0);
    QTest::addRow("empty") << "" << false << qint64(0);
}

void TestTimestamp::httpDate()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, ms);
    const auto t = parseHttpDate(utf8(text));
    QCOMPARE(t.has_value(), ok);
    if (ok)
        QCOMPARE(qint64(*t), ms);
}

void TestTimestamp::epochDouble_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("ms");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::addRow("seconds") << 1700000000.0 << true << qint64(1700000000000);
    QTest::addRow("seconds .123 as written") << 1700000000.123 << true << qint64(1700000000123);
    QTest::addRow("seconds .9999 truncated") << 1700000000.9999 << true << qint64(1700000000999);
    QTest::addRow("seconds .5") << 1700000000.5 << true << qint64(1700000000500);
    QTest::addRow("milliseconds") << 1700000000123.0 << true << qint64(1700000000123);
    QTest::addRow("microseconds") << 1700000000123456.0 << true << qint64(1700000000123);
    QTest::addRow("nanoseconds") << 1.700000000123456789e18 << true << qint64(1700000000123);
    QTest::addRow("zero") << 0.0 << true << qint64(0);
    QTest::addRow("negative zero") << -0.0 << true << qint64(0);
    QTest::addRow("negative seconds floor") << -1.5 << true << qint64(-1500);
    QTest::addRow("negative small fraction floors") << -0.0005 << true << qint64(-1);
    QTest::addRow("negative ms") << -1700000000123.0 << true << qint64(-1700000000123);
    QTest::addRow("NaN") << nan << false << qint64(0);
    QTest::addRow("+inf") << inf << false << qint64(0);
    QTest::addRow("-inf") << -inf << false << qint64(0);
    QTest::addRow("1e300 overflows") << 1e300 << false << qint64(0);
    QTest::addRow("-1e300 overflows") << -1e300 << false << qint64(0);
    QTest::addRow("max double") << std::numeric_limits<double>::max() << false << qint64(0);
    QTest::addRow("denormal is zero")
        << std::numeric_limits<double>::denorm_min() << true << qint64(0);
}

void TestTimestamp::epochDouble()
{
    QFETCH(double, value);
    QFETCH(bool, ok);
    QFETCH(qint64, ms);
    const auto t = timestampFromEpoch(value);
    QCOMPARE(t.has_value(), ok);
    if (ok)
        QCOMPARE(qint64(*t), ms);
}

void TestTimestamp::epochInt_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<qint64>("ms");
    QTest::addRow("seconds") << qint64(1700000000) << qint64(1700000000000);
    QTest::addRow("seconds just below 1e11") << qint64(99999999999) << qint64(99999999999000);
    QTest::addRow("ms at 1e11") << qint64(100000000000) << qint64(100000000000);
    QTest::addRow("ms") << qint64(1700000000123) << qint64(1700000000123);
    QTest::addRow("us at 1e14") << qint64(100000000000000) << qint64(100000000000);
    QTest::addRow("us") << qint64(1700000000123456) << qint64(1700000000123);
    QTest::addRow("ns at 1e17") << qint64(100000000000000000) << qint64(100000000000);
    QTest::addRow("ns") << qint64(1700000000123456789) << qint64(1700000000123);
    QTest::addRow("negative seconds") << qint64(-1) << qint64(-1000);
    QTest::addRow("negative us floors") << qint64(-1700000000123456) << qint64(-1700000000124);
    QTest::addRow("negative ns floors") << qint64(-1700000000123456789) << qint64(-1700000000124);
    QTest::addRow("int64 max") << std::numeric_limits<qint64>::max() << qint64(9223372036854);
    QTest::addRow("int64 min") << std::numeric_limits<qint64>::min() << qint64(-9223372036855);
}

void TestTimestamp::epochInt()
{
    QFETCH(qint64, value);
    QFETCH(qint64, ms);
    const auto t = timestampFromEpoch(std::int64_t(value));
    QVERIFY(t.has_value());
    QCOMPARE(qint64(*t), ms);
}

void TestTimestamp::format_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("full");
    QTest::addColumn<QString>("minute");
    QTest::addRow("spec example") << kMs20260105 << "2026-01-05T10:42:07.120Z"
                                  << "2026-01-05T10:42:00Z";
    QTest::addRow("epoch") << qint64(0) << "1970-01-01T00:00:00.000Z"
                           << "1970-01-01T00:00:00Z";
    QTest::addRow("1 ms before epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z"
                                       << "1969-12-31T23:59:00Z";
    QTest::addRow("minute before epoch") << qint64(-60000) << "1969-12-31T23:59:00.000Z"
                                         << "1969-12-31T23:59:00Z";
    QTest::addRow("1900") << qint64(-2208988800000) << "1900-01-01T00:00:00.000Z"
                          << "1900-01-01T00:00:00Z";
    QTest::addRow("year 0000") << qint64(-62167219200000) << "0000-01-01T00:00:00.000Z"
                               << "0000-01-01T00:00:00Z";
    QTest::addRow("year 9999 last ms") << qint64(253402300799999) << "9999-12-31T23:59:59.999Z"
                                       << "9999-12-31T23:59:00Z";
    QTest::addRow("year 10000: expanded")
        << qint64(253402300800000) << "+010000-01-01T00:00:00.000Z"
        << "+010000-01-01T00:00:00Z";
    QTest::addRow("year -1: expanded") << qint64(-62167219200001) << "-000001-12-31T23:59:59.999Z"
                                       << "-000001-12-31T23:59:00Z";
    QTest::addRow("ECMAScript max") << qint64(8640000000000000) << "+275760-09-13T00:00:00.000Z"
                                    << "+275760-09-13T00:00:00Z";
    QTest::addRow("ECMAScript min") << qint64(-8640000000000000) << "-271821-04-20T00:00:00.000Z"
                                    << "-271821-04-20T00:00:00Z";
    QTest::addRow("leap day") << qint64(1709208000000) << "2024-02-29T12:00:00.000Z"
                              << "2024-02-29T12:00:00Z";
}

void TestTimestamp::format()
{
    QFETCH(qint64, ms);
    QFETCH(QString, full);
    QFETCH(QString, minute);
    QCOMPARE(QString::fromStdString(formatUtcMs(ms)), full);
    QCOMPARE(QString::fromStdString(formatUtcMinute(ms)), minute);
}

void TestTimestamp::roundTrip_data()
{
    QTest::addColumn<qint64>("ms");
    const qint64 samples[] = { 0, 1, -1, 999, -999, 1000, -1001, kMs20260105, 1483228799999,
        -2208988800000, -62167219200000, 253402300799999, 951782400000, 1709208000000 };
    for (qint64 ms : samples)
        QTest::addRow("%lld", static_cast<long long>(ms)) << ms;
}

void TestTimestamp::roundTrip()
{
    QFETCH(qint64, ms);
    const auto t = parseTimestamp(formatUtcMs(ms));
    QVERIFY(t.has_value());
    QCOMPARE(qint64(t->ms), ms);
    QVERIFY(t->hadZone);
    const auto m = parseTimestamp(formatUtcMinute(ms));
    QVERIFY(m.has_value());
    QCOMPARE(qint64(m->ms), qint64(floorToMinute(ms)));
}

void TestTimestamp::formatExtremes()
{
    // Beyond the ECMAScript range nothing parses, but any int64 formats (expanded year, floor).
    QCOMPARE(QString::fromStdString(formatUtcMs(std::numeric_limits<qint64>::max())),
        QStringLiteral("+292278994-08-17T07:12:55.807Z"));
    QCOMPARE(QString::fromStdString(formatUtcMinute(std::numeric_limits<qint64>::min())),
        QStringLiteral("-292275055-05-16T16:47:00Z"));
}

void TestTimestamp::minuteFloor_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<qint64>("floored");
    QTest::addRow("zero") << qint64(0) << qint64(0);
    QTest::addRow("inside a minute") << kMs20260105 << qint64(1767609720000);
    QTest::addRow("-1 ms") << qint64(-1) << qint64(-60000);
    QTest::addRow("exactly -1 minute") << qint64(-60000) << qint64(-60000);
    QTest::addRow("-60001 ms") << qint64(-60001) << qint64(-120000);
}

void TestTimestamp::minuteFloor()
{
    QFETCH(qint64, ms);
    QFETCH(qint64, floored);
    QCOMPARE(qint64(floorToMinute(ms)), floored);
}

// "YYYY-MM-DDTHH:MM:SS[.f…]Z" has a fast reader (fixed places, the last date's day number
// kept); with a space in front the same text goes through the general RFC 3339 reader. Both
// must agree on every string, valid or not, in an order that changes the date often.
void TestTimestamp::commonShapeReadsAsTheGeneralReaderDoes()
{
    std::mt19937 rng(3);
    const auto pick
        = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int fast = 0;
    for (int i = 0; i < 200000; ++i) {
        char text[64];
        const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d",
            pick(1899, 2101), pick(0, 13), pick(0, 32), pick(0, 25), pick(0, 60), pick(0, 61));
        std::string s(text, std::size_t(n));
        const int digits = pick(-1, 11); // -1: no fraction; 0: a '.' alone
        if (digits >= 0) {
            s += '.';
            for (int k = 0; k < digits; ++k)
                s += char('0' + pick(0, 9));
        }
        s += pick(0, 20) == 0 ? "z" : "Z";
        if (pick(0, 50) == 0)
            s[std::size_t(pick(0, int(s.size()) - 1))] = "x/ 9"[pick(0, 3)]; // a broken one
        const auto a = parseTimestamp(s);
        const auto b = parseTimestamp(" " + s);
        QVERIFY2(a.has_value() == b.has_value(), s.c_str());
        if (a) {
            ++fast;
            QVERIFY2(a->ms == b->ms && a->hadZone == b->hadZone, s.c_str());
        }
    }
    QVERIFY(fast > 10000); // valid ones were among them
}

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
