// Framing and containers (formats.md §1.6), bad lines, duplicates, parallel chunking.
#include "decode/timestamp.h"
#include "io/bytesource.h"
#include "store/rawrecordreader.h"
#include "testutil.h"

#include <QTemporaryDir>

#include <atomic>
#include <thread>

#include <zlib.h>

namespace {

QByteArray rec(int i, const char *extra = "")
{
    return QStringLiteral(
        R"({"timestamp":"2026-01-05T10:%1:%2.000Z","status":%3,"tool_name":"gmail_fetch_mails"%4})")
        .arg(i / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(i % 60, 2, 10, QLatin1Char('0'))
        .arg(i % 10 == 0 ? 429 : 200)
        .arg(QLatin1String(extra))
        .toUtf8();
}

QByteArray gzip(const QByteArray &in)
{
    z_stream zs {};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(in.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(int(zs.total_out));
    deflateEnd(&zs);
    return out;
}

} // namespace

class TestLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cloneIsTheSameStore();
    void sharesGrowOnTheirOwn_data();
    void sharesGrowOnTheirOwn();
    void aSnapshotIsReadWhileItsShareGrows();
    void framing_data();
    void framing();
    void brokenLinesAreLocatedAndTheRestKept();
    void duplicatesAcrossFiles();
    void chunkingDoesNotChangeTheResult_data();
    void chunkingDoesNotChangeTheResult();
    void gzipTruncatedKeepsWhatWasRead();
    void gzipTruncatedGivesEveryInflatedByte_data();
    void gzipTruncatedGivesEveryInflatedByte();
    void inputsThatAreNotLogs_data();
    void inputsThatAreNotLogs();
    void invalidUtf8IsReplacedAndKept();
    void repairedDocumentReadsBackEachRecord();
    void timeRangeFilter();
    void shapesPerRecord_data();
    void shapesPerRecord();

private:
    QTemporaryDir m_dir;
};

void TestLoader::framing_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("gz");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("skipped");

    const QByteArray three = rec(0) + "\n" + rec(1) + "\n" + rec(2) + "\n";
    QTest::addRow("LF") << three << false << "ndjson" << 3 << 0;
    QTest::addRow("CRLF") << QByteArray(three).replace("\n", "\r\n") << false << "ndjson" << 3 << 0;
    QTest::addRow("no final newline") << three.chopped(1) << false << "ndjson" << 3 << 0;
    QTest::addRow("blank and whitespace-only lines") << "\n  \n" + rec(0) + "\n\t\n\n" + rec(1)
            + "\n \r\n" << false << "ndjson" << 2 << 0;
    QTest::addRow("UTF-8 BOM") << "\xEF\xBB\xBF" + three << false << "ndjson" << 3 << 0;
    QTest::addRow("empty file") << QByteArray() << false << "ndjson" << 0 << 0;
    QTest::addRow("gzip") << three << true << "ndjson" << 3 << 0;
    QTest::addRow("JSON array on one line")
        << "[" + rec(0) + "," + rec(1) + "]" << false << "json" << 2 << 0;
    QTest::addRow("pretty JSON array") << "[\n  " + rec(0) + ",\n  " + rec(1) + "\n]\n"
                                       << false << "json" << 2 << 0;
    QTest::addRow("gzip of a pretty JSON array") << "[\n  " + rec(0) + ",\n  " + rec(1) + "\n]\n"
                                                 << true << "json" << 2 << 0;
    QTest::addRow("API page of tool call logs") << QByteArray(
        R"({"tool_call_logs":[{"id":"tcl_1","tool_name":"gmail_fetch_mails","status":"success","started_at":"2026-01-05T10:00:00Z"},)"
        R"({"id":"tcl_2","tool_name":"slack_send_message","status":"platform_error","error_code":"RATE_LIMITED","started_at":"2026-01-05T10:00:01Z"}],"next_page_token":"x"})")
                                                << false << "json" << 2 << 0;
    QTest::addRow("pretty API page")
        << QByteArray("{\n  \"tool_call_logs\": [\n    {\"id\": \"tcl_1\", \"started_at\": "
                      "\"2026-01-05T10:00:00Z\"}\n  ],\n  \"next_page_token\": null\n}\n")
        << false << "json" << 1 << 0;
}

