// The session's model layer: the one filter (worker, generations), the event and incident
// models, the bucket pyramid and chart frames, drill-down and the detail loader.
#include "aggregate/buckets.h"
#include "decode/timestamp.h"
#include "model/eventfilter.h"
#include "model/seriesframe.h"
#include "model/session.h"
#include "model/tablecopy.h"
#include "model/timeticks.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kFixture = QStringLiteral(RATESCOPE_FIXTURE_DIR "/gateway_mix.ndjson");

// The filter, written out plainly: the reference applyFilter is checked against.
bool passes(const EventStore &s, std::size_t i, const FilterState &f)
{
    auto contains = [&f](std::string_view v) {
        return QString::fromUtf8(v.data(), qsizetype(v.size()))
            .contains(f.text, Qt::CaseInsensitive);
    };
    if (!f.sourceEnabled(s.source(i)))
        return false;
    if (!f.tool.isEmpty()
        && QString::fromUtf8(s.tool(i).data(), qsizetype(s.tool(i).size())) != f.tool)
        return false;
    if (!f.provider.isEmpty()
        && QString::fromUtf8(s.provider(i).data(), qsizetype(s.provider(i).size())) != f.provider)
        return false;
    if (f.status != FilterState::kAnyStatus && s.status(i) != f.status)
        return false;
    if ((f.fromMs && s.timeMs(i) < *f.fromMs) || (f.toMs && s.timeMs(i) >= *f.toMs))
        return false;
    // the text finds an event by its category's name and the rules that fired (limits.md §7)
    const bool byCategory
        = s.category(i) != ThrottleCategory::None && contains(categoryName(s.category(i)));
    if (!f.text.isEmpty()
        && !(contains(s.message(i)) || contains(s.errorCode(i)) || contains(s.endpoint(i))
            || contains(s.tool(i)) || contains(s.provider(i)) || byCategory
            || (!s.categoryRule(i).empty() && contains(s.categoryRule(i)))
            || (!s.gatewayRule(i).empty() && contains(s.gatewayRule(i)))))
        return false;
    return true;
}

// Every response of tests/fixtures/gateways/ (limits.md §7) in one log written into dir.
QString gatewayCases(const QTemporaryDir &dir)
{
    return writeFile(QDir(dir.path()), QStringLiteral("gateways.ndjson"), gatewayCasesLog());
}

} // namespace

class TestModelSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void loadsTheFixture();
    void filter_data();
    void filter();
    void newestFilterWins();
    void pyramidMatchesCountBuckets();
    void frameSlotsMatchBuckets_data();
    void frameSlotsMatchBuckets();
    void decimationKeepsTwoPointsPerColumn();
    void drillDown_data();
    void drillDown();
    void detailShowsTheProviderMessage();
    void detailNamesEveryReportedLimit_data();
    void detailNamesEveryReportedLimit();
    void detailGuidanceNamesTheBindingAxis_data();
    void detailGuidanceNamesTheBindingAxis();
    void detailOfGatewaysAndCategories_data();
    void detailOfGatewaysAndCategories();
    void gatewayEventsInTheTable();
    void incidentsFollowTheFilter();
    void timeTicks_data();
    void timeTicks();
    void newerLoadWins();
    void exportFollowsTheFilter_data();
    void exportFollowsTheFilter();
    void exportOfOneIncident_data();
    void exportOfOneIncident();
    void exportCountsInputsOfTheSubset_data();
    void exportCountsInputsOfTheSubset();
    void cancelDropsTheLoad();
    void bigTablesGrowInBatches();

private:
    void waitForView();
    // The window's export of what is shown, as JSON, read back.
    void exportJson(QJsonObject &json);

    std::unique_ptr<Session> m_session;
    std::unique_ptr<QAbstractItemModelTester> m_eventTester, m_incidentTester;
};

void TestModelSession::init()
{
    m_session = std::make_unique<Session>(RuleSet::builtIn());
    // the testers exist before the models are filled (style.md rule 10)
    m_eventTester = std::make_unique<QAbstractItemModelTester>(
        m_session->eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_incidentTester = std::make_unique<QAbstractItemModelTester>(
        m_session->incidentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ kFixture });
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    waitForView();
}

void TestModelSession::cleanup()
{
    m_eventTester.reset();
    m_incidentTester.reset();
    m_session.reset();
}

void TestModelSession::waitForView()
{
    // the models take a new view one event after the filter delivers it
    QSignalSpy applied(m_session.get(), &Session::viewApplied);
    while (!m_session->isSettled())
        QVERIFY(applied.wait(10000));
}

void TestModelSession::exportJson(QJsonObject &json)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.json"));
    QSignalSpy done(&m_session->exporter(), &ReportExporter::finished);
    m_session->exportReport(path);
    QVERIFY(done.count() > 0 || done.wait(10000));
    QCOMPARE(done.at(0).at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    json = QJsonDocument::fromJson(file.readAll()).object();
}

