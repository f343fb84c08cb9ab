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

bool isAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordChar(char c) { return isAlpha(c) || isDigit(c) || c == '_'; } // a regex's \w
bool isNameChar(char c) { return isWordChar(c) || c == '-'; }
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isInlineSpace(char c) { return c == ' ' || c == '\t'; }
bool isQuote(char c) { return c == '"' || c == '\''; }
bool isCredentialChar(char c)
{
    return isAlpha(c) || isDigit(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
        || c == '=' || c == '-';
}
bool isAuthScheme(std::string_view word)
{
    const std::string w = lower(word);
    return w == "bearer" || w == "basic" || w == "token" || w == "digest";
}

// Pass 2 of Redactor::text(): `Scheme <credential of 6 or more characters>` becomes
// `Scheme [REDACTED]`, the scheme a whole word.
std::string authSchemes(std::string_view s, const std::string &rep)
{
    std::string out;
    out.reserve(s.size());
    std::size_t last = 0, i = 0;
    while (i < s.size()) {
        if (!isAlpha(s[i]) || (i > 0 && isWordChar(s[i - 1]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && isWordChar(s[j]))
            ++j;
        if (isAuthScheme(s.substr(i, j - i))) {
            std::size_t k = j;
            while (k < s.size() && isSpace(s[k]))
                ++k;
            std::size_t c = k;
            while (c < s.size() && isCredentialChar(s[c]))
                ++c;
            // a credential that is a scheme word is the next scheme (`Digest Bearer …`)
            if (k > j && c - k >= 6 && !isAuthScheme(s.substr(k, c - k))) {
                out.append(s.substr(last, j - last));
                out += ' ';
                out += rep;
                last = c;
                j = c;
            }
        }
        i = j;
    }
    out.append(s.substr(last));
    return out;
}

// Pass 3: JSON Web Tokens, `eyJ…` and two more base64url parts of 4 or more characters each.
std::string jwts(std::string_view s, const std::string &rep)
{
    auto b64run = [&s](std::size_t p) {
        while (p < s.size() && (isWordChar(s[p]) || s[p] == '-'))
            ++p;
        return p;
    };
    std::string out;
    out.reserve(s.size());
    std::size_t last = 0;
    for (std::size_t i = s.find("eyJ"); i != std::string_view::npos; i = s.find("eyJ", i)) {
        if (i > 0 && isWordChar(s[i - 1])) {
            i += 3;
            continue;
        }
        const std::size_t end1 = b64run(i + 3);
        bool ok = end1 - (i + 3) >= 4 && end1 < s.size() && s[end1] == '.';
        const std::size_t end2 = ok ? b64run(end1 + 1) : end1;
        ok = ok && end2 - (end1 + 1) >= 4 && end2 < s.size() && s[end2] == '.';
        const std::size_t end3 = ok ? b64run(end2 + 1) : end2;
        ok = ok && end3 - (end2 + 1) >= 4;
        if (ok) {
            out.append(s.substr(last, i - last));
            out += rep;
            last = i = end3;
        } else {
            i = end1; // a later start inside this part fails the same way
        }
    }
    out.append(s.substr(last));
    return out;
}

bool isUrlish(const std::string &s)
{
    return s.find("://") != std::string::npos
        || (s.find('?') != std::string::npos && s.find('=') != std::string::npos);
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

std::string Redactor::url(std::string_view s) const
{
    // One pass that copies as it goes: a URL with many parameters costs its length.
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    // user:password@host
    const auto scheme = s.find("://");
    if (scheme != std::string_view::npos) {
        const auto hostStart = scheme + 3;
        const auto pathStart = s.find_first_of("/?#", hostStart);
        const auto at = s.rfind('@', pathStart == std::string_view::npos ? s.size() : pathStart);
        if (at != std::string_view::npos && at > hostStart) {
            out.append(s.substr(0, hostStart));
            out += m_replacement;
            pos = at;
        }
    }
    // secret query / fragment parameters
    const std::size_t q = s.find_first_of("?#", pos);
    if (q == std::string_view::npos) {
        out.append(s.substr(pos));
        return out;
    }
    out.append(s.substr(pos, q + 1 - pos));
    std::size_t start = q + 1;
    while (start <= s.size()) {
        std::size_t end = s.find_first_of("&#;", start);
        if (end == std::string_view::npos)
            end = s.size();
        const std::string_view param = s.substr(start, end - start);
        const std::size_t eq = param.find('=');
        if (eq != std::string_view::npos && isSecretName(param.substr(0, eq))) {
            out.append(param.substr(0, eq + 1));
            out += m_replacement;
        } else {
            out.append(param);
        }
        if (end == s.size())
            break;
        out += s[end];
        start = end + 1;
    }
    return out;
}

// Free text is scanned in linear passes, each copying as it goes (no backtracking regex: a
// field may be a megabyte long):
//  1. pairs (pairs()): every run of name characters followed by `=` or `:` is a candidate,
//     and the scan goes on right after the separator unless the value was redacted, so
//     `said: access_token=…` examines `access_token` too. First, so that no other pass can
//     take a header's name away from its value (`Token X-Api-Key: …`);
//  2. credentials after an auth scheme (`Bearer …`, `Basic …`, `Token …`, `Digest …`);
//  3. JSON Web Tokens (three base64url parts starting `eyJ`);
//  4. URLs in the text (url()).
// The passes only ever replace text by [REDACTED], so none can expose what another hid.
std::string Redactor::text(std::string_view in) const
{
    const std::string t = jwts(authSchemes(pairs(in), m_replacement), m_replacement);
    std::string out;
    out.reserve(t.size());
    std::size_t last = 0;
    for (std::size_t i = t.find("http"); i != std::string::npos; i = t.find("http", i)) {
        const std::size_t rest = t.compare(i, 7, "http://") == 0 ? i + 7
            : t.compare(i, 8, "https://") == 0                   ? i + 8
                                                                 : 0;
        if (rest == 0) {
            i += 4;
            continue;
        }
        const std::size_t end = std::min(t.find_first_of(" \t\r\n\f\v\"'<>", rest), t.size());
        out.append(t, last, i - last);
        out += url(std::string_view(t).substr(i, end - i));
        last = i = end;
    }
    out.append(t, last, std::string::npos);
    // whatever the bytes were, the result is valid UTF-8 (as exports and the screen need)
    return QString::fromUtf8(out.data(), qsizetype(out.size())).toStdString();
}

namespace {

// The first position at or after p whose byte is a stop (or the text's end). It remembers its
// last answer: asked at positions that never decrease, all its calls together read the text
// once, however many values share one end (`Cookie: Cookie: Cookie: …`).
class NextStop
{
public:
    NextStop(std::string_view s, bool (*stop)(char))
        : m_s(s)
        , m_stop(stop)
    {
    }
    std::size_t from(std::size_t p)
    {
        if (p >= m_from && p <= m_at) // no stop in [m_from, m_at)
            return m_at;
        std::size_t q = p;
        while (q < m_s.size() && !m_stop(m_s[q]))
            ++q;
        m_from = p;
        m_at = q;
        return q;
    }

private:
    std::string_view m_s;
    bool (*m_stop)(char);
    std::size_t m_from = 1, m_at = 0; // nothing known
};

bool isLineEnd(char c) { return c == '\n' || c == '\r'; }
// where an unquoted parameter value ends
bool isValueEnd(char c)
{
    return isSpace(c) || std::string_view("&,;\"'}").find(c) != std::string_view::npos;
}

} // namespace

// Pass 1 of text(). A name is a run of [A-Za-z0-9_-] (from its first letter on), maybe in
// quotes, then `=` or `:`. Every name is examined, from left to right, and the scan always
// goes on right after the separator: a value, redacted or not, is scanned for names too, so
// no pair hides another one (`said: access_token=…`, `token= X-Api-Key: …`,
// `api_key: "client_secret": "…"`). Overlapping redactions merge into one [REDACTED].
//  - `Name: value` with an unquoted name on the header list (isSecretHeader: Cookie,
//    Set-Cookie, Authorization, X-Api-Key, …): the value runs to the end of the line, or to
//    the quote that opened the text the header sits in. A whole header value goes, so
//    `Cookie: a=1; b=2` loses both cookies. An auth scheme word (`Bearer `) is kept. A
//    value in quotes is the quoted string, as below.
//  - `name=value`, `name: value`, `"name": "value"` with a name on the parameter list
//    (isSecretValue): the value is a quoted string (quotes kept; an unclosed quote runs to
//    the end of the line) or runs to whitespace or one of `&,;"'}`.
// Linear: the main scan moves forward only, and the ends of values come from NextStop.
std::string Redactor::pairs(std::string_view s) const
{
    const std::size_t n = s.size();
    NextStop lineEnd(s, isLineEnd);
    NextStop doubleQuoteOrLineEnd(s, [](char c) { return c == '"' || isLineEnd(c); });
    NextStop singleQuoteOrLineEnd(s, [](char c) { return c == '\'' || isLineEnd(c); });
    NextStop valueEnd(s, isValueEnd);
    auto quoteOrLineEnd = [&](char quote) -> NextStop & {
        return quote == '"' ? doubleQuoteOrLineEnd : singleQuoteOrLineEnd;
    };

    std::string out;
    out.reserve(n);
    std::size_t last = 0; // s[last, …) is not copied yet
    std::size_t start = std::string_view::npos, end = 0; // the range to replace next
    auto flush = [&] {
        if (start == std::string_view::npos)
            return;
        out.append(s.substr(last, start - last));
        out += m_replacement;
        last = end;
        start = std::string_view::npos;
    };
    auto redact = [&](std::size_t a, std::size_t b) {
        a = std::max(a, last);
        if (a >= b)
            return;
        if (start != std::string_view::npos && a <= end) { // overlaps the pending range
            start = std::min(start, a);
            end = std::max(end, b);
            return;
        }
        flush();
        start = a;
        end = b;
    };
    std::size_t i = 0;
    while (i < n) {
        if (!isNameChar(s[i]) || (i > 0 && isNameChar(s[i - 1]))) {
            ++i;
            continue;
        }
        const std::size_t runStart = i;
        std::size_t j = i;
        while (j < n && isNameChar(s[j]))
            ++j;
        std::size_t nameStart = runStart; // leading '-', '_' and digits are not part of a name
        while (nameStart < j && !isAlpha(s[nameStart]))
            ++nameStart;
        i = j;
        if (nameStart == j)
            continue;
        const std::string_view name = s.substr(nameStart, j - nameStart);
        const char quote = runStart > 0 && isQuote(s[runStart - 1]) ? s[runStart - 1] : '\0';
        const bool nameQuoted = quote != '\0' && nameStart == runStart && j < n && s[j] == quote;
        std::size_t k = j + (nameQuoted ? 1 : 0);
        while (k < n && isInlineSpace(s[k]))
            ++k;
        if (k >= n || (s[k] != '=' && s[k] != ':'))
            continue;
        const char separator = s[k];
        std::size_t v = k + 1;
        while (v < n && isInlineSpace(s[v]))
            ++v;
        i = k + 1; // the value is scanned for names too
        const bool header = separator == ':' && !nameQuoted && isSecretHeader(name);
        if (header && v < n && !isQuote(s[v])) {
            const std::size_t stop = quote ? quoteOrLineEnd(quote).from(v) : lineEnd.from(v);
            std::size_t w = v;
            while (w < stop && isAlpha(s[w]))
                ++w;
            std::size_t from = v;
            if (w < stop && isInlineSpace(s[w]) && isAuthScheme(s.substr(v, w - v))) {
                from = w;
                while (from < stop && isInlineSpace(s[from]))
                    ++from;
            }
            redact(from, stop);
            continue;
        }
        if (v >= n || !(header || isSecretName(name)))
            continue;
        if (isQuote(s[v])) { // the quotes stay
            redact(v + 1, quoteOrLineEnd(s[v]).from(v + 1));
            continue;
        }
        const std::size_t e = valueEnd.from(v);
        if (e == v)
            continue;
        const std::string_view value = s.substr(v, e - v);
        const std::size_t digits = value.size() - (value.front() == '-' ? 1 : 0);
        const bool wholeNumber = digits >= 1 && digits <= 9
            && std::all_of(value.end() - std::ptrdiff_t(digits), value.end(), isDigit);
        if (!isSecretValue(name, wholeNumber))
            continue;
        // `token= Bearer SECRET`: a value that is a scheme word takes its credential with it
        // (pass 2 looks for the scheme, which this pass has redacted)
        std::size_t to = e;
        if (value.size() <= 6 && isAuthScheme(value) && e < n && isInlineSpace(s[e])) {
            std::size_t c = e;
            while (c < n && isInlineSpace(s[c]))
                ++c;
            to = c; // read here, not with valueEnd: its calls must not go back
            while (to < n && !isValueEnd(s[to]))
                ++to;
        }
        redact(v, to);
    }
    flush();
    out.append(s.substr(last));
    return out;
}

void Redactor::headersArray(nlohmann::json &arr) const
{
    // HAR [{name, value}], [[name, value]], or nock's flat [name, value, name, value]
    bool flat = !arr.empty()
        && std::all_of(arr.begin(), arr.end(), [](const auto &e) { return e.is_string(); });
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
        } else if (e.is_array() && e.size() >= 2 && e[0].is_string()
            && isSecretHeader(e[0].get<std::string>())) {
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
        // keys are input text too: `{"Authorization: Bearer …": 1}` loses the credential
        bool keysChange = false;
        for (auto it = j.begin(); it != j.end() && !keysChange; ++it)
            keysChange = text(it.key()) != it.key();
        if (keysChange) {
            nlohmann::json renamed = nlohmann::json::object();
            for (auto it = j.begin(); it != j.end(); ++it)
                renamed[text(it.key())] = std::move(it.value());
            j = std::move(renamed);
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
        // text first: url() of a whole text could cut a header's name from its value
        j = isUrlish(s) ? url(text(s)) : text(s);
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
                rebuilt += ql.mid(last, m.capturedStart(2) - last)
                    + QString::fromStdString(m_replacement);
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
            const std::string t = text(rebuilt.toStdString());
            out += isUrlish(t) ? url(t) : t;
        }
        if (nl == raw.size())
            break;
        out += '\n';
        pos = nl + 1;
    }
    return out;
}
