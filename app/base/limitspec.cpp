#include "base/limitspec.h"

#include <algorithm>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

// "10s", "5m", "1h", "1d" in seconds; nullopt when not a positive window of this grammar.
std::optional<std::int64_t> parseWindow(const QString &number, const QString &unit)
{
    bool ok = false;
    const qint64 n = number.toLongLong(&ok);
    if (!ok || n <= 0 || n >= 1'000'000)
        return std::nullopt;
    const qint64 mult = unit == QLatin1String("d") ? 86400
        : unit == QLatin1String("h")               ? 3600
        : unit == QLatin1String("m")               ? 60
                                                   : 1;
    return n * mult;
}

QString windowText(std::int64_t w)
{
    if (w % 86400 == 0)
        return QStringLiteral("%1d").arg(w / 86400);
    if (w % 3600 == 0)
        return QStringLiteral("%1h").arg(w / 3600);
    if (w % 60 == 0)
        return QStringLiteral("%1m").arg(w / 60);
    return QStringLiteral("%1s").arg(w);
}

} // namespace

std::optional<std::int64_t> parseSpanS(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+)\\s*([smhd])\\s*$"));
    const auto m = re.match(text);
    return m.hasMatch() ? parseWindow(m.captured(1), m.captured(2)) : std::nullopt;
}

QString spanText(std::int64_t seconds) { return windowText(seconds); }

namespace {

constexpr const char *kAxisNames[]
    = { "requests", "tokens", "input_tokens", "output_tokens", "concurrency" };

} // namespace

std::optional<LimitSpec> parseLimitSpec(const QString &text, QString *error)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+)\\s*(?:/\\s*(\\d+)\\s*([smhd]))?\\s*$"));
    const auto m = re.match(text);
    bool ok = m.hasMatch();
    LimitSpec spec;
    if (ok) {
        spec.requests = m.captured(1).toLongLong(&ok);
        spec.windowS = 60;
        if (ok && m.hasCaptured(2)) {
            spec.windowS = parseWindow(m.captured(2), m.captured(3));
            ok = spec.windowS.has_value();
        }
        ok = ok && spec.requests > 0;
    }
    if (!ok) {
        *error = QStringLiteral(
            "invalid --limit \"%1\": expected N (per minute) or N/W with W like 10s, 5m, 1h, 1d")
                     .arg(text);
        return std::nullopt;
    }
    return spec;
}

QString limitSpecText(const LimitSpec &limit)
{
    if (limit.windowS == 0) // concurrency: a count, no window
        return QString::number(limit.requests);
    const std::int64_t w = limit.windowS.value_or(60);
    if (w == 60)
        return QString::number(limit.requests);
    return QStringLiteral("%1/%2").arg(limit.requests).arg(windowText(w));
}

QString limitReadingText(const LimitSpec &limit)
{
    if (!limit.windowS)
        return QCoreApplication::translate("Limit", "%1 per unknown window").arg(limit.requests);
    if (limit.perMinute())
        return QCoreApplication::translate("Limit", "%1/min").arg(limit.requests);
    if (*limit.windowS == 0)
        return QCoreApplication::translate("Limit", "%1 at once").arg(limit.requests);
    return limitSpecText(limit);
}

QString limitAxisName(LimitAxis axis) { return QString::fromLatin1(kAxisNames[int(axis)]); }

std::optional<LimitAxis> limitAxisFromName(const QString &name)
{
    for (int a = 0; a < int(std::size(kAxisNames)); ++a) {
        if (name == QLatin1String(kAxisNames[a]))
            return LimitAxis(a);
    }
    return std::nullopt;
}

std::optional<LimitEntry> parseLimitEntry(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) {
        *error = QStringLiteral("invalid --limit \"%1\": %2").arg(text, why);
        return std::nullopt;
    };
    LimitEntry entry;
    QString rest = text.trimmed();
    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        entry.scope = rest.left(colon).trimmed();
        rest = rest.mid(colon + 1).trimmed();
        if (entry.scope.isEmpty())
            return fail(QStringLiteral("the scope before ':' is empty"));
    }
    const qsizetype eq = rest.indexOf(QLatin1Char('='));
    if (eq >= 0) {
        const QString axisName = rest.left(eq).trimmed();
        const auto axis = limitAxisFromName(axisName);
        if (!axis)
            return fail(QStringLiteral("unknown axis \"%1\" (requests, tokens, input_tokens, "
                                       "output_tokens or concurrency)")
                            .arg(axisName));
        entry.axis = *axis;
        rest = rest.mid(eq + 1);
    }
    if (entry.axis == LimitAxis::Concurrency) {
        bool ok = false;
        entry.spec.requests = rest.trimmed().toLongLong(&ok);
        if (!ok || entry.spec.requests <= 0)
            return fail(QStringLiteral("concurrency takes a count and no window, like "
                                       "concurrency=10"));
        entry.spec.windowS = 0;
        return entry;
    }
    QString specError;
    const auto spec = parseLimitSpec(rest, &specError);
    if (!spec)
        return fail(QStringLiteral("expected [SCOPE:][AXIS=]N[/W] with W like 10s, 5m, 1h, 1d"));
    entry.spec = *spec;
    return entry;
}