void TestModelSession::loadsTheFixture()
{
    const auto result = m_session->loadResult();
    QVERIFY(result);
    QCOMPARE(result->reports.size(), std::size_t(1));
    QCOMPARE(result->reports[0].records, 32);
    QCOMPARE(m_session->eventModel()->rowCount(), 32);
    const auto view = m_session->filter().view();
    QCOMPARE(view->rejected[0], 9); // RATE_LIMITED, as `summarize` reports
    QCOMPARE(view->rejected[1], 4); // TOOL_ERROR
    QCOMPARE(view->rejected[2], 1); // UNCLASSIFIED
    // Skytells' 429s at 10:20 and the tool call log's at 10:21 are two APIs: two incidents,
    // not one (an incident never spans two scopes), besides Scalekit's
    QCOMPARE(m_session->incidentModel()->rowCount(), 3);
    // rows come sorted by time
    qint64 last = INT64_MIN;
    for (int r = 0; r < m_session->eventModel()->rowCount(); ++r) {
        const qint64 t
            = m_session->eventModel()->index(r, 0).data(EventTableModel::TimeMsRole).toLongLong();
        QVERIFY(t >= last);
        last = t;
    }
}

void TestModelSession::filter_data()
{
    QTest::addColumn<FilterState>("filter");
    FilterState f;
    QTest::addRow("everything") << f;
    f = {};
    f.sources = FilterState::bit(RejectionSource::RateLimited);
    QTest::addRow("only RATE_LIMITED") << f;
    f = {};
    f.setSourceEnabled(RejectionSource::None, false);
    QTest::addRow("every rejection") << f;
    f = {};
    f.tool = QStringLiteral("gmail_fetch_mails");
    QTest::addRow("one tool") << f;
    f = {};
    f.provider = QStringLiteral("slack");
    QTest::addRow("one provider") << f;
    f = {};
    f.provider = QStringLiteral("no-such-provider");
    QTest::addRow("unknown provider") << f;
    f = {};
    f.status = 429;
    QTest::addRow("status 429") << f;
    f = {};
    f.status = -1;
    QTest::addRow("records without a status") << f;
    f = {};
    f.text = QStringLiteral("USER-RATE");
    QTest::addRow("text, any case") << f;
    f = {};
    f.fromMs = 1767607290000; // 10:01:30Z
    f.toMs = 1767607380000; // 10:03:00Z
    QTest::addRow("time range") << f;
    f.sources = FilterState::bit(RejectionSource::ToolError);
    f.text = QStringLiteral("retry");
    QTest::addRow("everything combined") << f;
}

void TestModelSession::filter()
{
    QFETCH(FilterState, filter);
    QSignalSpy changed(&m_session->filter(), &FilterController::changed);
    m_session->filter().apply(filter);
    if (!(filter == FilterState {}))
        QCOMPARE(changed.count(), 1);
    waitForView();
    const EventStore &store = *m_session->store();
    std::vector<std::uint32_t> expected;
    for (std::size_t i = 0; i < store.size(); ++i) {
        if (passes(store, i, filter))
            expected.push_back(std::uint32_t(i));
    }
    EventTableModel *model = m_session->eventModel();
    QCOMPARE(model->rowCount(), int(expected.size()));
    std::vector<std::uint32_t> shown;
    for (int r = 0; r < model->rowCount(); ++r)
        shown.push_back(std::uint32_t(model->eventAt(r)));
    std::sort(shown.begin(), shown.end());
    QVERIFY(shown == expected);
}

void TestModelSession::newestFilterWins()
{
    QSignalSpy ready(&m_session->filter(), &FilterController::viewReady);
    FilterState f;
    for (int status : { 200, 429, 502 }) {
        f.status = status;
        m_session->filter().apply(f);
    }
    waitForView();
    QVERIFY(ready.count() >= 1);
    // stale generations were dropped: views arrive in request order and the last is the newest
    quint64 previous = 0;
    for (const QList<QVariant> &args : ready) {
        const auto view = args.at(0).value<std::shared_ptr<const FilteredView>>();
        QVERIFY(view->generation > previous);
        previous = view->generation;
    }
    const auto last = ready.constLast().at(0).value<std::shared_ptr<const FilteredView>>();
    QCOMPARE(last->filter.status, 502);
    QCOMPARE(last->generation, m_session->filter().generation());
}

void TestModelSession::pyramidMatchesCountBuckets()
{
    const auto view = m_session->filter().view();
    const EventStore &store = *m_session->store();
    for (std::size_t k = 0; k < BucketPyramid::levelCount(); ++k) {
        const auto expected = countBuckets(store, BucketPyramid::bucketMs(k));
        const auto &level = view->pyramid.level(k);
        QCOMPARE(level.size(), expected.size());
        for (std::size_t b = 0; b < level.size(); ++b) {
            QCOMPARE(level[b].startMs, expected[b].startMs);
            QCOMPARE(level[b].requests, expected[b].requests);
            QVERIFY(level[b].rejected == expected[b].rejected);
            QCOMPARE(level[b].serverLimit, expected[b].serverLimit);
        }
    }
}

void TestModelSession::frameSlotsMatchBuckets_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addColumn<int>("columns");
    QTest::addRow("auto bucket, 1000 px") << qint64(0) << 1000;
    QTest::addRow("auto bucket, 200 px") << qint64(0) << 200;
    QTest::addRow("fixed 10 s") << qint64(10000) << 800;
    QTest::addRow("fixed 1 min") << qint64(60000) << 800;
}

