// Hostile and broken input: the JSONTestSuite parsing cases, each on its own and
// embedded as one line among valid records, and our own nasty inputs. For every one: no crash,
// no hang (ctest TIMEOUT), every valid record kept, every error reported as line + reason,
// and a file that is not a log gets one clear fatal message.
#include "decode/jsonvalue.h"
#include "decode/recorddecoder.h"
#include "decode/timestamp.h"
#include "effectiveuser.h"
#include "export/redactor.h"
#include "export/reportformats.h"
#include "export/summary.h"
#include "testutil.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <simdjson.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

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

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// Blank as a line of NDJSON: whitespace only, after a BOM at its start.
bool blankLine(QByteArray line)
{
    if (line.startsWith("\xEF\xBB\xBF"))
        line.remove(0, 3);
    for (char c : line) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

// Reasons that mean "this is not valid JSON" (jsonvalue.cpp json::reason()).
bool refusedAsJson(const QString &message)
{
    return message.startsWith(QLatin1String("invalid JSON"))
        || message == QLatin1String("nesting too deep");
}

// Streams `total` bytes of `unit` repeated through deflate (gzip wrapper), without holding them.
QByteArray gzipRepeated(const QByteArray &unit, qint64 total)
{
    z_stream zs {};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    QByteArray block;
    while (block.size() < (1 << 20))
        block += unit;
    QByteArray out;
    QByteArray buf(1 << 16, '\0');
    for (qint64 done = 0; done < total;) {
        const qint64 n = std::min<qint64>(block.size(), total - done);
        done += n;
        zs.next_in = reinterpret_cast<Bytef *>(block.data());
        zs.avail_in = uInt(n);
        const int flush = done == total ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = reinterpret_cast<Bytef *>(buf.data());
            zs.avail_out = uInt(buf.size());
            deflate(&zs, flush);
            out.append(buf.constData(), buf.size() - qsizetype(zs.avail_out));
        } while (zs.avail_out == 0);
    }
    deflateEnd(&zs);
    return out;
}

QByteArray nested(int depth, const char *open, const char *close)
{
    return QByteArray(open).repeated(depth) + "1" + QByteArray(close).repeated(depth);
}

// What a generated input needs besides its path.
struct Made
{
    QString path;
    LoadOptions options;
    int fd = -1; // kept open during the load, closed after
    bool asNobody = false; // load as uid 65534: root reads through chmod 000 (CAP_DAC_OVERRIDE)
};

} // namespace

class TestTorture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonTestSuiteDecoder_data() { suiteRows(); }
    void jsonTestSuiteDecoder();
    void jsonTestSuiteEmbedded_data() { suiteRows(); }
    void jsonTestSuiteEmbedded();
    void nastyInputs_data();
    void nastyInputs();
    void fuzzRegressions_data();
    void fuzzRegressions();
    void cleanupTestCase();

private:
    void suiteRows();
    Made make(const QString &input);

    QTemporaryDir m_dir;
    int m_inputs = 0;
};

void TestTorture::initTestCase() { QVERIFY(m_dir.isValid()); }

void TestTorture::suiteRows()
{
    QTest::addColumn<QString>("file");
    QDirIterator it(
        fixture(QStringLiteral("json-test-suite")), { QStringLiteral("*.json") }, QDir::Files);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    QVERIFY2(files.size() >= 300, "tests/fixtures/json-test-suite is missing");
    for (const QString &f : files)
        QTest::addRow("%s", qPrintable(QFileInfo(f).completeBaseName())) << f;
}

// The decoder on the whole case as one document: y_ accepted as JSON (it may be "not a
// record"), n_ refused, i_ either way but never a crash.
void TestTorture::jsonTestSuiteDecoder()
{
    QFETCH(QString, file);
    const QByteArray bytes = readAll(file);
    std::string padded(bytes.constData(), std::size_t(bytes.size()));
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    RecordDecoder decoder;
    int records = 0, entryErrors = 0;
    const auto r = decoder.decode(
        padded.data(), std::size_t(bytes.size()), padded.size(),
        [&](RawRecord &, const char *) { ++records; },
        [&](const char *, std::string_view) { ++entryErrors; });
    const QString name = QFileInfo(file).fileName();
    if (name.startsWith(QLatin1String("y_")))
        QVERIFY2(!r.error,
            qPrintable(name + QStringLiteral(": ") + QLatin1String(json::reason(r.error).data())));
    else if (name.startsWith(QLatin1String("n_")))
        QVERIFY2(r.error, qPrintable(name + QStringLiteral(" was accepted")));
    ++m_inputs;
}