QString limitEntryText(const LimitEntry &entry)
{
    QString text;
    if (!entry.scope.isEmpty())
        text += entry.scope + QLatin1Char(':');
    if (entry.axis != LimitAxis::Requests)
        text += limitAxisName(entry.axis) + QLatin1Char('=');
    if (entry.axis == LimitAxis::Concurrency)
        return text + QString::number(entry.spec.requests);
    if (entry.spec.windowS == 60)
        return text + QString::number(entry.spec.requests);
    return text
        + QStringLiteral("%1/%2")
              .arg(entry.spec.requests)
              .arg(windowText(entry.spec.windowS.value_or(60)));
}

std::vector<LimitEntry> parseLimitsJson(const QByteArray &json, QString *error)
{
    error->clear();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON at byte %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return {};
    }
    if (!doc.isArray()) {
        *error = QStringLiteral("expected a JSON array of {\"scope\", \"axis\", \"limit\", "
                                "\"window\"}");
        return {};
    }
    std::vector<LimitEntry> entries;
    const QJsonArray array = doc.array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const auto fail = [&](const QString &why) {
            *error = QStringLiteral("entry %1: %2").arg(i).arg(why);
            return std::vector<LimitEntry> {};
        };
        if (!array[i].isObject())
            return fail(QStringLiteral("not an object"));
        const QJsonObject o = array[i].toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            static const QStringList known { QStringLiteral("scope"), QStringLiteral("axis"),
                QStringLiteral("limit"), QStringLiteral("window") };
            if (!known.contains(it.key()))
                return fail(QStringLiteral("unknown field \"%1\"").arg(it.key()));
        }
        const QJsonValue limit = o.value(QLatin1String("limit"));
        if (!limit.isDouble() || limit.toDouble() != double(limit.toInteger())
            || limit.toInteger() <= 0)
            return fail(QStringLiteral("\"limit\" must be a positive integer"));
        QString text;
        if (o.contains(QLatin1String("scope")))
            text += o.value(QLatin1String("scope")).toString() + QLatin1Char(':');
        if (o.contains(QLatin1String("axis")))
            text += o.value(QLatin1String("axis")).toString() + QLatin1Char('=');
        text += QString::number(limit.toInteger());
        if (o.contains(QLatin1String("window")))
            text += QLatin1Char('/') + o.value(QLatin1String("window")).toString();
        QString entryError;
        const auto entry = parseLimitEntry(text, &entryError);
        if (!entry)
            return fail(entryError.mid(entryError.indexOf(QLatin1String(": ")) + 2));
        entries.push_back(*entry);
    }
    return entries;
}

std::vector<LimitSpec> configuredLimits(
    const std::vector<LimitEntry> &entries, const std::string &scope, LimitAxis axis)
{
    const QString name = QString::fromStdString(scope);
    std::vector<LimitSpec> named, everywhere;
    for (const LimitEntry &e : entries) {
        if (e.axis != axis)
            continue;
        if (e.scope.isEmpty())
            everywhere.push_back(e.spec);
        else if (e.scope.compare(name, Qt::CaseInsensitive) == 0)
            named.push_back(e.spec);
    }
    std::vector<LimitSpec> out = named.empty() ? everywhere : named;
    // one limit per window, the shortest window first
    std::stable_sort(out.begin(), out.end(),
        [](const LimitSpec &a, const LimitSpec &b) { return a.windowS < b.windowS; });
    out.erase(std::unique(out.begin(), out.end(),
                  [](const LimitSpec &a, const LimitSpec &b) { return a.windowS == b.windowS; }),
        out.end());
    return out;
}

std::optional<LimitSpec> configuredLimit(
    const std::vector<LimitEntry> &entries, const std::string &scope, LimitAxis axis)
{
    const std::vector<LimitSpec> limits = configuredLimits(entries, scope, axis);
    return limits.empty() ? std::nullopt : std::optional<LimitSpec>(limits.front());
}
