// Scopes and the limits a user gives (limits.md §1, §2): the `[SCOPE:][AXIS=]N[/W]` grammar of
// --limit and --limits FILE, the host of an endpoint, and every request in its API's scope,
// checked against a count of the same files made another way (Qt's JSON and QUrl).
#include "aggregate/scopes.h"
#include "base/limitspec.h"
#include "incidents/scopedwarning.h"
#include "io/bytesource.h"
#include "model/eventfilter.h"
#include "model/loadjob.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <map>

class TestScopes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void limitEntry_data();
    void limitEntry();
    void badLimitEntry_data();
    void badLimitEntry();
    void limitsJson_data();
    void limitsJson();
    void scopeHost_data();
    void scopeHost();
    void scopeByNames();
    void harHostsAreScopes_data();
    void harHostsAreScopes();
    void hostClientAndAll();
    void hostModel_data();
    void hostModel();
    void windowScopeListAndFilter();
    void earlyWarningPerScope_data();
    void earlyWarningPerScope();
};

Q_DECLARE_METATYPE(LimitEntry)

using Axis = LimitAxis;

static LimitEntry entry(const QString &scope, Axis axis, std::int64_t n, std::int64_t w)
{
    LimitEntry e;
    e.scope = scope;
    e.axis = axis;
    e.spec.requests = n;
    e.spec.windowS = w;
    return e;
}

void TestScopes::limitEntry_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<LimitEntry>("expected");
    QTest::addColumn<QString>("readBack");
    // limits.md §2's own examples, then windows in every unit and scopes with ports
    QTest::newRow("600") << "600" << entry({}, Axis::Requests, 600, 60) << "600";
    QTest::newRow("600/1m") << "600/1m" << entry({}, Axis::Requests, 600, 60) << "600";
    QTest::newRow("tokens per scope")
        << "api.openai.com:tokens=90000/1m" << entry("api.openai.com", Axis::Tokens, 90000, 60)
        << "api.openai.com:tokens=90000";
    QTest::newRow("input tokens") << "api.anthropic.com:input_tokens=40000/1m"
                                  << entry("api.anthropic.com", Axis::InputTokens, 40000, 60)
                                  << "api.anthropic.com:input_tokens=40000";
    QTest::newRow("output tokens")
        << "output_tokens=8000/1m" << entry({}, Axis::OutputTokens, 8000, 60)
        << "output_tokens=8000";
    QTest::newRow("concurrency") << "concurrency=10" << entry({}, Axis::Concurrency, 10, 0)
                                 << "concurrency=10";
    QTest::newRow("per day") << "requests=10000/1d" << entry({}, Axis::Requests, 10000, 86400)
                             << "10000/1d";
    QTest::newRow("seconds") << "100/10s" << entry({}, Axis::Requests, 100, 10) << "100/10s";
    QTest::newRow("hours") << "5000/1h" << entry({}, Axis::Requests, 5000, 3600) << "5000/1h";
    QTest::newRow("90 minutes") << "50/90m" << entry({}, Axis::Requests, 50, 5400) << "50/90m";
    QTest::newRow("scope, requests")
        << "api.skytells.ai:120/60s" << entry("api.skytells.ai", Axis::Requests, 120, 60)
        << "api.skytells.ai:120";
    QTest::newRow("scope with a port")
        << "localhost:8080:600" << entry("localhost:8080", Axis::Requests, 600, 60)
        << "localhost:8080:600";
    QTest::newRow("spaces") << " acme.scalekit.dev : 600 / 1m "
                            << entry("acme.scalekit.dev", Axis::Requests, 600, 60)
                            << "acme.scalekit.dev:600";
    QTest::newRow("tool calls") << "tool-calls:concurrency=4"
                                << entry("tool-calls", Axis::Concurrency, 4, 0)
                                << "tool-calls:concurrency=4";
}

