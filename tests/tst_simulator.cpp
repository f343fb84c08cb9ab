// TestSimulator: the traffic simulator is deterministic, writes valid records of the shapes
// formats.md describes, and follows its own model (sim/simulator.h).
#include "cli/commands.h"
#include "decode/timestamp.h"
#include "sim/simulationwriter.h"
#include "sim/simulator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using json = nlohmann::json;

namespace {

struct Generated
{
    std::string text; // NDJSON
    std::vector<SimMinuteStats> minutes;
};

Generated generate(const SimulatorOptions &opts)
{
    Generated g;
    TrafficSimulator sim(opts);
    sim.setMinuteObserver([&g](const SimMinuteStats &s) { g.minutes.push_back(s); });
    SimRecord rec;
    while (sim.next(rec)) {
        g.text.append(rec.line.data(), rec.line.size());
        g.text.push_back('\n');
    }
    return g;
}

std::vector<std::string> splitLines(const std::string &text)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

SimulatorOptions options(std::uint64_t seed, std::int64_t minutes, int rpm, int limit)
{
    SimulatorOptions o;
    o.seed = seed;
    o.minutes = minutes;
    o.meanRpm = rpm;
    o.limitRpm = limit;
    return o;
}

std::int64_t timeOf(const json &r)
{
    return parseTimestamp(r.at("timestamp").get<std::string>()).value().ms;
}

bool isScalekit(const json &r)
{
    return r.at("url").get<std::string>().find(".scalekit.dev/api/v1/execute_tool")
        != std::string::npos;
}

// The ErrorInfo of a Scalekit error body, or null.
const json *errorInfo(const json &r)
{
    const json &body = r.at("body");
    if (!body.is_object() || !body.contains("details") || !body["details"].is_array()
        || body["details"].empty())
        return nullptr;
    return &body["details"][0];
}

std::string errorCode(const json &r)
{
    const json *info = errorInfo(r);
    return info ? info->value("error_code", std::string()) : std::string();
}

std::string clientOf(const json &r)
{
    if (r.contains("client"))
        return r["client"].get<std::string>();
    const std::string conn = r.at("connection_name").get<std::string>();
    return conn.substr(0, conn.find('-'));
}

std::string gunzip(const QByteArray &gz)
{
    z_stream zs {};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return {};
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gz.constData()));
    zs.avail_in = uInt(gz.size());
    std::string out;
    char buf[65536];
    int rc;
    do {
        zs.next_out = reinterpret_cast<Bytef *>(buf);
        zs.avail_out = sizeof(buf);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof(buf) - zs.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministic_data();
    void deterministic();
    void recordBoundIsAPrefix();
    void everyLineIsAValidRecord();
    void rateLimitedFollowsDemand_data();
    void rateLimitedFollowsDemand();
    void averageLineLength_data();
    void averageLineLength();
    void retryBehaviours();
    void gzipIsReproducible();
    void writesPipesInPlace();
    void startTime_data();
    void startTime();
    void commandLine_data();
    void commandLine();
    void catalogShapesTheRecords();
    void openaiTokensBindUnderTheRequestLimit();
    void openaiLeavesTheOtherRecordsAlone();
    void openaiCommandLine_data();
    void openaiCommandLine();
    void brokenCatalogIsRefused_data();
    void brokenCatalogIsRefused();
};

void TestSimulator::deterministic_data()
{
    QTest::addColumn<int>("rpm");
    QTest::addColumn<int>("limit");
    QTest::addColumn<qint64>("minutes");
    QTest::addRow("default traffic, 90 minutes") << 360 << 600 << qint64(90);
    QTest::addRow("demand over the limit") << 700 << 600 << qint64(30);
    QTest::addRow("tiny limit") << 40 << 25 << qint64(60);
}

void TestSimulator::deterministic()
{
    QFETCH(int, rpm);
    QFETCH(int, limit);
    QFETCH(qint64, minutes);
    const Generated a = generate(options(7, minutes, rpm, limit));
    const Generated b = generate(options(7, minutes, rpm, limit));
    const Generated c = generate(options(8, minutes, rpm, limit));
    QVERIFY(!a.text.empty());
    QVERIFY(a.text == b.text); // same seed: same bytes
    QVERIFY(a.text != c.text); // another seed: other traffic
    QCOMPARE(a.minutes.size(), std::size_t(minutes));
}

