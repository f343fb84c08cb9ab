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

// The body fields the decoder reports (decode/rawrecord.h, ErrorInfo): a body marker tests
// the first, a gateway or category rule reads the others.
using BodyField = RuleSet::BodyField;
struct BodyFieldName
{
    std::string_view name;
    BodyField field;
};
constexpr BodyFieldName kMarkerFields[] = { { "retry_after", BodyField::RetryAfter } };
constexpr BodyFieldName kTextFields[] = {
    { "message", BodyField::Message }, // the error's message, or a short plain-text body
    { "provider_name", BodyField::ProviderName }, // error.metadata.provider_name (OpenRouter)
    { "raw", BodyField::Raw }, // error.metadata.raw: the upstream provider's own words
    { "metadata", BodyField::Metadata }, // error.metadata is there at all
};

template <std::size_t N>
BodyField bodyField(const json &j, const std::string &path, const BodyFieldName (&known)[N])
{
    const std::string name = value<std::string>(j, path, "a body field name");
    std::string list;
    for (const BodyFieldName &f : known) {
        if (f.name == name)
            return f.field;
        list += (list.empty() ? "" : ", ") + std::string(f.name);
    }
    fail(path, "\"" + name + "\" is not a body field the rules can test (" + list + ")");
}

std::string_view fieldText(const ErrorInfo &err, BodyField f)
{
    switch (f) {
    case BodyField::Message:
        return err.providerMessage();
    case BodyField::ProviderName:
        return err.providerName;
    case BodyField::Raw:
        return err.raw;
    case BodyField::Metadata:
        return err.hasMetadata ? std::string_view("{}") : std::string_view();
    case BodyField::RetryAfter:
        break;
    }
    return {};
}

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

ThrottleCategory category(const json &j, const std::string &path)
{
    const std::string name = value<std::string>(j, path, "a category name");
    for (int i = 0; i < kThrottleCategoryCount; ++i) {
        if (categoryName(categoryFromIndex(i)) == name)
            return categoryFromIndex(i);
    }
    fail(path, "unknown category \"" + name + "\" (known: QUOTA, OVERLOADED, HIDDEN_THROTTLE)");
}

QRegularExpression pattern(const json &j, const std::string &path)
{
    const std::string p = value<std::string>(j, path, "a string");
    QRegularExpression re(QString::fromStdString(p), QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid())
        fail(path, "bad pattern " + p + ": " + re.errorString().toStdString());
    re.optimize();
    return re;
}

// A file of additions (`"extends": "built-in"`): its lists go before the built-in file's, so
// that its rules decide first and its paths ("gateways[0].when") stay those of the file.
json extendBuiltIn(const json &add)
{
    object(add, "", { "extends" },
        { "schema", "about", "codes", "gateways", "categories", "samples" });
    if (add["extends"] != "built-in")
        fail("extends", "only \"built-in\" can be extended (the rules compiled in)");
    if (add.contains("schema") && add["schema"] != "ratescope.rules/1")
        fail("schema", "not \"ratescope.rules/1\"");
    QFile f(QStringLiteral(":/rules/rules.json"));
    if (!f.open(QIODevice::ReadOnly))
        fail("extends", "the built-in rules cannot be read");
    const QByteArray text = f.readAll();
    json base = json::parse(text.constBegin(), text.constEnd());
    for (const char *key : { "codes", "gateways", "categories", "samples" }) {
        if (!add.contains(key))
            continue;
        json list = array(add[key], key);
        const json own = base.value(key, json::array());
        list.insert(list.end(), own.begin(), own.end());
        base[key] = std::move(list);
    }
    if (add.contains("about"))
        base["about"] = add["about"];
    return base;
}