void TestModelSession::frameSlotsMatchBuckets()
{
    QFETCH(qint64, bucketMs);
    QFETCH(int, columns);
    const auto view = m_session->filter().view();
    FrameRequest req;
    req.fromMs = view->pyramid.firstMs();
    req.toMs = view->pyramid.endMs();
    req.bucketMs = bucketMs;
    req.columns = columns;
    const SeriesFrame frame = buildFrame(view->pyramid, req);
    QVERIFY(!frame.decimated);
    if (bucketMs)
        QCOMPARE(frame.bucketMs, bucketMs);
    QVERIFY(frame.slots.size() <= std::size_t(columns));
    const auto buckets = countBuckets(*m_session->store(), frame.bucketMs);
    std::size_t matched = 0;
    std::uint32_t total = 0;
    for (const FrameSlot &slot : frame.slots) {
        QCOMPARE(slot.endMs - slot.startMs, frame.bucketMs);
        QCOMPARE(slot.requestsMin, slot.requestsMax);
        total += slot.requestsMax;
        const auto it = std::find_if(buckets.begin(), buckets.end(),
            [&](const BucketCounts &b) { return b.startMs == slot.startMs; });
        if (it == buckets.end()) {
            QCOMPARE(slot.requestsMax, 0u);
            continue;
        }
        ++matched;
        QCOMPARE(slot.requestsMax, it->requests);
        QVERIFY(slot.rejected == it->rejected);
    }
    QCOMPARE(matched, buckets.size());
    QCOMPARE(qint64(total), view->requests());
}

void TestModelSession::decimationKeepsTwoPointsPerColumn()
{
    const auto view = m_session->filter().view();
    FrameRequest req;
    req.fromMs = view->pyramid.firstMs();
    req.toMs = view->pyramid.endMs();
    req.bucketMs = 1000; // 1 s over 21 minutes into 50 columns
    req.columns = 50;
    const SeriesFrame frame = buildFrame(view->pyramid, req);
    QVERIFY(frame.decimated);
    QVERIFY(frame.slots.size() <= 50);
    std::uint32_t maxRequests = 0, maxRejected = 0;
    for (const BucketCounts &b : view->pyramid.level(0)) {
        maxRequests = std::max(maxRequests, b.requests);
        maxRejected = std::max(maxRejected, b.rejectedTotal());
    }
    std::uint32_t frameMaxRejected = 0;
    for (const FrameSlot &s : frame.slots) {
        QVERIFY(s.requestsMin <= s.requestsMax);
        frameMaxRejected = std::max(frameMaxRejected, s.rejectedTotal());
    }
    QCOMPARE(frame.maxRequests, maxRequests); // peaks survive decimation
    QCOMPARE(frameMaxRejected, maxRejected);
}

void TestModelSession::drillDown_data()
{
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::addColumn<int>("sources");
    QTest::addRow("one minute, every source")
        << qint64(1767607260000) << qint64(1767607320000) << int(FilterState::kAllSources);
    QTest::addRow("one minute, TOOL_ERROR only")
        << qint64(1767607260000) << qint64(1767607380000)
        << int(FilterState::bit(RejectionSource::ToolError));
    QTest::addRow("an empty range") << qint64(0) << qint64(1000) << int(FilterState::kAllSources);
}

void TestModelSession::drillDown()
{
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    QFETCH(int, sources);
    EventTableModel *model = m_session->eventModel();
    QSignalSpy spy(model, &EventTableModel::drillDownChanged);
    DrillDown d;
    d.active = true;
    d.fromMs = fromMs;
    d.toMs = toMs;
    d.sources = std::uint8_t(sources);
    model->setDrillDown(d);
    QCOMPARE(spy.count(), 1);
    const EventStore &store = *m_session->store();
    int expected = 0;
    for (std::size_t i = 0; i < store.size(); ++i) {
        expected += store.timeMs(i) >= fromMs && store.timeMs(i) < toMs
            && (sources & FilterState::bit(store.source(i)));
    }
    QCOMPARE(model->rowCount(), expected);
    for (int r = 0; r < model->rowCount(); ++r) {
        const int e = model->eventAt(r);
        QCOMPARE(model->rowOfEvent(e), r);
    }
    model->setDrillDown(DrillDown {});
    QCOMPARE(model->rowCount(), 32);
}