void TestSimulator::recordBoundIsAPrefix()
{
    SimulatorOptions o = options(3, 20, 360, 600);
    const Generated whole = generate(o);
    o.minutes = 0;
    o.records = 2500;
    const Generated part = generate(o);
    QCOMPARE(std::size_t(std::count(part.text.begin(), part.text.end(), '\n')), std::size_t(2500));
    QCOMPARE(whole.text.compare(0, part.text.size(), part.text), 0);
    QVERIFY(!part.minutes.empty());
    QVERIFY(!part.minutes.back().complete);
}

void TestSimulator::everyLineIsAValidRecord()
{
    // Four hours: every incident kind has happened (the first starts by minute 35, the next
    // ones follow within 5 + 50 minutes of each other's end).
    const Generated g = generate(options(11, 240, 120, 180));
    const std::vector<std::string> lines = splitLines(g.text);
    QVERIFY(lines.size() > 10000);
    const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    std::set<std::string> ids;
    std::map<std::string, int> kinds;
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string where = "line " + std::to_string(i + 1) + ": " + lines[i];
        json r;
        try {
            r = json::parse(lines[i]);
        } catch (const json::exception &e) {
            QFAIL(qPrintable(QString::fromStdString(where + " " + e.what())));
        }
        QVERIFY2(r.is_object(), where.c_str());
        QVERIFY2(r.contains("id") && r["id"].is_string(), where.c_str());
        QVERIFY2(ids.insert(r["id"].get<std::string>()).second, ("duplicate id, " + where).c_str());
        QVERIFY2(r.contains("timestamp") && r["timestamp"].is_string()
                && std::regex_match(r["timestamp"].get<std::string>(), rfc3339),
            where.c_str());
        const std::int64_t t = timeOf(r);
        QVERIFY2(t >= previous, ("out of time order, " + where).c_str());
        previous = t;
        QVERIFY2(r.contains("status") && r["status"].is_number_integer(), where.c_str());
        QVERIFY2(r.contains("headers") && r["headers"].is_object(), where.c_str());
        QVERIFY2(r.contains("body") && r["body"].is_object(), where.c_str());
        QVERIFY2(r.contains("duration_ms") && r["duration_ms"].is_number()
                && r["duration_ms"].get<double>() >= 0,
            where.c_str());
        QVERIFY2(r.contains("method") && r.contains("url"), where.c_str());
        const int status = r["status"].get<int>();
        const json &headers = r["headers"];
        const json &body = r["body"];

        if (isScalekit(r)) {
            QVERIFY2(r["method"] == "POST", where.c_str());
            const std::string tool = r.at("tool_name").get<std::string>();
            const std::string provider = r.at("provider").get<std::string>();
            const std::string conn = r.at("connection_name").get<std::string>();
            QVERIFY2(tool.rfind(provider + "_", 0) == 0, where.c_str());
            QVERIFY2(conn.size() > provider.size()
                    && conn.compare(conn.size() - provider.size(), provider.size(), provider) == 0,
                where.c_str());
            if (status == 200) {
                QVERIFY2(body.at("execution_id").is_string() && body.at("data").is_object(),
                    where.c_str());
                ++kinds["200"];
            } else if (status == 429) {
                QVERIFY2(body.at("code") == 8, where.c_str());
                const json &info = body.at("details").at(0);
                QCOMPARE(info.at("@type").get<std::string>(),
                    std::string("type.googleapis.com/scalekit.v1.errdetails.ErrorInfo"));
                const std::string code = info.at("error_code").get<std::string>();
                if (code == "RATE_LIMITED") {
                    QVERIFY2(body.at("message") == "rate limit exceeded", where.c_str());
                    const int ra = std::stoi(headers.at("Retry-After").get<std::string>());
                    QVERIFY2(ra >= 1 && ra <= 60, where.c_str());
                    ++kinds["RATE_LIMITED"];
                } else {
                    QVERIFY2(code == "TOOL_ERROR", where.c_str());
                    const json &tei = info.at("tool_error_info");
                    QVERIFY2(tei.at("tool_error_code") == "429", where.c_str());
                    QVERIFY2(tei.at("execution_id").is_string(), where.c_str());
                    QVERIFY2(
                        !tei.at("tool_error_message").get<std::string>().empty(), where.c_str());
                    ++kinds["TOOL_ERROR 429"];
                }
            } else if (status == 502) {
                QVERIFY2(errorCode(r) == "TOOL_ERROR", where.c_str());
                const std::string msg = errorInfo(r)
                                            ->at("tool_error_info")
                                            .at("tool_error_message")
                                            .get<std::string>();
                QVERIFY2(
                    msg.find("rate") == std::string::npos && msg.find("429") == std::string::npos,
                    where.c_str()); // a tool failure, nothing that reads as a limit
                ++kinds["TOOL_ERROR 502"];
            } else {
                QVERIFY2(status == 500, where.c_str());
                ++kinds["500"];
            }
        } else {
            const std::string url = r["url"].get<std::string>();
            QVERIFY2(url.rfind("https://api.skytells.ai/v1/predictions", 0) == 0, where.c_str());
            QVERIFY2(r.at("client").is_string(), where.c_str());
            QVERIFY2(r["method"] == (url.size() > 38 ? "GET" : "POST"), where.c_str());
            if (status == 429) {
                QVERIFY2(body.at("error_id") == "RATE_LIMIT_EXCEEDED", where.c_str());
                QVERIFY2(body.at("message").is_string(), where.c_str());
                QVERIFY2(
                    std::stoi(headers.at("Retry-After").get<std::string>()) >= 1, where.c_str());
                ++kinds["RATE_LIMIT_EXCEEDED"];
            } else {
                QVERIFY2(status == 200 || status == 201, where.c_str());
                const int lim = std::stoi(
                    headers.at("x-skytells-ratelimit-limit-requests").get<std::string>());
                const int rem = std::stoi(
                    headers.at("x-skytells-ratelimit-remaining-requests").get<std::string>());
                QVERIFY2(rem >= 0 && rem < lim, where.c_str());
                QVERIFY2(headers.at("x-skytells-ratelimit-window") == "60", where.c_str());
                QVERIFY2(body.at("status").is_string(), where.c_str());
                ++kinds["skytells 2xx"];
            }
        }
    }
    for (const char *kind : { "200", "RATE_LIMITED", "TOOL_ERROR 429", "TOOL_ERROR 502",
             "RATE_LIMIT_EXCEEDED", "skytells 2xx" })
        QVERIFY2(kinds[kind] > 0, kind);
}

