// Summaries per scope (limits.md §1, §3, §6, §8): every API's own figures, limits and incidents,
// the top-level figures of the scope with the most rejections, the limits a user gives per
// scope, reported limits with their windows, and drift. On hand-built stores (exact numbers)
// and on the bundled demo.
#include "export/report.h"
#include "export/reportformats.h"
#include "export/summary.h"
#include "io/bytesource.h"
#include "testutil.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <map>
#include <set>

namespace {

constexpr std::int64_t kT0 = 1767607200000; // 2026-01-05T10:00:00Z
constexpr std::int64_t kMin = 60000;

struct Ev
{
    std::int64_t t;
    const char *endpoint;
    RejectionSource source = RejectionSource::None;
    std::int32_t serverLimit = -1;
    std::int32_t serverWindowS = -1;
};

std::unique_ptr<EventStore> storeOf(const std::vector<Ev> &events)
{
    auto s = std::make_unique<EventStore>();
    s->addFile("test");
    for (const Ev &e : events) {
        EventInput in;
        in.timeMs = e.t;
        in.status = e.source == RejectionSource::None ? 200 : 429;
        in.source = e.source;
        in.endpoint = e.endpoint;
        in.serverLimit = e.serverLimit;
        in.serverWindowS = e.serverWindowS;
        s->append(in);
    }
    return s;
}

// n requests to one endpoint spread over the minute starting at `minute`, the last `rejected`
// of them RATE_LIMITED, each reporting `limit` per `window` seconds.
void burst(std::vector<Ev> &out, std::int64_t minute, const char *endpoint, int n, int rejected,
    std::int32_t limit = -1, std::int32_t window = -1)
{
    for (int k = 0; k < n; ++k)
        out.push_back({ minute + k * (kMin / n), endpoint,
            k >= n - rejected ? RejectionSource::RateLimited : RejectionSource::None, limit,
            window });
}

const ScopeSummary &scope(const Summary &s, const std::string &name)
{
    for (const ScopeSummary &sc : s.scopes) {
        if (sc.name == name)
            return sc;
    }
    qFatal("no scope %s", name.c_str());
}

} // namespace

class TestScopeSummary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eachApiItsOwnFigures();
    void topLevelIsTheScopeWithMostRejections_data();
    void topLevelIsTheScopeWithMostRejections();
    void userLimitsPerScope_data();
    void userLimitsPerScope();
    void unknownWindowIsShownNotCompared();
    void openAiWindowAcrossTheLog_data();
    void openAiWindowAcrossTheLog();
    void driftConfiguredAndChanged();
    void driftChangesAreCapped();
    void aFilterKeepsTheScopesReportedLimit();
    void scopeByAllIsTheWholeLog();
    void demoHasThreeApis();
};

// Two APIs busy in the same minutes: neither one's incident takes the other's rejections, and
// each scope's peak is its own, not the sum.
void TestScopeSummary::eachApiItsOwnFigures()
{
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/v1", 50, 5, 40, 60);
    burst(ev, kT0, "b.example:443/v1", 30, 3, 20, 60);
    burst(ev, kT0 + kMin, "b.example/v2", 10, 0, 20, 60);
    const auto store = storeOf(ev);
    const Summary s = buildSummary(*store, {}, std::nullopt, 5);
    QCOMPARE(s.scopes.size(), std::size_t(2));
    QCOMPARE(s.requests, 90);
    QCOMPARE(*s.peakRpm, 80); // the whole log: both APIs together
    const ScopeSummary &a = scope(s, "a.example"), &b = scope(s, "b.example");
    QCOMPARE(a.requests, 50);
    QCOMPARE(b.requests, 40);
    QCOMPARE(*a.axes.front().peak, 50);
    QCOMPARE(*b.axes.front().peak, 30);
    QCOMPARE(a.axes.front().limit->requests, 40);
    QCOMPARE(b.axes.front().limit->requests, 20);
    QVERIFY(a.axes.front().limit->fromHeaders);
    QCOMPARE(a.axes.front().minutesOverLimit, 1); // 50 > 40
    QCOMPARE(b.axes.front().minutesOverLimit, 1); // 30 > 20; the second minute's 10 is not
    QCOMPARE(s.incidents.size(), std::size_t(2));
    for (const Incident &inc : s.incidents) {
        for (std::uint32_t e : inc.events)
            QCOMPARE(scopeHostOf(store->endpoint(e)), inc.scope);
    }
    QCOMPARE(s.limits.size(), std::size_t(2));
}