void TestLoader::framing()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, gz);
    QFETCH(QString, format);
    QFETCH(int, records);
    QFETCH(int, skipped);
    const QString path = writeFile(QDir(m_dir.path()),
        QStringLiteral("framing.log") + (gz ? ".gz" : ""), gz ? gzip(content) : content);
    const Loaded l = loadFiles({ path });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.gzip, gz);
    QCOMPARE(r.format, format);
    QCOMPARE(r.records, records);
    QCOMPARE(r.skipped, skipped);
}

void TestLoader::brokenLinesAreLocatedAndTheRestKept()
{
    QByteArray content;
    for (int i = 0; i < 10; ++i) {
        if (i == 1)
            content += R"({"timestamp":"2026-01-05T10:00:00Z","status":42)"
                       "\n"; // cut short
        else if (i == 4)
            content += "not json at all\n";
        else if (i == 6)
            content += R"({"status":429,"tool_name":"x"})"
                       "\n"; // no time
        else if (i == 8)
            content += R"({"timestamp":"yesterday","status":200})"
                       "\n";
        else
            content += rec(i) + "\n";
    }
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("broken.ndjson"), content);
    const Loaded l = loadFiles({ path });
    const InputReport &r = l.reports.front();
    QVERIFY(!r.failed());
    QCOMPARE(r.records, 6);
    QCOMPARE(r.skipped, 4);
    QCOMPARE(r.errors.size(), std::size_t(4));
    QCOMPARE(r.errors[0].line, 2u);
    QVERIFY2(r.errors[0].message.contains(QStringLiteral("invalid JSON")),
        qPrintable(r.errors[0].message));
    QCOMPARE(r.errors[1].line, 5u);
    QCOMPARE(r.errors[2].line, 7u);
    QVERIFY(r.errors[2].message.startsWith(QStringLiteral("no time")));
    QCOMPARE(r.errors[3].line, 9u);
    QVERIFY2(
        r.errors[3].message.contains(QStringLiteral("yesterday")), qPrintable(r.errors[3].message));
    // origins point at the right lines
    QCOMPARE(l.store->line(0), 1u);
    QCOMPARE(l.store->line(1), 3u);
}

void TestLoader::duplicatesAcrossFiles()
{
    const QByteArray a = QByteArray(R"({"id":"tcl_1","started_at":"2026-01-05T10:00:00Z"})"
                                    "\n")
        + R"({"id":"tcl_2","started_at":"2026-01-05T10:00:01Z"})"
          "\n"
        + R"({"id":"tcl_1","started_at":"2026-01-05T10:00:02Z"})"
          "\n" // repeat in the same file
        + R"({"started_at":"2026-01-05T10:00:03Z"})"
          "\n"
        + R"({"started_at":"2026-01-05T10:00:03Z"})"
          "\n"; // no id: never duplicates
    const QByteArray b = QByteArray(R"({"id":"tcl_2","started_at":"2026-01-05T10:00:01Z"})"
                                    "\n")
        + R"({"id":"tcl_3","started_at":"2026-01-05T10:00:04Z"})"
          "\n"
        + R"({"id":7,"started_at":"2026-01-05T10:00:05Z"})"
          "\n"
        + R"({"id":7,"started_at":"2026-01-05T10:00:05Z"})"
          "\n"; // numeric ids are not string ids
    const QDir dir(m_dir.path());
    const Loaded l = loadFiles({ writeFile(dir, QStringLiteral("a.ndjson"), a),
        writeFile(dir, QStringLiteral("b.ndjson"), b) });
    QCOMPARE(l.reports[0].records, 4);
    QCOMPARE(l.reports[0].duplicates, 1);
    QCOMPARE(l.reports[1].records, 3);
    QCOMPARE(l.reports[1].duplicates, 1);
    QCOMPARE(l.store->size(), std::size_t(7));
}

