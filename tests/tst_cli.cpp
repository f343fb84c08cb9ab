// `ratescope summarize` as scripts see it: exit status, messages on stderr, atomic -o, stdin.
#include "cli/chartneed.h"
#include "cli/commonoptions.h"
#include "export/reportwriter.h"
#include "runbinary.h"
#include "testutil.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace {

using Run = BinaryRun;

Run run(const QStringList &args, const QByteArray &stdinData = {},
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return runBinary(args, stdinData, env, 60000);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void usageErrors_data();
    void usageErrors();
    void badLinesAreReportedButNotFatal();
    void unreadableInputsExit1AndTheRestIsStillSummarized_data();
    void unreadableInputsExit1AndTheRestIsStillSummarized();
    void outputIsWrittenAtomically();
    void standardInput();
    void timeRange();
    void everyFormatFromTheCommandLineProgram_data();
    void everyFormatFromTheCommandLineProgram();
    void onlyReportsThatDrawNeedTheGuiProgram_data();
    void onlyReportsThatDrawNeedTheGuiProgram();
    void chartNeedReadsArgumentsAsTheParserDoes_data();
    void chartNeedReadsArgumentsAsTheParserDoes();
    void firstArgumentThatIsNoCommandOrFile_data();
    void firstArgumentThatIsNoCommandOrFile();
    void noDisplay_data();
    void noDisplay();
    void megabyteFieldsInEveryFormat_data();
    void megabyteFieldsInEveryFormat();
    void limitsPerScope_data();
    void limitsPerScope();

private:
    QTemporaryDir m_dir;
};

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString in = fixture(QStringLiteral("gateway_mix.ndjson"));
    QTest::addRow("no input") << QStringList { QStringLiteral("summarize") } << "no input";
    QTest::addRow("bad limit") << QStringList { QStringLiteral("summarize"),
        QStringLiteral("--limit"), QStringLiteral("10/x"), in }
                               << "invalid --limit";
    QTest::addRow("zero limit") << QStringList { QStringLiteral("summarize"),
        QStringLiteral("--limit"), QStringLiteral("0"), in }
                                << "invalid --limit";
    QTest::addRow("bad merge gap") << QStringList { QStringLiteral("summarize"),
        QStringLiteral("--merge-gap"), QStringLiteral("-1"), in }
                                   << "invalid --merge-gap";
    QTest::addRow("bad format") << QStringList { QStringLiteral("summarize"),
        QStringLiteral("--format"), QStringLiteral("xml"), in }
                                << "unknown --format";
    QTest::addRow("bad time") << QStringList { QStringLiteral("summarize"),
        QStringLiteral("--from"), QStringLiteral("soon"), in }
                              << "invalid --from";
    QTest::addRow("unknown option")
        << QStringList { QStringLiteral("summarize"), QStringLiteral("--frobnicate"), in }
        << "frobnicate";
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::badLinesAreReportedButNotFatal()
{
    const Run r = run({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(fixture(QStringLiteral("gateway_mix.ndjson"))
                 + QStringLiteral(":27: invalid JSON")),
        qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value(QStringLiteral("requests")).toInt(), 32);
    QCOMPARE(j.value(QStringLiteral("inputs"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("skipped"))
                 .toInt(),
        1);
}

void TestCli::unreadableInputsExit1AndTheRestIsStillSummarized_data()
{
    QTest::addColumn<QString>("bad");
    QTest::addColumn<QString>("message");
    QTest::addRow("a directory") << m_dir.path() << "is a directory";
    QTest::addRow("a missing file")
        << m_dir.filePath(QStringLiteral("nope.ndjson")) << "No such file";
    QTest::addRow("not a log") << fixture(
        QStringLiteral("samples/vercel-ai_anthropic-text.chunks.txt"))
                               << "not a log";
}

void TestCli::unreadableInputsExit1AndTheRestIsStillSummarized()
{
    QFETCH(QString, bad);
    QFETCH(QString, message);
    const Run r = run({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), bad, fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList aboutBad = lines.filter(bad + QLatin1Char(':'));
    QCOMPARE(aboutBad.size(), 1); // one clear message, not one per line
    QVERIFY2(aboutBad.front().contains(message), qPrintable(aboutBad.front()));
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value(QStringLiteral("requests")).toInt(), 32);
    QCOMPARE(j.value(QStringLiteral("inputs")).toArray().size(), 2);
}

void TestCli::outputIsWrittenAtomically()
{
    const QString out = m_dir.filePath(QStringLiteral("report.json"));
    writeFile(QDir(m_dir.path()), QStringLiteral("report.json"), "old report");
    const Run r
        = run({ QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"),
            QStringLiteral("-o"), out, fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(
        QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("requests")).toInt(),
        32);
    // nothing else was left next to it
    QCOMPARE(
        QDir(m_dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("report.json") });
    // a target that cannot be written fails without touching the input
    const Run bad = run({ QStringLiteral("summarize"), QStringLiteral("-o"),
        m_dir.filePath(QStringLiteral("no/such/dir/x.md")),
        fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QStringLiteral("cannot write")), qPrintable(bad.err));
}

void TestCli::standardInput()
{
    QFile f(fixture(QStringLiteral("gateway_mix.ndjson")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const Run r = run({ QStringLiteral("summarize"), QStringLiteral("--format"),
                          QStringLiteral("csv"), QStringLiteral("-") },
        f.readAll());
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> rows = r.out.trimmed().split('\n');
    QCOMPARE(rows.front(),
        QByteArray("minute,scope,requests,rejected,RATE_LIMITED,TOOL_ERROR,UNCLASSIFIED,limit,"
                   "QUOTA,OVERLOADED,HIDDEN_THROTTLE"));
    // each scope's minutes from its first to its last, empty ones included: Scalekit 10:00-10:03,
    // Anthropic 10:03, Skytells 10:03-10:20, the tool call log's one timed record 10:21
    QCOMPARE(rows.size(), 1 + 4 + 1 + 18 + 1);
    // Skytells reported 3 per 10 s; Scalekit's rows do not take Skytells' limit
    QCOMPARE(rows.at(2), QByteArray("2026-01-05T10:01:00Z,acme.scalekit.dev,12,6,6,0,0,,0,0,0"));
    QVERIFY(
        rows.contains(QByteArray("2026-01-05T10:04:00Z,api.skytells.ai,0,0,0,0,0,3/10s,0,0,0")));
    QVERIFY2(r.err.contains(QStringLiteral("-:27: invalid JSON")), qPrintable(r.err));
}

void TestCli::timeRange()
{
    const Run r = run({ QStringLiteral("summarize"), QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("--from"), QStringLiteral("2026-01-05T10:01:00Z"),
        QStringLiteral("--to"), QStringLiteral("2026-01-05T10:02:00Z"),
        fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value(QStringLiteral("requests")).toInt(), 12);
    QCOMPARE(j.value(QStringLiteral("inputs"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("records"))
                 .toInt(),
        12);
}

void TestCli::everyFormatFromTheCommandLineProgram_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("file"); // empty: standard output
    QTest::addColumn<QByteArray>("starts");
    QTest::addRow("json on stdout") << "json" << QString() << QByteArray("{");
    QTest::addRow("csv on stdout") << "csv" << QString() << QByteArray("minute,scope,requests");
    QTest::addRow("md on stdout") << "md" << QString() << QByteArray("# ");
    QTest::addRow("md to a file") << "md"
                                  << "r.md" << QByteArray("# ");
    QTest::addRow("html to a file") << "html"
                                    << "r.html" << QByteArray("<!DOCTYPE html>");
    QTest::addRow("pdf to a file") << "pdf"
                                   << "r.pdf" << QByteArray("%PDF-");
}

// `ratescope` runs the reports that draw nothing itself (QtCore only) and becomes
// ratescope-gui for the others: every format works from it, charts included.
void TestCli::everyFormatFromTheCommandLineProgram()
{
    QFETCH(QString, format);
    QFETCH(QString, file);
    QFETCH(QByteArray, starts);
    QTemporaryDir dir;
    const ReportRun r = runSummarizeReport(format, file.isEmpty() ? QString() : dir.filePath(file),
        { fixture(QStringLiteral("gateway_mix.ndjson")) });
    QCOMPARE(r.exitCode, 0);
    if (!file.isEmpty()) {
        QVERIFY(r.out.isEmpty());
        QVERIFY(r.fileRead);
    }
    const QByteArray &report = r.report;
    QVERIFY2(report.startsWith(starts), report.left(80).constData());
    if (format == QLatin1String("html"))
        QVERIFY(report.contains("data:image/png;base64,iVBOR")); // the chart, drawn
    if (format == QLatin1String("md") && !file.isEmpty()) {
        QFile png(dir.filePath(QStringLiteral("r.png")));
        QVERIFY(png.open(QIODevice::ReadOnly));
        QVERIFY(png.readAll().startsWith("\x89PNG"));
        QVERIFY(report.contains("r.png"));
    }
}

void TestCli::onlyReportsThatDrawNeedTheGuiProgram_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("draws");
    const QString in = QStringLiteral("in.ndjson");
    QTest::addRow("md, the default, on stdout") << QStringList { in } << false;
    QTest::addRow("json") << QStringList { QStringLiteral("--format"), QStringLiteral("json"), in }
                          << false;
    QTest::addRow("--format=csv") << QStringList { QStringLiteral("--format=csv"), in } << false;
    QTest::addRow("json to a file") << QStringList { QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("-o"), QStringLiteral("r.json"), in }
                                    << false;
    QTest::addRow("md to a file") << QStringList { QStringLiteral("-o"), QStringLiteral("r.md"),
        in } << true;
    QTest::addRow("md to --output=FILE")
        << QStringList { QStringLiteral("--output=r.md"), in } << true;
    QTest::addRow("md to -o -") << QStringList { QStringLiteral("-o"), QStringLiteral("-"), in }
                                << false;
    QTest::addRow("html") << QStringList { QStringLiteral("--format"), QStringLiteral("html"), in }
                          << true;
    QTest::addRow("pdf") << QStringList { QStringLiteral("--format"), QStringLiteral("pdf"),
        QStringLiteral("-o"), QStringLiteral("r.pdf"), in }
                         << true;
    QTest::addRow("a value that looks like an option") << QStringList { QStringLiteral("--rules"),
        QStringLiteral("--format"), QStringLiteral("pdf"), in }
                                                       << false;
    QTest::addRow("an input named --format after --") << QStringList { QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("--"), QStringLiteral("--format"),
        QStringLiteral("pdf") } << false;
    QTest::addRow("-oFILE: unsure, so it may draw") << QStringList { QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("-or.json"), in }
                                                    << true;
    QTest::addRow("--format without a value")
        << QStringList { in, QStringLiteral("--format") } << true;
}

void TestCli::onlyReportsThatDrawNeedTheGuiProgram()
{
    QFETCH(QStringList, args);
    QFETCH(bool, draws);
    std::vector<QByteArray> bytes { "ratescope", "summarize" };
    for (const QString &a : args)
        bytes.push_back(a.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &b : bytes)
        argv.push_back(b.data());
    QCOMPARE(summarizeDrawsChart(int(argv.size()), argv.data()), draws);
}

// summarizeDrawsChart decides before any parser runs: it must read every option of summarize's
// table as the parser does, so that an option's value (here one that looks like an option
// and one that looks like a file) is never taken for --format, -o or an input.
void TestCli::chartNeedReadsArgumentsAsTheParserDoes_data()
{
    QTest::addColumn<QStringList>("args");
    int takesValue = 0;
    for (const QCommandLineOption &option : summarizeOptions()) {
        takesValue += !option.valueName().isEmpty();
        for (const QString &name : option.names()) {
            const QString spelled
                = (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
            for (const QStringList &tail :
                { QStringList { QStringLiteral("-o"), QStringLiteral("report.md") },
                    QStringList { QStringLiteral("--format"), QStringLiteral("html") },
                    QStringList { QStringLiteral("report.md"), QStringLiteral("-o"),
                        QStringLiteral("r.md") } }) {
                const QStringList args = QStringList(spelled) + tail;
                QTest::addRow("%s", qPrintable(args.join(QLatin1Char(' '))))
                    << args + QStringList { QStringLiteral("in.ndjson") };
            }
        }
    }
    QVERIFY(takesValue >= 7); // --limit, --merge-gap, --from, --to, --format, --headroom, -o, …
}

void TestCli::chartNeedReadsArgumentsAsTheParserDoes()
{
    QFETCH(QStringList, args);
    QCommandLineParser parser;
    parser.addOptions(summarizeOptions());
    QVERIFY2(parser.parse(QStringList { QStringLiteral("ratescope summarize") } + args),
        qPrintable(parser.errorText()));
    const QString target = parser.isSet(QStringLiteral("output"))
        ? parser.value(QStringLiteral("output"))
        : QStringLiteral("-");
    const bool parserDraws = reportDrawsChart(target, parser.value(QStringLiteral("format")));
    std::vector<QByteArray> bytes { "ratescope", "summarize" };
    for (const QString &a : args)
        bytes.push_back(a.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &b : bytes)
        argv.push_back(b.data());
    QCOMPARE(summarizeDrawsChart(int(argv.size()), argv.data()), parserDraws);
}

// A mistyped subcommand was taken for file names (the window opened, or
// without a display Qt aborted).
void TestCli::firstArgumentThatIsNoCommandOrFile_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString in = fixture(QStringLiteral("gateway_mix.ndjson"));
    QTest::addRow("British spelling") << QStringList { QStringLiteral("summarise"),
        in } << "ratescope: 'summarise' is not a command or a file; did you mean 'summarize'?\n";
    QTest::addRow("one letter missing")
        << QStringList { QStringLiteral("monitr") }
        << "ratescope: 'monitr' is not a command or a file; did you mean 'monitor'?\n";
    QTest::addRow("capital letter")
        << QStringList { QStringLiteral("Simulate") }
        << "ratescope: 'Simulate' is not a command or a file; did you mean 'simulate'?\n";
    QTest::addRow("far from every command") << QStringList { QStringLiteral("frobnicate"),
        in } << "ratescope: 'frobnicate' is not a command or a file\n";
    QTest::addRow("a file that does not exist")
        << QStringList { m_dir.filePath(QStringLiteral("nope.ndjson")) }
        << QStringLiteral("ratescope: '%1' is not a command or a file\n")
               .arg(m_dir.filePath(QStringLiteral("nope.ndjson")));
}

void TestCli::firstArgumentThatIsNoCommandOrFile()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    for (const bool display : { true, false }) { // offscreen, and no display at all
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!display) {
            for (const char *v : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
                env.remove(QString::fromLatin1(v));
        }
        const Run r = run(args, {}, env);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, message);
        QVERIFY(r.out.isEmpty());
    }
}

void TestCli::noDisplay_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("platform"); // QT_QPA_PLATFORM, empty: unset
    QTest::addColumn<int>("exitCode");
    const QString in = fixture(QStringLiteral("gateway_mix.ndjson"));
    QTest::addRow("the window on a file") << QStringList { in } << QString() << 1;
    QTest::addRow("the window, nothing to open") << QStringList() << QString() << 1;
    QTest::addRow("X11 asked for") << QStringList { in } << "xcb" << 1;
    QTest::addRow("--help needs none")
        << QStringList { QStringLiteral("--help") } << QString() << 0;
    QTest::addRow("summarize needs none")
        << QStringList { QStringLiteral("summarize"), in } << QString() << 0;
}

void TestCli::noDisplay()
{
    QFETCH(QStringList, args);
    QFETCH(QString, platform);
    QFETCH(int, exitCode);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        env.remove(QString::fromLatin1(v));
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    const Run r = run(args, {}, env);
    QCOMPARE(r.exitCode, exitCode); // -2 is a crash (Qt's abort without a display)
    if (exitCode == 1) {
        QCOMPARE(r.err,
            QStringLiteral("ratescope: no display: use 'ratescope summarize …', or --screenshot "
                           "FILE to render without one\n"));
        QVERIFY(r.out.isEmpty());
    } else {
        QVERIFY2(!r.err.contains(QLatin1String("display")), qPrintable(r.err));
    }
}

void TestCli::megabyteFieldsInEveryFormat_data()
{
    QTest::addColumn<QString>("format");
    for (const char *f : { "json", "md", "csv", "html", "pdf" })
        QTest::addRow("%s", f) << QString::fromLatin1(f);
}

// A 100,000-character tool name made summarize take 57 s (a backtracking
// redaction pattern), and the PDF's layout of long words grew faster than their length. A
// record with a 1 MiB tool name, provider, client, message and URL, through the real binary.
// The bound is generous: it catches a quadratic step, it does not time the machine.
void TestCli::megabyteFieldsInEveryFormat()
{
    QFETCH(QString, format);
    const int n = 1 << 20;
    const QString in = m_dir.filePath(QStringLiteral("megabyte-fields.ndjson"));
    if (!QFile::exists(in)) {
        writeFile(QDir(m_dir.path()), QStringLiteral("megabyte-fields.ndjson"),
            R"({"timestamp":"2026-01-05T10:00:00Z","status":429,"tool_name":")" + QByteArray(n, 'a')
                + R"(","provider":")" + QByteArray("ab-").repeated(n / 3) + R"(","client":")"
                + QByteArray("said: ").repeated(n / 6) + R"(","url":"https://h.example/)"
                + QByteArray("p?a=").repeated(n / 4) + R"(","body":{"error":{"message":")"
                + QByteArray("x=y ").repeated(n / 4) + "\"}}}\n");
    }
    QTemporaryDir dir;
    QElapsedTimer timer;
    timer.start();
    const Run r = run({ QStringLiteral("summarize"), QStringLiteral("--format"), format,
        QStringLiteral("-o"), dir.filePath(QStringLiteral("r.") + format), in });
    qInfo("%s: %lld ms", qPrintable(format), timer.elapsed());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("r.") + format)).size() > 0);
}