void TestSimulator::rateLimitedFollowsDemand_data()
{
    QTest::addColumn<int>("rpm");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("someMinutesUnder");
    QTest::addRow("bursts over a high limit") << 360 << 600 << true;
    QTest::addRow("demand over the limit") << 800 << 600 << false;
    QTest::addRow("tiny limit") << 40 << 25 << false;
    QTest::addRow("low demand, low limit") << 90 << 150 << true;
}

void TestSimulator::rateLimitedFollowsDemand()
{
    QFETCH(int, rpm);
    QFETCH(int, limit);
    QFETCH(bool, someMinutesUnder);
    const Generated g = generate(options(5, 60, rpm, limit));
    QCOMPARE(g.minutes.size(), std::size_t(60));

    // Count from the records themselves: execute_tool requests and RATE_LIMITED per minute.
    std::map<std::int64_t, int> demand, limited, records;
    for (const std::string &line : splitLines(g.text)) {
        const json r = json::parse(line);
        const std::int64_t minute = timeOf(r) / 60000 * 60000;
        ++records[minute];
        if (!isScalekit(r))
            continue;
        ++demand[minute];
        if (r["status"] == 429 && errorCode(r) == "RATE_LIMITED")
            ++limited[minute];
    }
    int over = 0, under = 0;
    for (const SimMinuteStats &m : g.minutes) {
        const QByteArray where = QByteArray("minute ") + QByteArray::number(qint64(m.minuteMs));
        QVERIFY2(m.complete, where.constData());
        QCOMPARE(demand[m.minuteMs], m.toolCalls); // the observer tells the truth
        QCOMPARE(limited[m.minuteMs], m.rateLimited);
        QCOMPARE(records[m.minuteMs], m.records);
        // The model: a fixed window per minute serves `limit` calls, rejects the rest.
        QCOMPARE(limited[m.minuteMs], std::max(0, demand[m.minuteMs] - limit));
        if (demand[m.minuteMs] > limit)
            ++over;
        else
            ++under;
    }
    QVERIFY(over > 0); // the first incident, a burst, starts within the hour
    if (someMinutesUnder)
        QVERIFY(under > 0);
}

void TestSimulator::averageLineLength_data()
{
    QTest::addColumn<qint64>("minutes");
    QTest::addColumn<qint64>("records");
    QTest::addRow("one hour") << qint64(60) << qint64(0);
    QTest::addRow("200000 records") << qint64(0) << qint64(200000);
}

void TestSimulator::averageLineLength()
{
    QFETCH(qint64, minutes);
    QFETCH(qint64, records);
    SimulatorOptions o;
    o.minutes = minutes;
    o.records = records;
    const Generated g = generate(o);
    const auto lines = std::count(g.text.begin(), g.text.end(), '\n');
    QVERIFY(lines > 0);
    const double average = double(g.text.size()) / double(lines);
    qInfo("average line: %.1f bytes over %lld records", average, static_cast<long long>(lines));
    QVERIFY2(average >= 300 && average <= 360, qPrintable(QString::number(average)));
}