void TestLoader::chunkingDoesNotChangeTheResult_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("chunkBytes");
    QTest::addRow("one thread, default chunks") << 1 << int(4u << 20);
    QTest::addRow("two threads, 4 KiB chunks") << 2 << 4096;
    QTest::addRow("four threads, 5000-byte chunks") << 4 << 5000;
}

void TestLoader::chunkingDoesNotChangeTheResult()
{
    QFETCH(int, threads);
    QFETCH(int, chunkBytes);
    QByteArray content;
    const QByteArray longMessage(20000, 'x'); // a line longer than a chunk
    for (int i = 0; i < 3000; ++i) {
        if (i == 1500)
            content += rec(i, ",\"message\":\"") + longMessage + "\"}\n";
        else if (i == 2000)
            content += "{broken\n";
        else
            content += rec(i, i % 7 ? "" : ",\"id\":\"dup\"") + "\r\n";
    }
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("chunks.ndjson"), content);
    LoadOptions o;
    o.threads = threads;
    o.chunkBytes = std::size_t(chunkBytes);
    const Loaded l = loadFiles({ path }, o);
    const InputReport &r = l.reports.front();
    // 3000 lines, 1 broken, the "dup" id on i % 7 == 0 counts once
    const int withDupId = (2999 / 7) + 1 - (2000 % 7 == 0) - (1500 % 7 == 0);
    QCOMPARE(r.skipped, 1);
    QCOMPARE(r.errors.front().line, 2001u);
    QCOMPARE(r.duplicates, withDupId - 1);
    QCOMPARE(r.records, 3000 - 1 - (withDupId - 1));
    // every event keeps its line and the offset of that line's first byte
    for (std::size_t i = 0; i < l.store->size(); i += 97) {
        const std::uint32_t line = l.store->line(i);
        std::uint64_t offset = 0;
        for (std::uint32_t k = 1; k < line; ++k)
            offset = std::uint64_t(content.indexOf('\n', qsizetype(offset))) + 1;
        QCOMPARE(l.store->offset(i), offset);
    }
}

void TestLoader::gzipTruncatedKeepsWhatWasRead()
{
    QByteArray content;
    for (int i = 0; i < 2000; ++i)
        content += rec(i) + "\n";
    const QByteArray gz = gzip(content);
    const QString path
        = writeFile(QDir(m_dir.path()), QStringLiteral("cut.ndjson.gz"), gz.left(gz.size() / 2));
    const Loaded l = loadFiles({ path });
    const InputReport &r = l.reports.front();
    QVERIFY(!r.failed());
    QVERIFY2(r.records > 100 && r.records < 2000, qPrintable(QString::number(r.records)));
    QVERIFY(!r.errors.empty());
    QVERIFY2(r.errors.back().message.contains(QStringLiteral("truncated gzip")),
        qPrintable(r.errors.back().message));
}

// A gzip cut short is read up to the last byte its compressed part inflates to, however the
// reader asks for it. Reading in small pieces once lost the output inflate still held when a
// piece filled up (a long match half copied) and the compressed file had no more bytes: the
// last lines of the file were dropped (found by fuzz_loader_framing; 4 KiB chunks gave two
// fewer lines than one 1 MiB chunk).
void TestLoader::gzipTruncatedGivesEveryInflatedByte_data()
{
    QTest::addColumn<int>("piece");
    QTest::addRow("1 byte at a time") << 1;
    QTest::addRow("97 bytes") << 97;
    QTest::addRow("4 KiB (the loader's smallest chunk)") << 4096;
    QTest::addRow("1 MiB") << (1 << 20);
}

