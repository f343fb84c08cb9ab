#include "rules/ruleset.h"

#include "decode/jsoncheck.h"

#include <QFile>

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

// Reading the rules file: every error names where in the file it is ("codes[3].source"),
// with the helpers of decode/jsoncheck.h (the dialect table reads its file the same way).
using namespace jsoncheck;

int status(const json &j, const std::string &path)
{
    if (!j.is_number_integer() || j.get<std::int64_t>() < 0 || j.get<std::int64_t>() > 999)
        fail(path, "not an HTTP status");
    return j.get<int>();
}

std::vector<int> statuses(const json &j, const std::string &path)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < array(j, path).size(); ++i)
        out.push_back(status(j[i], item(path, i)));
    return out;
}

RejectionSource source(const json &j, const std::string &path)
{
    const std::string name = value<std::string>(j, path, "a source name");
    const auto s = sourceFromName(name);
    if (!s)
        fail(path, "unknown source \"" + name + "\"");
    return *s;
}

// The facts the header reader (decode/ratelimitheaders.h) gathers, as `when` conditions name
// them: "<header> is 0" or "<header> present", header names in any case.
struct HeaderCondition
{
    std::string_view text;
    unsigned flag;
};
constexpr unsigned kRemainingZero = 1;
constexpr unsigned kRetryAfterPresent = 2;
constexpr HeaderCondition kHeaderConditions[] = {
    { "x-ratelimit-remaining is 0", kRemainingZero },
    { "retry-after present", kRetryAfterPresent },
};

unsigned condition(const json &j, const std::string &path)
{
    const std::string text = value<std::string>(j, path, "a condition");
    for (const HeaderCondition &c : kHeaderConditions) {
        if (text.size() == c.text.size() && equalsIgnoreCase(c.text, text))
            return c.flag;
    }
    fail(path,
        "\"" + text
            + "\" is not a condition the rules understand (\"x-ratelimit-remaining is 0\", "
              "\"Retry-After present\")");
}

// The body fields the decoder reports (decode/rawrecord.h, ErrorInfo).
RuleSet::BodyField bodyField(const json &j, const std::string &path)
{
    const std::string name = value<std::string>(j, path, "a body field name");
    if (name == "retry_after")
        return RuleSet::BodyField::RetryAfter;
    fail(path, "\"" + name + "\" is not a body field the rules can test (retry_after)");
}

} // namespace