// --limit [SCOPE:][AXIS=]N[/W] repeated, --limits FILE and --scope-by on the gateway mix (hosts
// acme.scalekit.dev, api.anthropic.com, api.skytells.ai and the tool call log's tool-calls):
// each scope's requests limit as the JSON says it ("N/W from", "-" none), or the usage error.
void TestCli::limitsPerScope_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("limitsFile");
    QTest::addColumn<QStringList>("expected"); // "scope=N/W from" per scope, or "exit 2: text"
    const QStringList all { "acme.scalekit.dev=-", "api.anthropic.com=-",
        "api.skytells.ai=3/10 headers", "tool-calls=-" };
    QTest::newRow("reported only") << QStringList {} << QByteArray() << all;
    QTest::newRow("one scope, and reported")
        << QStringList { "--limit", "acme.scalekit.dev:600" } << QByteArray()
        << QStringList { "acme.scalekit.dev=600/60 flag", "api.anthropic.com=-",
               "api.skytells.ai=3/10 headers", "tool-calls=-" };
    QTest::newRow("every scope, one named")
        << QStringList { "--limit", "600", "--limit", "API.SKYTELLS.AI:120/60s" } << QByteArray()
        << QStringList { "acme.scalekit.dev=600/60 flag", "api.anthropic.com=600/60 flag",
               "api.skytells.ai=120/60 flag", "tool-calls=600/60 flag" };
    QTest::newRow("limits file") << QStringList {}
                                 << QByteArray(
                                        R"([{"scope":"tool-calls","limit":50,"window":"1h"}])")
                                 << QStringList { "acme.scalekit.dev=-", "api.anthropic.com=-",
                                        "api.skytells.ai=3/10 headers", "tool-calls=50/3600 flag" };
    QTest::newRow("scope by all") << QStringList { "--scope-by", "all" } << QByteArray()
                                  << QStringList { "all=3/10 headers" };
    QTest::newRow("unknown scope")
        << QStringList { "--limit", "api.openai.com:500" } << QByteArray()
        << QStringList { "exit 2: --limit scope \"api.openai.com\" matches no request; the scopes "
                         "seen (by host): acme.scalekit.dev, api.anthropic.com, api.skytells.ai, "
                         "tool-calls" };
    QTest::newRow("bad axis") << QStringList {
        "--limit", "bytes=5"
    } << QByteArray() << QStringList { "exit 2: invalid --limit \"bytes=5\": unknown axis" };
    QTest::newRow("bad scope-by") << QStringList { "--scope-by", "model" } << QByteArray()
                                  << QStringList { "exit 2: invalid --scope-by \"model\"" };
    QTest::newRow("bad limits file") << QStringList {} << QByteArray(R"([{"limit":5,"burst":1}])")
                                     << QStringList { "exit 2: invalid --limits " };
}