void TestLoader::gzipTruncatedGivesEveryInflatedByte()
{
    QFETCH(int, piece);
    // long repeats: deflate writes matches of up to 258 bytes, which a piece can split
    QByteArray content;
    for (int i = 0; i < 300; ++i)
        content += rec(i % 3, ",\"message\":\"") + QByteArray(400 + i, 'a' + char(i % 3)) + "\"}\n";
    const QByteArray gz = gzip(content);
    QDir dir(m_dir.path());
    int checked = 0;
    for (qsizetype cut = gz.size() - 40; cut < gz.size(); cut += 3) {
        const QByteArray part = gz.left(cut);
        // what zlib inflates from these bytes given all the room it wants
        QByteArray inflatable(content.size() + 1024, '\0');
        z_stream zs {};
        inflateInit2(&zs, 15 + 32);
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(part.constData()));
        zs.avail_in = uInt(part.size());
        zs.next_out = reinterpret_cast<Bytef *>(inflatable.data());
        zs.avail_out = uInt(inflatable.size());
        const int rc = inflate(&zs, Z_NO_FLUSH);
        inflatable.resize(qsizetype(zs.total_out));
        inflateEnd(&zs);
        QVERIFY(rc != Z_STREAM_END); // the trailer is cut: the stream never ends

        const QString path = writeFile(dir, QStringLiteral("cut-%1.gz").arg(cut), part);
        QString error;
        const auto src = ByteSource::open(path, &error);
        QVERIFY2(src, qPrintable(error));
        QByteArray got;
        QByteArray buf(piece, '\0');
        std::int64_t n = 0;
        while ((n = src->read(buf.data(), std::size_t(piece))) > 0)
            got.append(buf.constData(), qsizetype(n));
        QCOMPARE(n, std::int64_t(-1));
        QVERIFY2(src->error().contains(QStringLiteral("truncated gzip")), qPrintable(src->error()));
        QCOMPARE(got.size(), inflatable.size());
        QVERIFY(got == inflatable);
        ++checked;
    }
    QCOMPARE(checked, 14);
}

void TestLoader::inputsThatAreNotLogs_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content"); // null: do not create
    QTest::addColumn<QString>("message");
    QTest::addRow("missing file") << "missing.ndjson" << QByteArray() << "No such file";
    QTest::addRow("binary file") << "binary.bin"
                                 << QByteArray("\x7f"
                                               "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                        16)
                                 << "binary";
    QTest::addRow("text that is not JSON")
        << "prose.txt" << QByteArray("Dear team,\nthe API said 429.\n") << "not a log";
    QTest::addRow("JSON without any time")
        << "chunks.ndjson" << QByteArray("{\"type\":\"ping\"}\n{\"type\":\"ping\"}\n")
        << "not a log";
}

void TestLoader::inputsThatAreNotLogs()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString path = content.isNull() ? QDir(m_dir.path()).filePath(name)
                                          : writeFile(QDir(m_dir.path()), name, content);
    const Loaded l = loadFiles({ path });
    QVERIFY(l.reports.front().failed());
    QVERIFY2(l.reports.front().fatal.contains(message), qPrintable(l.reports.front().fatal));
    QCOMPARE(l.store->size(), std::size_t(0));
}

void TestLoader::invalidUtf8IsReplacedAndKept()
{
    const QByteArray line
        = R"({"timestamp":"2026-01-05T10:00:00Z","status":429,"body":{"error_id":"RATE_LIMITED","message":"bad )"
          "\xff\xfe"
          R"( bytes"}})";
    const QString path
        = writeFile(QDir(m_dir.path()), QStringLiteral("utf8.ndjson"), line + "\n" + rec(1) + "\n");
    const Loaded l = loadFiles({ path });
    QCOMPARE(l.reports.front().records, 2);
    QCOMPARE(l.store->source(0), RejectionSource::RateLimited);
    const std::string_view m = l.store->message(0);
    QCOMPARE(QString::fromUtf8(m.data(), int(m.size())), QStringLiteral("bad \uFFFD\uFFFD bytes"));
}