void TestModelSession::detailShowsTheProviderMessage()
{
    EventTableModel *model = m_session->eventModel();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, 0).data(EventTableModel::SourceRole).toInt()
            == int(RejectionSource::ToolError))
            row = r;
    }
    QVERIFY(row >= 0);
    QSignalSpy spy(&m_session->details(), &DetailLoader::detailReady);
    m_session->selectRow(row);
    QVERIFY(spy.count() >= 1);
    const auto first = spy.at(0).at(0).value<EventDetailInfo>();
    QVERIFY2(first.message.contains(QLatin1String("rate limit"), Qt::CaseInsensitive),
        qPrintable(first.message));
    QCOMPARE(first.source, RejectionSource::ToolError);
    QVERIFY(first.guidance.contains(QLatin1String("provider")));
    QVERIFY(spy.count() >= 2 || spy.wait(10000));
    const auto full = spy.at(1).at(0).value<EventDetailInfo>();
    QVERIFY(full.rawLoaded);
    QVERIFY2(full.rawError.isEmpty(), qPrintable(full.rawError));
    QVERIFY(full.raw.contains(QLatin1String("TOOL_ERROR")));
    QVERIFY(full.raw.contains(QLatin1String("\n  "))); // pretty-printed
    QVERIFY2(!full.raw.contains(QLatin1String("token=abc")), qPrintable(full.raw)); // redacted
    QVERIFY(full.headers.contains(qMakePair(QStringLiteral("Retry-After"), QStringLiteral("30"))));
    QVERIFY(full.file.endsWith(QLatin1String("gateway_mix.ndjson")));
    QVERIFY(full.line > 0);
}

void TestModelSession::detailNamesEveryReportedLimit_data()
{
    QTest::addColumn<int>("requests"); // the request limit the response reported; -1: none
    QTest::addColumn<int>("requestsWindowS"); // -1: unknown
    QTest::addColumn<QList<int>>("tokens"); // tokens, input, output limit, window, ... (-1: none)
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");
    QTest::addRow("OpenAI: requests and tokens per minute")
        << 500 << 60 << QList<int> { 200000, 60, -1, -1, -1, -1 }
        << "500/min requests, 200000/min tokens" << 2;
    QTest::addRow("Anthropic: requests, input and output tokens")
        << 50 << 60 << QList<int> { -1, -1, 40000, 60, 8000, 60 }
        << "50/min requests, 40000/min input tokens, 8000/min output tokens" << 3;
    QTest::addRow("a daily token bucket: its window not known")
        << 10000 << 86400 << QList<int> { 150000, -1, -1, -1, -1, -1 }
        << "10000/1d requests, 150000 tokens per unknown window" << 2;
    QTest::addRow("Mistral tokens per month, no request limit")
        << -1 << -1 << QList<int> { 1000000000, 30 * 86400, -1, -1, -1, -1 }
        << "1000000000/30d tokens" << 1;
    QTest::addRow("requests only (Skytells)")
        << 3 << 10 << QList<int> { -1, -1, -1, -1, -1, -1 } << "3/10s requests" << 1;
    QTest::addRow("none") << -1 << -1 << QList<int> { -1, -1, -1, -1, -1, -1 } << "" << 0;
}

// The detail's "Server limit(s)" row: every limit the response reported, requests and tokens,
// each read as people read it (limitReadingText).
void TestModelSession::detailNamesEveryReportedLimit()
{
    QFETCH(int, requests);
    QFETCH(int, requestsWindowS);
    QFETCH(QList<int>, tokens);
    QFETCH(QString, text);
    QFETCH(int, count);
    EventStore store;
    store.addFile("test");
    EventInput e;
    e.timeMs = 1767607200000;
    e.status = 200;
    e.serverLimit = requests;
    e.serverWindowS = requestsWindowS;
    for (std::size_t a = 0; a < 3; ++a) {
        e.reportedTokens.limit[a] = tokens[qsizetype(2 * a)];
        e.reportedTokens.windowS[a] = tokens[qsizetype(2 * a + 1)];
    }
    store.append(e);
    const EventDetailInfo info = describeEvent(store, 0, RuleSet::builtIn());
    QCOMPARE(serverLimitsText(info), text);
    QCOMPARE(serverLimitCount(info), count);
}

void TestModelSession::detailGuidanceNamesTheBindingAxis_data()
{
    QTest::addColumn<QString>("axis"); // the incident's binding; "": in no incident
    QTest::addColumn<QString>("says");
    QTest::addRow("in no incident") << ""
                                    << "peak requests per minute";
    QTest::addRow("requests") << "requests"
                              << "peak requests per minute";
    QTest::addRow("tokens") << "tokens"
                            << "higher tokens-per-minute limit";
    QTest::addRow("input tokens") << "input_tokens"
                                  << "higher input-tokens-per-minute limit";
    QTest::addRow("output tokens") << "output_tokens"
                                   << "higher output-tokens-per-minute limit";
    QTest::addRow("concurrency") << "concurrency"
                                 << "fewer requests in flight";
}

// A RATE_LIMITED record's guidance names the axis whose limit bit first in its incident.
void TestModelSession::detailGuidanceNamesTheBindingAxis()
{
    QFETCH(QString, axis);
    QFETCH(QString, says);
    EventStore store;
    store.addFile("test");
    EventInput e;
    e.timeMs = 1767607200000;
    e.status = 429;
    e.source = RejectionSource::RateLimited;
    store.append(e);
    std::optional<Binding> binding;
    if (!axis.isEmpty()) {
        binding.emplace();
        binding->axis = limitAxisFromName(axis);
        binding->evidence = Binding::Evidence::Headers;
    }
    const EventDetailInfo info = describeEvent(store, 0, RuleSet::builtIn(), binding);
    QVERIFY2(info.guidance.contains(says), qPrintable(info.guidance));
    QCOMPARE(info.incidentBinding.has_value(), !axis.isEmpty());
}