void TestCli::limitsPerScope()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, limitsFile);
    QFETCH(QStringList, expected);
    if (!limitsFile.isEmpty())
        args << QStringLiteral("--limits")
             << writeFile(QDir(m_dir.path()), QStringLiteral("limits.json"), limitsFile);
    const Run r = run(QStringList { QStringLiteral("summarize"), QStringLiteral("--format"),
                          QStringLiteral("json") }
        + args + QStringList { fixture(QStringLiteral("gateway_mix.ndjson")) });
    if (expected.first().startsWith(QLatin1String("exit 2: "))) {
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected.first().mid(8)), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        return;
    }
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QLatin1String("schema")).toString(), QStringLiteral("ratescope.summary/2"));
    QStringList got;
    for (const QJsonValue &v : json.value(QLatin1String("scopes")).toArray()) {
        const QJsonObject axis = v[QLatin1String("axes")][0].toObject();
        QString limit = QStringLiteral("-");
        if (!axis.value(QLatin1String("limit")).isNull())
            limit = QStringLiteral("%1/%2 %3")
                        .arg(axis.value(QLatin1String("limit")).toInteger())
                        .arg(axis.value(QLatin1String("window_s")).toInteger())
                        .arg(axis.value(QLatin1String("from")).toString());
        got << v[QLatin1String("name")].toString() + QLatin1Char('=') + limit;
    }
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