std::optional<RejectionSource> sourceFromName(std::string_view name)
{
    for (RejectionSource s : { RejectionSource::RateLimited, RejectionSource::ToolError,
             RejectionSource::Unclassified, RejectionSource::None }) {
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
    RuleSet r;
    try {
        const json doc = json::parse(text.constBegin(), text.constEnd());
        object(doc, "",
            { "codes", "rejection_statuses", "unknown_code_source", "tool_error_without_status",
                "guidance" },
            { "schema", "about", "body_markers", "limit_spent_statuses", "samples" });
        if (doc.contains("schema") && doc["schema"] != "ratescope.rules/1")
            fail("schema", "not \"ratescope.rules/1\"");
        const json &codes = array(doc["codes"], "codes");
        for (std::size_t i = 0; i < codes.size(); ++i) {
            const std::string path = item("codes", i);
            const json &c = object(codes[i], path, { "code", "source" }, { "quota", "seen_in" });
            r.m_codes.push_back(
                { lower(value<std::string>(c["code"], member(path, "code"), "a string")),
                    source(c["source"], member(path, "source")),
                    c.contains("quota")
                        && value<bool>(c["quota"], member(path, "quota"), "true or false") });
        }
        r.m_rejectionStatuses = statuses(doc["rejection_statuses"], "rejection_statuses");
        r.m_unknownCodeSource = source(doc["unknown_code_source"], "unknown_code_source");
        const json markers = doc.value("body_markers", json::array());
        array(markers, "body_markers");
        for (std::size_t i = 0; i < markers.size(); ++i) {
            const std::string path = item("body_markers", i);
            const json &m = object(markers[i], path, { "field", "source" }, { "seen_in" });
            r.m_bodyMarkers.push_back({ bodyField(m["field"], member(path, "field")),
                source(m["source"], member(path, "source")) });
        }
        const json spent = doc.value("limit_spent_statuses", json::array());
        array(spent, "limit_spent_statuses");
        for (std::size_t i = 0; i < spent.size(); ++i) {
            const std::string path = item("limit_spent_statuses", i);
            const json &m = object(spent[i], path, { "status", "when", "source" }, { "seen_in" });
            LimitSpent rule;
            rule.status = status(m["status"], member(path, "status"));
            const std::string whenPath = member(path, "when");
            const json &when = array(m["when"], whenPath);
            if (when.empty())
                fail(whenPath, "empty: name at least one condition");
            for (std::size_t k = 0; k < when.size(); ++k)
                rule.when |= condition(when[k], item(whenPath, k));
            rule.source = source(m["source"], member(path, "source"));
            r.m_limitSpent.push_back(rule);
        }
        const std::string tePath = "tool_error_without_status";
        const json &te = object(doc[tePath], tePath,
            { "code", "tool_error_codes", "http_statuses", "message_patterns", "source" },
            { "seen_in" });
        r.m_toolErrorCode
            = lower(value<std::string>(te["code"], member(tePath, "code"), "a string"));
        r.m_toolErrorCodes = value<std::vector<std::string>>(
            te["tool_error_codes"], member(tePath, "tool_error_codes"), "an array of strings");
        r.m_toolErrorHttpStatuses = statuses(te["http_statuses"], member(tePath, "http_statuses"));
        r.m_toolErrorSource = source(te["source"], member(tePath, "source"));
        const std::string patternsPath = member(tePath, "message_patterns");
        const json &patterns = array(te["message_patterns"], patternsPath);
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            const std::string p
                = value<std::string>(patterns[i], item(patternsPath, i), "a string");
            QRegularExpression re(
                QString::fromStdString(p), QRegularExpression::CaseInsensitiveOption);
            if (!re.isValid())
                fail(item(patternsPath, i),
                    "bad message pattern " + p + ": " + re.errorString().toStdString());
            re.optimize();
            r.m_toolErrorPatterns.push_back(std::move(re));
        }
        const json &g = object(doc["guidance"], "guidance",
            { sourceName(sourceFromIndex(0)), sourceName(sourceFromIndex(1)),
                sourceName(sourceFromIndex(2)) },
            { "quota", "rate_limited_by_axis" });
        for (int i = 0; i < kRejectionSourceCount; ++i) {
            const std::string key(sourceName(sourceFromIndex(i)));
            r.m_guidance[i] = QString::fromStdString(
                value<std::string>(g[key], member("guidance", key), "a string"));
        }
        if (g.contains("quota"))
            r.m_quotaGuidance = QString::fromStdString(
                value<std::string>(g["quota"], "guidance.quota", "a string"));
        if (g.contains("rate_limited_by_axis")) {
            const std::string axesPath = "guidance.rate_limited_by_axis";
            const json &axes = object(g["rate_limited_by_axis"], axesPath, {},
                { "requests", "tokens", "input_tokens", "output_tokens", "concurrency" });
            for (int a = 0; a < int(std::size(r.m_axisGuidance)); ++a) {
                const std::string key = limitAxisName(LimitAxis(a)).toStdString();
                if (axes.contains(key))
                    r.m_axisGuidance[a] = QString::fromStdString(
                        value<std::string>(axes[key], member(axesPath, key), "a string"));
            }
        }
        const json samples = doc.value("samples", json::array());
        array(samples, "samples");
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const std::string path = item("samples", i);
            const json &s = object(samples[i], path, { "name", "expect", "record" }, { "quota" });
            Sample sample;
            sample.name = QString::fromStdString(
                value<std::string>(s["name"], member(path, "name"), "a string"));
            sample.record = QByteArray::fromStdString(s["record"].dump());
            sample.expect = source(s["expect"], member(path, "expect"));
            sample.quota = s.contains("quota")
                && value<bool>(s["quota"], member(path, "quota"), "true or false");
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
            if (field == BodyField::RetryAfter && err.hasBodyRetryAfter) {
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
        for (const LimitSpent &rule : m_limitSpent) {
            const bool spent = ((rule.when & kRemainingZero) && limits.remainingZero)
                || ((rule.when & kRetryAfterPresent) && limits.hasRetryAfter);
            if (rule.status == rec.status && spent) {
                out.source = rule.source;
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
    if (code && code->source != RejectionSource::None
        && code->source != RejectionSource::ToolError) {
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

QString RuleSet::guidance(
    RejectionSource source, bool quota, std::optional<LimitAxis> binding) const
{
    if (source == RejectionSource::None)
        return {};
    QString g = m_guidance[sourceIndex(source)];
    if (source == RejectionSource::RateLimited && binding
        && !m_axisGuidance[std::size_t(*binding)].isEmpty())
        g = m_axisGuidance[std::size_t(*binding)];
    if (quota && !m_quotaGuidance.isEmpty())
        g = m_quotaGuidance + QLatin1Char('\n') + g;
    return g;
}
