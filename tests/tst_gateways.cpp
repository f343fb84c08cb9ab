// limits.md §7 on real responses: tests/fixtures/gateways/ holds one record per file, each
// a gateway's or provider's answer copied from a public issue thread or recording
// (PROVENANCE.md), and cases.json says what each must become: its source, its category, the
// provider it names and the message shown. Each file is loaded as a one-line NDJSON log through
// the normal loader; `summarize` on all of them counts the categories and names the providers.
#include "export/reportformats.h"
#include "runbinary.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <map>

namespace {

QJsonArray cases()
{
    QFile f(fixture(QStringLiteral("gateways/cases.json")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing gateways/cases.json");
    return QJsonDocument::fromJson(f.readAll()).array();
}

QString sourceText(RejectionSource s)
{
    return s == RejectionSource::None ? QStringLiteral("none")
                                      : QString::fromLatin1(sourceName(s).data());
}

// cases.json's words: "rejection" is a rejection without a category, "none" neither.
QString categoryText(const EventStore &store, std::size_t i)
{
    const ThrottleCategory c = store.category(i);
    if (c != ThrottleCategory::None)
        return QString::fromLatin1(categoryName(c).data());
    return store.isRejection(i) ? QStringLiteral("rejection") : QStringLiteral("none");
}

} // namespace

class TestGateways : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachCase_data();
    void eachCase();
    void summarizeCountsCategoriesAndProviders();
    void csvCountsCategoriesPerMinute();
    void reportsSayWhatToDoPerCategory();
    void readmeGatewayExampleRunsWithSummarize();
};

void TestGateways::eachCase_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("message");
    const QJsonArray all = cases();
    QCOMPARE(all.size(), 39);
    for (const QJsonValue &v : all) {
        const QJsonObject c = v.toObject();
        const QString file = c[QStringLiteral("file")].toString();
        QTest::addRow("%s", qPrintable(file.chopped(5)))
            << file << c[QStringLiteral("expect_source")].toString()
            << c[QStringLiteral("expect_category")].toString()
            << c[QStringLiteral("expect_provider")].toString()
            << c[QStringLiteral("expect_message")].toString();
    }
}

void TestGateways::eachCase()
{
    QFETCH(QString, file);
    QFETCH(QString, source);
    QFETCH(QString, category);
    QFETCH(QString, provider);
    QFETCH(QString, message);
    const Loaded l = loadFiles({ fixture(QStringLiteral("gateways/") + file) });
    QCOMPARE(l.reports.size(), std::size_t(1));
    QVERIFY2(l.reports[0].errors.empty(), qPrintable(file));
    QCOMPARE(l.store->size(), std::size_t(1));
    const EventStore &s = *l.store;
    QCOMPARE(sourceText(s.source(0)), source);
    QCOMPARE(categoryText(s, 0), category);
    QCOMPARE(s.category(0) == ThrottleCategory::None, s.categoryRule(0).empty());
    QCOMPARE(QString::fromStdString(std::string(s.provider(0))), provider);
    QCOMPARE(QString::fromStdString(std::string(s.message(0))), message);
}