void TestSimulator::retryBehaviours()
{
    const Generated g = generate(options(11, 240, 300, 400));
    struct Req
    {
        std::int64_t t;
        int status;
        int retryAfterS;
    };
    std::map<std::string, std::vector<Req>> byKey; // connection + tool, or Skytells URL
    std::vector<std::pair<std::string, std::int64_t>> syncRejects, salesRejects;
    for (const std::string &line : splitLines(g.text)) {
        const json r = json::parse(line);
        const std::int64_t t = timeOf(r);
        const int status = r["status"].get<int>();
        const std::string key = isScalekit(r)
            ? r["connection_name"].get<std::string>() + " " + r["tool_name"].get<std::string>()
            : clientOf(r) + " " + r["method"].get<std::string>() + " "
                + r["url"].get<std::string>();
        const int retryAfter = r["headers"].contains("Retry-After")
            ? std::stoi(r["headers"]["Retry-After"].get<std::string>())
            : 0;
        byKey[key].push_back({ t, status, retryAfter });
        if (status == 429 && isScalekit(r)) {
            if (clientOf(r) == "sync")
                syncRejects.emplace_back(key, t);
            else if (clientOf(r) == "sales")
                salesRejects.emplace_back(key, t);
        }
    }
    auto hasRequestIn = [&byKey](const std::string &key, std::int64_t from, std::int64_t to) {
        for (const Req &q : byKey[key])
            if (q.t > from && q.t <= to)
                return true;
        return false;
    };
    // sync retries after exactly 5 s (all of its rejected calls but the last attempts).
    QVERIFY(syncRejects.size() > 20);
    int exact = 0;
    for (const auto &[key, t] : syncRejects) {
        for (const Req &q : byKey[key])
            if (q.t == t + 5000) {
                ++exact;
                break;
            }
    }
    QVERIFY2(exact * 2 > int(syncRejects.size()), qPrintable(QString::number(exact)));
    // sales retries within 300 ms.
    QVERIFY(salesRejects.size() > 20);
    int quick = 0;
    for (const auto &[key, t] : salesRejects)
        quick += hasRequestIn(key, t, t + 300) ? 1 : 0;
    QVERIFY2(quick * 2 > int(salesRejects.size()), qPrintable(QString::number(quick)));
    // image-studio polls each prediction every 1000 ms exactly, 429 or not;
    // thumbnailer polls every 3 s or more, and after a 429 waits its Retry-After.
    int imagePolls = 0, thumbPolls = 0;
    for (const auto &[key, reqs] : byKey) {
        const bool image = key.rfind("image-studio GET ", 0) == 0;
        const bool thumb = key.rfind("thumbnailer GET ", 0) == 0;
        for (std::size_t i = 1; i < reqs.size() && (image || thumb); ++i) {
            const std::int64_t gap = reqs[i].t - reqs[i - 1].t;
            if (image) {
                QCOMPARE(gap, std::int64_t(1000));
                ++imagePolls;
            } else {
                const Req &prev = reqs[i - 1];
                QVERIFY(gap >= (prev.status == 429 ? prev.retryAfterS * 1000 : 3000));
                ++thumbPolls;
            }
        }
    }
    QVERIFY(imagePolls > 100);
    QVERIFY(thumbPolls > 10);
}

void TestSimulator::gzipIsReproducible()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString plain = dir.filePath(QStringLiteral("a.ndjson"));
    const QString gzA = dir.filePath(QStringLiteral("a.ndjson.gz"));
    const QString gzB = dir.filePath(QStringLiteral("b.ndjson.gz"));
    for (const QString &path : { plain, gzA, gzB }) {
        TrafficSimulator sim(options(9, 15, 200, 300));
        SimulationWriteResult res;
        QString error;
        QVERIFY2(writeSimulation(sim, path, &res, &error), qPrintable(error));
        QVERIFY(res.records > 0);
    }
    QFile a(gzA), b(gzB), p(plain);
    QVERIFY(
        a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly) && p.open(QIODevice::ReadOnly));
    const QByteArray bytesA = a.readAll();
    QCOMPARE(bytesA, b.readAll());
    QVERIFY(bytesA.startsWith(QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8))); // no mtime
    QCOMPARE(QByteArray::fromStdString(gunzip(bytesA)), p.readAll());
}

