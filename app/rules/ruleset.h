#pragma once

#include "base/limitspec.h"
#include "base/rejectionsource.h"
#include "decode/ratelimitheaders.h"
#include "decode/rawrecord.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <optional>
#include <string>
#include <vector>

struct Classification
{
    RejectionSource source = RejectionSource::None;
    bool quota = false; // insufficient_quota: billing, not backoff
    std::string_view code; // the code that decided, if any (a view into the record)
};

// The classification rules of formats.md §2, loaded from data (resources/rules/rules.json,
// compiled in; a user file can replace it). No other code compares error codes.
class RuleSet
{
public:
    // The body fields a body marker can name (what the decoder reports in ErrorInfo).
    enum class BodyField : std::uint8_t { RetryAfter };

    struct Sample
    {
        QString name;
        QByteArray record; // one JSON object, as an NDJSON line would hold it
        RejectionSource expect = RejectionSource::None;
        bool quota = false;
    };

    // The compiled-in rules.
    static RuleSet builtIn();
    // Rules from JSON text; on failure returns nullopt and sets *error.
    static std::optional<RuleSet> fromJson(const QByteArray &json, QString *error);
    static std::optional<RuleSet> fromFile(const QString &path, QString *error);

    Classification classify(const RawRecord &rec, const RateLimitInfo &limits) const;

    // What to do about a rejection of `source` (the rules file's "guidance"). `binding`: the
    // axis whose limit bit first in its incident (limits.md §5), when known: a RATE_LIMITED
    // rejection then gets that axis's text ("guidance.rate_limited_by_axis": fewer tokens, a
    // higher tokens-per-minute limit, fewer requests in flight) where the file has one.
    QString guidance(
        RejectionSource source, bool quota, std::optional<LimitAxis> binding = std::nullopt) const;
    const std::vector<Sample> &samples() const { return m_samples; }

private:
    struct Code
    {
        std::string code; // lower case
        RejectionSource source = RejectionSource::None;
        bool quota = false;
    };
    const Code *findCode(const ErrorInfo &err) const;

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
    QString m_quotaGuidance;
    std::vector<Sample> m_samples;
};

std::optional<RejectionSource> sourceFromName(std::string_view name);