void TestGateways::summarizeCountsCategoriesAndProviders()
{
    // one log of every case, in file order
    const QByteArray log = gatewayCasesLog();
    std::map<QString, int> categories;
    std::map<QString, int> providers; // named by a gateway rule: the rejections' and the 400's
    for (const QJsonValue &v : cases()) {
        const QJsonObject c = v.toObject();
        ++categories[c[QStringLiteral("expect_category")].toString()];
        if (!c[QStringLiteral("expect_provider")].toString().isEmpty())
            ++providers[c[QStringLiteral("expect_provider")].toString()];
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(QDir(dir.path()), QStringLiteral("gateways.ndjson"), log);
    const BinaryRun r = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("json"), path });
    QCOMPARE(r.exitCode, 0);
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j[QStringLiteral("requests")].toInt(), 39);
    const QJsonObject t = j[QStringLiteral("throttles")].toObject();
    for (const char *name : { "QUOTA", "OVERLOADED", "HIDDEN_THROTTLE" })
        QCOMPARE(t[QLatin1String(name)].toInt(), categories[QLatin1String(name)]);
    QCOMPARE(categories[QStringLiteral("QUOTA")], 6);
    QCOMPARE(categories[QStringLiteral("OVERLOADED")], 3);
    QCOMPARE(categories[QStringLiteral("HIDDEN_THROTTLE")], 1);
    // every rule's count adds up to its category's
    std::map<QString, int> byRule;
    for (const QJsonValue &rv : t[QStringLiteral("rules")].toArray()) {
        const QJsonObject rule = rv.toObject();
        QVERIFY(!rule[QStringLiteral("rule")].toString().isEmpty());
        byRule[rule[QStringLiteral("category")].toString()]
            += rule[QStringLiteral("count")].toInt();
    }
    for (const char *name : { "QUOTA", "OVERLOADED", "HIDDEN_THROTTLE" })
        QCOMPARE(byRule[QLatin1String(name)], categories[QLatin1String(name)]);
    // OVERLOADED and HIDDEN_THROTTLE are never rejections; QUOTA on a 429 is one
    const QJsonObject rejected = j[QStringLiteral("rejected")].toObject();
    int rejections = 0;
    for (const QJsonValue &v : cases()) {
        const QJsonObject c = v.toObject();
        rejections += c[QStringLiteral("expect_source")].toString() != QStringLiteral("none");
    }
    QCOMPARE(rejected[QStringLiteral("total")].toInt(), rejections);
    std::map<QString, int> named;
    for (const QJsonValue &pv : j[QStringLiteral("providers")].toArray())
        named[pv.toObject()[QStringLiteral("name")].toString()]
            = pv.toObject()[QStringLiteral("events")].toInt();
    QCOMPARE(named, providers);
    // per scope too: the scopes' counts add up to the whole log's
    std::map<QString, int> scoped;
    for (const QJsonValue &sv : j[QStringLiteral("scopes")].toArray()) {
        const QJsonObject st = sv.toObject()[QStringLiteral("throttles")].toObject();
        for (const char *name : { "QUOTA", "OVERLOADED", "HIDDEN_THROTTLE" })
            scoped[QLatin1String(name)] += st[QLatin1String(name)].toInt();
    }
    for (const char *name : { "QUOTA", "OVERLOADED", "HIDDEN_THROTTLE" })
        QCOMPARE(scoped[QLatin1String(name)], categories[QLatin1String(name)]);
}

namespace {

// Every case in one log, in file order, written into dir; and the cases' count per category.
QString allCases(const QTemporaryDir &dir, std::map<QString, int> *categories = nullptr)
{
    for (const QJsonValue &v : cases()) {
        if (categories)
            ++(*categories)[v[QStringLiteral("expect_category")].toString()];
    }
    return writeFile(QDir(dir.path()), QStringLiteral("gateways.ndjson"), gatewayCasesLog());
}

} // namespace

// CSV: a column per category after the contract's columns, the events of each in its scope and
// minute; added up they are the whole log's counts.
void TestGateways::csvCountsCategoriesPerMinute()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::map<QString, int> categories;
    const QString path = allCases(dir, &categories);
    const BinaryRun r = runBinary(
        { QStringLiteral("summarize"), QStringLiteral("--format"), QStringLiteral("csv"), path });
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.front(),
        QByteArray("minute,scope,requests,rejected,RATE_LIMITED,TOOL_ERROR,UNCLASSIFIED,limit,"
                   "QUOTA,OVERLOADED,HIDDEN_THROTTLE"));
    int sums[3] = {};
    int requests = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> cells = lines[i].split(',');
        QCOMPARE(cells.size(), 11); // no text cell of these logs needs quoting
        requests += cells[2].toInt();
        for (int k = 0; k < 3; ++k)
            sums[k] += cells[8 + k].toInt();
    }
    QCOMPARE(requests, 39);
    QCOMPARE(sums[0], categories[QStringLiteral("QUOTA")]);
    QCOMPARE(sums[1], categories[QStringLiteral("OVERLOADED")]);
    QCOMPARE(sums[2], categories[QStringLiteral("HIDDEN_THROTTLE")]);
}