void TestScopeSummary::topLevelIsTheScopeWithMostRejections_data()
{
    QTest::addColumn<int>("aRejected");
    QTest::addColumn<int>("bRejected");
    QTest::addColumn<int>("aRequests");
    QTest::addColumn<int>("bRequests");
    QTest::addColumn<QString>("top");
    QTest::newRow("more rejections") << 5 << 6 << 50 << 20 << "b.example";
    QTest::newRow("tie: more requests") << 5 << 5 << 50 << 20 << "a.example";
    QTest::newRow("tie: name") << 5 << 5 << 30 << 30 << "a.example";
    QTest::newRow("none rejected") << 0 << 0 << 10 << 20 << "b.example";
}

void TestScopeSummary::topLevelIsTheScopeWithMostRejections()
{
    QFETCH(int, aRejected);
    QFETCH(int, bRejected);
    QFETCH(int, aRequests);
    QFETCH(int, bRequests);
    QFETCH(QString, top);
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/x", aRequests, aRejected, 40, 60);
    burst(ev, kT0, "b.example/x", bRequests, bRejected, 10, 60);
    const auto store = storeOf(ev);
    const Summary s = makeReport(*store, {}, {});
    QCOMPARE(QString::fromStdString(s.topScope), top);
    const ScopeSummary &t = scope(s, top.toStdString());
    QCOMPARE(s.limit, t.axes.front().limit);
    QCOMPARE(s.minutesOverLimit, t.axes.front().minutesOverLimit);
    QCOMPARE(s.limitAsk->peakRpm, *t.axes.front().peak);
    const QByteArray json = summaryToJson(s);
    QVERIFY(json.contains("\"schema\": \"ratescope.summary/2\""));
    QVERIFY2(json.contains(("\"scope\": \"" + top + "\"").toUtf8()), json.constData());
}

void TestScopeSummary::userLimitsPerScope_data()
{
    QTest::addColumn<QStringList>("limits");
    QTest::addColumn<QString>("aLimit"); // limitEntryText-like "N/W from", or "-"
    QTest::addColumn<QString>("bLimit");
    QTest::newRow("none: reported") << QStringList {} << "40/60 headers"
                                    << "10/60 headers";
    QTest::newRow("everywhere") << QStringList { "600" } << "600/60 flag"
                                << "600/60 flag";
    QTest::newRow("one scope") << QStringList { "b.example:100" } << "40/60 headers"
                               << "100/60 flag";
    QTest::newRow("named wins") << QStringList { "600", "B.Example:100/10s" } << "600/60 flag"
                                << "100/10 flag";
    QTest::newRow("two windows") << QStringList { "a.example:1000/1d", "a.example:45" }
                                 << "45/60 flag, 1000/86400 flag"
                                 << "10/60 headers";
}

void TestScopeSummary::userLimitsPerScope()
{
    QFETCH(QStringList, limits);
    QFETCH(QString, aLimit);
    QFETCH(QString, bLimit);
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/x", 50, 5, 40, 60);
    burst(ev, kT0, "b.example/x", 20, 2, 10, 60);
    const auto store = storeOf(ev);
    ReportOptions options;
    for (const QString &l : limits)
        options.scoping.limits.push_back(limitEntry(l.toLatin1().constData()));
    const Summary s = makeReport(*store, {}, options);
    const auto text = [](const ScopeSummary &sc) {
        QStringList parts;
        for (const AxisFigures &a : sc.axes) {
            parts << QStringLiteral("%1/%2 %3")
                         .arg(a.limit->requests)
                         .arg(*a.limit->windowS)
                         .arg(a.limit->fromHeaders ? "headers" : "flag");
        }
        return parts.join(QStringLiteral(", "));
    };
    QCOMPARE(text(scope(s, "a.example")), aLimit);
    QCOMPARE(text(scope(s, "b.example")), bLimit);
}