// A document with invalid UTF-8 is decoded from a repaired copy in which each bad byte became
// three; the store keeps offsets in the file, so each record reads back as itself (they once
// pointed before the file's start, found by tst_simdkernels).
void TestLoader::repairedDocumentReadsBackEachRecord()
{
    const QByteArray bad = "\xff\xfe\xfd";
    QByteArray har = R"({"log": {"version": "1.2", "entries": [)";
    for (int i = 0; i < 3; ++i) {
        har += (i ? ",\n" : "\n") + QByteArray(R"({"startedDateTime": "2026-01-05T10:00:0)")
            + QByteArray::number(i)
            + R"(Z", "request": {"method": "GET", "url": "https://api.example.com/e)"
            + QByteArray::number(i) + R"("}, "response": {"status": 200, "content": {"text": "x )"
            + bad + R"("}}})";
    }
    har += "\n]}}\n";
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("bad-utf8.har"), har);
    const Loaded l = loadFiles({ path });
    QCOMPARE(l.reports.front().records, 3);
    for (std::size_t i = 0; i < 3; ++i) {
        QString why;
        const QByteArray raw = RawRecordReader::read(*l.store, i, &why);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY2(raw.startsWith(
                     R"({"startedDateTime": "2026-01-05T10:00:0)" + QByteArray::number(int(i))),
            raw.left(80).constData());
        QVERIFY(raw.contains("api.example.com/e" + QByteArray::number(int(i))));
    }
}

void TestLoader::timeRangeFilter()
{
    QByteArray content;
    for (int i = 0; i < 120; ++i)
        content += rec(i) + "\n";
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("range.ndjson"), content);
    LoadOptions o;
    o.range.fromMs = parseTimestamp("2026-01-05T10:00:30Z")->ms;
    o.range.toMs = parseTimestamp("2026-01-05T10:01:00Z")->ms;
    const Loaded l = loadFiles({ path }, o);
    QCOMPARE(l.reports.front().records, 30); // from <= t < to
    QCOMPARE(l.reports.front().skipped, 0);
}

void TestLoader::shapesPerRecord_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("time");

    QTest::addRow("status_code as string, ts in epoch seconds")
        << QByteArray(R"({"ts":1767609727,"status_code":"429","tool":"slack_send_message"})") << 429
        << "slack_send_message"
        << "slack"
        << "2026-01-05T10:42:07.000Z";
    QTest::addRow("response.status, @timestamp in ms") << QByteArray(
        R"({"@timestamp":1767609727120,"response":{"status":503,"headers":[{"name":"Retry-After","value":"3"}]}})")
                                                       << 503 << ""
                                                       << ""
                                                       << "2026-01-05T10:42:07.120Z";
    QTest::addRow("statusCode float, explicit provider") << QByteArray(
        R"({"time":"2026-01-05 10:42:07.1239+05:30","statusCode":429.0,"tool_name":"gmail_fetch_mails","provider":"google"})")
                                                         << 429 << "gmail_fetch_mails"
                                                         << "google"
                                                         << "2026-01-05T05:12:07.123Z";
    QTest::addRow("tool call log record") << QByteArray(
        R"({"id":"tcl_9","tool_name":"hubspot_contacts_list","status":"provider_error","duration_ms":"31.5","started_at":"2026-01-05T10:42:07Z"})")
                                          << -1 << "hubspot_contacts_list"
                                          << "hubspot"
                                          << "2026-01-05T10:42:07.000Z";
    QTest::addRow("nock rawHeaders in a generic line, date key as HTTP-date") << QByteArray(
        R"({"date":"Mon, 05 Jan 2026 10:42:07 GMT","status":200,"rawHeaders":["X-RateLimit-Limit","60"]})")
                                                                              << 200 << ""
                                                                              << ""
                                                                              << "2026-01-05T10:42:"
                                                                                 "07.000Z";
}

void TestLoader::shapesPerRecord()
{
    QFETCH(QByteArray, line);
    QFETCH(int, status);
    QFETCH(QString, tool);
    QFETCH(QString, provider);
    QFETCH(QString, time);
    const QString path = writeFile(QDir(m_dir.path()), QStringLiteral("shape.ndjson"), line + "\n");
    const Loaded l = loadFiles({ path });
    QCOMPARE(l.reports.front().records, 1);
    QCOMPARE(l.store->status(0), status);
    QCOMPARE(QString::fromUtf8(l.store->tool(0).data(), int(l.store->tool(0).size())), tool);
    QCOMPARE(
        QString::fromUtf8(l.store->provider(0).data(), int(l.store->provider(0).size())), provider);
    QCOMPARE(QString::fromStdString(formatUtcMs(l.store->timeMs(0))), time);
}

