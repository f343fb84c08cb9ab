#include "mainentry.h"

#include "appicon.h"
#include "cli/commonoptions.h"
#include "engine/bucketrunner.h"
#include "engine/engineuri.h"
#include "enginechartfeed.h"
#include "enginepanelsfeed.h"
#include "mainwindow.h"
#include "model/session.h"
#include "passworddialog.h"
#include "ratechart.h"
#include "screenshotrunner.h"
#include "theme.h"
#include "uisettings.h"
#include "watchmenu.h"
#include "whatifpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

namespace {

// A screenshot, --help or --version: nothing to show on a display (so none is needed).
bool needsNoDisplay(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag :
            { "--screenshot", "--help", "-h", "--help-all", "--version", "-v" }) {
            if (std::strcmp(argv[i], flag) == 0)
                return true;
        }
        if (std::strncmp(argv[i], "--screenshot=", 13) == 0)
            return true;
    }
    return false;
}

// Whether the platform Qt will use can show a window: an X or Wayland platform (the default
// when QT_QPA_PLATFORM is unset) needs DISPLAY or WAYLAND_DISPLAY; offscreen, minimal, vnc,
// eglfs, linuxfb … need none. A DISPLAY naming a server that does not answer still aborts in
// Qt: only the server can tell.
bool hasDisplay()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    const bool windowSystem
        = platform.isEmpty() || platform.startsWith("xcb") || platform.startsWith("wayland");
    return !windowSystem || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

int usageError(const QString &message)
{
    QTextStream(stderr) << "ratescope: " << message << "\nTry 'ratescope --help'.\n";
    return 2;
}

// --follow, --listen, --url and a positional "-" (taken out of inputs).
bool liveSources(const QCommandLineParser &p, QStringList &inputs, std::vector<LiveSourceSpec> *out,
    QString *error)
{
    for (const QString &f : p.values(QStringLiteral("follow"))) {
        LiveSourceSpec spec;
        spec.kind = LiveSourceSpec::Kind::File;
        spec.path = f;
        out->push_back(spec);
    }
    for (const QString &l : p.values(QStringLiteral("listen"))) {
        LiveSourceSpec spec;
        spec.kind = LiveSourceSpec::Kind::Listen;
        if (!parseListenAddress(l, &spec.listen, error))
            return false;
        spec.listen.allowRemote = p.isSet(QStringLiteral("allow-remote"));
        spec.listen.token = p.value(QStringLiteral("token"));
        out->push_back(spec);
    }
    for (const QString &u : p.values(QStringLiteral("url"))) {
        LiveSourceSpec spec;
        if (!parseSourceSpec(u, &spec, error))
            return false;
        if (spec.kind != LiveSourceSpec::Kind::Url) {
            *error = QStringLiteral("--url \"%1\" is not an http:// or https:// URL").arg(u);
            return false;
        }
        out->push_back(spec);
    }
    const qsizetype dashes = inputs.removeAll(QStringLiteral("-"));
    if (dashes > 1) {
        *error = QStringLiteral("standard input (-) can be watched once");
        return false;
    }
    if (dashes == 1) {
        LiveSourceSpec spec;
        spec.kind = LiveSourceSpec::Kind::Stdin;
        out->push_back(spec);
    }
    return true;
}

} // namespace

void useOffscreenPlatform()
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir = "/tmp/runtime-" + QByteArray::number(uint(getuid()));
        ::mkdir(dir.constData(), 0700);
        qputenv("XDG_RUNTIME_DIR", dir);
    }
}