// The case as line 3 of five: the four valid records are kept, every error is on line 3;
// then the case as a file of its own.
void TestTorture::jsonTestSuiteEmbedded()
{
    QFETCH(QString, file);
    const QString name = QFileInfo(file).fileName();
    QByteArray line = readAll(file);
    line.replace('\n', '\r'); // CR is JSON whitespace where LF is, and as invalid inside strings
    const QByteArray content
        = rec(1) + "\n" + rec(2) + "\n" + line + "\n" + rec(4) + "\n" + rec(5) + "\n";
    const QDir dir(m_dir.path());
    const Loaded l = loadFiles({ writeFile(dir, QStringLiteral("embedded.ndjson"), content) });
    const InputReport &r = l.reports.front();
    QVERIFY2(!r.failed(), qPrintable(r.fatal));
    QCOMPARE(r.records, 4);
    QCOMPARE(l.store->line(0), 1u);
    QCOMPARE(l.store->line(1), 2u);
    QCOMPARE(l.store->line(2), 4u);
    QCOMPARE(l.store->line(3), 5u);
    QCOMPARE(r.skipped, std::int64_t(r.errors.size()));
    for (const LocatedError &e : r.errors) {
        QVERIFY2(e.line == 3, qPrintable(QStringLiteral("%1: %2").arg(e.line).arg(e.message)));
        QVERIFY(!e.message.isEmpty());
        if (name.startsWith(QLatin1String("y_")))
            QVERIFY2(!refusedAsJson(e.message), qPrintable(e.message));
    }
    if (name.startsWith(QLatin1String("n_")) && !blankLine(line)) {
        // entries before the syntax error may be reported first ("[1 true]": 1 is no record)
        QVERIFY2(std::any_of(r.errors.begin(), r.errors.end(),
                     [](const LocatedError &e) { return refusedAsJson(e.message); }),
            qPrintable(r.errors.empty() ? QStringLiteral("an invalid line was not reported")
                                        : r.errors.front().message));
    }

    // On its own: nothing in the suite has a time, so no record; never a crash.
    const Loaded alone = loadFiles({ file });
    const InputReport &a = alone.reports.front();
    QCOMPARE(a.records, 0);
    if (name.startsWith(QLatin1String("y_")))
        QVERIFY2(!refusedAsJson(a.errors.empty() ? QString() : a.errors.front().message),
            qPrintable(a.fatal));
    if (name.startsWith(QLatin1String("n_")) && !blankLine(readAll(file)))
        QVERIFY2(a.failed() || a.skipped > 0, "an invalid file was accepted");
    m_inputs += 2;
}