// Every event of c reads back as s's, ids included.
static void compareStores(const EventStore &c, const EventStore &s)
{
    QCOMPARE(c.size(), s.size());
    QCOMPARE(c.strings().size(), s.strings().size());
    for (std::uint32_t id = 0; id < s.strings().size(); ++id)
        QCOMPARE(c.strings().view(id), s.strings().view(id));
    QCOMPARE(c.fileCount(), s.fileCount());
    for (std::uint16_t f = 0; f < s.fileCount(); ++f)
        QCOMPARE(c.filePath(f), s.filePath(f));
    for (std::size_t i = 0; i < s.size(); ++i) {
        QCOMPARE(c.timeMs(i), s.timeMs(i));
        QCOMPARE(c.status(i), s.status(i));
        QCOMPARE(c.source(i), s.source(i));
        QCOMPARE(c.method(i), s.method(i));
        QCOMPARE(c.endpointId(i), s.endpointId(i));
        QCOMPARE(c.actorId(i), s.actorId(i));
        QCOMPARE(c.toolId(i), s.toolId(i));
        QCOMPARE(c.providerId(i), s.providerId(i));
        QCOMPARE(c.clientId(i), s.clientId(i));
        QCOMPARE(c.messageId(i), s.messageId(i));
        QCOMPARE(c.errorCode(i), s.errorCode(i));
        QCOMPARE(c.retryAfterMs(i), s.retryAfterMs(i));
        QCOMPARE(c.serverLimit(i), s.serverLimit(i));
        QCOMPARE(c.file(i), s.file(i));
        QCOMPARE(c.line(i), s.line(i));
        QCOMPARE(c.offset(i), s.offset(i));
    }
}

// EventStore::clone (live snapshots): every event reads back the same, ids included, and
// the copy grows on its own.
void TestLoader::cloneIsTheSameStore()
{
    const Loaded a = loadFiles({ fixture(QStringLiteral("gateway_mix.ndjson")),
        fixture(QStringLiteral("samples/mitmproxy_chrome.har")) });
    const EventStore &s = *a.store;
    QVERIFY(s.size() > 30);
    EventStore c = s.clone(s.size() + 10);
    QVERIFY(c.capacity() >= s.size() + 10);
    compareStores(c, s);
    if (QTest::currentTestFailed())
        return;
    // appending to the copy interns new names after the old ones and leaves the original
    EventInput e;
    e.timeMs = 1;
    e.tool = "a_tool_only_the_copy_has";
    c.append(e);
    QCOMPARE(c.size(), s.size() + 1);
    QCOMPARE(c.tool(s.size()), std::string_view("a_tool_only_the_copy_has"));
    QCOMPARE(s.strings().find("a_tool_only_the_copy_has"), UINT32_MAX);
}

// EventStore::share (issue 22: live snapshots share their memory): a share grows on its own
// and what was shared before never changes, whichever share grows, shrinks or is cleared.
void TestLoader::sharesGrowOnTheirOwn_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<bool>("inPlace"); // the grown share still shares the original's memory
    QTest::addRow("the newest share grows in place") << "newest" << true;
    QTest::addRow("a share of a share") << "chain" << true;
    QTest::addRow("an older share grows after a newer one") << "older" << false;
    QTest::addRow("a share drops its last event, then grows") << "pop" << false;
    QTest::addRow("a share cleared, then grown") << "clear" << false;
}

