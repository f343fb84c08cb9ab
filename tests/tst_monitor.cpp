// `ratescope monitor` end to end: simulate -> TCP -> monitor -> JSON summary, and the CLI.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QProcessEnvironment env(const QTemporaryDir &dir)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(
        QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data"))); // captures go here
    e.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.path());
    return e;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run run(const QTemporaryDir &dir, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env(dir));
    p.start(QStringLiteral(RATESCOPE_BINARY), args);
    if (!p.waitForStarted())
        qFatal("cannot start ratescope");
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
        QString::fromUtf8(p.readAllStandardError()) };
}

QJsonObject json(const QByteArray &bytes) { return QJsonDocument::fromJson(bytes).object(); }

const QString kStart = QStringLiteral("2026-01-05T09:00:00Z");

// `ratescope simulate` of `records` records at 800 rpm against a limit of 600 into the file
// `name` of dir; its path, empty if simulate failed.
QString simulated(const QTemporaryDir &dir, const QString &name, int records)
{
    const QString path = dir.filePath(name);
    const Run r = run(dir,
        { QStringLiteral("simulate"), QStringLiteral("--records"), QString::number(records),
            QStringLiteral("--rpm"), QStringLiteral("800"), QStringLiteral("--limit"),
            QStringLiteral("600"), QStringLiteral("--start"), kStart, QStringLiteral("-o"), path });
    return r.exitCode == 0 ? path : QString();
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void usageErrors_data();
    void usageErrors();
    void simulateToTcpMatchesSummarize();
    void standardInputEndsTheMonitor();
    void statusLinePerScope();
    void durationWithoutTraffic();
    void warnsPerScope();
    void secretsNeverLeaveTheSummary_data();
    void secretsNeverLeaveTheSummary();
    void rotationLeavesTheSummaryAlone();
    void boundedSummaryEqualsSummarize_data();
    void boundedSummaryEqualsSummarize();
    void aLateRecordIsNamedUnlessAllAreKept();

private:
    QTemporaryDir m_dir;
};

void TestMonitor::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString m = QStringLiteral("monitor");
    QTest::addRow("no source") << QStringList { m } << 2 << "no source given";
    QTest::addRow("bad listen") << QStringList { m, QStringLiteral("--listen"),
        QStringLiteral("9099") } << 2
                                << "invalid --listen";
    QTest::addRow("bad duration") << QStringList { m, QStringLiteral("--duration"),
        QStringLiteral("soon"), QStringLiteral("-") }
                                  << 2 << "invalid --duration";
    QTest::addRow("bad format") << QStringList { m, QStringLiteral("--format"),
        QStringLiteral("xml"), QStringLiteral("-") }
                                << 2 << "unknown --format";
    QTest::addRow("pdf to standard output") << QStringList { m, QStringLiteral("--format"),
        QStringLiteral("pdf"), QStringLiteral("-o"), QStringLiteral("-"), QStringLiteral("-") }
                                            << 2 << "--format pdf needs -o FILE";
    QTest::addRow("bad limit") << QStringList { m, QStringLiteral("--limit"), QStringLiteral("0"),
        QStringLiteral("-") } << 2
                               << "invalid --limit";
    QTest::addRow("stdin twice") << QStringList { m, QStringLiteral("-"), QStringLiteral("-") } << 2
                                 << "standard input";
    QTest::addRow("capture-max not a size") << QStringList { m, QStringLiteral("--capture-max"),
        QStringLiteral("1GB"), QStringLiteral("-") }
                                            << 2 << "invalid --capture-max \"1GB\"";
    QTest::addRow("capture-max below 1 KiB") << QStringList { m, QStringLiteral("--capture-max"),
        QStringLiteral("100"), QStringLiteral("-") }
                                             << 2 << "a segment holds at least 1 KiB";
    QTest::addRow("capture-keep 0") << QStringList { m, QStringLiteral("--capture-max"),
        QStringLiteral("1M"), QStringLiteral("--capture-keep"), QStringLiteral("0"),
        QStringLiteral("-") } << 2 << "invalid --capture-keep";
    QTest::addRow("capture-keep without capture-max") << QStringList { m,
        QStringLiteral("--capture-keep"), QStringLiteral("3"), QStringLiteral("-") }
                                                      << 2 << "--capture-keep needs --capture-max";
    QTest::addRow("remote without the flag") << QStringList { m, QStringLiteral("--listen"),
        QStringLiteral("0.0.0.0:0") } << 1 << "--allow-remote";
}