// ---- our own nasty inputs ---------------------------------------------------------------------
//
// input: "torture/NAME" (committed, tests/fixtures/torture/, small) or "@NAME" (made by make()).
// errors: "LINE: text" each, in order; the message must contain text ("*" matches any line).
// probe: ";"-separated "field=v1|v2|..." over the stored events in order (status, retryAfterMs,
// time), "rejections=N" (events with a rejection source) or "format=NAME".
void TestTorture::nastyInputs_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("skipped"); // -1: as many as errors
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<QString>("fatal"); // "" : must be read
    QTest::addColumn<QString>("probe");
    using L = QStringList;

    // containers and file-system oddities
    QTest::addRow("empty file") << "torture/empty.ndjson" << 0 << -1 << L {} << ""
                                << "";
    QTest::addRow("blank lines only") << "torture/blank-lines.ndjson" << 0 << -1 << L {} << ""
                                      << "";
    QTest::addRow("a BOM and nothing else") << "torture/bom-only.ndjson" << 0 << -1 << L {} << ""
                                            << "";
    QTest::addRow("directory given as input") << "@directory" << 0 << -1 << L {} << "is a directory"
                                              << "";
    QTest::addRow("missing file") << "@missing" << 0 << -1 << L {} << "No such file"
                                  << "";
    // as root (CI), loaded as uid 65534: never skipped
    QTest::addRow("unreadable file (chmod 000)")
        << "@unreadable" << 0 << -1 << L {} << "Permission denied"
        << "";
    QTest::addRow("a path through a regular file (ENOTDIR)")
        << "@through-a-file" << 0 << -1 << L {} << "Not a directory"
        << "";
    QTest::addRow("symlink loop") << "@symlink-loop" << 0 << -1 << L {} << "symbolic links"
                                  << "";
    QTest::addRow("/dev/zero: endless NUL bytes") << "@dev-zero" << 0 << -1 << L {} << "binary"
                                                  << "";
    QTest::addRow("file deleted before loading, still open (/proc/self/fd)")
        << "@deleted-open-fd" << 1000 << -1 << L {} << ""
        << "";
    QTest::addRow("file deleted while reading")
        << "@deleted-while-reading" << 20000 << -1 << L {} << ""
        << "";
    QTest::addRow("file truncated while reading, at a line end")
        << "@truncated-while-reading" << 10000 << -1 << L {} << ""
        << "";
    QTest::addRow("binary file") << "torture/binary.bin" << 0 << -1 << L {} << "binary"
                                 << "";
    QTest::addRow("NUL bytes only") << "torture/nul-bytes-only.bin" << 0 << -1 << L {} << "binary"
                                    << "";
    QTest::addRow("prose") << "torture/prose.txt" << 0 << -1 << L {} << "not a log"
                           << "";
    // framing
    QTest::addRow("NUL bytes in one line")
        << "torture/nul-bytes-in-a-line.ndjson" << 3 << -1 << L { "3: invalid JSON" } << ""
        << "";
    QTest::addRow("last line cut short, no newline")
        << "torture/last-line-cut-short.ndjson" << 3 << -1 << L { "4: invalid JSON" } << ""
        << "";
    QTest::addRow("LF, CRLF and blank CRLF lines mixed")
        << "torture/mixed-line-ends.ndjson" << 4 << -1 << L {} << ""
        << "";
    QTest::addRow("CR-only line ends (classic Mac): one line, not a log")
        << "torture/cr-only-line-ends.ndjson" << 0 << -1 << L {} << "not a log"
        << "";
    QTest::addRow("two objects on one line")
        << "torture/two-objects-on-one-line.ndjson" << 1 << -1
        << L { "1: invalid JSON: trailing", "3: invalid JSON: trailing" } << ""
        << "";
    QTest::addRow("lines that are not records")
        << "torture/lines-that-are-not-records.ndjson" << 2 << -1
        << L { "2: not a record (a JSON string", "3: not a record (a JSON number",
               "4: not a record (JSON null", "5: not a record (a JSON boolean",
               "6: entry is not a JSON object", "6: entry is not a JSON object", "8: no time",
               "9: no time" }
        << ""
        << "";
    QTest::addRow("BOM at the start of a middle line and between tokens")
        << "torture/bom-in-the-middle.ndjson" << 3 << -1 << L { "3: invalid JSON" } << ""
        << "";
    QTest::addRow("1 MiB tool, provider, client, message and URL at once")
        << "@1mib-fields" << 1 << -1 << L {} << ""
        << "";
    QTest::addRow("20 MB record on one line") << "@20mb-record-line" << 3 << -1 << L {} << ""
                                              << "";
    QTest::addRow("20 MB of garbage on one line")
        << "@20mb-garbage-line" << 2 << -1 << L { "2: invalid JSON" } << ""
        << "";
    QTest::addRow("20 MB JSON array on one line")
        << "@20mb-array-line" << 200000 << -1 << L {} << ""
        << "format=json";
    QTest::addRow("10,000 broken lines and one record")
        << "@many-errors" << 1 << 10000 << L { "1: invalid JSON", "2: invalid JSON" } << ""
        << "";
    // JSON itself
    QTest::addRow("invalid UTF-8 in strings and outside")
        << "torture/invalid-utf8.ndjson" << 4 << -1 << L { "4: invalid JSON" } << ""
        << "";
    QTest::addRow("lone surrogate escapes")
        << "torture/lone-surrogates.ndjson" << 7 << -1 << L { "7: invalid JSON: bad string" } << ""
        << "";
    QTest::addRow("nesting 200 kept, 300 refused")
        << "torture/nesting-200-and-300.ndjson" << 3 << -1 << L { "2: nesting too deep" } << ""
        << "";
    QTest::addRow("100,000-deep nesting as a line")
        << "@deep-line" << 2 << -1 << L { "2: nesting too deep" } << ""
        << "";
    QTest::addRow("100,000-deep nesting in a HAR entry")
        << "@deep-har" << 2 << -1 << L { "3: nesting too deep" } << ""
        << "format=har";
    QTest::addRow("100,000-deep nesting in a JSON array document")
        << "@deep-array" << 2 << -1 << L { "3: nesting too deep" } << ""
        << "format=json";
    QTest::addRow("numbers: 1e400, -0, 1e-400, huge integers")
        << "torture/numbers.ndjson" << 4 << -1
        << L { "1: out-of-range number", "6: unusable time", "7: unusable time" } << ""
        << "status=0|200|429|200;time=1970-01-01T00:00:00.000Z|2026-01-05T10:00:03.000Z|2026-01-"
           "05T10:00:04.000Z|1970-01-01T00:00:00.000Z";
    QTest::addRow("duplicate keys") << "torture/duplicate-keys.ndjson" << 1 << -1 << L {} << ""
                                    << "time=2026-01-05T10:00:00.000Z;status=429";
    QTest::addRow("10,000 keys in one record") << "@many-keys" << 1 << -1 << L {} << ""
                                               << "";
    QTest::addRow("a JSON array of a million records")
        << "@million-array" << 1000000 << -1 << L {} << ""
        << "format=json";
    // fields
    QTest::addRow("far-future, pre-1970 and leap-second timestamps")
        << "torture/timestamps.ndjson" << 9 << -1
        << L { "8: unusable time", "9: unusable time", "10: unusable time", "12: no time" } << ""
        << "time=9999-12-31T23:59:59.999Z|3000-01-01T00:00:00.000Z|1969-07-20T20:17:40.000Z|0001-"
           "01-01T00:00:00.000Z|"
           "1969-12-31T23:59:59.000Z|2016-12-31T23:59:59.999Z|2016-12-31T23:59:59.999Z|2026-01-"
           "05T10:42:07.123Z|"
           "2026-01-05T10:00:13.000Z";
    QTest::addRow("status as string, float, bool, array, object, out of range")
        << "torture/status-types.ndjson" << 14 << -1 << L {} << ""
        << "status=429|429|429|429|429|-1|-1|-1|-1|-1|-1|-1|-1|0;rejections=5";
    QTest::addRow("headers as list, object, pairs, rawHeaders and odd shapes")
        << "torture/headers-as-list-and-object.ndjson" << 12 << -1 << L {} << ""
        << "retryAfterMs=1000|2000|3000|4000|5000|6000|-1|-1|-1|8000|-1|-1";
    QTest::addRow("repeated and mixed-case headers")
        << "torture/repeated-mixed-case-headers.ndjson" << 5 << -1 << L {} << ""
        << "retryAfterMs=9000|-1|-1|-1|3000;rejections=4";
    QTest::addRow("Retry-After as HTTP-date, negative, huge, fractional, garbage")
        << "torture/retry-after-values.ndjson" << 13 << -1 << L {} << ""
        << "retryAfterMs=30000|-1|2147483647|1500|-1|-1|-1|-1|0|0|0|-1|2147483647";
    // documents
    QTest::addRow("HAR with broken entries")
        << "torture/har-with-broken-entries.har" << 3 << -1
        << L { "4: entry is not a JSON object", "5: HAR entry without startedDateTime",
               "8: nesting too deep" }
        << ""
        << "format=har;status=200|429|200";
    QTest::addRow("HAR with invalid UTF-8 in a body")
        << "torture/har-with-invalid-utf8.har" << 3 << -1
        << L { "4: entry is not a JSON object", "5: HAR entry without startedDateTime",
               "8: nesting too deep" }
        << ""
        << "format=har;status=200|429|200";
    QTest::addRow("HAR whose log is not an object")
        << "torture/har-log-not-an-object.har" << 0 << -1 << L {} << "not a log"
        << "";
    QTest::addRow("JSON array with odd entries")
        << "torture/array-with-odd-entries.json" << 2 << -1
        << L { "3: entry is not a JSON object", "4: entry is not a JSON object",
               "5: entry is not a JSON object", "7: entry is not a JSON object", "8: no time" }
        << ""
        << "format=json";
    QTest::addRow("PyGithub replay cut mid-exchange")
        << "torture/pygithub-cut-mid-exchange.txt" << 1 << -1
        << L { "12: incomplete PyGithub exchange" } << ""
        << "format=pygithub";
    // recorders: YAML cassettes and httprr traces
    QTest::addRow("YAML billion laughs: aliases never expanded")
        << "torture/yaml-billion-laughs.yaml" << 1 << -1
        << L { "24: no time", "32: not a cassette interaction" } << ""
        << "format=vcr-yaml";
    QTest::addRow("YAML: 100,000 [ after an interaction")
        << "torture/yaml-deep-nesting.yaml" << 1 << -1
        << L { "14: YAML: nesting deeper than 2,000 levels" } << ""
        << "format=vcr-yaml";
    QTest::addRow("YAML: Ruby, Python and made-up tags, an undeclared handle")
        << "torture/yaml-unknown-tags.yaml" << 2 << 0 << L {} << ""
        << "format=vcr-yaml";
    QTest::addRow("YAML that is not a cassette")
        << "torture/not-a-cassette.yaml" << 0 << -1 << L {} << "not a cassette"
        << "";
    QTest::addRow("httprr trace cut mid-exchange")
        << "torture/httprr-truncated.httprr" << 1 << -1
        << L { "16: truncated httprr trace: the exchange declares 68 + 159 bytes, 197 remain" }
        << ""
        << "format=httprr";
    QTest::addRow("httprr length prefix past the end")
        << "torture/httprr-length-past-eof.httprr" << 1 << -1
        << L { "16: truncated httprr trace: the exchange declares 99999999999999 + 5" } << ""
        << "format=httprr";
    // gzip
    QTest::addRow("gzip of nothing") << "torture/gzip-of-nothing.ndjson.gz" << 0 << -1 << L {} << ""
                                     << "";
    QTest::addRow("gzip cut in half") << "torture/gzip-cut-in-half.ndjson.gz" << 180 << 1
                                      << L { "181: invalid JSON", "181: truncated gzip" } << ""
                                      << "";
    QTest::addRow("gzip followed by garbage")
        << "torture/gzip-then-garbage.ndjson.gz" << 50 << 0 << L { "51: corrupt gzip data" } << ""
        << "";
    QTest::addRow("plain text named .gz")
        << "torture/not-really-gzip.ndjson.gz" << 2 << -1 << L {} << ""
        << "";
    QTest::addRow("gzip bomb (128 MiB from 128 KiB, cap 4 MiB)")
        << "@gzip-bomb" << 65536 << 0 << L { "65537: possible gzip bomb" } << ""
        << "";
}

