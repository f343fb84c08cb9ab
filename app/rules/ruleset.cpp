#include "rules/ruleset.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    return out;
}

bool contains(const std::vector<int> &v, int x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

} // namespace

std::optional<RejectionSource> sourceFromName(std::string_view name)
{
    for (RejectionSource s : { RejectionSource::RateLimited, RejectionSource::ToolError, RejectionSource::Unclassified, RejectionSource::None }) {
        if (sourceName(s) == name)
            return s;
    }
    return std::nullopt;
}

RuleSet RuleSet::builtIn()
{
    QFile f(QStringLiteral(":/rules/rules.json"));
    QString error;
    std::optional<RuleSet> rules;
    if (f.open(QIODevice::ReadOnly))
        rules = fromJson(f.readAll(), &error);
    Q_ASSERT_X(rules, "RuleSet::builtIn", qPrintable(error));
    return rules ? std::move(*rules) : RuleSet();
}

std::optional<RuleSet> RuleSet::fromFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot open rules: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    auto rules = fromJson(f.readAll(), error);
    if (!rules)
        *error = path + QStringLiteral(": ") + *error;
    return rules;
}

std::optional<RuleSet> RuleSet::fromJson(const QByteArray &text, QString *error)
{
    using nlohmann::json;
    RuleSet r;
    try {
        const json doc = json::parse(text.constBegin(), text.constEnd());
        auto source = [](const json &j) {
            const auto s = sourceFromName(j.get<std::string>());
            if (!s)
                throw std::runtime_error("unknown source \"" + j.get<std::string>() + "\"");
            return *s;
        };
        for (const json &c : doc.at("codes")) {
            r.m_codes.push_back(
                    { lower(c.at("code").get<std::string>()), source(c.at("source")),
                      c.value("quota", false) });
        }
        r.m_rejectionStatuses = doc.at("rejection_statuses").get<std::vector<int>>();
        r.m_unknownCodeSource = source(doc.at("unknown_code_source"));
        for (const json &m : doc.value("body_markers", json::array()))
            r.m_bodyMarkers.emplace_back(m.at("field").get<std::string>(), source(m.at("source")));
        for (const json &m : doc.value("limit_spent_statuses", json::array()))
            r.m_limitSpentStatuses.emplace_back(m.at("status").get<int>(), source(m.at("source")));
        const json &te = doc.at("tool_error_without_status");
        r.m_toolErrorCode = lower(te.at("code").get<std::string>());
        r.m_toolErrorCodes = te.at("tool_error_codes").get<std::vector<std::string>>();
        r.m_toolErrorHttpStatuses = te.at("http_statuses").get<std::vector<int>>();
        r.m_toolErrorSource = source(te.at("source"));
        for (const json &p : te.at("message_patterns")) {
            QRegularExpression re(QString::fromStdString(p.get<std::string>()),
                                  QRegularExpression::CaseInsensitiveOption);
            if (!re.isValid())
                throw std::runtime_error("bad message pattern " + p.get<std::string>() + ": "
                                         + re.errorString().toStdString());
            re.optimize();
            r.m_toolErrorPatterns.push_back(std::move(re));
        }
        const json &g = doc.at("guidance");
        for (int i = 0; i < kRejectionSourceCount; ++i)
            r.m_guidance[i] = QString::fromStdString(
                    g.at(std::string(sourceName(sourceFromIndex(i)))).get<std::string>());
        r.m_quotaGuidance = QString::fromStdString(g.value("quota", std::string()));
        for (const json &s : doc.value("samples", json::array())) {
            Sample sample;
            sample.name = QString::fromStdString(s.at("name").get<std::string>());
            sample.record = QByteArray::fromStdString(s.at("record").dump());
            sample.expect = source(s.at("expect"));
            sample.quota = s.value("quota", false);
            r.m_samples.push_back(std::move(sample));
        }
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid rules: %1").arg(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
    return r;
}

const RuleSet::Code *RuleSet::findCode(const ErrorInfo &err) const
{
    for (int i = 0; i < err.codeCount; ++i) {
        for (const Code &c : m_codes) {
            if (equalsIgnoreCase(c.code, err.codes[i]))
                return &c;
        }
    }
    return nullptr;
}

Classification RuleSet::classify(const RawRecord &rec, const RateLimitInfo &limits) const
{
    Classification out;
    const ErrorInfo &err = rec.error;
    const Code *code = findCode(err);
    auto byBody = [&]() {
        if (code) {
            out.source = code->source;
            out.quota = code->quota;
            out.code = code->code;
            return;
        }
        for (const auto &[field, source] : m_bodyMarkers) {
            if (field == "retry_after" && err.hasBodyRetryAfter) {
                out.source = source;
                return;
            }
        }
        out.source = m_unknownCodeSource;
    };

    if (rec.status >= 0) {
        // 1. a rejection status: the body decides the source
        if (contains(m_rejectionStatuses, rec.status)) {
            byBody();
            return out;
        }
        // 2. a status that is a rejection only when the headers say the limit is spent
        for (const auto &[status, source] : m_limitSpentStatuses) {
            if (status == rec.status && (limits.remainingZero || limits.hasRetryAfter)) {
                out.source = source;
                return out;
            }
        }
        return out; // any other status is not a rejection, whatever the body says
    }

    // 3. no HTTP status (tool call logs)
    if (code && code->code == m_toolErrorCode) {
        bool limited = contains(m_toolErrorHttpStatuses, err.httpStatus);
        for (const std::string &c : m_toolErrorCodes)
            limited = limited || err.toolErrorCode == c;
        for (std::string_view text : { err.toolErrorMessage, err.message }) {
            if (limited || text.empty())
                continue;
            const QString t = QString::fromUtf8(text.data(), qsizetype(text.size()));
            for (const QRegularExpression &re : m_toolErrorPatterns) {
                if (re.match(t).hasMatch()) {
                    limited = true;
                    break;
                }
            }
        }
        if (limited) {
            out.source = m_toolErrorSource;
            out.code = code->code;
        }
        return out;
    }
    if (code && code->source != RejectionSource::None && code->source != RejectionSource::ToolError) {
        out.source = code->source;
        out.quota = code->quota;
        out.code = code->code;
        return out;
    }
    // a body that reports the HTTP status itself (Skytells error.http_status, Mistral)
    if (contains(m_rejectionStatuses, err.httpStatus))
        byBody();
    return out;
}

QString RuleSet::guidance(RejectionSource source, bool quota) const
{
    if (source == RejectionSource::None)
        return {};
    QString g = m_guidance[sourceIndex(source)];
    if (quota && !m_quotaGuidance.isEmpty())
        g = m_quotaGuidance + QLatin1Char('\n') + g;
    return g;
}