void TestLoader::sharesGrowOnTheirOwn()
{
    QFETCH(QString, how);
    QFETCH(bool, inPlace);
    const Loaded first = loadFiles({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    const Loaded more = loadFiles({ fixture(QStringLiteral("samples/mitmproxy_chrome.har")) });
    QVERIFY(first.store->size() > 10 && more.store->size() > 1);
    EventStore original = first.store->clone(first.store->size() + more.store->size() + 8);
    const EventStore before = original.clone();
    auto grown = [&](const EventStore &from) { // what a share must read after growing
        EventStore expected = from.clone();
        expected.addFile("second");
        expected.appendShard(*more.store, {}, 0, 0);
        return expected;
    };
    auto grow = [&](EventStore &s) {
        s.addFile("second");
        s.appendShard(*more.store, {}, 0, 0);
    };

    EventStore share = original.share();
    QVERIFY(share.sharesWith(original));
    EventStore expected = grown(original);
    if (how == QLatin1String("chain")) {
        EventStore middle = original.share();
        share = middle.share();
    } else if (how == QLatin1String("older")) {
        EventStore newer = original.share();
        EventInput e;
        e.timeMs = 7;
        e.tool = "a_tool_of_the_newer_share";
        e.message = "a message of the newer share";
        newer.append(e);
        grow(share); // the older share: copied first, then grown
        compareStores(share, expected);
        QCOMPARE(newer.size(), original.size() + 1);
        QCOMPARE(newer.tool(original.size()), std::string_view("a_tool_of_the_newer_share"));
        QCOMPARE(newer.message(original.size()), std::string_view("a message of the newer share"));
        QCOMPARE(share.strings().find("a_tool_of_the_newer_share"), UINT32_MAX);
    } else if (how == QLatin1String("pop")) {
        EventStore dropped = original.clone();
        dropped.popBack();
        expected = grown(dropped);
        share.popBack();
    } else if (how == QLatin1String("clear")) {
        share.clear();
        expected = grown(EventStore());
    }
    if (how != QLatin1String("older"))
        grow(share);
    if (QTest::currentTestFailed())
        return;
    compareStores(share, expected);
    QCOMPARE(share.sharesWith(original), inPlace);
    // the original reads as it did, and does not know the names the share added
    compareStores(original, before);
    QCOMPARE(original.strings().size(), before.strings().size());
    for (std::size_t i = 0; i < more.store->size(); ++i) {
        const std::string_view host = more.store->endpoint(i);
        QCOMPARE(original.strings().find(host), before.strings().find(host));
    }
    // and grows on its own too, with the same ids for the same names as a copy of it would
    grow(original);
    compareStores(original, grown(before));
}

// A reader on another thread keeps reading a snapshot (every event, every name looked up)
// while the newest share of it grows past its end and is shared again, as the live feed
// does: the reader sees exactly the snapshot, every time (ASan and UBSan run this too).
void TestLoader::aSnapshotIsReadWhileItsShareGrows()
{
    const Loaded first = loadFiles({ fixture(QStringLiteral("gateway_mix.ndjson")) });
    const Loaded more = loadFiles({ fixture(QStringLiteral("samples/mitmproxy_chrome.har")) });
    auto snapshot = std::make_shared<const EventStore>(first.store->clone());
    const EventStore expected = snapshot->clone();
    std::atomic<bool> done { false };
    std::atomic<int> mismatches { 0 };
    std::thread reader([&] {
        while (!done.load()) {
            for (std::size_t i = 0; i < snapshot->size(); ++i) {
                if (snapshot->timeMs(i) != expected.timeMs(i)
                    || snapshot->tool(i) != expected.tool(i)
                    || snapshot->message(i) != expected.message(i)
                    || snapshot->strings().find(expected.endpoint(i)) != expected.endpointId(i))
                    ++mismatches;
            }
            if (snapshot->strings().find("a name only the shares have") != UINT32_MAX)
                ++mismatches;
        }
    });
    std::shared_ptr<const EventStore> newest = snapshot;
    for (int round = 0; round < 300; ++round) {
        auto next = std::make_shared<EventStore>(newest->share());
        next->appendShard(*more.store, {}, 0, 0);
        EventInput e;
        e.timeMs = round;
        e.tool = "a name only the shares have";
        const std::string message = std::to_string(round); // new every round: the table grows
        e.message = message;
        next->append(e);
        newest = next;
    }
    done = true;
    reader.join();
    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(newest->size(), expected.size() + 300 * (more.store->size() + 1));
    QCOMPARE(newest->message(newest->size() - 1), std::string_view("299"));
}

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