int runGui(int argc, char *argv[])
{
    // Without a display, choose the offscreen platform before Qt starts where none is needed,
    // and say so where the window is wanted: Qt would abort ("could not connect to display").
    if (!hasDisplay()) {
        if (!needsNoDisplay(argc, argv)) {
            std::fputs("ratescope: no display: use 'ratescope summarize …', or --screenshot FILE "
                       "to render without one\n",
                stderr);
            return 1;
        }
        useOffscreenPlatform();
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("RateScope"));
    QApplication::setOrganizationName(QStringLiteral("RateScope"));
    QApplication::setApplicationVersion(QStringLiteral(RATESCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.ratescope.RateScope"));
    QApplication::setWindowIcon(appIcon());

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Shows why API calls got HTTP 429. Subcommands: "
                                               "summarize, monitor, simulate (see their --help)."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        { QStringLiteral("screenshot"),
            QStringLiteral(
                "Load INPUT..., write the window as a PNG to FILE and exit (no display needed)."),
            QStringLiteral("FILE") },
        { QStringLiteral("size"),
            QStringLiteral("Window size for --screenshot (default 1400x900)."),
            QStringLiteral("WxH") },
        { QStringLiteral("theme"), QStringLiteral("system, light or dark."),
            QStringLiteral("THEME") },
        limitOption(), // as summarize takes them; --limit 0 forgets the remembered limits
        limitsOption(),
        { QStringLiteral("scope"),
            QStringLiteral("Open showing this API scope (a host, as the scope list names it); "
                           "all scopes when the data has no such scope."),
            QStringLiteral("SCOPE") },
        { QStringLiteral("axis"),
            QStringLiteral("Open showing this axis of the chart: requests, tokens, input_tokens, "
                           "output_tokens or concurrency (requests when the data has none)."),
            QStringLiteral("AXIS") },
        { QStringLiteral("what-if"),
            QStringLiteral("Open the What-if panel replaying the scope against this limit, "
                           "N[/W] as --limit takes it (600, 100/10s, 5000/1h)."),
            QStringLiteral("LIMIT") },
        { QStringLiteral("local"), QStringLiteral("Show local time instead of UTC.") },
        { QStringLiteral("rules"),
            QStringLiteral("Classification rules file replacing the built-in one."),
            QStringLiteral("FILE") },
        { QStringLiteral("follow"),
            QStringLiteral("Watch a growing log file (like tail -F); may be repeated."),
            QStringLiteral("FILE") },
        { QStringLiteral("from-start"),
            QStringLiteral("With --follow: read what the files already hold, then follow.") },
        { QStringLiteral("listen"),
            QStringLiteral("Watch NDJSON records sent over TCP to HOST:PORT (loopback unless "
                           "--allow-remote)."),
            QStringLiteral("HOST:PORT") },
        { QStringLiteral("url"),
            QStringLiteral("Watch an http(s) stream of NDJSON or Server-Sent Events."),
            QStringLiteral("URL") },
        { QStringLiteral("allow-remote"),
            QStringLiteral("Allow --listen on a non-loopback address (prints a warning).") },
        { QStringLiteral("token"),
            QStringLiteral("Shared token for --listen: a connection's first line must be "
                           "\"AUTH <token>\"."),
            QStringLiteral("TOKEN") },
        captureMaxOption(),
        captureKeepOption(),
        { QStringLiteral("keep"),
            QStringLiteral("Watching: hold the raw records of the last SPAN of record time in "
                           "memory (30m, 2h, 1d; default 2h, or Watch ▸ Hold raw records); "
                           "older ones are counted and read back from the capture file. "
                           "\"all\" holds every record (memory grows)."),
            QStringLiteral("SPAN") },
        { QStringLiteral("screenshot-after"),
            QStringLiteral("With --screenshot and live sources: seconds to watch first "
                           "(default 5)."),
            QStringLiteral("S") },
        { QStringLiteral("settings"),
            QStringLiteral("Keep settings in this INI file instead of the user's."),
            QStringLiteral("FILE") },
    });
    p.addPositionalArgument(QStringLiteral("INPUT"),
        QStringLiteral("Log files to open, or one table (postgresql://…?table=T, "
                       "clickhouse://…/db.table); - watches standard input (some-proxy | "
                       "ratescope -)."),
        QStringLiteral("[INPUT...]"));
    if (!p.parse(QApplication::arguments()))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << p.helpText();
        return 0;
    }
    if (p.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "ratescope " << RATESCOPE_VERSION << "\n";
        return 0;
    }
    const bool screenshot = p.isSet(QStringLiteral("screenshot"));
    QStringList inputs = p.positionalArguments();
    std::vector<LiveSourceSpec> live;
    if (QString error; !liveSources(p, inputs, &live, &error))
        return usageError(error);
    if (!live.empty() && !inputs.isEmpty())
        return usageError(QStringLiteral("open files or watch live sources, not both"));
    // a table (issue 21): charted from the engine's counts, on its own
    const bool engine = std::any_of(inputs.begin(), inputs.end(), isEngineUri);
    std::optional<EngineUri> engineUri;
    if (engine) {
        QString error;
        if (inputs.size() > 1 || !live.empty())
            return usageError(QStringLiteral("a table is opened on its own"));
        engineUri = parseEngineUri(inputs.front(), &error);
        if (!engineUri)
            return usageError(error);
    }
    if (screenshot && inputs.isEmpty() && live.empty())
        return usageError(QStringLiteral("--screenshot needs at least one INPUT"));
    int screenshotAfterMs = 5000;
    if (p.isSet(QStringLiteral("screenshot-after"))) {
        bool ok = false;
        const double s = p.value(QStringLiteral("screenshot-after")).toDouble(&ok);
        if (!ok || s < 0 || s > 3600)
            return usageError(QStringLiteral("invalid --screenshot-after \"%1\": expected seconds")
                                  .arg(p.value(QStringLiteral("screenshot-after"))));
        screenshotAfterMs = int(s * 1000);
    }
    QSize size(1400, 900);
    if (p.isSet(QStringLiteral("size"))) {
        const auto m = QRegularExpression(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"))
                           .match(p.value(QStringLiteral("size")));
        if (!m.hasMatch())
            return usageError(QStringLiteral("invalid --size \"%1\": expected WxH, e.g. 1400x900")
                                  .arg(p.value(QStringLiteral("size"))));
        size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    // summarize's grammar, per scope or for every scope; they replace the remembered limits
    std::vector<LimitEntry> limits;
    const bool limitSet = p.isSet(QStringLiteral("limit")) || p.isSet(QStringLiteral("limits"));
    if (limitSet && p.values(QStringLiteral("limit")) != QStringList { QStringLiteral("0") }) {
        QString error;
        std::optional<std::vector<LimitEntry>> read = readLimits(p, &error);
        if (!read)
            return usageError(error);
        limits = std::move(*read);
    }
    const std::optional<LimitAxis> axis = p.isSet(QStringLiteral("axis"))
        ? limitAxisFromName(p.value(QStringLiteral("axis")).trimmed())
        : LimitAxis::Requests;
    if (!axis)
        return usageError(QStringLiteral("invalid --axis \"%1\": expected requests, tokens, "
                                         "input_tokens, output_tokens or concurrency")
                              .arg(p.value(QStringLiteral("axis"))));
    std::optional<LimitSpec> whatIf;
    if (p.isSet(QStringLiteral("what-if"))) {
        QString error;
        whatIf = parseLimitSpec(p.value(QStringLiteral("what-if")).trimmed(), &error);
        if (!whatIf || !whatIf->windowS || *whatIf->windowS <= 0)
            return usageError(
                QStringLiteral("invalid --what-if \"%1\": %2")
                    .arg(p.value(QStringLiteral("what-if")),
                        error.isEmpty() ? QStringLiteral("expected N[/W] with a window") : error));
    }
    std::optional<std::int64_t> keepS; // --keep: seconds, 0 for all
    if (p.isSet(QStringLiteral("keep"))) {
        const QString text = p.value(QStringLiteral("keep")).trimmed();
        keepS = text == QLatin1String("all") ? std::optional<std::int64_t>(0) : parseSpanS(text);
        if (!keepS)
            return usageError(QStringLiteral("invalid --keep \"%1\": expected a span such as "
                                             "30m, 2h or 1d, or \"all\"")
                                  .arg(text));
    }
    std::optional<CaptureRotation> rotation;
    if (QString error; !(rotation = readCaptureRotation(p, &error)))
        return usageError(error);
    std::optional<RuleSet> rules = RuleSet::builtIn();
    if (p.isSet(QStringLiteral("rules"))) {
        QString error;
        rules = RuleSet::fromFile(p.value(QStringLiteral("rules")), &error);
        if (!rules)
            return usageError(error);
    }

    // a screenshot never reads or changes the user's settings: it shows the defaults
    QTemporaryDir scratch;
    std::unique_ptr<UiSettings> settings;
    if (p.isSet(QStringLiteral("settings")))
        settings = std::make_unique<UiSettings>(p.value(QStringLiteral("settings")));
    else if (screenshot)
        settings = std::make_unique<UiSettings>(scratch.filePath(QStringLiteral("ratescope.ini")));
    else
        settings = std::make_unique<UiSettings>();
    if (limitSet)
        settings->setLimits(limits);
    if (p.isSet(QStringLiteral("local")))
        settings->setUtc(false);
    Theme theme(app);
    const ThemeMode mode = p.isSet(QStringLiteral("theme"))
        ? themeModeFromString(p.value(QStringLiteral("theme")))
        : settings->theme();
    theme.apply(mode);

    Session session(std::move(*rules));
    // a load keeps the scope shown when its data has it
    session.filter().setScope(p.value(QStringLiteral("scope")).trimmed().toLower());
    MainWindow window(session, *settings, theme);
    window.chart()->setAxis(*axis); // shown once a view has values on it
    if (p.isSet(QStringLiteral("capture-max"))) // this run's, whatever Watch ▸ Capture file says
        window.watchMenu()->setCaptureRotation(*rotation);
    if (keepS) // this run's, whatever Watch ▸ Hold raw records says
        window.watchMenu()->setKeepMs(*keepS * 1000);
    if (whatIf) {
        window.whatIf()->presetLimit(*whatIf);
        window.whatIf()->show();
    }
    if (engineUri) {
        // the per-bucket counts of the table in the chart; its incidents, a bucket's rows and
        // their detail in the panels
        window.setWindowTitle(engineUri->display() + QStringLiteral(" — RateScope"));
        if (screenshot)
            window.resize(size);
        window.show();
        QString error;
        std::unique_ptr<BucketQueryRunner> runner
            = makeBucketQueryRunner(*engineUri, session.rules(), &error);
        if (!runner) {
            window.statusBar()->showMessage(engineUri->display() + QStringLiteral(": ") + error);
            if (screenshot)
                return usageError(engineUri->display() + QStringLiteral(": ") + error);
            return app.exec();
        }
        auto *feed
            = new EngineChartFeed(window.chart(), std::move(runner), engineUri->display(), &window);
        auto *panels
            = new EnginePanelsFeed(*engineUri, std::make_shared<const RuleSet>(session.rules()),
                session.incidentModel(), session.eventModel(), &window);
        window.showEngineTable(feed, panels);
        if (screenshot) { // no one to ask for a password: a refusal is a failure
            ScreenshotRunner runner(window, session, p.value(QStringLiteral("screenshot")));
            QObject::connect(
                &runner, &ScreenshotRunner::done, &app, [](int code) { QApplication::exit(code); });
            runner.startEngine(*feed, *panels);
            return app.exec();
        }
        feed->setPasswordPrompt(passwordDialog(&window));
        feed->start();
        return app.exec();
    }
    if (screenshot) {
        window.resize(size);
        window.show();
        ScreenshotRunner runner(window, session, p.value(QStringLiteral("screenshot")));
        QObject::connect(
            &runner, &ScreenshotRunner::done, &app, [](int code) { QApplication::exit(code); });
        if (live.empty())
            runner.start(inputs);
        else
            runner.startLive(live, screenshotAfterMs);
        return app.exec();
    }
    window.show();
    if (!live.empty())
        window.watch(
            live, p.isSet(QStringLiteral("from-start")) ? std::optional<bool>(true) : std::nullopt);
    else if (!inputs.isEmpty())
        session.open(inputs);
    return app.exec();
}