void TestScopes::limitEntry()
{
    QFETCH(QString, text);
    QFETCH(LimitEntry, expected);
    QFETCH(QString, readBack);
    QString error;
    const auto parsed = parseLimitEntry(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->scope, expected.scope);
    QCOMPARE(int(parsed->axis), int(expected.axis));
    QCOMPARE(parsed->spec.requests, expected.spec.requests);
    QCOMPARE(parsed->spec.windowS, expected.spec.windowS);
    QCOMPARE(limitEntryText(*parsed), readBack);
    const auto again = parseLimitEntry(readBack, &error); // the text reads back the same
    QVERIFY(again && *again == *parsed);
}

void TestScopes::badLimitEntry_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("says");
    QTest::newRow("empty") << ""
                           << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("zero") << "0"
                          << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("negative") << "-5"
                              << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("unit missing") << "600/1"
                                  << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("weeks") << "600/1w"
                           << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("zero window") << "600/0m"
                                 << "[SCOPE:][AXIS=]N[/W]";
    QTest::newRow("unknown axis") << "api.openai.com:bytes=5"
                                  << "unknown axis \"bytes\"";
    QTest::newRow("empty scope") << ":600"
                                 << "scope before ':' is empty";
    QTest::newRow("concurrency window") << "concurrency=10/1m"
                                        << "no window";
    QTest::newRow("fraction") << "1.5"
                              << "[SCOPE:][AXIS=]N[/W]";
}

void TestScopes::badLimitEntry()
{
    QFETCH(QString, text);
    QFETCH(QString, says);
    QString error;
    QVERIFY(!parseLimitEntry(text, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QVERIFY2(error.contains(QLatin1Char('"') + text + QLatin1Char('"')), qPrintable(error));
}

void TestScopes::limitsJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("entries"); // limitEntryText of each, or the error
    QTest::newRow("the spec's shape")
        << QByteArray(R"([{"scope":"api.openai.com","axis":"tokens","limit":90000,"window":"1m"},
                          {"limit":600},{"axis":"concurrency","limit":10},
                          {"scope":"acme.scalekit.dev","limit":10000,"window":"1d"}])")
        << QStringList { "api.openai.com:tokens=90000", "600", "concurrency=10",
               "acme.scalekit.dev:10000/1d" };
    QTest::newRow("empty array") << QByteArray("[]") << QStringList {};
    QTest::newRow("not json") << QByteArray("[{") << QStringList { "error: not JSON at byte" };
    QTest::newRow("object") << QByteArray("{}") << QStringList { "error: expected a JSON array" };
    QTest::newRow("unknown field") << QByteArray(R"([{"limit":5},{"limit":5,"burst":2}])")
                                   << QStringList { "error: entry 1: unknown field \"burst\"" };
    QTest::newRow("limit a string") << QByteArray(R"([{"limit":"600"}])")
                                    << QStringList { "error: entry 0: \"limit\" must be" };
    QTest::newRow("fractional limit")
        << QByteArray(R"([{"limit":2.5}])") << QStringList { "error: entry 0: \"limit\" must be" };
    QTest::newRow("bad window") << QByteArray(R"([{"limit":5,"window":"soon"}])")
                                << QStringList { "error: entry 0: expected [SCOPE:]" };
    QTest::newRow("bad axis") << QByteArray(R"([{"limit":5,"axis":"bytes"}])")
                              << QStringList { "error: entry 0: unknown axis \"bytes\"" };
}

void TestScopes::limitsJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, entries);
    QString error;
    const auto parsed = parseLimitsJson(json, &error);
    if (!entries.isEmpty() && entries.first().startsWith(QLatin1String("error: "))) {
        QVERIFY(parsed.empty());
        QVERIFY2(error.startsWith(entries.first().mid(7)), qPrintable(error));
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList texts;
    for (const auto &e : parsed)
        texts << limitEntryText(e);
    QCOMPARE(texts, entries);
}