void TestMonitor::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run r = run(m_dir, args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestMonitor::simulateToTcpMatchesSummarize()
{
    const QString capture = m_dir.filePath(QStringLiteral("tcp-capture.ndjson"));
    QProcess monitor;
    monitor.setProcessEnvironment(env(m_dir));
    monitor.start(QStringLiteral(RATESCOPE_BINARY),
        { QStringLiteral("monitor"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--limit"),
            QStringLiteral("600"), QStringLiteral("--capture"), capture });
    QVERIFY(monitor.waitForStarted());
    monitor.setReadChannel(QProcess::StandardError);
    // the monitor says where it listens
    QString err;
    const QRegularExpression listening(QStringLiteral("listening on tcp://127\\.0\\.0\\.1:(\\d+)"));
    QRegularExpressionMatch m;
    while (!(m = listening.match(err)).hasMatch()) {
        QVERIFY2(monitor.waitForReadyRead(10000), qPrintable(err));
        err += QString::fromUtf8(monitor.readAllStandardError());
    }
    const QString port = m.captured(1);

    const QStringList sim { QStringLiteral("simulate"), QStringLiteral("--records"),
        QStringLiteral("4000"), QStringLiteral("--rpm"), QStringLiteral("800"),
        QStringLiteral("--limit"), QStringLiteral("600"), QStringLiteral("--start"), kStart };
    const Run sent = run(m_dir,
        sim
            + QStringList { QStringLiteral("--speed"), QStringLiteral("0"), QStringLiteral("--to"),
                QStringLiteral("tcp://127.0.0.1:") + port });
    QCOMPARE(sent.exitCode, 0);
    QVERIFY2(sent.err.contains(QStringLiteral("sent 4000 records")), qPrintable(sent.err));

    monitor.terminate(); // SIGTERM: what was received is read and summarized
    QVERIFY(monitor.waitForFinished(30000));
    QCOMPARE(monitor.exitStatus(), QProcess::NormalExit);
    err += QString::fromUtf8(monitor.readAllStandardError());
    QVERIFY2(monitor.exitCode() == 0, qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("stopped (SIGTERM)")), qPrintable(err));
    const QJsonObject live = json(monitor.readAllStandardOutput());

    // the same records from a file, summarized
    const QString file = m_dir.filePath(QStringLiteral("same.ndjson"));
    QCOMPARE(run(m_dir, sim + QStringList { QStringLiteral("-o"), file }).exitCode, 0);
    const Run summarized = run(m_dir,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("--limit"), QStringLiteral("600"), file });
    QCOMPARE(summarized.exitCode, 0);
    const QJsonObject expected = json(summarized.out);

    QCOMPARE(live.value(QStringLiteral("requests")).toInt(), 4000);
    for (const char *key : { "limit", "span", "requests", "rejected", "peak_rpm",
             "minutes_over_limit", "incidents", "findings", "limit_to_ask" })
        QVERIFY2(live.value(QLatin1String(key)) == expected.value(QLatin1String(key)), key);
    QVERIFY(live.value(QStringLiteral("rejected")).toObject().value(QStringLiteral("total")).toInt()
        > 0);
    const QJsonArray inputs = live.value(QStringLiteral("inputs")).toArray();
    QCOMPARE(inputs.size(), 1);
    QCOMPARE(inputs[0].toObject().value(QStringLiteral("path")).toString(),
        QStringLiteral("tcp://127.0.0.1:") + port);
    QCOMPARE(
        inputs[0].toObject().value(QStringLiteral("format")).toString(), QStringLiteral("ndjson"));
    QCOMPARE(inputs[0].toObject().value(QStringLiteral("records")).toInt(), 4000);

    // the capture file holds every line: summarized later, it gives the same summary
    const Run reopened = run(m_dir,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("--limit"), QStringLiteral("600"), capture });
    QCOMPARE(reopened.exitCode, 0);
    const QJsonObject again = json(reopened.out);
    for (const char *key : { "span", "requests", "rejected", "peak_rpm", "incidents" })
        QVERIFY2(again.value(QLatin1String(key)) == expected.value(QLatin1String(key)), key);
}