void TestModelSession::detailOfGatewaysAndCategories_data()
{
    QTest::addColumn<QString>("file"); // under tests/fixtures/
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("message"); // what the pane shows first
    QTest::addColumn<QString>("origin"); // under it: whose words
    QTest::addColumn<QString>("rule"); // the category's rule
    QTest::addColumn<QString>("gatewayRule");
    QTest::addColumn<QString>("meaning"); // categoryMeaningText
    QTest::addColumn<QString>("guidance"); // how the guidance starts
    const QString openRouter = QStringLiteral("OpenRouter: the upstream provider's answer");
    QTest::addRow("OpenRouter 429: BaseTen's words, BaseTen named")
        << "gateways/01_openrouter_baseten_upstream_429.json"
        << "TOOL_ERROR"
        << "NONE"
        << "z-ai/glm-5.3-flash is temporarily rate-limited upstream. Please retry shortly, or add "
           "your own key to accumulate your rate limits: ..."
        << "from BaseTen (the upstream provider) via openrouter.ai"
        << "" << openRouter << ""
        << "The upstream provider limited this tool call";
    // pydantic-ai's cassette (llm/…openrouter_upstream_429x3.yaml) has no time, so none of its
    // records is kept; gateways/02 is its first interaction with a time
    QTest::addRow("OpenRouter 429 recorded by pydantic-ai: Google's words")
        << "gateways/02_openrouter_google_upstream_429.json"
        << "TOOL_ERROR"
        << "NONE"
        << "google/gemini-2.0-flash-exp:free is temporarily rate-limited upstream. Please retry "
           "shortly, or add your own key to accumulate your rate limits: "
           "https://openrouter.ai/settings/integrations"
        << "from Google (the upstream provider) via openrouter.ai"
        << "" << openRouter << ""
        << "The upstream provider limited this tool call";
    QTest::addRow("relay 429: Moonshot's words out of its JSON body, QUOTA")
        << "gateways/06_opencodezen_moonshot_insufficient_balance_429.json"
        << "TOOL_ERROR"
        << "QUOTA"
        << "Your account org-446a70bb2cc542e3960c0b7f05e4e0e1 <ak-f817m9q3k3wi11gjwbgi> is "
           "suspended due to insufficient balance, please recharge your account or check your "
           "plan and billing details"
        << "from Moonshot AI (the upstream provider) via opencode.ai"
        << "insufficient balance" << openRouter << "out of quota or credit: billing, not backoff"
        << "Out of quota or credit";
    QTest::addRow("OpenAI insufficient_quota 429: QUOTA")
        << "gateways/19_openai_insufficient_quota_429.json"
        << "RATE_LIMITED"
        << "QUOTA"
        << "You exceeded your current quota, please check your plan and billing details. For "
           "more information on this error, read the docs: "
           "https://platform.openai.com/docs/guides/error-codes/api-errors."
        << ""
        << "insufficient_quota"
        << ""
        << "out of quota or credit: billing, not backoff"
        << "Out of quota or credit";
    QTest::addRow("Anthropic 529 overloaded_error: OVERLOADED")
        << "gateways/21_anthropic_529_overloaded.json"
        << "NONE"
        << "OVERLOADED"
        << "Overloaded"
        << ""
        << "Anthropic overloaded_error"
        << ""
        << "not a rejection: the service is overloaded (status 529), not limiting you"
        << "The service is temporarily overloaded";
    QTest::addRow("a 500 hiding the upstream 429: HIDDEN_THROTTLE")
        << "gateways/16_geminicliopenai_500_hidden_upstream_429.json"
        << "NONE"
        << "HIDDEN_THROTTLE"
        << "Stream request failed: 429"
        << ""
        << "rate limit behind a 5xx"
        << ""
        << "a rate limit behind status 500, not counted as a rejection"
        << "The gateway hid a 429";
    QTest::addRow("Cloudflare 1015 on a 429: the site's own limit")
        << "gateways/39_dify_cloudflare_1015_429.json"
        << "RATE_LIMITED"
        << "NONE"
        << "Too many requests. Error code: 1015"
        << ""
        << ""
        << "Cloudflare error 1015: the site's own rate limiting rule"
        << ""
        << "The platform that answered limited your workload";
}