void TestScopes::scopeHost_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("host");
    QTest::newRow("plain") << "api.openai.com/v1/chat/completions"
                           << "api.openai.com";
    QTest::newRow("case") << "Api.OpenAI.com/v1/models"
                          << "api.openai.com";
    QTest::newRow("https port") << "api.openai.com:443/v1"
                                << "api.openai.com";
    QTest::newRow("http port") << "example.com:80"
                               << "example.com";
    QTest::newRow("other port kept") << "localhost:8080/v1"
                                     << "localhost:8080";
    QTest::newRow("no path") << "api.skytells.ai"
                             << "api.skytells.ai";
    QTest::newRow("ipv6") << "[::1]:8443/x"
                          << "[::1]:8443";
    QTest::newRow("ipv6 no port") << "[::1]/x"
                                  << "[::1]";
    QTest::newRow("tool call log") << ""
                                   << "tool-calls";
}

void TestScopes::scopeHost()
{
    QFETCH(QString, endpoint);
    QFETCH(QString, host);
    QCOMPARE(QString::fromStdString(scopeHostOf(endpoint.toStdString())), host);
}

void TestScopes::scopeByNames()
{
    for (const char *name : { "host", "host+model", "host+client", "all" }) {
        const auto by = scopeByFromName(QLatin1String(name));
        QVERIFY2(by, name);
        QCOMPARE(scopeByName(*by), QLatin1String(name));
    }
    QVERIFY(!scopeByFromName(QStringLiteral("model")));
    QVERIFY(!scopeByFromName(QStringLiteral("Host")));
}

void TestScopes::harHostsAreScopes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("scopes");
    // The hosts counted with python3's json and re when the fixtures were chosen
    QTest::newRow("cnn: 96 hosts") << "samples/haralyzer_cnn-chrome.har" << 96;
    QTest::newRow("firefox: 2 hosts") << "samples/mitmproxy_firefox.har" << 2;
    QTest::newRow("chrome: 2 hosts") << "samples/mitmproxy_chrome.har" << 2;
}

// Every HAR entry is in the scope of its URL's host, as QUrl reads it; the number of events in
// each scope is the number of entries with that host.
void TestScopes::harHostsAreScopes()
{
    QFETCH(QString, file);
    QFETCH(int, scopes);
    QFile f(fixture(file));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    std::map<std::string, int> expected;
    const QJsonArray entries
        = QJsonDocument::fromJson(bytes)[QLatin1String("log")][QLatin1String("entries")].toArray();
    for (const auto &e : entries) {
        const QUrl url(e.toObject()[QLatin1String("request")][QLatin1String("url")].toString());
        QString host = url.host().toLower();
        if (url.port() != -1 && url.port() != 443 && url.port() != 80)
            host += QLatin1Char(':') + QString::number(url.port());
        ++expected[host.toStdString()];
    }
    QCOMPARE(int(expected.size()), scopes);

    const Loaded loaded = loadFiles({ fixture(file) });
    QCOMPARE(loaded.store->size(), std::size_t(entries.size()));
    const ScopeIndex index = ScopeIndex::build(*loaded.store, ScopeBy::Host);
    std::map<std::string, int> counted;
    const auto byScope = index.eventsByScope(*loaded.store);
    QCOMPARE(byScope.size(), index.size());
    for (std::size_t s = 0; s < index.size(); ++s)
        counted[index.names()[s]] = int(byScope[s].size());
    QCOMPARE(counted, expected);
    // names sorted, and find() is case-blind
    QVERIFY(std::is_sorted(index.names().begin(), index.names().end()));
    const QString last = QString::fromStdString(index.names().back()).toUpper();
    QCOMPARE(index.find(last), std::optional<std::uint32_t>(std::uint32_t(index.size() - 1)));
    QCOMPARE(index.find(QStringLiteral("no.such.host")), std::nullopt);
}