void TestMonitor::standardInputEndsTheMonitor()
{
    const QByteArray input
        = "{\"id\":\"tcl_1\",\"timestamp\":\"2026-01-05T10:00:01Z\",\"status\":429,\"body\":{"
          "\"error_id\":\"RATE_LIMIT_EXCEEDED\"}}\n"
          "not json\n"
          "\n"
          "{\"id\":\"tcl_1\",\"timestamp\":\"2026-01-05T10:00:01Z\",\"status\":429}\n"
          "{\"timestamp\":\"2026-01-05T10:00:02Z\",\"status\":200}"; // no final newline: EOF ends
                                                                     // it
    const Run r = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("-") },
        input);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("-:2: invalid JSON")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("every source ended")), qPrintable(r.err));
    const QJsonObject s = json(r.out);
    QCOMPARE(s.value(QStringLiteral("requests")).toInt(), 2);
    QCOMPARE(s.value(QStringLiteral("rejected"))
                 .toObject()
                 .value(QStringLiteral("RATE_LIMITED"))
                 .toInt(),
        1);
    const QJsonObject in = s.value(QStringLiteral("inputs")).toArray().at(0).toObject();
    QCOMPARE(in.value(QStringLiteral("path")).toString(), QStringLiteral("-"));
    QCOMPARE(in.value(QStringLiteral("records")).toInt(), 2);
    QCOMPARE(in.value(QStringLiteral("duplicates")).toInt(), 1);
    QCOMPARE(in.value(QStringLiteral("skipped")).toInt(), 1);
    QCOMPARE(in.value(QStringLiteral("errors"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("line"))
                 .toInt(),
        2);
}

// Issue 22: `monitor` keeps rollups, not every record (the default, --bounded), and its summary
// is the same JSON as summarize's of the same records (incidents, bindings, limits, drift, retry
// findings), apart from its inputs; nothing is named inexact.
void TestMonitor::boundedSummaryEqualsSummarize_data()
{
    QTest::addColumn<QString>("log"); // a fixture, or "sim" (simulated: retries and polling)
    QTest::newRow("gateway mix") << QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson");
    QTest::newRow("simulated 40,000 records") << QStringLiteral("sim");
}

void TestMonitor::boundedSummaryEqualsSummarize()
{
    QFETCH(QString, log);
    if (log == QLatin1String("sim")) {
        log = simulated(m_dir, QStringLiteral("bounded-input.ndjson"), 40000);
        QVERIFY(!log.isEmpty());
    }
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const Run bounded = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("-") },
        f.readAll());
    QVERIFY2(bounded.exitCode == 0, qPrintable(bounded.err));
    const Run summarized = run(m_dir,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"), log });
    QCOMPARE(summarized.exitCode, 0);
    QJsonObject got = json(bounded.out), want = json(summarized.out);
    QVERIFY2(!got.contains(QStringLiteral("inexact")),
        QJsonDocument(got.value(QStringLiteral("inexact")).toArray()).toJson().constData());
    QVERIFY(!want.value(QStringLiteral("incidents")).toArray().isEmpty());
    if (log.endsWith(QLatin1String("bounded-input.ndjson")))
        QVERIFY(!want.value(QStringLiteral("findings")).toArray().isEmpty());
    got.remove(QStringLiteral("inputs"));
    want.remove(QStringLiteral("inputs"));
    QCOMPARE(got, want);
}