void TestSimulator::writesPipesInPlace()
{
    // An existing non-regular file (a FIFO here, /dev/null in real use) is written to, never
    // replaced by renaming a temporary file over it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray fifo = QFile::encodeName(dir.filePath(QStringLiteral("pipe")));
    QCOMPARE(mkfifo(fifo.constData(), 0600), 0);
    const int readFd = ::open(fifo.constData(), O_RDONLY | O_NONBLOCK); // so writers can open
    QVERIFY(readFd >= 0);
    // A write end of our own: the reader sees EOF only after it is closed, whenever the
    // simulator opens and closes its own end.
    const int keepFd = ::open(fifo.constData(), O_WRONLY);
    QVERIFY(keepFd >= 0);
    fcntl(readFd, F_SETFL, fcntl(readFd, F_GETFL) & ~O_NONBLOCK);
    std::string received;
    std::thread reader([&received, readFd] {
        char buf[65536];
        ssize_t n;
        while ((n = ::read(readFd, buf, sizeof(buf))) != 0) {
            if (n > 0)
                received.append(buf, std::size_t(n));
            else if (errno != EAGAIN && errno != EINTR)
                break;
        }
    });
    TrafficSimulator sim(options(2, 3, 200, 300));
    SimulationWriteResult res;
    QString error;
    const bool written = writeSimulation(sim, QFile::decodeName(fifo), &res, &error);
    ::close(keepFd);
    reader.join(); // EOF: both write ends are closed
    ::close(readFd);
    QVERIFY2(written, qPrintable(error));
    QCOMPARE(received, generate(options(2, 3, 200, 300)).text);
    struct stat st
    {
    };
    QCOMPARE(::stat(fifo.constData(), &st), 0);
    QVERIFY(S_ISFIFO(st.st_mode));
}

// --start is read by the decoder's timestamp reader (the one --from/--to and every log use);
// the simulation starts at the whole UTC minute that holds it.
void TestSimulator::startTime_data()
{
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("firstMinute"); // empty: a usage error
    QTest::addRow("UTC") << "2026-01-05T09:00:00Z"
                         << "2026-01-05T09:00:";
    QTest::addRow("offset and fraction") << "2026-01-05T14:30:00.25+05:30"
                                         << "2026-01-05T09:00:";
    QTest::addRow("space, no zone: UTC") << "2024-02-29 23:59:59.999"
                                         << "2024-02-29T23:59:";
    QTest::addRow("no such day") << "2026-02-29T00:00:00Z"
                                 << "";
    QTest::addRow("a word") << "yesterday"
                            << "";
    QTest::addRow("trailing junk") << "2026-01-05T09:00:00Zjunk"
                                   << "";
}

void TestSimulator::startTime()
{
    QFETCH(QString, start);
    QFETCH(QString, firstMinute);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("out.ndjson"));
    const int status = runSimulate({ QStringLiteral("--minutes"), QStringLiteral("1"),
        QStringLiteral("--start"), start, QStringLiteral("-o"), out });
    if (firstMinute.isEmpty()) {
        QCOMPARE(status, 2);
        return;
    }
    QCOMPARE(status, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const json first = json::parse(f.readLine().toStdString());
    QVERIFY2(
        QString::fromStdString(first.at("timestamp").get<std::string>()).startsWith(firstMinute),
        first.at("timestamp").get<std::string>().c_str());
}

void TestSimulator::commandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitStatus");
    QTest::addRow("unknown option") << QStringList { QStringLiteral("--bogus") } << 2;
    QTest::addRow("records not a number")
        << QStringList { QStringLiteral("--records"), QStringLiteral("many") } << 2;
    QTest::addRow("zero minutes") << QStringList { QStringLiteral("--minutes"),
        QStringLiteral("0") } << 2;
    QTest::addRow("bad start") << QStringList { QStringLiteral("--start"),
        QStringLiteral("yesterday") }
                               << 2;
    QTest::addRow("stray argument") << QStringList { QStringLiteral("file.ndjson") } << 2;
    QTest::addRow("missing value") << QStringList { QStringLiteral("--limit") } << 2;
    QTest::addRow("writes a file") << QStringList { QStringLiteral("--minutes"),
        QStringLiteral("2"), QStringLiteral("-o"), QStringLiteral("@OUT@") }
                                   << 0;
    QTest::addRow("openai-rpm not a number")
        << QStringList { QStringLiteral("--openai-rpm"), QStringLiteral("lots") } << 2;
    QTest::addRow("openai-rpm negative")
        << QStringList { QStringLiteral("--openai-rpm"), QStringLiteral("-5") } << 2;
}

void TestSimulator::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitStatus);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("out.ndjson"));
    args.replaceInStrings(QStringLiteral("@OUT@"), out);
    QCOMPARE(runSimulate(args), exitStatus);
    if (exitStatus == 0) {
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.count('\n') > 500);
        Generated g = generate(options(1, 2, 360, 600));
        QCOMPARE(text, QByteArray::fromStdString(g.text)); // the defaults are the documented ones
    }
}