Made TestTorture::make(const QString &input)
{
    const QDir dir(m_dir.path());
    Made m;
    if (input.startsWith(QLatin1String("torture/"))) {
        m.path = fixture(input);
        return m;
    }
    auto lines = [](int from, int n) {
        QByteArray out;
        for (int i = from; i < from + n; ++i)
            out += rec(i) + "\n";
        return out;
    };
    const QString name = input.mid(1);
    if (name == QLatin1String("directory")) {
        dir.mkpath(QStringLiteral("a-directory"));
        m.path = dir.filePath(QStringLiteral("a-directory"));
    } else if (name == QLatin1String("missing")) {
        m.path = dir.filePath(QStringLiteral("never-written.ndjson"));
    } else if (name == QLatin1String("unreadable")) {
        m.path = writeFile(dir, QStringLiteral("unreadable.ndjson"), lines(0, 3));
        QFile::setPermissions(m.path, {});
        m.asNobody = ::geteuid() == 0;
        // others may pass through the directory: the file's own mode is what denies
        QFile::setPermissions(dir.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
                | QFile::ExeOther);
    } else if (name == QLatin1String("through-a-file")) {
        m.path = writeFile(dir, QStringLiteral("plain.ndjson"), lines(0, 3))
            + QStringLiteral("/inner.ndjson");
    } else if (name == QLatin1String("symlink-loop")) {
        m.path = dir.filePath(QStringLiteral("loop-a"));
        QFile::remove(m.path);
        QFile::remove(dir.filePath(QStringLiteral("loop-b")));
        QFile::link(dir.filePath(QStringLiteral("loop-b")), m.path);
        QFile::link(m.path, dir.filePath(QStringLiteral("loop-b")));
    } else if (name == QLatin1String("dev-zero")) {
        m.path = QStringLiteral("/dev/zero");
    } else if (name == QLatin1String("deleted-open-fd")) {
        // Linux: an unlinked file lives on while a descriptor holds it, and /proc/self/fd/N
        // reopens it. Expected: read to its end like any file.
        const QString path = writeFile(dir, QStringLiteral("deleted.ndjson"), lines(0, 1000));
        m.fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
        QFile::remove(path);
        m.path = QStringLiteral("/proc/self/fd/%1").arg(m.fd);
    } else if (name == QLatin1String("deleted-while-reading")) {
        // The name goes away after the first chunk; the open descriptor reads on to the end.
        m.path = writeFile(dir, QStringLiteral("deleted-while-reading.ndjson"), lines(0, 20000));
        m.options.chunkBytes = 4096;
        m.options.progress = [path = m.path](std::uint64_t, std::uint64_t) { QFile::remove(path); };
    } else if (name == QLatin1String("truncated-while-reading")) {
        // Cut to its first 10,000 lines after the first chunk: those are read, nothing more.
        const QByteArray content = lines(0, 20000);
        m.path = writeFile(dir, QStringLiteral("truncated-while-reading.ndjson"), content);
        qsizetype cut = 0;
        for (int i = 0; i < 10000; ++i)
            cut = content.indexOf('\n', cut) + 1;
        m.options.chunkBytes = 4096;
        m.options.progress
            = [path = m.path, cut, done = false](std::uint64_t, std::uint64_t) mutable {
                  if (!std::exchange(done, true)
                      && ::truncate(QFile::encodeName(path).constData(), off_t(cut)) != 0)
                      qFatal("truncate failed");
              };
    } else if (name == QLatin1String("1mib-fields")) { // each field 1 MiB
        const int n = 1 << 20;
        const QByteArray line = rec(0,
            ",\"provider\":\"" + QByteArray("ab-").repeated(n / 3) + "\",\"client\":\""
                + QByteArray("said: ").repeated(n / 6) + "\",\"url\":\"https://h.example/"
                + QByteArray("p?a=").repeated(n / 4) + "\",\"body\":{\"message\":\""
                + QByteArray("x=y ").repeated(n / 4) + "\"}");
        m.path = writeFile(dir, QStringLiteral("1mib-fields.ndjson"),
            QByteArray(line).replace("gmail_fetch_mails", QByteArray(n, 'a')) + "\n");
    } else if (name == QLatin1String("20mb-record-line")) {
        const QByteArray big = rec(2, ",\"message\":\"") + QByteArray(20 << 20, 'm') + "\"}";
        m.path = writeFile(
            dir, QStringLiteral("20mb-record.ndjson"), rec(1) + "\n" + big + "\n" + rec(3) + "\n");
    } else if (name == QLatin1String("20mb-garbage-line")) {
        m.path = writeFile(dir, QStringLiteral("20mb-garbage.ndjson"),
            rec(1) + "\n" + QByteArray(20 << 20, 'x') + "\n" + rec(3) + "\n");
    } else if (name == QLatin1String("20mb-array-line")) {
        QByteArray a = "[";
        for (int i = 0; i < 200000; ++i)
            a += (i ? "," : "") + rec(i, ",\"message\":\"padding to reach twenty megabytes\"");
        a += "]";
        if (a.size() <= (20 << 20))
            qFatal("the array line is shorter than 20 MB");
        m.path = writeFile(dir, QStringLiteral("20mb-array.json"), a);
    } else if (name == QLatin1String("many-errors")) {
        m.path = writeFile(dir, QStringLiteral("many-errors.ndjson"),
            QByteArray("{not json\n").repeated(10000) + rec(1) + "\n");
    } else if (name == QLatin1String("deep-line")) {
        m.path = writeFile(dir, QStringLiteral("deep.ndjson"),
            rec(1) + "\n" + rec(2, ",\"body\":").chopped(1) + nested(100000, "{\"a\":", "}") + "}\n"
                + rec(3) + "\n");
    } else if (name == QLatin1String("deep-har")) {
        const QByteArray entry
            = R"({"startedDateTime":"2026-01-05T10:00:0%1Z","request":{"method":"GET","url":"https://x/y"},"response":{"status":200}})";
        m.path = writeFile(dir, QStringLiteral("deep.har"),
            "{\"log\":{\"entries\":[\n" + QByteArray(entry).replace("%1", "1") + ",\n"
                + R"({"startedDateTime":"2026-01-05T10:00:02Z","response":{"content":)"
                + nested(100000, "[", "]") + "}},\n" + QByteArray(entry).replace("%1", "3")
                + "\n]}}\n");
    } else if (name == QLatin1String("deep-array")) {
        m.path = writeFile(dir, QStringLiteral("deep-array.json"),
            "[\n" + rec(1) + ",\n" + nested(100000, "[", "]") + ",\n" + rec(3) + "\n]\n");
    } else if (name == QLatin1String("many-keys")) {
        QByteArray r = rec(1).chopped(1);
        for (int i = 0; i < 10000; ++i)
            r += ",\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i);
        m.path = writeFile(dir, QStringLiteral("many-keys.ndjson"), r + "}\n");
    } else if (name == QLatin1String("million-array")) {
        QByteArray a;
        a.reserve(60 << 20);
        a += "[\n";
        for (int i = 0; i < 1000000; ++i) {
            a += "{\"ts\":" + QByteArray::number(1767600000000LL + i * 37)
                + ",\"status\":" + (i % 50 ? "200" : "429") + "}";
            a += i + 1 < 1000000 ? ",\n" : "\n";
        }
        a += "]\n";
        m.path = writeFile(dir, QStringLiteral("million.json"), a);
    } else if (name == QLatin1String("gzip-bomb")) {
        // 64-byte lines, reads of 64 KiB: the cap falls on a line end, so exactly 4 MiB of
        // whole lines are kept before the read that would pass it is refused.
        QByteArray unit = R"({"timestamp":"2026-01-05T10:00:00Z","status":429,"tool":"x"})";
        unit = unit.leftJustified(63, ' ') + "\n";
        const QByteArray gz = gzipRepeated(unit, qint64(128) << 20);
        if (unit.size() != 64 || gz.size() > (1 << 20))
            qFatal("the gzip bomb is not what it should be: %d-byte lines, %d bytes",
                int(unit.size()), int(gz.size()));
        m.path = writeFile(dir, QStringLiteral("bomb.ndjson.gz"), gz);
        m.options.maxInflated = 4u << 20;
        m.options.chunkBytes = 1u << 16;
    } else {
        qFatal("unknown generated input %s", qPrintable(input));
    }
    return m;
}

