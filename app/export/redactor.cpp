#include "export/redactor.h"

#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace {

// lower case without '-' and '_'
std::string normalize(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '-' || c == '_')
            continue;
        out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    }
    return out;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    return out;
}

bool isUrlish(const std::string &s)
{
    return s.find("://") != std::string::npos || (s.find('?') != std::string::npos && s.find('=') != std::string::npos);
}

} // namespace

Redactor Redactor::builtIn()
{
    QFile f(QStringLiteral(":/rules/redaction.json"));
    QString error;
    bool ok = false;
    Redactor r;
    if (f.open(QIODevice::ReadOnly))
        r = fromJson(f.readAll(), &error, &ok);
    Q_ASSERT_X(ok, "Redactor::builtIn", qPrintable(error));
    return r;
}

Redactor Redactor::fromJson(const QByteArray &text, QString *error, bool *ok)
{
    Redactor r;
    *ok = false;
    try {
        const auto j = nlohmann::json::parse(text.constBegin(), text.constEnd());
        for (const auto &n : j.at("header_names"))
            r.m_headerNames.push_back(normalize(n.get<std::string>()));
        for (const auto &n : j.at("header_name_fragments"))
            r.m_headerFragments.push_back(lower(n.get<std::string>()));
        for (const auto &n : j.at("parameter_names"))
            r.m_names.push_back(normalize(n.get<std::string>()));
        if (j.contains("numbers_kept_for")) {
            for (const auto &n : j.at("numbers_kept_for"))
                r.m_numbersKept.push_back(normalize(n.get<std::string>()));
        }
        r.m_replacement = j.value("replacement", r.m_replacement);
        *ok = true;
    } catch (const std::exception &e) {
        *error = QStringLiteral("invalid redaction list: %1").arg(QString::fromUtf8(e.what()));
    }
    return r;
}

bool Redactor::isSecretHeader(std::string_view name) const
{
    const std::string n = normalize(name);
    if (std::find(m_headerNames.begin(), m_headerNames.end(), n) != m_headerNames.end())
        return true;
    const std::string l = lower(name);
    for (const std::string &f : m_headerFragments) {
        if (l.find(f) != std::string::npos)
            return true;
    }
    return false;
}

bool Redactor::isSecretName(std::string_view name) const
{
    const std::string n = normalize(name);
    return std::find(m_names.begin(), m_names.end(), n) != m_names.end();
}

bool Redactor::isSecretValue(std::string_view name, bool wholeNumber) const
{
    if (!isSecretName(name))
        return false;
    return !wholeNumber
        || std::find(m_numbersKept.begin(), m_numbersKept.end(), normalize(name))
        == m_numbersKept.end();
}

std::string Redactor::url(std::string_view in) const
{
    std::string s(in);
    // user:password@host
    const auto scheme = s.find("://");
    if (scheme != std::string::npos) {
        const auto hostStart = scheme + 3;
        const auto pathStart = s.find_first_of("/?#", hostStart);
        const auto at = s.rfind('@', pathStart == std::string::npos ? s.size() : pathStart);
        if (at != std::string::npos && at > hostStart)
            s.replace(hostStart, at - hostStart, m_replacement);
    }
    // secret query / fragment parameters
    std::size_t q = s.find_first_of("?#");
    while (q != std::string::npos && q < s.size()) {
        const std::size_t start = q + 1;
        std::size_t end = s.find_first_of("&#;", start);
        if (end == std::string::npos)
            end = s.size();
        const std::size_t eq = s.find('=', start);
        if (eq != std::string::npos && eq < end && isSecretName(std::string_view(s).substr(start, eq - start))) {
            s.replace(eq + 1, end - eq - 1, m_replacement);
            end = eq + 1 + m_replacement.size();
        }
        q = end < s.size() ? end : std::string::npos;
    }
    return s;
}

std::string Redactor::text(std::string_view in) const
{
    QString t = QString::fromUtf8(in.data(), qsizetype(in.size()));
    const QString rep = QString::fromStdString(m_replacement);
    // credentials after an auth scheme
    static const QRegularExpression scheme(
            QStringLiteral("\\b(Bearer|Basic|Token|Digest)\\s+[A-Za-z0-9._~+/=\\-]{6,}"),
            QRegularExpression::CaseInsensitiveOption);
    t.replace(scheme, QStringLiteral("\\1 ") + rep);
    // JSON Web Tokens: three base64url parts
    static const QRegularExpression jwt(
            QStringLiteral("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}"));
    t.replace(jwt, rep);
    // "name": "value" and name=value / name: value pairs whose name is on the list
    static const QRegularExpression pair(QStringLiteral(
            "([\"']?)([A-Za-z][A-Za-z0-9_\\-]*)\\1(\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&,;\"'}]+)"));
    QString out;
    qsizetype last = 0;
    static const QRegularExpression wholeNumber(QStringLiteral("^-?[0-9]{1,9}$"));
    auto it = pair.globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        if (!isSecretValue(
                m.captured(2).toStdString(), wholeNumber.match(m.captured(4)).hasMatch()))
            continue;
        QString value = m.captured(4);
        const QChar quote = value.isEmpty() ? QChar() : value.front();
        const bool quoted = quote == QLatin1Char('"') || quote == QLatin1Char('\'');
        out += t.mid(last, m.capturedStart(4) - last);
        out += quoted ? quote + rep + quote : rep;
        last = m.capturedEnd(4);
    }
    out += t.mid(last);
    // secrets inside URLs of the text
    static const QRegularExpression urlRe(QStringLiteral("https?://[^\\s\"'<>]+"));
    QString result;
    last = 0;
    auto uit = urlRe.globalMatch(out);
    while (uit.hasNext()) {
        const auto m = uit.next();
        result += out.mid(last, m.capturedStart() - last);
        result += QString::fromStdString(url(m.captured().toStdString()));
        last = m.capturedEnd();
    }
    result += out.mid(last);
    return result.toStdString();
}