// The words of an upstream provider that a gateway passed on as text (OpenRouter's
// metadata.raw): when that text is itself the provider's JSON error body, its message
// (error.message, a string error, message); otherwise the text as it is.
std::string providerWords(std::string_view text)
{
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || text[start] != '{')
        return std::string(text);
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (!doc.is_object())
        return std::string(text);
    const auto stringAt = [](const json &o, const char *key) -> std::string {
        const auto it = o.find(key);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string words;
    if (const auto error = doc.find("error"); error != doc.end())
        words = error->is_object() ? stringAt(*error, "message") : stringAt(doc, "error");
    if (words.empty())
        words = stringAt(doc, "message");
    return words.empty() ? std::string(text) : words;
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
        json doc = json::parse(text.constBegin(), text.constEnd());
        if (doc.is_object() && doc.contains("extends"))
            doc = extendBuiltIn(doc);
        object(doc, "",
            { "codes", "rejection_statuses", "unknown_code_source", "tool_error_without_status",
                "guidance" },
            { "schema", "about", "body_markers", "limit_spent_statuses", "gateways", "categories",
                "samples" });
        if (doc.contains("schema") && doc["schema"] != "ratescope.rules/1")
            fail("schema", "not \"ratescope.rules/1\"");
        const json &codes = array(doc["codes"], "codes");
        for (std::size_t i = 0; i < codes.size(); ++i) {
            const std::string path = item("codes", i);
            const json &c = object(codes[i], path, { "code", "source" }, { "quota", "seen_in" });
            const std::string name
                = value<std::string>(c["code"], member(path, "code"), "a string");
            r.m_codes.push_back({ lower(name), source(c["source"], member(path, "source")),
                c.contains("quota")
                    && value<bool>(c["quota"], member(path, "quota"), "true or false"),
                name });
        }
        r.m_rejectionStatuses = statuses(doc["rejection_statuses"], "rejection_statuses");
        r.m_unknownCodeSource = source(doc["unknown_code_source"], "unknown_code_source");
        const json markers = doc.value("body_markers", json::array());
        array(markers, "body_markers");
        for (std::size_t i = 0; i < markers.size(); ++i) {
            const std::string path = item("body_markers", i);
            const json &m = object(markers[i], path, { "field", "source" }, { "seen_in" });
            r.m_bodyMarkers.push_back({ bodyField(m["field"], member(path, "field"), kMarkerFields),
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
        // gateway and category rules (limits.md §7)
        auto messageRule = [&](const json &j, const std::string &path, bool gateway) {
            const json &m = gateway
                ? object(j, path, { "name", "statuses", "when", "source", "seen_in" },
                    { "provider_from", "message_from" })
                : object(j, path, { "name", "category", "statuses", "when", "seen_in" }, {});
            MessageRule rule;
            rule.name = value<std::string>(m["name"], member(path, "name"), "a string");
            rule.statuses = statuses(m["statuses"], member(path, "statuses"));
            if (rule.statuses.empty())
                fail(member(path, "statuses"), "empty: name at least one status");
            if (gateway) {
                rule.source = source(m["source"], member(path, "source"));
                for (const char *key : { "provider_from", "message_from" }) {
                    if (m.contains(key))
                        (key[0] == 'p' ? rule.providerFrom : rule.messageFrom)
                            = bodyField(m[key], member(path, key), kTextFields);
                }
            } else {
                rule.category = category(m["category"], member(path, "category"));
                for (std::size_t k = 0; k < rule.statuses.size(); ++k) {
                    if (rule.category != ThrottleCategory::Quota
                        && contains(r.m_rejectionStatuses, rule.statuses[k]))
                        fail(item(member(path, "statuses"), k),
                            "a rejection status: OVERLOADED and HIDDEN_THROTTLE are never "
                            "rejections");
                }
            }
            const std::string whenPath = member(path, "when");
            const json &when = array(m["when"], whenPath);
            if (when.empty())
                fail(whenPath, "empty: name at least one condition");
            for (std::size_t k = 0; k < when.size(); ++k) {
                const std::string cPath = item(whenPath, k);
                const json &c
                    = object(when[k], cPath, {}, { "code", "field", "contains", "pattern" });
                Condition cond;
                if (c.contains("code"))
                    cond.code
                        = lower(value<std::string>(c["code"], member(cPath, "code"), "a string"));
                if (c.contains("field"))
                    cond.field = bodyField(c["field"], member(cPath, "field"), kTextFields);
                if (cond.code.empty() && !cond.field)
                    fail(cPath, "names neither a code nor a field");
                if ((c.contains("contains") || c.contains("pattern")) && !cond.field)
                    fail(cPath, "contains and pattern read a field: name one");
                if (cond.field == BodyField::Metadata
                    && (c.contains("contains") || c.contains("pattern")))
                    fail(cPath, "metadata is tested for presence only");
                if (c.contains("contains")) {
                    const std::string cp = member(cPath, "contains");
                    const json &list = c["contains"].is_string() ? json::array({ c["contains"] })
                                                                 : array(c["contains"], cp);
                    for (std::size_t n = 0; n < list.size(); ++n) {
                        cond.contains.push_back(
                            lower(value<std::string>(list[n], item(cp, n), "a string")));
                        if (cond.contains.back().empty())
                            fail(item(cp, n), "empty");
                    }
                }
                if (c.contains("pattern")) {
                    if (cond.contains.empty())
                        fail(member(cPath, "pattern"),
                            "needs contains: a word the text must hold before the pattern is "
                            "tried (keeps the classifier fast)");
                    cond.pattern = pattern(c["pattern"], member(cPath, "pattern"));
                    if (!gateway
                        && !cond.pattern->namedCaptureGroups()
                                .filter(QRegularExpression(QStringLiteral("^(provider|message)$")))
                                .isEmpty())
                        fail(member(cPath, "pattern"),
                            "names a provider or message: only a gateway rule can");
                }
                rule.when.push_back(std::move(cond));
            }
            return rule;
        };
        for (const char *key : { "gateways", "categories" }) {
            const json list = doc.value(key, json::array());
            array(list, key);
            const bool gateway = key[0] == 'g';
            for (std::size_t i = 0; i < list.size(); ++i) {
                MessageRule rule = messageRule(list[i], item(key, i), gateway);
                for (int st : rule.statuses)
                    (gateway ? r.m_gatewayStatuses : r.m_categoryStatuses).set(std::size_t(st));
                (gateway ? r.m_gateways : r.m_categories).push_back(std::move(rule));
            }
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
        // per source (required), per category (limits.md §7; `quota` is QUOTA's old name)
        const json &g = object(doc["guidance"], "guidance",
            { sourceName(sourceFromIndex(0)), sourceName(sourceFromIndex(1)),
                sourceName(sourceFromIndex(2)) },
            { categoryName(categoryFromIndex(0)), categoryName(categoryFromIndex(1)),
                categoryName(categoryFromIndex(2)), "quota", "rate_limited_by_axis" });
        for (int i = 0; i < kRejectionSourceCount; ++i) {
            const std::string key(sourceName(sourceFromIndex(i)));
            r.m_guidance[i] = QString::fromStdString(
                value<std::string>(g[key], member("guidance", key), "a string"));
        }
        if (g.contains("quota") && g.contains(categoryName(ThrottleCategory::Quota)))
            fail("guidance.quota", "the old name of guidance.QUOTA: give one of them");
        for (int i = 0; i < kThrottleCategoryCount; ++i) {
            std::string key(categoryName(categoryFromIndex(i)));
            if (!g.contains(key) && categoryFromIndex(i) == ThrottleCategory::Quota)
                key = "quota";
            if (g.contains(key))
                r.m_categoryGuidance[i] = QString::fromStdString(
                    value<std::string>(g[key], member("guidance", key), "a string"));
        }
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
            const json &s = object(samples[i], path, { "name", "expect", "record" },
                { "quota", "category", "provider", "message" });
            Sample sample;
            sample.name = QString::fromStdString(
                value<std::string>(s["name"], member(path, "name"), "a string"));
            sample.record = QByteArray::fromStdString(s["record"].dump());
            sample.expect = source(s["expect"], member(path, "expect"));
            sample.quota = s.contains("quota")
                && value<bool>(s["quota"], member(path, "quota"), "true or false");
            if (s.contains("category"))
                sample.category = category(s["category"], member(path, "category"));
            for (const char *key : { "provider", "message" }) {
                if (s.contains(key))
                    (key[0] == 'p' ? sample.provider : sample.message) = QString::fromStdString(
                        value<std::string>(s[key], member(path, key), "a string"));
            }
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
    LowerTexts lower;
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
        // 1. a rejection status: a gateway rule that names whose it is decides over the
        // envelope's code (limits.md §7), else the body decides the source
        if (contains(m_rejectionStatuses, rec.status)) {
            const MessageRule *gateway = nullptr;
            for (const MessageRule &rule : m_gateways) {
                if (!m_gatewayStatuses[std::size_t(rec.status)])
                    break;
                if (contains(rule.statuses, rec.status) && holds(rule, rec, &out, lower)) {
                    gateway = &rule;
                    break;
                }
            }
            if (gateway) {
                out.source = gateway->source;
                out.gatewayRule = gateway->name;
                if (code && code->quota) {
                    out.quota = true;
                    out.code = code->code;
                }
            } else {
                byBody();
            }
            categorize(rec, out, lower);
            return out;
        }
        // 2. a status that is a rejection only when the headers say the limit is spent
        for (const LimitSpent &rule : m_limitSpent) {
            const bool spent = ((rule.when & kRemainingZero) && limits.remainingZero)
                || ((rule.when & kRetryAfterPresent) && limits.hasRetryAfter);
            if (rule.status == rec.status && spent) {
                out.source = rule.source;
                categorize(rec, out, lower);
                return out;
            }
        }
        // any other status is not a rejection, whatever the body says; a gateway's envelope
        // can still name the provider and its words, and the body can say quota, overload or
        // a hidden throttle
        for (const MessageRule &rule : m_gateways) {
            if (rec.status >= 1000 || !m_gatewayStatuses[std::size_t(rec.status)])
                break;
            if (contains(rule.statuses, rec.status) && holds(rule, rec, &out, lower)) {
                out.gatewayRule = rule.name;
                break;
            }
        }
        categorize(rec, out, lower);
        return out;
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
        categorize(rec, out, lower);
        return out;
    }
    // a body that reports the HTTP status itself (Skytells error.http_status, Mistral)
    if (contains(m_rejectionStatuses, err.httpStatus))
        byBody();
    categorize(rec, out, lower);
    return out;
}

const std::string &RuleSet::LowerTexts::of(BodyField f, std::string_view original)
{
    const std::size_t k = std::size_t(f) - std::size_t(BodyField::Message);
    if (!made[k]) {
        made[k] = true;
        text[k].resize(original.size());
        std::transform(original.begin(), original.end(), text[k].begin(), lowerAscii);
    }
    return text[k];
}

bool RuleSet::holds(
    const MessageRule &rule, const RawRecord &rec, Classification *out, LowerTexts &lower) const
{
    const ErrorInfo &err = rec.error;
    for (const Condition &c : rule.when) {
        if (!c.code.empty()) {
            bool found = false;
            for (int i = 0; i < err.codeCount && !found; ++i)
                found = equalsIgnoreCase(c.code, err.codes[i]);
            if (!found)
                continue;
        }
        if (!c.field)
            return true;
        const std::string_view text = fieldText(err, *c.field);
        if (text.empty())
            continue;
        if (!c.contains.empty()) {
            const std::string &low = lower.of(*c.field, text);
            if (std::none_of(c.contains.begin(), c.contains.end(),
                    [&](const std::string &w) { return low.find(w) != std::string::npos; }))
                continue;
        }
        if (c.pattern) {
            const QRegularExpressionMatch m
                = c.pattern->match(QString::fromUtf8(text.data(), qsizetype(text.size())));
            if (!m.hasMatch())
                continue;
            if (out) {
                out->provider = m.captured(QStringLiteral("provider")).trimmed().toStdString();
                out->message = m.captured(QStringLiteral("message")).toStdString();
            }
        }
        if (out) {
            if (out->provider.empty() && rule.providerFrom)
                out->provider = std::string(fieldText(err, *rule.providerFrom));
            if (out->message.empty() && rule.messageFrom)
                out->message = providerWords(fieldText(err, *rule.messageFrom));
        }
        return true;
    }
    return false;
}

void RuleSet::categorize(const RawRecord &rec, Classification &out, LowerTexts &lower) const
{
    if (out.quota) { // a code of the file's `codes` flagged quota
        out.category = ThrottleCategory::Quota;
        if (out.categoryRule.empty()) {
            const Code *code = findCode(rec.error);
            out.categoryRule = code ? std::string_view(code->name) : std::string_view("quota");
        }
        return;
    }
    if (rec.status < 0 || rec.status >= 1000 || !m_categoryStatuses[std::size_t(rec.status)])
        return;
    for (const MessageRule &rule : m_categories) {
        // OVERLOADED and HIDDEN_THROTTLE are never rejections (limits.md §7)
        if (rule.category != ThrottleCategory::Quota && out.source != RejectionSource::None)
            continue;
        if (!contains(rule.statuses, rec.status) || !holds(rule, rec, nullptr, lower))
            continue;
        out.category = rule.category;
        out.categoryRule = rule.name;
        out.quota = rule.category == ThrottleCategory::Quota && out.source != RejectionSource::None;
        return;
    }
}

QString RuleSet::guidance(RejectionSource source, bool quota, std::optional<LimitAxis> binding,
    ThrottleCategory category) const
{
    if (quota)
        category = ThrottleCategory::Quota;
    if (source == RejectionSource::None)
        return categoryGuidance(category); // OVERLOADED, HIDDEN_THROTTLE, a QUOTA on a 402
    QString g = m_guidance[sourceIndex(source)];
    if (source == RejectionSource::RateLimited && binding
        && !m_axisGuidance[std::size_t(*binding)].isEmpty())
        g = m_axisGuidance[std::size_t(*binding)];
    // a rejection's category can only be QUOTA: billing first, then the source's backoff
    const QString quotaText = category == ThrottleCategory::Quota
        ? m_categoryGuidance[categoryIndex(ThrottleCategory::Quota)]
        : QString();
    if (!quotaText.isEmpty())
        g = quotaText + QLatin1Char('\n') + g;
    return g;
}

QString RuleSet::categoryGuidance(ThrottleCategory category) const
{
    return category == ThrottleCategory::None ? QString()
                                              : m_categoryGuidance[categoryIndex(category)];
}

std::vector<std::string> RuleSet::gatewayRuleNames() const
{
    std::vector<std::string> names;
    for (const MessageRule &rule : m_gateways)
        names.push_back(rule.name);
    return names;
}

std::vector<RuleSet::GatewayView> RuleSet::gatewayViews() const
{
    std::vector<GatewayView> out;
    for (const MessageRule &rule : m_gateways) {
        GatewayView v;
        v.name = rule.name;
        v.statuses = rule.statuses;
        v.source = rule.source;
        for (const Condition &c : rule.when)
            v.when.push_back({ !c.code.empty(), c.field, c.contains, c.pattern.has_value() });
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<std::string> RuleSet::categoryRuleNames() const
{
    std::vector<std::string> names;
    for (const MessageRule &rule : m_categories)
        names.push_back(rule.name);
    return names;
}