// OpenAI chat completions (sim/openaiapi.h): every response has the six x-ratelimit headers,
// a 200 has `usage` whose total is prompt + completion, a 429 has OpenAI's TPM body and
// retry-after/retry-after-ms; the tokens per minute go over 200000 while the requests stay
// under 500 a minute. Counted from the lines with nlohmann::json, against the model's stats.
void TestSimulator::openaiTokensBindUnderTheRequestLimit()
{
    SimulatorOptions o = options(35, 150, 320, 600);
    o.openaiRpm = 200;
    const Generated g = generate(o);
    const std::regex tpm(R"(Rate limit reached for gpt-4o-mini in organization org-demo on )"
                         R"(tokens per min \(TPM\): Limit 200000, Used (\d+), Requested (\d+)\. )"
                         R"(Please try again in (\d+ms|\d+(\.\d+)?s)\. Visit )"
                         R"(https://platform\.openai\.com/account/rate-limits to learn more\.)");
    const std::regex goDuration(R"(0s|[1-9]\d{0,2}ms|([1-9]\d*m)?\d{1,2}(\.\d{1,3})?s)");
    std::map<std::int64_t, int> requests;
    std::map<std::int64_t, std::int64_t> tokens;
    int rejected = 0;
    for (const std::string &line : splitLines(g.text)) {
        const json r = json::parse(line);
        if (r.at("url") != "https://api.openai.com/v1/chat/completions")
            continue;
        const std::int64_t minute = timeOf(r) / 60000;
        ++requests[minute];
        QCOMPARE(
            r.at("request").at("body").at("model").get<std::string>(), std::string("gpt-4o-mini"));
        const json &h = r.at("headers");
        QCOMPARE(h.at("x-ratelimit-limit-requests").get<std::string>(), std::string("500"));
        QCOMPARE(h.at("x-ratelimit-limit-tokens").get<std::string>(), std::string("200000"));
        for (const char *name :
            { "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens" })
            QVERIFY(std::regex_match(h.at(name).get<std::string>(), std::regex(R"(\d+)")));
        for (const char *name : { "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens" })
            QVERIFY2(std::regex_match(h.at(name).get<std::string>(), goDuration), line.c_str());
        const int status = r.at("status").get<int>();
        if (status == 200) {
            const json &u = r.at("body").at("usage");
            QCOMPARE(u.at("total_tokens").get<std::int64_t>(),
                u.at("prompt_tokens").get<std::int64_t>()
                    + u.at("completion_tokens").get<std::int64_t>());
            tokens[minute] += u.at("total_tokens").get<std::int64_t>();
            continue;
        }
        QCOMPARE(status, 429);
        ++rejected;
        const json &e = r.at("body").at("error");
        std::smatch m;
        const std::string message = e.at("message").get<std::string>();
        QVERIFY2(std::regex_match(message, m, tpm), message.c_str());
        QVERIFY(std::stoll(m[1]) + std::stoll(m[2]) > 200000); // it did not fit
        QCOMPARE(e.at("type").get<std::string>(), std::string("tokens"));
        QVERIFY(e.at("param").is_null());
        QCOMPARE(e.at("code").get<std::string>(), std::string("rate_limit_exceeded"));
        const std::int64_t ms = std::stoll(h.at("retry-after-ms").get<std::string>());
        QCOMPARE(std::stoll(h.at("retry-after").get<std::string>()),
            std::max<std::int64_t>(1, (ms + 999) / 1000));
        QCOMPARE(std::stoll(h.at("x-ratelimit-remaining-tokens").get<std::string>()),
            200000 - std::stoll(m[1]));
    }
    int statsRequests = 0, statsRejected = 0;
    std::int64_t statsTokens = 0;
    for (const SimMinuteStats &s : g.minutes) {
        statsRequests += s.openaiRequests;
        statsRejected += s.openaiRejected;
        statsTokens += s.openaiTokens;
    }
    int lines = 0, peakRequests = 0;
    std::int64_t allTokens = 0, peakTokens = 0;
    for (const auto &[minute, n] : requests) {
        lines += n;
        peakRequests = std::max(peakRequests, n);
    }
    for (const auto &[minute, n] : tokens) {
        allTokens += n;
        peakTokens = std::max(peakTokens, n);
    }
    QCOMPARE(statsRequests, lines);
    QCOMPARE(statsRejected, rejected);
    QCOMPARE(statsTokens, allTokens);
    QVERIFY(rejected > 100);
    QVERIFY2(peakRequests < 500, qPrintable(QString::number(peakRequests)));
    QVERIFY2(peakTokens > 200000, qPrintable(QString::number(peakTokens)));
}