// limits.md §7 in the detail pane's model, on real responses: the upstream provider's words
// first and who said them, the category, the rules that fired, the category's guidance.
void TestModelSession::detailOfGatewaysAndCategories()
{
    QFETCH(QString, file);
    QFETCH(QString, source);
    QFETCH(QString, category);
    QFETCH(QString, message);
    QFETCH(QString, origin);
    QFETCH(QString, rule);
    QFETCH(QString, gatewayRule);
    QFETCH(QString, meaning);
    QFETCH(QString, guidance);
    const Loaded l = loadFiles({ fixture(file) });
    QVERIFY(l.store->size() >= 1);
    const RuleSet rules = RuleSet::builtIn();
    const EventDetailInfo info = describeEvent(*l.store, 0, rules);
    QCOMPARE(QString::fromLatin1(sourceName(info.source).data()), source);
    QCOMPARE(QString::fromLatin1(categoryName(info.category).data()), category);
    QCOMPARE(info.message, message);
    QCOMPARE(messageOriginText(info), origin);
    QCOMPARE(info.categoryRule, rule);
    QCOMPARE(info.gatewayRule, gatewayRule);
    QCOMPARE(categoryMeaningText(info), meaning);
    QVERIFY2(info.guidance.startsWith(guidance), qPrintable(info.guidance));
    if (info.category != ThrottleCategory::None) // the category's text, first
        QVERIFY(info.guidance.startsWith(rules.categoryGuidance(info.category)));
    QCOMPARE(info.quota,
        info.category == ThrottleCategory::Quota && info.source != RejectionSource::None);
}

// The event table on the gateway responses: a gateway-named provider in Provider, the category
// and the rules in their columns and in a copied row, and the filter finds them by name.
void TestModelSession::gatewayEventsInTheTable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ gatewayCases(dir) });
    QVERIFY(loaded.wait(10000));
    waitForView();
    const EventStore &store = *m_session->store();
    EventTableModel *model = m_session->eventModel();
    QCOMPARE(model->rowCount(), 39);
    const auto rowOf = [&](const QString &provider) {
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, EventTableModel::ProviderColumn).data().toString() == provider)
                return r;
        }
        return -1;
    };
    const QString openRouter = QStringLiteral("OpenRouter: the upstream provider's answer");
    const int baseTen = rowOf(QStringLiteral("BaseTen"));
    QVERIFY(baseTen >= 0);
    QCOMPARE(model->index(baseTen, EventTableModel::CategoryColumn).data().toString(), QString());
    QCOMPARE(model->index(baseTen, EventTableModel::RuleColumn).data().toString(), openRouter);
    QVERIFY(model->index(baseTen, EventTableModel::ProviderColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(openRouter));
    const int moonshot = rowOf(QStringLiteral("Moonshot AI"));
    QVERIFY(moonshot >= 0);
    QCOMPARE(model->index(moonshot, EventTableModel::CategoryColumn).data().toString(),
        QStringLiteral("QUOTA"));
    QCOMPARE(model->index(moonshot, EventTableModel::RuleColumn).data().toString(),
        QStringLiteral("insufficient balance · ") + openRouter);
    QCOMPARE(model->headerData(EventTableModel::CategoryColumn, Qt::Horizontal).toString(),
        QStringLiteral("Category"));
    // Ctrl+C of the whole row carries the category and the rules
    QModelIndexList row;
    for (int c = 0; c < model->columnCount(); ++c)
        row << model->index(moonshot, c);
    const QStringList copied = tableCopyText(*model, row).split(QLatin1Char('\t'));
    QCOMPARE(copied.size(), int(EventTableModel::ColumnCount));
    QCOMPARE(copied[EventTableModel::SourceColumn], QStringLiteral("TOOL_ERROR"));
    QCOMPARE(copied[EventTableModel::CategoryColumn], QStringLiteral("QUOTA"));
    QCOMPARE(copied[EventTableModel::ProviderColumn], QStringLiteral("Moonshot AI"));
    QCOMPARE(copied[EventTableModel::RuleColumn],
        QStringLiteral("insufficient balance · ") + openRouter);
    // the filter: a provider only a gateway named, by name and by text; a category and rules
    // by their names
    std::size_t byGateway = 0;
    for (std::size_t i = 0; i < store.size(); ++i)
        byGateway += store.gatewayRule(i) == openRouter.toStdString();
    QVERIFY(byGateway >= 3);
    struct Case
    {
        FilterState filter;
        int rows;
    };
    std::vector<Case> cases;
    FilterState f;
    f.provider = QStringLiteral("BaseTen");
    cases.push_back({ f, 1 });
    f = {};
    f.text = QStringLiteral("baseten");
    cases.push_back({ f, 1 });
    f = {};
    f.text = QStringLiteral("hidden_throttle");
    cases.push_back({ f, 1 });
    f = {};
    f.text = QStringLiteral("behind a 5xx");
    cases.push_back({ f, 1 });
    f = {};
    f.text = QStringLiteral("OpenRouter: the upstream provider");
    cases.push_back({ f, int(byGateway) });
    for (const Case &c : cases) {
        m_session->filter().apply(c.filter);
        waitForView();
        int expected = 0;
        for (std::size_t i = 0; i < store.size(); ++i)
            expected += passes(store, i, c.filter);
        QCOMPARE(expected, c.rows); // the reference agrees with what the fixtures hold
        QCOMPARE(model->rowCount(), c.rows);
    }
}