// A limit without a known window (RateLimit-Limit alone) is shown as reported and never
// compared as if per minute.
void TestScopeSummary::unknownWindowIsShownNotCompared()
{
    std::vector<Ev> ev;
    burst(ev, kT0, "api.github.com/x", 50, 5, 30, -1);
    const auto store = storeOf(ev);
    const Summary s = makeReport(*store, {}, {});
    const AxisFigures &a = s.scopes.front().axes.front();
    QCOMPARE(a.limit->requests, 30);
    QCOMPARE(a.limit->windowS, std::nullopt);
    QCOMPARE(a.minutesOverLimit, 0);
    const QByteArray json = summaryToJson(s);
    QVERIFY(json.contains("\"window_s\": null"));
    const QByteArray md = summaryToMarkdown(s, RuleSet::builtIn(), {});
    QVERIFY2(md.contains("not compared: its window is not known"), md.constData());
}

void TestScopeSummary::openAiWindowAcrossTheLog_data()
{
    QTest::addColumn<QStringList>("resets"); // x-ratelimit-reset-requests of each response
    QTest::addColumn<int>("windowS"); // of the scope's one reported limit; -1: unknown
    QTest::newRow("every reset short: per minute") << QStringList { "0s", "12ms", "59.5s" } << 60;
    QTest::newRow("no reset header: per minute") << QStringList { "", "" } << 60;
    // a daily bucket (free tier) says 0s on its first request of the day: the long resets
    // after it make every record's window unknown, also that first one's
    QTest::newRow("one long reset: unknown for all") << QStringList { "0s", "7m12s", "1s" } << -1;
    QTest::newRow("long reset first") << QStringList { "21m36.001s", "0s" } << -1;
}

// limits.md §3: OpenAI's request limit is per minute while every reset seen for it is at most
// 60 s, judged over the whole log of the scope, not record by record.
void TestScopeSummary::openAiWindowAcrossTheLog()
{
    QFETCH(QStringList, resets);
    QFETCH(int, windowS);
    QByteArray log;
    for (int k = 0; k < resets.size(); ++k) {
        log += "{\"timestamp\":\"2026-01-05T10:0" + QByteArray::number(k)
            + ":00Z\",\"url\":\"https://api.openai.com/v1/chat/completions\",\"status\":200,"
              "\"headers\":{\"x-ratelimit-limit-requests\":\"200\"";
        if (!resets[k].isEmpty())
            log += ",\"x-ratelimit-reset-requests\":\"" + resets[k].toLatin1() + "\"";
        log += "}}\n";
    }
    QTemporaryDir dir;
    const Loaded loaded
        = loadFiles({ writeFile(QDir(dir.path()), QStringLiteral("openai.ndjson"), log) });
    QCOMPARE(int(loaded.store->size()), int(resets.size()));
    const Summary s = makeReport(*loaded.store, {}, {});
    QCOMPARE(s.scopes.size(), std::size_t(1));
    QCOMPARE(s.scopes.front().reported.size(), std::size_t(1));
    const LimitSpec &reported = s.scopes.front().reported.front();
    QCOMPARE(reported.requests, 200);
    QCOMPARE(reported.windowS.value_or(-1), std::int64_t(windowS));
    // the JSON says the same
    const QByteArray json = summaryToJson(s);
    QVERIFY2(
        json.contains(windowS < 0 ? "\"window_s\": null" : "\"window_s\": 60"), json.constData());
}