// The OpenAI traffic has its own generators: with it, the other records are the same but for
// their ids and Scalekit's execution ids (both numbered in output order).
void TestSimulator::openaiLeavesTheOtherRecordsAlone()
{
    const std::regex executionId(R"("execution_id":"\d+")");
    const auto others = [&executionId](const Generated &g) {
        std::vector<std::string> kept;
        for (const std::string &line : splitLines(g.text)) {
            if (line.find("https://api.openai.com/") == std::string::npos)
                kept.push_back(std::regex_replace(line.substr(line.find(R"(,"timestamp")")),
                    executionId, "\"execution_id\":\"\""));
        }
        return kept;
    };
    SimulatorOptions o = options(9, 60, 360, 600);
    const Generated without = generate(o);
    o.openaiRpm = 150;
    const Generated with = generate(o);
    QVERIFY(with.text.size() > without.text.size());
    QVERIFY(others(with) == others(without));
}

void TestSimulator::openaiCommandLine_data()
{
    QTest::addColumn<int>("openaiRpm");
    QTest::addRow("off by default") << -1;
    QTest::addRow("zero is off") << 0;
    QTest::addRow("200 a minute") << 200;
}

void TestSimulator::openaiCommandLine()
{
    QFETCH(int, openaiRpm);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("out.ndjson"));
    QStringList args { QStringLiteral("--minutes"), QStringLiteral("3"), QStringLiteral("-o"),
        out };
    if (openaiRpm >= 0)
        args << QStringLiteral("--openai-rpm") << QString::number(openaiRpm);
    QCOMPARE(runSimulate(args), 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    SimulatorOptions o = options(1, 3, 360, 600);
    o.openaiRpm = std::max(0, openaiRpm);
    QCOMPARE(f.readAll(), QByteArray::fromStdString(generate(o).text));
    const Generated g = generate(o);
    QCOMPARE(g.text.find("api.openai.com") != std::string::npos, openaiRpm > 0);
}

namespace {

// resources/sim/catalog.json with an RFC 6902 JSON Patch applied, as TrafficSimulator
// loads it from a file; *error set on failure.
std::optional<SimCatalog> patchedCatalog(const QDir &dir, const char *patch, QString *error)
{
    QFile f(QString::fromLatin1(kBuiltInSimCatalog));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no compiled-in catalog");
    const QByteArray text = f.readAll();
    const json doc = json::parse(text.constBegin(), text.constEnd()).patch(json::parse(patch));
    QFile out(dir.filePath(QStringLiteral("catalog.json")));
    if (!out.open(QIODevice::WriteOnly) || out.write(QByteArray::fromStdString(doc.dump(2))) < 0)
        qFatal("cannot write %s", qPrintable(out.fileName()));
    out.close();
    return TrafficSimulator::loadCatalog(out.fileName(), error);
}

} // namespace

void TestSimulator::catalogShapesTheRecords()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const auto same = patchedCatalog(QDir(dir.path()), "[]", &error);
    QVERIFY2(same, qPrintable(error));
    const auto changed = patchedCatalog(QDir(dir.path()),
        R"([{"op": "replace", "path": "/providers/1/result", "value": "{\"ok\":${int:7..7}}"},
            {"op": "replace", "path": "/providers/1/tools/0", "value": "slack_post_message"}])",
        &error);
    QVERIFY2(changed, qPrintable(error));

    auto text = [](TrafficSimulator &sim) {
        std::string out;
        SimRecord rec;
        while (sim.next(rec))
            out.append(rec.line.data(), rec.line.size()).push_back('\n');
        return out;
    };
    const SimulatorOptions opts = options(3, 20, 360, 600);
    TrafficSimulator builtIn(opts);
    TrafficSimulator fromFile(opts, *same);
    TrafficSimulator other(opts, *changed);
    const std::string expected = text(builtIn);
    QVERIFY(text(fromFile) == expected); // the file is the whole catalog
    const std::string patched = text(other);
    QVERIFY(expected.find(R"("tool_name":"slack_send_message")") != std::string::npos);
    QVERIFY(expected.find(R"("data":{"ok":true})") != std::string::npos);
    QVERIFY(patched.find(R"("tool_name":"slack_post_message")") != std::string::npos);
    QVERIFY(patched.find(R"("tool_name":"slack_send_message")") == std::string::npos);
    QVERIFY(patched.find(R"("data":{"ok":7})") != std::string::npos);
    QVERIFY(patched.find(R"("data":{"ok":true})") == std::string::npos);
}