void TestModelSession::incidentsFollowTheFilter()
{
    QCOMPARE(m_session->incidentModel()->rowCount(), 3);
    FilterState f;
    f.sources
        = FilterState::bit(RejectionSource::ToolError) | FilterState::bit(RejectionSource::None);
    m_session->filter().apply(f);
    waitForView();
    IncidentModel *model = m_session->incidentModel();
    QVERIFY(model->rowCount() >= 1);
    for (int r = 0; r < model->rowCount(); ++r) {
        QCOMPARE(model->index(r, 0).data(IncidentModel::SourceRole).toInt(),
            int(RejectionSource::ToolError));
        QVERIFY(model->index(r, 0).data(IncidentModel::StartMsRole).toLongLong()
            <= model->index(r, 0).data(IncidentModel::EndMsRole).toLongLong());
    }
}

void TestModelSession::timeTicks_data()
{
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<QString>("firstLabel");
    QTest::addColumn<bool>("datesShown");
    QTest::addRow("two hours, minute ticks")
        << qint64(1767603600000) << qint64(1767610800000) << 10 << QStringLiteral("09:00") << false;
    QTest::addRow("half a minute, second ticks") << qint64(1767603600500) << qint64(1767603630000)
                                                 << 8 << QStringLiteral("09:00:05") << false;
    QTest::addRow("across midnight, the date appears")
        << qint64(1767650400000) << qint64(1767664800000) << 6 << QStringLiteral("22:00\nJan 5")
        << true;
}

void TestModelSession::timeTicks()
{
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    QFETCH(int, maxTicks);
    QFETCH(QString, firstLabel);
    QFETCH(bool, datesShown);
    const auto ticks = ::timeTicks(fromMs, toMs, maxTicks, true);
    QVERIFY(!ticks.empty());
    QVERIFY(int(ticks.size()) <= maxTicks + 1);
    QCOMPARE(ticks.front().label, firstLabel);
    bool anyDate = false;
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        QVERIFY(ticks[i].ms >= fromMs && ticks[i].ms <= toMs);
        if (i)
            QVERIFY(ticks[i].ms > ticks[i - 1].ms);
        anyDate = anyDate || ticks[i].showsDate;
    }
    QCOMPARE(anyDate, datesShown);
}

void TestModelSession::newerLoadWins()
{
    const QString other = QStringLiteral(RATESCOPE_FIXTURE_DIR "/samples/mitmproxy_chrome.har");
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open({ kFixture });
    m_session->open({ other }); // the first one's result is dropped
    QVERIFY(loaded.wait(10000));
    waitForView();
    QCOMPARE(loaded.count(), 1);
    const auto result = loaded.at(0).at(0).value<std::shared_ptr<const LoadResult>>();
    QCOMPARE(result->paths, QStringList { other });
    QCOMPARE(m_session->eventModel()->rowCount(), int(result->store->size()));
    QVERIFY(result->tools.isEmpty()); // a browser capture names no tools
}

void TestModelSession::exportFollowsTheFilter_data()
{
    QTest::addColumn<int>("sources");
    QTest::addRow("everything") << int(FilterState::kAllSources);
    QTest::addRow("TOOL_ERROR only") << int(FilterState::bit(RejectionSource::ToolError));
}

void TestModelSession::exportFollowsTheFilter()
{
    QFETCH(int, sources);
    FilterState f;
    f.sources = std::uint8_t(sources);
    m_session->filter().apply(f);
    waitForView();
    QJsonObject json;
    exportJson(json);
    if (QTest::currentTestFailed())
        return;
    const auto view = m_session->filter().view();
    QCOMPARE(json.value(QLatin1String("requests")).toInteger(), view->requests());
    QCOMPARE(
        json.value(QLatin1String("rejected")).toObject().value(QLatin1String("total")).toInteger(),
        view->rejectedTotal());
    QCOMPARE(
        json.value(QLatin1String("incidents")).toArray().size(), qsizetype(view->incidents.size()));
}

void TestModelSession::exportOfOneIncident_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < 2; ++i) // gateway_mix has two
        QTest::addRow("incident %d", i) << i;
}