void Redactor::headersArray(nlohmann::json &arr) const
{
    // HAR [{name, value}], [[name, value]], or nock's flat [name, value, name, value]
    bool flat = !arr.empty() && std::all_of(arr.begin(), arr.end(), [](const auto &e) { return e.is_string(); });
    if (flat) {
        for (std::size_t i = 0; i + 1 < arr.size(); i += 2) {
            if (isSecretHeader(arr[i].get<std::string>()))
                arr[i + 1] = m_replacement;
        }
        return;
    }
    for (auto &e : arr) {
        if (e.is_object() && e.contains("name") && e["name"].is_string() && e.contains("value")
            && isSecretHeader(e["name"].get<std::string>())) {
            e["value"] = m_replacement;
        } else if (e.is_array() && e.size() >= 2 && e[0].is_string() && isSecretHeader(e[0].get<std::string>())) {
            for (std::size_t i = 1; i < e.size(); ++i)
                e[i] = m_replacement;
        }
    }
}

void Redactor::json(nlohmann::json &j) const
{
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string &key = it.key();
            nlohmann::json &v = it.value();
            const std::string lk = lower(key);
            const bool headerish = lk == "headers" || lk == "rawheaders" || lk == "response_headers"
                    || lk == "request_headers" || lk == "reqheaders";
            if (!v.is_object() && !v.is_array()
                && isSecretValue(key, v.is_number_integer() || v.is_number_unsigned())) {
                v = m_replacement;
            } else if (headerish && v.is_object()) {
                for (auto h = v.begin(); h != v.end(); ++h) {
                    if (isSecretHeader(h.key())) {
                        if (h.value().is_array()) {
                            for (auto &x : h.value())
                                x = m_replacement;
                        } else {
                            h.value() = m_replacement;
                        }
                    }
                }
            } else if (headerish && v.is_array()) {
                headersArray(v);
            } else if (lk == "cookies" && v.is_array()) { // HAR cookies[]
                for (auto &c : v) {
                    if (c.is_object() && c.contains("value"))
                        c["value"] = m_replacement;
                }
                json(v);
            } else if (lk == "querystring" && v.is_array()) { // HAR queryString[]
                for (auto &p : v) {
                    if (p.is_object() && p.contains("name") && p["name"].is_string()
                        && isSecretName(p["name"].get<std::string>()))
                        p["value"] = m_replacement;
                }
            } else if (lk == "params" && v.is_array()) { // HAR postData.params[]
                for (auto &p : v) {
                    if (p.is_object() && p.contains("name") && p["name"].is_string()
                        && isSecretName(p["name"].get<std::string>()))
                        p["value"] = m_replacement;
                }
            } else {
                json(v);
            }
        }
    } else if (j.is_array()) {
        for (auto &e : j)
            json(e);
    } else if (j.is_string()) {
        const std::string &s = j.get_ref<const std::string &>();
        // a JSON document inside a string (a body): redact it by structure too
        std::size_t k = s.find_first_not_of(" \t\r\n");
        if (k != std::string::npos && (s[k] == '{' || s[k] == '[')) {
            auto inner = nlohmann::json::parse(s, nullptr, false);
            if (!inner.is_discarded()) {
                json(inner);
                j = inner.dump();
                return;
            }
        }
        j = isUrlish(s) ? text(url(s)) : text(s);
    }
}

std::string Redactor::record(std::string_view raw, int indent) const
{
    auto j = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
    if (!j.is_discarded()) {
        json(j);
        return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    // not JSON (a PyGithub exchange): each line that is a Python header list or text
    std::string out;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t nl = raw.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = raw.size();
        std::string line(raw.substr(pos, nl - pos));
        // ('Authorization', 'token abc') tuples and {'Authorization': 'token abc'} dicts
        static const QRegularExpression tuple(QStringLiteral("'([^']*)'\\s*[,:]\\s*'([^']*)'"));
        QString ql = QString::fromStdString(line);
        QString rebuilt;
        qsizetype last = 0;
        auto it = tuple.globalMatch(ql);
        while (it.hasNext()) {
            const auto m = it.next();
            if (isSecretHeader(m.captured(1).toStdString())) {
                rebuilt += ql.mid(last, m.capturedStart(2) - last) + QString::fromStdString(m_replacement);
                last = m.capturedEnd(2);
            }
        }
        rebuilt += ql.mid(last);
        const auto pj = nlohmann::json::parse(rebuilt.toStdString(), nullptr, false);
        if (!pj.is_discarded() && (pj.is_object() || pj.is_array())) {
            auto copy = pj;
            json(copy);
            out += copy.dump();
        } else {
            out += text(isUrlish(rebuilt.toStdString()) ? url(rebuilt.toStdString()) : rebuilt.toStdString());
        }
        if (nl == raw.size())
            break;
        out += '\n';
        pos = nl + 1;
    }
    return out;
}