void TestSimulator::brokenCatalogIsRefused_data()
{
    QTest::addColumn<QByteArray>("patch"); // RFC 6902 on resources/sim/catalog.json
    QTest::addColumn<QString>("reason");
    QTest::addRow("unknown top-level field")
        << QByteArray(R"([{"op": "add", "path": "/colour", "value": "blue"}])")
        << "colour: unknown field (known: schema, about, providers, client_providers, "
           "incident_providers)";
    QTest::addRow("unknown provider field")
        << QByteArray(R"([{"op": "add", "path": "/providers/1/rate", "value": 1}])")
        << "providers[1].rate: unknown field";
    QTest::addRow("missing provider field")
        << QByteArray(R"([{"op": "remove", "path": "/providers/2/failure_message"}])")
        << "providers[2].failure_message: missing";
    QTest::addRow("missing top-level field")
        << QByteArray(R"([{"op": "remove", "path": "/incident_providers"}])")
        << "incident_providers: missing";
    QTest::addRow("another schema") << QByteArray(
        R"([{"op": "replace", "path": "/schema", "value": "ratescope.sim-catalog/2"}])")
                                    << "schema: not \"ratescope.sim-catalog/1\"";
    QTest::addRow("latency not a number")
        << QByteArray(R"([{"op": "replace", "path": "/providers/0/latency_ms", "value": "fast"}])")
        << "providers[0].latency_ms: not an integer";
    QTest::addRow("unknown placeholder") << QByteArray(
        R"([{"op": "replace", "path": "/providers/0/result", "value": "{\"id\":\"${uuid}\"}"}])")
                                         << "providers[0].result: unknown placeholder ${uuid}";
    QTest::addRow("unclosed placeholder") << QByteArray(
        R"([{"op": "replace", "path": "/providers/3/limit_message", "value": "wait ${next_minute"}])")
                                          << "providers[3].limit_message: \"${\" without a closing "
                                             "\"}\"";
    QTest::addRow("result that is not JSON")
        << QByteArray(R"([{"op": "replace", "path": "/providers/1/result", "value": "{ok}"}])")
        << "providers[1].result: not JSON text";
    QTest::addRow("hex placeholder outside a string") << QByteArray(
        R"([{"op": "replace", "path": "/providers/1/result", "value": "{\"n\":${hex:4}}"}])")
                                                      << "providers[1].result: not JSON text";
    QTest::addRow("provider without tools")
        << QByteArray(R"([{"op": "replace", "path": "/providers/3/tools", "value": []}])")
        << "providers[3].tools: not a non-empty array";
    QTest::addRow("a tool twice") << QByteArray(
        R"([{"op": "add", "path": "/providers/1/tools/-", "value": "gmail_fetch_mails"}])")
                                  << "providers[1].tools: a second tool named gmail_fetch_mails";
    QTest::addRow("a provider twice")
        << QByteArray(R"([{"op": "replace", "path": "/providers/1/name", "value": "gmail"}])")
        << "providers[1].name: a second provider named gmail";
    QTest::addRow("client mix names an unknown provider")
        << QByteArray(R"([{"op": "add", "path": "/client_providers/support/myspace", "value": 5}])")
        << "client_providers.support.myspace: no provider named \"myspace\"";
    QTest::addRow("a Scalekit client without providers")
        << QByteArray(R"([{"op": "remove", "path": "/client_providers/cal"}])")
        << "client_providers.cal: missing";
    QTest::addRow("a client the model does not have")
        << QByteArray(
               R"([{"op": "add", "path": "/client_providers/crm", "value": {"hubspot": 1}}])")
        << "client_providers.crm: not a Scalekit client of the model (support, sales, inbox, "
           "cal, sync)";
    QTest::addRow("a client whose weights are all 0")
        << QByteArray(
               R"([{"op": "replace", "path": "/client_providers/cal", "value": {"slack": 0}}])")
        << "client_providers.cal: no provider with a weight above 0";
    QTest::addRow("unknown incident provider")
        << QByteArray(R"([{"op": "replace", "path": "/incident_providers/1", "value": "myspace"}])")
        << "incident_providers[1]: no provider named \"myspace\"";
}

void TestSimulator::brokenCatalogIsRefused()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY(!patchedCatalog(QDir(dir.path()), patch.constData(), &error));
    // the message names the file, then where in it and what is wrong
    QVERIFY2(error.startsWith(dir.filePath(QStringLiteral("catalog.json")) + QStringLiteral(": ")),
        qPrintable(error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