void TestTorture::nastyInputs()
{
    QFETCH(QString, input);
    QFETCH(int, records);
    QFETCH(int, skipped);
    QFETCH(QStringList, errors);
    QFETCH(QString, fatal);
    QFETCH(QString, probe);

    Made m = make(input);
    std::optional<EffectiveUser> nobody;
    if (m.asNobody) {
        nobody.emplace(65534);
        QVERIFY2(nobody->ok(), "running as root: cannot become uid 65534 to test chmod 000");
    }
    QElapsedTimer timer;
    timer.start();
    Loaded l = loadFiles({ m.path }, m.options);
    nobody.reset();
    if (m.fd >= 0)
        ::close(m.fd);
    ++m_inputs;
    const InputReport &r = l.reports.front();

    if (fatal.isEmpty()) {
        QVERIFY2(!r.failed(), qPrintable(r.fatal));
    } else {
        // one clear message, nothing kept
        QVERIFY2(r.fatal.contains(fatal), qPrintable(r.fatal));
        QCOMPARE(l.store->size(), std::size_t(0));
        return;
    }
    QCOMPARE(r.records, std::int64_t(records));
    QCOMPARE(std::int64_t(l.store->size()), r.records);
    QCOMPARE(r.skipped, std::int64_t(skipped < 0 ? errors.size() : skipped));
    if (r.skipped > InputReport::kMaxErrors)
        QCOMPARE(r.errors.size(), std::size_t(InputReport::kMaxErrors)); // the first 100 are listed
    for (qsizetype i = 0; i < errors.size(); ++i) {
        QVERIFY2(std::size_t(i) < r.errors.size(),
            qPrintable(QStringLiteral("missing error ") + errors[i]));
        const qsizetype colon = errors[i].indexOf(QLatin1String(": "));
        const QString line = errors[i].left(colon);
        const QString text = errors[i].mid(colon + 2);
        const LocatedError &e = r.errors[std::size_t(i)];
        const QString got = QStringLiteral("%1: %2").arg(e.line).arg(e.message);
        if (line != QLatin1String("*"))
            QVERIFY2(e.line == line.toULongLong(),
                qPrintable(got + QStringLiteral("  (expected ") + errors[i] + ')'));
        QVERIFY2(e.message.contains(text),
            qPrintable(got + QStringLiteral("  (expected ") + errors[i] + ')'));
    }
    if (skipped != 10000)
        QVERIFY2(r.errors.size() == std::size_t(errors.size()),
            qPrintable(QStringLiteral("%1 errors, first unexpected: %2: %3")
                           .arg(r.errors.size())
                           .arg(r.errors.size() > std::size_t(errors.size())
                                   ? r.errors[std::size_t(errors.size())].line
                                   : 0)
                           .arg(r.errors.size() > std::size_t(errors.size())
                                   ? r.errors[std::size_t(errors.size())].message
                                   : QString())));

    for (const QString &p : probe.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString field = p.section(QLatin1Char('='), 0, 0);
        const QString want = p.section(QLatin1Char('='), 1);
        if (field == QLatin1String("format")) {
            QCOMPARE(r.format, want);
            continue;
        }
        if (field == QLatin1String("rejections")) {
            int n = 0;
            for (std::size_t i = 0; i < l.store->size(); ++i)
                n += l.store->source(i) != RejectionSource::None;
            QCOMPARE(n, want.toInt());
            continue;
        }
        QStringList got;
        for (std::size_t i = 0; i < l.store->size(); ++i) {
            if (field == QLatin1String("status"))
                got << QString::number(l.store->status(i));
            else if (field == QLatin1String("retryAfterMs"))
                got << QString::number(l.store->retryAfterMs(i));
            else if (field == QLatin1String("time"))
                got << QString::fromStdString(formatUtcMs(l.store->timeMs(i)));
            else
                QFAIL(qPrintable(QStringLiteral("unknown probe ") + field));
        }
        QCOMPARE(got.join(QLatin1Char('|')), want);
    }

    // The whole pipeline after the loader: the summary in every format, valid JSON included
    // (no NaN or infinity leaking from a header), with the same counts.
    std::vector<InputReport> reports = std::move(l.reports);
    Summary s = buildSummary(*l.store, std::move(reports), std::nullopt, 5);
    addFindings(s, *l.store, kDefaultHeadroomPercent);
    s = redactSummary(std::move(s), Redactor::builtIn());
    QCOMPARE(s.requests, std::int64_t(records));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(summaryToJson(s), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString()));
    QCOMPARE(doc[QLatin1String("requests")].toInteger(), qint64(records));
    QVERIFY(!summaryToCsv(s).isEmpty());
    QVERIFY(!summaryToMarkdown(s, RuleSet::builtIn()).isEmpty());
    if (input == QLatin1String("@1mib-fields")) // was quadratic once; a generous bound
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
}