void TestScopeSummary::driftConfiguredAndChanged()
{
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/x", 20, 0, 100, 60);
    burst(ev, kT0 + kMin, "a.example/x", 20, 2, 80, 60);
    burst(ev, kT0 + 2 * kMin, "a.example/x", 20, 0, 80, 3600); // another window: not a change
    const auto store = storeOf(ev);
    ReportOptions options;
    options.scoping.limits = { limitEntry("a.example:90"), limitEntry("a.example:5000/1h") };
    const Summary s = makeReport(*store, {}, options);
    QCOMPARE(s.drift.size(), std::size_t(3));
    // configured 90/min against the smallest reported 80/min: more than 1 % apart; and 5000/h
    // against the 80/h reported in the third minute
    QCOMPARE(int(s.drift[0].kind), int(LimitDrift::Kind::Configured));
    QCOMPARE(s.drift[0].from, 90);
    QCOMPARE(s.drift[0].to, 80);
    QCOMPARE(s.drift[1].from, 5000);
    QCOMPARE(s.drift[1].windowS, std::optional<std::int64_t>(3600));
    // the reported per-minute limit went from 100 to 80 at the second minute's first response
    QCOMPARE(int(s.drift[2].kind), int(LimitDrift::Kind::Changed));
    QCOMPARE(s.drift[2].from, 100);
    QCOMPARE(s.drift[2].to, 80);
    QCOMPARE(*s.drift[2].timeMs, kT0 + kMin);
    QCOMPARE(s.drift[2].scope, std::string("a.example"));
    const QByteArray json = summaryToJson(s);
    QVERIFY2(json.contains("\"kind\": \"changed\""), json.constData());
    QVERIFY(json.contains("\"time\": \"2026-01-05T10:01:00.000Z\""));
    // within 1 %: no drift; with no limit given, both reported windows are in force
    options.scoping.limits = { limitEntry("a.example:80") };
    QCOMPARE(makeReport(*store, {}, options).drift.size(), std::size_t(1));
    const Summary reported = makeReport(*store, {}, {});
    QCOMPARE(reported.limits.size(), std::size_t(2));
    QCOMPARE(reported.limits[0].spec.windowS, std::optional<std::int64_t>(60));
    QCOMPARE(reported.limits[1].spec.windowS, std::optional<std::int64_t>(3600));
}

void TestScopeSummary::driftChangesAreCapped()
{
    std::vector<Ev> ev;
    for (int k = 0; k < 100; ++k) // a host serving two models alternates between their limits
        ev.push_back(
            { kT0 + k * 100, "api.openai.com/v1", RejectionSource::None, k % 2 ? 500 : 10000, 60 });
    const auto store = storeOf(ev);
    const Summary s = makeReport(*store, {}, {});
    QCOMPARE(s.drift.size(), kMaxDriftChanges);
    QCOMPARE(s.scopes.front().driftOmitted, std::size_t(99 - kMaxDriftChanges));
    QVERIFY(summaryToJson(s).contains("\"drift_omitted\": 79"));
}

void TestScopeSummary::aFilterKeepsTheScopesReportedLimit()
{
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/x", 10, 0, 40, 60);
    burst(ev, kT0 + kMin, "a.example/x", 10, 0); // no headers
    burst(ev, kT0, "b.example/x", 10, 0, 10, 60);
    const auto store = storeOf(ev);
    const EventSubset secondMinuteOfA { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 };
    ReportOptions options;
    options.subset = &secondMinuteOfA;
    const Summary s = makeReport(*store, {}, options);
    QCOMPARE(s.scopes.size(), std::size_t(1)); // b.example has no event in the subset
    QCOMPARE(s.scopes.front().requests, 10);
    QCOMPARE(s.scopes.front().axes.front().limit->requests, 40);
}

void TestScopeSummary::scopeByAllIsTheWholeLog()
{
    std::vector<Ev> ev;
    burst(ev, kT0, "a.example/x", 50, 5, 40, 60);
    burst(ev, kT0, "b.example/x", 30, 3, 20, 60);
    const auto store = storeOf(ev);
    ReportOptions options;
    options.scoping.by = ScopeBy::All;
    const Summary s = makeReport(*store, {}, options);
    QCOMPARE(s.scopes.size(), std::size_t(1));
    QCOMPARE(s.scopes.front().name, std::string("all"));
    QCOMPARE(s.scopes.front().requests, 80);
    QCOMPARE(s.limit->requests, 20); // the smallest reported, as schema 1 did
    QCOMPARE(s.minutesOverLimit, 1);
    QCOMPARE(s.incidents.size(), std::size_t(1));
}