// Issue 22: a record that comes later than the 2-minute reorder window is still counted, and the
// default summary says its time-ordered figures may be off; --keep-all keeps every record and
// gives summarize's summary exactly.
void TestMonitor::aLateRecordIsNamedUnlessAllAreKept()
{
    const QString log = simulated(m_dir, QStringLiteral("late-input.ndjson"), 20000);
    QVERIFY(!log.isEmpty());
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray text = f.readAll();
    const qsizetype firstEnd = text.indexOf('\n') + 1;
    text = text.mid(firstEnd) + text.left(firstEnd); // the first record comes last
    const QStringList monitor { QStringLiteral("monitor"), QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("-") };
    const Run bounded = run(m_dir, monitor, text);
    const Run all = run(m_dir, QStringList(monitor) << QStringLiteral("--keep-all"), text);
    QVERIFY2(bounded.exitCode == 0, qPrintable(bounded.err));
    QVERIFY2(all.exitCode == 0, qPrintable(all.err));
    const Run summarized = run(m_dir,
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"), log });
    QJsonObject b = json(bounded.out), a = json(all.out), want = json(summarized.out);
    QCOMPARE(b.value(QStringLiteral("requests")).toInt(), 20000);
    const QJsonArray inexact = b.value(QStringLiteral("inexact")).toArray();
    QVERIFY(std::any_of(inexact.begin(), inexact.end(), [](const QJsonValue &v) {
        return v.toString().startsWith(QStringLiteral("1 event came later than the reorder"));
    }));
    QVERIFY(!a.contains(QStringLiteral("inexact")));
    a.remove(QStringLiteral("inputs"));
    want.remove(QStringLiteral("inputs"));
    QCOMPARE(a, want);
    QCOMPARE(
        run(m_dir,
            QStringList(monitor) << QStringLiteral("--keep-all") << QStringLiteral("--bounded"),
            text)
            .exitCode,
        2);
}

// Issue 22: the summary is built from what was received, not from the capture; with the capture
// in segments of 8 KiB (the newest 2 kept), standard input's 20,000 records give the same JSON
// byte for byte as with one capture file, and the monitor says where the segments are.
void TestMonitor::rotationLeavesTheSummaryAlone()
{
    const QString records = simulated(m_dir, QStringLiteral("rotation-input.ndjson"), 20000);
    QVERIFY(!records.isEmpty());
    QFile in(records);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray input = in.readAll();
    QVERIFY(input.size() > 1'000'000); // more than a few reads of standard input
    const QStringList monitor { QStringLiteral("monitor"), QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("--limit"), QStringLiteral("600") };

    const QString plainDir = m_dir.filePath(QStringLiteral("one-capture"));
    const QString rotatedDir = m_dir.filePath(QStringLiteral("rotated-capture"));
    QVERIFY(QDir().mkpath(plainDir) && QDir().mkpath(rotatedDir));
    const Run plain = run(m_dir,
        monitor
            + QStringList { QStringLiteral("--capture"), plainDir + QStringLiteral("/cap.ndjson"),
                QStringLiteral("-") },
        input);
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    const QString capture = rotatedDir + QStringLiteral("/cap.ndjson");
    const Run rotated = run(m_dir,
        monitor
            + QStringList { QStringLiteral("--capture"), capture, QStringLiteral("--capture-max"),
                QStringLiteral("8KiB"), QStringLiteral("--capture-keep"), QStringLiteral("2"),
                QStringLiteral("-") },
        input);
    QVERIFY2(rotated.exitCode == 0, qPrintable(rotated.err));
    QCOMPARE(json(rotated.out).value(QStringLiteral("requests")).toInt(), 20000);
    QCOMPARE(rotated.out, plain.out);

    // where the segments are: the scheme at the start, each new one, those rotated away, the end
    QVERIFY2(rotated.err.contains(QStringLiteral("capturing everything received to ") + capture),
        qPrintable(rotated.err));
    QVERIFY2(rotated.err.contains(QStringLiteral(
                 "a new capture segment each 8 KiB (cap.2.ndjson, cap.3.ndjson, …), the newest 2 "
                 "kept")),
        qPrintable(rotated.err));
    QVERIFY2(rotated.err.contains(
                 QStringLiteral("capturing to ") + rotatedDir + QStringLiteral("/cap.2.ndjson")),
        qPrintable(rotated.err));
    QVERIFY2(rotated.err.contains(QStringLiteral("rotated away (--capture-keep 2): ") + capture),
        qPrintable(rotated.err));
    const QRegularExpression end(
        QStringLiteral("capture: (\\d+) segments, 2 kept: (\\S+) … (\\S+)\n"));
    const QRegularExpressionMatch m = end.match(rotated.err);
    QVERIFY2(m.hasMatch(), qPrintable(rotated.err));
    QVERIFY(m.captured(1).toInt() > 3);
    const QStringList onDisk = QDir(rotatedDir).entryList(QDir::Files, QDir::Name);
    QCOMPARE(onDisk.size(), 2);
    QVERIFY(onDisk.contains(QFileInfo(m.captured(2)).fileName()));
    QVERIFY(onDisk.contains(QFileInfo(m.captured(3)).fileName()));
    QCOMPARE(QDir(plainDir).entryList(QDir::Files), QStringList { QStringLiteral("cap.ndjson") });
}

void TestMonitor::secretsNeverLeaveTheSummary_data()
{
    QTest::addColumn<QString>("format");
    for (const char *f : { "md", "json", "html" }) // csv: one row per minute, no messages
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestMonitor::secretsNeverLeaveTheSummary()
{
    QFETCH(QString, format);
    const QByteArray input = "{\"timestamp\":\"2026-01-05T10:00:01Z\",\"status\":429,"
                             "\"tool_name\":\"gmail_fetch_mails\",\"body\":{\"error\":{\"message\":"
                             "\"quota for Bearer sk-live-0123456789abcdef exceeded\"}}}\n";
    const Run r = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--format"), format, QStringLiteral("-") },
        input);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("quota for"), r.out.constData()); // the message is there ...
    QVERIFY2(!r.out.contains("sk-live-0123456789abcdef"), r.out.constData()); // ... its token not
}