// Export ▸ Incident…: the report of the incident's minutes holds that incident, whole, and
// nothing from outside it.
void TestModelSession::exportOfOneIncident()
{
    QFETCH(int, index);
    const auto view = m_session->filter().view();
    QVERIFY(std::size_t(index) < view->incidents.size());
    const Incident &inc = view->incidents[std::size_t(index)];
    const TimeRange range { inc.startMs / 60000 * 60000, inc.endMs / 60000 * 60000 + 60000 };
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("incident.json"));
    QSignalSpy done(&m_session->exporter(), &ReportExporter::finished);
    m_session->exportReport(path, range);
    QVERIFY(done.count() > 0 || done.wait(10000));
    QCOMPARE(done.at(0).at(1).toString(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray incidents = json.value(QLatin1String("incidents")).toArray();
    QCOMPARE(incidents.size(), 1);
    const QJsonObject only = incidents.at(0).toObject();
    QCOMPARE(only.value(QLatin1String("start")).toString(),
        QString::fromStdString(formatUtcMs(inc.startMs)));
    QCOMPARE(only.value(QLatin1String("end")).toString(),
        QString::fromStdString(formatUtcMs(inc.endMs)));
    QCOMPARE(only.value(QLatin1String("requests")).toInteger(), inc.requests);
    QCOMPARE(
        only.value(QLatin1String("rejected")).toObject().value(QLatin1String("total")).toInteger(),
        inc.rejected[0] + inc.rejected[1] + inc.rejected[2]);
    // the overview counts the range only
    const auto [lo, hi] = timeRange(*view->store, view->rows, *range.fromMs, *range.toMs);
    QCOMPARE(json.value(QLatin1String("requests")).toInteger(), qint64(hi - lo));
}

void TestModelSession::exportCountsInputsOfTheSubset_data()
{
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<int>("sources");
    QTest::addColumn<QString>("text");
    const QString har = QStringLiteral(RATESCOPE_FIXTURE_DIR "/secrets.har");
    const int all = FilterState::kAllSources;
    QTest::addRow("one input, TOOL_ERROR only")
        << QStringList { kFixture } << int(FilterState::bit(RejectionSource::ToolError))
        << QString();
    QTest::addRow("one input, a search")
        << QStringList { kFixture } << all << QStringLiteral("gmail");
    QTest::addRow("two inputs, everything") << QStringList { kFixture, har } << all << QString();
    QTest::addRow("two inputs, RATE_LIMITED only")
        << QStringList { kFixture, har } << int(FilterState::bit(RejectionSource::RateLimited))
        << QString();
    QTest::addRow("two inputs, passed only (no rejection)")
        << QStringList { har, kFixture } << int(FilterState::bit(RejectionSource::None))
        << QString();
}

// A filtered export said `records: 32, requests: 4` (the whole file's records).
// inputs[].records counts the exported events of that input, and they add up to requests.
void TestModelSession::exportCountsInputsOfTheSubset()
{
    QFETCH(QStringList, inputs);
    QFETCH(int, sources);
    QFETCH(QString, text);
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    m_session->open(inputs);
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    waitForView();
    FilterState f;
    f.sources = std::uint8_t(sources);
    f.text = text;
    m_session->filter().apply(f);
    waitForView();
    const auto view = m_session->filter().view();
    const auto result = m_session->loadResult();
    QCOMPARE(result->reports.size(), std::size_t(inputs.size()));

    QJsonObject json;
    exportJson(json);
    if (QTest::currentTestFailed())
        return;
    const QJsonArray reported = json.value(QLatin1String("inputs")).toArray();
    QCOMPARE(reported.size(), qsizetype(inputs.size()));
    qint64 sum = 0;
    for (qsizetype k = 0; k < reported.size(); ++k) {
        const std::uint16_t storeFile = std::uint16_t(result->reports[std::size_t(k)].storeFile);
        qint64 expected = 0;
        for (std::uint32_t e : view->rows)
            expected += view->store->file(e) == storeFile;
        QCOMPARE(reported.at(k).toObject().value(QLatin1String("records")).toInteger(), expected);
        sum += expected;
    }
    QCOMPARE(json.value(QLatin1String("requests")).toInteger(), view->requests());
    QCOMPARE(sum, view->requests());
    QVERIFY(view->requests() > 0);
}

void TestModelSession::cancelDropsTheLoad()
{
    QSignalSpy loaded(m_session.get(), &Session::loaded);
    QSignalSpy cancelled(&m_session->loader(), &LoadJob::cancelled);
    m_session->open({ kFixture });
    QVERIFY(m_session->loader().isRunning());
    m_session->loader().cancel();
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!m_session->loader().isRunning());
    // a later load still works and is the only one delivered
    m_session->open({ kFixture });
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(cancelled.count(), 1);
}

void TestModelSession::bigTablesGrowInBatches()
{
    constexpr int n = 320'000; // the first rows, one full batch, a partial one
    auto store = std::make_shared<EventStore>();
    store->addFile("generated");
    for (int i = 0; i < n; ++i) {
        EventInput e;
        e.timeMs = 1767603600000 + qint64(i) * 10;
        e.status = i % 50 == 0 ? 429 : 200;
        e.source = i % 50 == 0 ? RejectionSource::RateLimited : RejectionSource::None;
        e.line = std::uint32_t(i + 1);
        store->append(e);
    }
    auto view = buildFilteredView(store, FilterState {}, 5, 1, {});
    QVERIFY(view);
    EventTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy complete(&model, &EventTableModel::complete);
    model.setView(view);
    QCOMPARE(model.rowCount(), EventTableModel::kFirstRows); // the rest follows in batches
    QVERIFY(!model.isComplete());
    QVERIFY(complete.wait(10000));
    QCOMPARE(model.rowCount(), n);
    QCOMPARE(model.eventAt(n - 1), n - 1);
    // a drill-down in the middle of the batches starts over with its own rows
    model.setView(view);
    DrillDown d;
    d.active = true;
    d.fromMs = 1767603600000;
    d.toMs = d.fromMs + 10 * 300'000; // 300000 events
    model.setDrillDown(d);
    QCOMPARE(model.rowCount(), EventTableModel::kFirstRows);
    QCOMPARE(model.rowOfEvent(299'999), 299'999); // in the scope, not shown yet
    model.showAll();
    QCOMPARE(model.rowCount(), 300'000);
    QVERIFY(model.isComplete());
}

QTEST_GUILESS_MAIN(TestModelSession)
#include "tst_model_session.moc"