// The bundled demo mixes Scalekit's tool-calling API, Skytells' predictions and OpenAI's chat
// completions: three scopes; Skytells' 120 per 60 s and OpenAI's 500 requests a minute are their
// own (reported), and Scalekit reports none. OpenAI's incidents are bound by its tokens per
// minute, in the rejections' own words, while its requests stay under 500 a minute.
void TestScopeSummary::demoHasThreeApis()
{
    const Loaded l
        = loadFiles({ QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz") });
    const Summary s = makeReport(*l.store, l.reports, {});
    QCOMPARE(s.scopes.size(), std::size_t(3));
    const ScopeSummary &scalekit = scope(s, "acme.scalekit.dev"),
                       &skytells = scope(s, "api.skytells.ai"),
                       &openai = scope(s, "api.openai.com");
    QCOMPARE(scalekit.requests + skytells.requests + openai.requests, s.requests);
    QCOMPARE(scalekit.rejectedTotal() + skytells.rejectedTotal() + openai.rejectedTotal(),
        s.rejectedTotal());
    QVERIFY(!scalekit.axes.front().limit);
    QCOMPARE(skytells.axes.front().limit->requests, 120);
    QCOMPARE(skytells.axes.front().limit->windowS, std::optional<std::int64_t>(60));
    QVERIFY(skytells.axes.front().limit->fromHeaders);
    QCOMPARE(s.topScope, std::string("acme.scalekit.dev"));

    const AxisFigures &requests = openai.axes.front();
    QCOMPARE(requests.axis, LimitAxis::Requests);
    QCOMPARE(requests.limit->requests, 500);
    QCOMPARE(requests.limit->windowS, std::optional<std::int64_t>(60));
    // OpenAI's requests and total_tokens per UTC minute, counted with QJsonDocument over the
    // inflated lines.
    const QString path = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
    QString error;
    const QByteArray text = readInflated(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    std::map<qint64, std::int64_t> requestsPerMinute, tokensPerMinute;
    int openai429 = 0;
    for (const QByteArray &line : text.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (QUrl(o[QLatin1String("url")].toString()).host() != QLatin1String("api.openai.com"))
            continue;
        const qint64 minute
            = QDateTime::fromString(o[QLatin1String("timestamp")].toString(), Qt::ISODateWithMs)
                  .toMSecsSinceEpoch()
            / 60000;
        ++requestsPerMinute[minute];
        tokensPerMinute[minute]
            += o[QLatin1String("body")][QLatin1String("usage")][QLatin1String("total_tokens")]
                   .toInteger();
        if (o[QLatin1String("status")].toInt() == 429)
            ++openai429;
    }
    const auto peakOf = [](const std::map<qint64, std::int64_t> &perMinute) {
        std::int64_t peak = 0;
        for (const auto &[minute, n] : perMinute)
            peak = std::max(peak, n);
        return peak;
    };
    QCOMPARE(openai.rejectedTotal(), std::int64_t(openai429));
    QVERIFY(openai429 > 0);
    QCOMPARE(*requests.peak, peakOf(requestsPerMinute));
    QVERIFY(*requests.peak < 500);
    const auto tokens = std::find_if(openai.axes.begin(), openai.axes.end(),
        [](const AxisFigures &a) { return a.axis == LimitAxis::Tokens; });
    QVERIFY(tokens != openai.axes.end());
    QCOMPARE(*tokens->peak, peakOf(tokensPerMinute));
    QVERIFY(*tokens->peak > 200000);

    std::set<std::string> incidentScopes;
    int openaiIncidents = 0;
    for (const Incident &inc : s.incidents) {
        incidentScopes.insert(inc.scope);
        for (std::uint32_t e : inc.events)
            QCOMPARE(scopeHostOf(l.store->endpoint(e)), inc.scope);
        if (inc.scope != "api.openai.com")
            continue;
        ++openaiIncidents;
        QCOMPARE(inc.binding.axis, std::optional<LimitAxis>(LimitAxis::Tokens));
        QCOMPARE(inc.binding.windowS, std::optional<std::int64_t>(60));
        QCOMPARE(int(inc.binding.evidence), int(Binding::Evidence::Message));
        QCOMPARE(inc.binding.rule, std::string("openai-tpm"));
    }
    QCOMPARE(incidentScopes.size(), std::size_t(3));
    QVERIFY(openaiIncidents > 0);
}

QTEST_GUILESS_MAIN(TestScopeSummary)
#include "tst_scopesummary.moc"