// Inputs that once crashed a fuzz harness (tests/fuzz/): each is loaded as a file and decoded
// as one line; none may crash, and whatever is kept or refused is reported.
void TestTorture::fuzzRegressions_data()
{
    QTest::addColumn<QString>("file");
    QDirIterator it(fixture(QStringLiteral("fuzz-regressions")), QDir::Files);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString &f : files) {
        if (!f.endsWith(QLatin1String(".md")))
            QTest::addRow("%s", qPrintable(QFileInfo(f).fileName())) << f;
    }
    if (files.isEmpty())
        QTest::addRow("none yet") << QString();
}

void TestTorture::fuzzRegressions()
{
    QFETCH(QString, file);
    if (file.isEmpty())
        QSKIP("no fuzz regression fixture (no harness has found a crash)");
    const QByteArray bytes = readAll(file);
    LoadOptions o;
    o.threads = 2;
    o.chunkBytes = 4096;
    o.maxInflated = 1u << 20; // as fuzz_loader_framing loads it
    const Loaded l = loadFiles({ file }, o);
    const InputReport &r = l.reports.front();
    QCOMPARE(std::int64_t(l.store->size()), r.failed() ? 0 : r.records);
    for (const LocatedError &e : r.errors)
        QVERIFY(!e.message.isEmpty());
    // fuzz_loader_framing's property: cutting the file into chunks changes nothing
    o.threads = 1;
    o.chunkBytes = 1u << 20;
    const InputReport whole = loadFiles({ file }, o).reports.front();
    QCOMPARE(r.records, whole.records);
    QCOMPARE(r.skipped, whole.skipped);
    QCOMPARE(r.duplicates, whole.duplicates);
    QCOMPARE(r.fatal, whole.fatal);
    QCOMPARE(r.errors.size(), whole.errors.size());
    for (std::size_t i = 0; i < r.errors.size(); ++i) {
        QCOMPARE(r.errors[i].line, whole.errors[i].line);
        QCOMPARE(r.errors[i].message, whole.errors[i].message);
    }
    std::string padded(bytes.constData(), std::size_t(bytes.size()));
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    RecordDecoder decoder;
    decoder.decode(
        padded.data(), std::size_t(bytes.size()), padded.size(), [](RawRecord &, const char *) {},
        [](const char *, std::string_view) {});
    (void)parseTimestamp(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    ++m_inputs;
}

void TestTorture::cleanupTestCase() { qInfo("inputs tried: %d", m_inputs); }

QTEST_GUILESS_MAIN(TestTorture)
#include "tst_torture.moc"