// Markdown and HTML: under each category with events, the rules file's guidance for it.
void TestGateways::reportsSayWhatToDoPerCategory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Loaded l = loadFiles({ allCases(dir) });
    const Summary s = buildSummary(*l.store, l.reports, std::nullopt, 5.0);
    const RuleSet rules = RuleSet::builtIn();
    const QString md = QString::fromUtf8(summaryToMarkdown(s, rules));
    const QString html = QString::fromUtf8(summaryToHtml(s, rules, QByteArray()));
    for (int k = 0; k < kThrottleCategoryCount; ++k) {
        QVERIFY(s.throttles[std::size_t(k)] > 0);
        const QString guidance = rules.categoryGuidance(categoryFromIndex(k));
        QVERIFY(!guidance.isEmpty());
        QVERIFY2(md.contains(QStringLiteral("  - ") + guidance), qPrintable(guidance));
        QVERIFY2(html.contains(QString::fromStdString(escapeMarkup(guidance.toStdString()))),
            qPrintable(guidance));
    }
    // a log without a category says nothing of them
    const Loaded plain = loadFiles({ fixture(QStringLiteral("gateways/18_openai_rpm_429.json")) });
    const Summary none = buildSummary(*plain.store, plain.reports, std::nullopt, 5.0);
    const QString mdNone = QString::fromUtf8(summaryToMarkdown(none, rules));
    QVERIFY(!mdNone.contains(rules.categoryGuidance(ThrottleCategory::Overloaded)));
}

// README.md's worked example, run as the README says: `ratescope summarize --rules
// my-rules.json log.ndjson` with the README's two blocks as the two files.
void TestGateways::readmeGatewayExampleRunsWithSummarize()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rules = writeFile(QDir(dir.path()), QStringLiteral("my-rules.json"),
        documentedExample(QStringLiteral("README.md"), "gateway-rules"));
    const QString log = writeFile(QDir(dir.path()), QStringLiteral("log.ndjson"),
        documentedExample(QStringLiteral("README.md"), "gateway-log"));
    for (const bool withRules : { false, true }) {
        QStringList args { QStringLiteral("summarize"), QStringLiteral("--format"),
            QStringLiteral("json") };
        if (withRules)
            args << QStringLiteral("--rules") << rules;
        const BinaryRun r = runBinary(args << log);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonObject rejected = j[QStringLiteral("rejected")].toObject();
        QCOMPARE(rejected[QStringLiteral("total")].toInt(), 1);
        QCOMPARE(rejected[QStringLiteral("TOOL_ERROR")].toInt(), withRules ? 1 : 0);
        QCOMPARE(rejected[QStringLiteral("RATE_LIMITED")].toInt(), withRules ? 0 : 1);
        const QJsonArray providers = j[QStringLiteral("providers")].toArray();
        QCOMPARE(providers.size(), withRules ? 1 : 0);
        if (withRules) {
            QCOMPARE(providers[0].toObject()[QStringLiteral("name")].toString(),
                QStringLiteral("acme-llm"));
            const QJsonArray incidents = j[QStringLiteral("incidents")].toArray();
            QCOMPARE(incidents.size(), 1);
            const QString words = QJsonDocument(incidents[0].toObject()).toJson();
            QVERIFY2(words.contains(QLatin1String("slow down, 20 requests per minute")),
                qPrintable(words));
        }
    }
}

QTEST_GUILESS_MAIN(TestGateways)
#include "tst_gateways.moc"