// The bundled demo: Scalekit's tool calls, Skytells' predictions and OpenAI's chat completions
// are three APIs; host+client
// splits each by who called it; `all` is one scope of every event. Counted with QJsonDocument
// and QUrl over the inflated lines.
void TestScopes::hostClientAndAll()
{
    const QString path = QStringLiteral(RATESCOPE_SOURCE_DIR "/resources/demo/demo.ndjson.gz");
    QString error;
    const QByteArray text = readInflated(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    std::map<std::string, int> hosts, hostClients;
    int lines = 0;
    for (const QByteArray &line : text.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        ++lines;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString url = o[QLatin1String("url")].toString();
        const std::string host = url.isEmpty() ? "tool-calls" : QUrl(url).host().toStdString();
        QString client = o[QLatin1String("connection_name")].toString();
        if (client.isEmpty())
            client = o[QLatin1String("client")].toString();
        ++hosts[host];
        ++hostClients[host + "+" + (client.isEmpty() ? "?" : client.toStdString())];
    }
    std::set<std::string> hostNames;
    for (const auto &[host, count] : hosts)
        hostNames.insert(host);
    QCOMPARE(hostNames,
        (std::set<std::string> { "acme.scalekit.dev", "api.openai.com", "api.skytells.ai" }));
    QVERIFY(hostClients.size() > hosts.size());
    const Loaded loaded = loadFiles({ path });
    QCOMPARE(int(loaded.store->size()), lines);
    for (const auto &[by, expected] :
        { std::pair { ScopeBy::Host, hosts }, std::pair { ScopeBy::HostClient, hostClients } }) {
        const ScopeIndex index = ScopeIndex::build(*loaded.store, by);
        std::map<std::string, int> counted;
        for (std::size_t i = 0; i < loaded.store->size(); ++i)
            ++counted[index.names()[index.scopeOf(i)]];
        QCOMPARE(counted, expected);
    }
    const ScopeIndex all = ScopeIndex::build(*loaded.store, ScopeBy::All);
    QCOMPARE(all.size(), std::size_t(1));
    QCOMPARE(all.names().front(), std::string("all"));
    QCOMPARE(all.eventsByScope(*loaded.store).front().size(), loaded.store->size());
}

void TestScopes::hostModel_data()
{
    QTest::addColumn<QString>("file"); // a fixture, or "inline:" and NDJSON lines
    QTest::addColumn<QStringList>("scopes"); // "SCOPE=requests", sorted
    // The recordings: the request bodies' "model" counted with grep (the ellmer cassette keeps no
    // request body, so its responses' "model" counts; its 429 names none).
    QTest::newRow("vcrpy, OpenAI") << "llm/DataDog__dd-trace-py__openai_429_rpm_batch.yaml"
                                   << QStringList { "api.openai.com+gpt-3.5-turbo=4" };
    QTest::newRow("Ruby VCR, Groq") << "llm/alexrudall__ruby-openai__groq_stream.yml"
                                    << QStringList { "api.groq.com+llama3-8b-8192=1" };
    QTest::newRow("Ruby VCR, Anthropic")
        << "llm/crmne__ruby_llm__anthropic_multiturn.yml"
        << QStringList { "api.anthropic.com+claude-haiku-4-5-20251001=2" };
    QTest::newRow("Gemini: the model is in the URL")
        << "llm/crmne__ruby_llm__gemini_429_quota_failure.yml"
        << QStringList { "generativelanguage.googleapis.com+gemini-2.5-flash=1" };
    QTest::newRow("ReqLLM, base64 request body")
        << "llm/social-growth-studio__req_llm__openrouter_429_free_per_min.json"
        << QStringList { "openrouter.ai+qwen/qwen3-coder:free=1" };
    QTest::newRow("ellmer: response model, and a 429 without one")
        << "llm/tidyverse__ellmer__openai_429_insufficient_quota.yml"
        << QStringList { "api.openai.com+?=1", "api.openai.com+gpt-4o-2024-08-06=2" };
    QTest::newRow("httprr, Anthropic")
        << "llm/tmc__langchaingo__anthropic_429_concurrency.httprr"
        << QStringList { "api.anthropic.com+claude-3-opus-20240229=1" };
    // The order of limits.md §1: the request's model, else the response's, else the URL's.
    QTest::newRow("request before response")
        << "inline:{\"timestamp\":\"2026-01-01T00:00:00Z\",\"url\":\"https://api.x.ai/v1/chat\","
           "\"status\":200,\"request\":{\"body\":{\"model\":\"asked\"}},"
           "\"response\":{\"body\":{\"model\":\"asked-2025\"}}}"
        << QStringList { "api.x.ai+asked=1" };
    QTest::newRow("response when the request names none")
        << "inline:{\"timestamp\":\"2026-01-01T00:00:00Z\",\"url\":\"https://api.x.ai/v1/chat\","
           "\"status\":200,\"response\":{\"body\":{\"model\":\"answered\"}}}"
        << QStringList { "api.x.ai+answered=1" };
    QTest::newRow("a gateway log's own model field")
        << "inline:{\"timestamp\":\"2026-01-01T00:00:00Z\",\"url\":\"https://gw.example/v1/chat\","
           "\"status\":429,\"model\":\"gpt-4o\"}"
        << QStringList { "gw.example+gpt-4o=1" };
    QTest::newRow("URL /models/NAME: only with the colon")
        << "inline:{\"timestamp\":\"2026-01-01T00:00:00Z\",\"url\":"
           "\"https://vertex.example/v1/projects/p/models/gemini-pro:generateContent?key=k\","
           "\"status\":200}\n"
           "{\"timestamp\":\"2026-01-01T00:00:01Z\",\"url\":\"https://api.openai.com/v1/models/"
           "gpt-4\",\"status\":200}"
        << QStringList { "api.openai.com+?=1", "vertex.example+gemini-pro=1" };
    QTest::newRow("tool calls without a model") << "inline:{\"timestamp\":\"2026-01-01T00:00:00Z\","
                                                   "\"tool_name\":\"x\",\"status\":\"SUCCESS\"}"
                                                << QStringList { "tool-calls+?=1" };
}

// --scope-by host+model: every request in its host's scope for the model it asked for.
void TestScopes::hostModel()
{
    QFETCH(QString, file);
    QFETCH(QStringList, scopes);
    QTemporaryDir dir;
    QString path = file.startsWith(QLatin1String("inline:"))
        ? writeFile(QDir(dir.path()), QStringLiteral("log.ndjson"), file.mid(7).toUtf8())
        : fixture(file);
    const Loaded loaded = loadFiles({ path });
    const ScopeIndex index = ScopeIndex::build(*loaded.store, ScopeBy::HostModel);
    std::map<std::string, int> counted;
    for (std::size_t i = 0; i < loaded.store->size(); ++i)
        ++counted[index.names()[index.scopeOf(i)]];
    QStringList got;
    for (const auto &[name, n] : counted)
        got << QString::fromStdString(name) + QLatin1Char('=') + QString::number(n);
    QCOMPARE(got, scopes);
}

// The window's scope list: every host with its requests and rejections, most rejections first;
// choosing one filters to its requests. Counted here from the store's own endpoints with QUrl.
void TestScopes::windowScopeListAndFilter()
{
    const Loaded loaded = loadFiles({ fixture(QStringLiteral("samples/haralyzer_cnn-chrome.har")),
        fixture(QStringLiteral("gateway_mix.ndjson")) });
    LoadResult result;
    result.store = std::shared_ptr<const EventStore>(loaded.store.get(), [](const EventStore *) {});
    collectChoices(result);
    std::map<QString, std::pair<qint64, qint64>> expected;
    for (std::size_t i = 0; i < loaded.store->size(); ++i) {
        const std::string_view endpoint = loaded.store->endpoint(i);
        const QString host = endpoint.empty()
            ? QStringLiteral("tool-calls")
            : QUrl(QStringLiteral("https://") + QString::fromUtf8(endpoint.data(), endpoint.size()))
                  .host();
        ++expected[host].first;
        expected[host].second += loaded.store->isRejection(i) ? 1 : 0;
    }
    QCOMPARE(result.scopes.size(), expected.size());
    for (std::size_t k = 0; k < result.scopes.size(); ++k) {
        const ScopeCount &c = result.scopes[k];
        QCOMPARE(std::make_pair(c.requests, c.rejected), expected[c.name]);
        if (k > 0)
            QVERIFY(result.scopes[k - 1].rejected >= c.rejected);
    }
    QCOMPARE(result.scopes.front().name, QStringLiteral("acme.scalekit.dev")); // 10 rejected

    FilterState f;
    f.scope = QStringLiteral("api.skytells.ai");
    const FilterResult rows = applyFilter(*loaded.store, f, {});
    QCOMPARE(qint64(rows.rows.size()), expected[f.scope].first);
    for (std::uint32_t e : rows.rows)
        QCOMPARE(scopeHostOf(loaded.store->endpoint(e)), f.scope.toStdString());
    f.scope = QStringLiteral("tool-calls");
    QCOMPARE(qint64(applyFilter(*loaded.store, f, {}).rows.size()), expected[f.scope].first);
}

// Live and monitor warn per scope (limits.md §1): each API against its own limit (given for it,
// else for every scope, else the one its responses reported), and a new incident is one API's.
void TestScopes::earlyWarningPerScope_data()
{
    QTest::addColumn<QStringList>("limits"); // --limit texts
    QTest::addColumn<int>("aRequests"); // in minute 0, to a.example
    QTest::addColumn<int>("bRequests"); // in minute 0, to b.example
    QTest::addColumn<int>(
        "bReported"); // the limit per minute b.example's responses report (0: none)
    QTest::addColumn<QStringList>("nearLimit"); // "scope count/limit" of each NearLimit warning
    QTest::addRow("each scope its own") << QStringList { "a.example:10", "100" } << 10 << 50 << 0
                                        << QStringList { "a.example 10/10" };
    QTest::addRow("the whole log's total is no scope's")
        << QStringList { "60" } << 30 << 30 << 0 << QStringList {};
    QTest::addRow("the other scope over the limit for every scope")
        << QStringList { "a.example:1000", "40" } << 30 << 40 << 0
        << QStringList { "b.example 40/40" };
    QTest::addRow("reported by the scope's own responses")
        << QStringList {} << 30 << 40 << 40 << QStringList { "b.example 40/40" };
    QTest::addRow("a given limit wins over the reported one")
        << QStringList { "b.example:500" } << 30 << 40 << 40 << QStringList {};
}

void TestScopes::earlyWarningPerScope()
{
    QFETCH(QStringList, limits);
    QFETCH(int, aRequests);
    QFETCH(int, bRequests);
    QFETCH(int, bReported);
    QFETCH(QStringList, nearLimit);
    std::vector<LimitEntry> entries;
    for (const QString &text : limits) {
        QString error;
        const auto e = parseLimitEntry(text, &error);
        QVERIFY2(e, qPrintable(error));
        entries.push_back(*e);
    }
    const std::int64_t t0 = 1767600000000; // 2026-01-05T08:00:00Z, a minute's start
    EventStore store;
    for (int i = 0; i < std::max(aRequests, bRequests); ++i) {
        for (const bool b : { false, true }) {
            if (i >= (b ? bRequests : aRequests))
                continue;
            EventInput in;
            in.timeMs = t0 + i * 100;
            in.status = 200;
            in.endpoint = b ? "b.example/v1/y" : "a.example/v1/x";
            if (b && bReported > 0) {
                in.serverLimit = bReported;
                in.serverWindowS = 60;
            }
            store.append(in);
        }
    }
    ScopedEarlyWarning early(0.9, 5);
    early.setLimits(entries);
    QStringList got;
    for (const LiveWarning &w : early.add(store)) {
        QCOMPARE(w.kind, LiveWarning::Kind::NearLimit);
        QVERIFY2(w.text.startsWith(w.scope + QStringLiteral(": ")), qPrintable(w.text));
        got << QStringLiteral("%1 %2/%3").arg(w.scope).arg(w.count).arg(w.limit);
    }
    QCOMPARE(got, nearLimit);
    QCOMPARE(early.scopes(), (std::vector<std::string> { "a.example", "b.example" }));
}

QTEST_GUILESS_MAIN(TestScopes)
#include "tst_scopes.moc"