// The early warning watches each API against its own limit (limits.md §1): 10 requests to
// a.example reach its 10/min; 30 to b.example stay under the 100/min of every other scope, and
// the whole stream's 40 is no API's count.
void TestMonitor::warnsPerScope()
{
    QByteArray input;
    for (int i = 0; i < 30; ++i) {
        for (const char *host : { "a.example", "b.example" }) {
            if (i < 10 || host[0] == 'b')
                input
                    += QStringLiteral("{\"timestamp\":\"2026-01-05T08:00:%1Z\",\"method\":\"GET\","
                                      "\"url\":\"https://%2/v1/x\",\"status\":200}\n")
                           .arg(i, 2, 10, QLatin1Char('0'))
                           .arg(QLatin1String(host))
                           .toUtf8();
        }
    }
    const Run r = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--limit"), QStringLiteral("a.example:10"),
            QStringLiteral("--limit"), QStringLiteral("100"), QStringLiteral("--format"),
            QStringLiteral("json"), QStringLiteral("-") },
        input);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(
        r.err.contains(QStringLiteral("warning: a.example: 10 requests in the minute "
                                      "2026-01-05T08:00:00Z reach 100 % of the limit of 10/min")),
        qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("warning: b.example")), qPrintable(r.err));
    // one limit for every scope: 10 + 30 = 40 reach 90 % of 40 as a whole, no API alone does
    const Run all = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--limit"), QStringLiteral("40"),
            QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("-") },
        input);
    QVERIFY2(all.exitCode == 0, qPrintable(all.err));
    QVERIFY2(!all.err.contains(QStringLiteral("% of the limit")), qPrintable(all.err));
}

// The status line shows each API's current minute against its own limit, the busiest first:
// a.example against the 10/min given for it, b.example against the 50/min its responses
// report (OpenAI's headers, resets of 1 s: per minute).
void TestMonitor::statusLinePerScope()
{
    QByteArray input;
    for (int i = 0; i < 30; ++i) {
        for (const char *host : { "a.example", "b.example" }) {
            if (i >= 10 && host[0] == 'a')
                continue;
            input += QStringLiteral("{\"timestamp\":\"2026-01-05T08:00:%1Z\",\"url\":"
                                    "\"https://%2/v1/x\",\"status\":200%3}\n")
                         .arg(i, 2, 10, QLatin1Char('0'))
                         .arg(QLatin1String(host))
                         .arg(host[0] == 'b' ? QStringLiteral(
                                  ",\"headers\":{\"x-ratelimit-limit-requests\":\"50\","
                                  "\"x-ratelimit-reset-requests\":\"1s\"}")
                                             : QString())
                         .toUtf8();
        }
    }
    const QString log = m_dir.filePath(QStringLiteral("status.ndjson"));
    QFile f(log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(input);
    f.close();
    const Run r = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--from-start"), QStringLiteral("--limit"),
            QStringLiteral("a.example:10"), QStringLiteral("--status-every"), QStringLiteral("0.2"),
            QStringLiteral("--duration"), QStringLiteral("1"), QStringLiteral("--format"),
            QStringLiteral("json"), log });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("40 requests, 0 rejected")), qPrintable(r.err));
    QVERIFY2(
        r.err.contains(QStringLiteral(
            "minute 08:00: 40 rpm [b.example 30 of 50/min 60 %, a.example 10 of 10/min 100 %]")),
        qPrintable(r.err));
}

void TestMonitor::durationWithoutTraffic()
{
    const QString missing = m_dir.filePath(QStringLiteral("not-yet.log"));
    const Run r = run(m_dir,
        { QStringLiteral("monitor"), QStringLiteral("--duration"), QStringLiteral("0.2"),
            QStringLiteral("--format"), QStringLiteral("json"), missing });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("waiting for it to appear")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("--duration reached")), qPrintable(r.err));
    const QJsonObject s = json(r.out);
    QCOMPARE(s.value(QStringLiteral("requests")).toInt(), 0);
    const QJsonArray inputs = s.value(QStringLiteral("inputs")).toArray();
    QCOMPARE(inputs.size(), 1);
    QCOMPARE(inputs[0].toObject().value(QStringLiteral("path")).toString(), missing);
    // the capture file is in the data directory
    QVERIFY(r.err.contains(m_dir.filePath(QStringLiteral("data/ratescope/captures/live-"))));
}

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
