// The detail pane on real gateway and provider responses (limits.md §7): the upstream
// provider's words at the top with the provider named under them, the source's and the
// category's badges, the rules that fired and the category's guidance, in that order.
#include "detailpane.h"
#include "model/eventdetail.h"
#include "testutil.h"

#include <QTest>

class TestUiDetailPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsGatewaysAndCategories_data();
    void showsGatewaysAndCategories();
};

void TestUiDetailPane::showsGatewaysAndCategories_data()
{
    QTest::addColumn<QString>("file"); // under tests/fixtures/gateways/
    QTest::addColumn<QStringList>("inOrder"); // lines of the pane's text, in this order
    QTest::addColumn<QStringList>("absent");
    const QString openRouter = QStringLiteral("gateway rule: OpenRouter: the upstream provider's "
                                              "answer");
    QTest::addRow("OpenRouter 429: BaseTen's words first")
        << "01_openrouter_baseten_upstream_429.json"
        << QStringList { "z-ai/glm-5.3-flash is temporarily rate-limited upstream. Please retry "
                         "shortly, or add your own key to accumulate your rate limits: ...",
               "from BaseTen (the upstream provider) via openrouter.ai", "TOOL_ERROR", openRouter,
               "The upstream provider limited this tool call" }
        << QStringList { "Provider returned error", "\nrule:", "QUOTA", "Not a rate-limit" };
    QTest::addRow("relay 429 of Moonshot, out of balance: TOOL_ERROR and QUOTA")
        << "06_opencodezen_moonshot_insufficient_balance_429.json"
        << QStringList { "is suspended due to insufficient balance",
               "from Moonshot AI (the upstream provider) via opencode.ai", "TOOL_ERROR", "QUOTA",
               "Out of quota or credit: billing, not backoff.", "rule: insufficient balance",
               openRouter, "Out of quota or credit: the account has run out of credits",
               "The upstream provider limited this tool call" }
        << QStringList { "{\"error\"", "Not a rate-limit" };
    QTest::addRow("Anthropic 529: OVERLOADED, no source")
        << "21_anthropic_529_overloaded.json"
        << QStringList { "Overloaded", "OVERLOADED",
               "Not a rejection: the service is overloaded (status 529), not limiting you.",
               "rule: Anthropic overloaded_error", "The service is temporarily overloaded" }
        << QStringList { "TOOL_ERROR", "RATE_LIMITED", "gateway rule", "upstream provider)",
               "Not a rate-limit" };
    QTest::addRow("a 500 hiding a 429: HIDDEN_THROTTLE")
        << "16_geminicliopenai_500_hidden_upstream_429.json"
        << QStringList { "Stream request failed: 429", "HIDDEN_THROTTLE",
               "A rate limit behind status 500, not counted as a rejection.",
               "rule: rate limit behind a 5xx", "The gateway hid a 429" }
        << QStringList { "TOOL_ERROR", "RATE_LIMITED", "gateway rule" };
    QTest::addRow("a 400 that is nothing")
        << "20_openai_400_max_tokens.json"
        << QStringList { "max_tokens is too large", "Not a rate-limit rejection." }
        << QStringList { "\nrule:", "gateway rule:", "QUOTA", "OVERLOADED", "HIDDEN_THROTTLE" };
}

void TestUiDetailPane::showsGatewaysAndCategories()
{
    QFETCH(QString, file);
    QFETCH(QStringList, inOrder);
    QFETCH(QStringList, absent);
    const Loaded l = loadFiles({ fixture(QStringLiteral("gateways/") + file) });
    QCOMPARE(l.store->size(), std::size_t(1));
    DetailPane pane;
    pane.showDetail(describeEvent(*l.store, 0, RuleSet::builtIn()));
    const QString text = pane.plainText();
    qsizetype at = 0;
    for (const QString &part : inOrder) {
        const qsizetype found = text.indexOf(part, at);
        QVERIFY2(found >= 0, qPrintable(QStringLiteral("%1\n--- in ---\n%2").arg(part, text)));
        at = found + part.size();
    }
    // the provider's words come first: on the pane's first line
    QVERIFY2(text.indexOf(inOrder.front()) < text.indexOf(QLatin1Char('\n')), qPrintable(text));
    for (const QString &part : absent)
        QVERIFY2(
            !text.contains(part), qPrintable(QStringLiteral("%1\n--- in ---\n%2").arg(part, text)));
}

QTEST_MAIN(TestUiDetailPane)
#include "tst_ui_detailpane.moc"
