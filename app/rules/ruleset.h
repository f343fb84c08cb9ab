#pragma once

#include "base/limitspec.h"
#include "base/rejectionsource.h"
#include "decode/ratelimitheaders.h"
#include "decode/rawrecord.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <bitset>
#include <optional>
#include <string>
#include <vector>

struct Classification
{
    RejectionSource source = RejectionSource::None;
    bool quota = false; // insufficient_quota: billing, not backoff
    std::string_view code; // the code that decided, if any (a view into the record)
    // limits.md §7: QUOTA, OVERLOADED or HIDDEN_THROTTLE, and the name of the rule that said
    // so (a view into the RuleSet); QUOTA on a rejection sets `quota` too.
    ThrottleCategory category = ThrottleCategory::None;
    std::string_view categoryRule;
    // The gateway rule that decided the source (a view into the RuleSet), the upstream provider
    // it named and that provider's own words; empty when it named none.
    std::string_view gatewayRule;
    std::string provider;
    std::string message;
};

// The classification rules of formats.md §2, loaded from data (resources/rules/rules.json,
// compiled in; a user file can replace it). No other code compares error codes.
class RuleSet
{
public:
    // The body fields a body marker or a gateway or category rule can name (what the decoder
    // reports in ErrorInfo).
    enum class BodyField : std::uint8_t { RetryAfter, Message, ProviderName, Raw, Metadata };

    struct Sample
    {
        QString name;
        QByteArray record; // one JSON object, as an NDJSON line would hold it
        RejectionSource expect = RejectionSource::None;
        bool quota = false;
        ThrottleCategory category = ThrottleCategory::None;
        std::optional<QString> provider; // the event's provider, when the sample says
        std::optional<QString> message; // the event's message, when the sample says
    };

    // The compiled-in rules.
    static RuleSet builtIn();
    // Rules from JSON text; on failure returns nullopt and sets *error. A file with
    // `"extends": "built-in"` holds additions only (`gateways`, `categories`, `codes`,
    // `samples`), put before the built-in file's own so that they decide first.
    static std::optional<RuleSet> fromJson(const QByteArray &json, QString *error);
    static std::optional<RuleSet> fromFile(const QString &path, QString *error);

    Classification classify(const RawRecord &rec, const RateLimitInfo &limits) const;

    // What to do about a rejection of `source` (the rules file's "guidance"). `binding`: the
    // axis whose limit bit first in its incident (limits.md §5), when known: a RATE_LIMITED
    // rejection then gets that axis's text ("guidance.rate_limited_by_axis": fewer tokens, a
    // higher tokens-per-minute limit, fewer requests in flight) where the file has one.
    // `category` (limits.md §7): QUOTA (or `quota`) puts "guidance.QUOTA" first; an event that
    // is not a rejection gets its category's text alone (OVERLOADED, HIDDEN_THROTTLE, a QUOTA
    // on a 402), "" without a category.
    QString guidance(RejectionSource source, bool quota,
        std::optional<LimitAxis> binding = std::nullopt,
        ThrottleCategory category = ThrottleCategory::None) const;
    // "guidance.QUOTA", "guidance.OVERLOADED", "guidance.HIDDEN_THROTTLE"; "" when the file has
    // none (the built-in file has all three).
    QString categoryGuidance(ThrottleCategory category) const;
    const std::vector<Sample> &samples() const { return m_samples; }
    // The names of the file's gateway and category rules, in order (tst_ruleset checks that a
    // sample exercises each).
    std::vector<std::string> gatewayRuleNames() const;
    std::vector<std::string> categoryRuleNames() const;

    // What decides the source of a rejection, as data, for an engine that counts by source in
    // SQL (issue 21: engine/pgaggregate builds a CASE from it): the rejection statuses, the
    // gateway rules in the order classify() tries them, and whether codes or body markers
    // could decide after them.
    struct GatewayView
    {
        struct When
        {
            bool code = false; // names a code: the envelope's code decides
            std::optional<BodyField> field;
            std::vector<std::string> contains; // lower case; any of them
            bool pattern = false; // a regular expression decides when `contains` found one
        };
        std::string name;
        std::vector<int> statuses;
        std::vector<When> when; // any of them
        RejectionSource source = RejectionSource::None;
    };
    std::vector<GatewayView> gatewayViews() const;
    const std::vector<int> &rejectionStatuses() const { return m_rejectionStatuses; }
    RejectionSource unknownCodeSource() const { return m_unknownCodeSource; }

private:
    struct Code
    {
        std::string code; // lower case
        RejectionSource source = RejectionSource::None;
        bool quota = false;
        std::string name; // as the file writes it: the rule of a QUOTA it sets
    };
    const Code *findCode(const ErrorInfo &err) const;

    // A gateway rule (limits.md §7: whose 429 behind a gateway, and the provider it names) or
    // a category rule (QUOTA, OVERLOADED, HIDDEN_THROTTLE): it holds for a record whose status
    // is listed when any of its `when` conditions holds.
    struct Condition
    {
        std::string code; // lower case; "" when the condition names none
        std::optional<BodyField> field;
        std::vector<std::string> contains; // lower case; any of them, ignoring case
        std::optional<QRegularExpression> pattern; // tried when `contains` found one
    };
    struct MessageRule
    {
        std::string name;
        std::vector<int> statuses;
        std::vector<Condition> when;
        RejectionSource source = RejectionSource::None; // gateway rules
        ThrottleCategory category = ThrottleCategory::None; // category rules
        std::optional<BodyField> providerFrom, messageFrom;
    };
    // The fields' texts in lower case, made once per record when a rule first asks.
    struct LowerTexts
    {
        std::string text[4]; // by BodyField
        bool made[4] = {};
        const std::string &of(BodyField f, std::string_view original);
    };
    // Whether the rule holds; *out (when given) gets the provider and message it names.
    bool holds(const MessageRule &rule, const RawRecord &rec, Classification *out,
        LowerTexts &lower) const;
    void categorize(const RawRecord &rec, Classification &out, LowerTexts &lower) const;
    std::vector<MessageRule> m_gateways;
    std::vector<MessageRule> m_categories;
    // every status a gateway or category rule lists: the others skip the rules at once
    std::bitset<1000> m_gatewayStatuses, m_categoryStatuses;

    std::vector<Code> m_codes;
    std::vector<int> m_rejectionStatuses;
    RejectionSource m_unknownCodeSource = RejectionSource::Unclassified;
    // A status that is a rejection when one of the `when` header conditions holds.
    struct LimitSpent
    {
        int status = 0;
        unsigned when = 0; // header conditions, any of them (ruleset.cpp)
        RejectionSource source = RejectionSource::None;
    };

    std::vector<std::pair<BodyField, RejectionSource>> m_bodyMarkers;
    std::vector<LimitSpent> m_limitSpent;
    std::string m_toolErrorCode; // lower case
    std::vector<std::string> m_toolErrorCodes;
    std::vector<int> m_toolErrorHttpStatuses;
    std::vector<QRegularExpression> m_toolErrorPatterns;
    RejectionSource m_toolErrorSource = RejectionSource::ToolError;
    QString m_guidance[3];
    QString m_axisGuidance[5]; // RATE_LIMITED by binding axis (LimitAxis); empty: m_guidance's
    QString m_categoryGuidance[kThrottleCategoryCount]; // by categoryIndex; "" when none
    std::vector<Sample> m_samples;
};

std::optional<RejectionSource> sourceFromName(std::string_view name);
