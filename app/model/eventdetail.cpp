#include "model/eventdetail.h"

#include "aggregate/scopes.h"
#include "export/redactor.h"
#include "model/incidentmodel.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

constexpr int kMaxRawChars = 256 * 1024; // more is cut: the pane stays fast

QString fromView(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString tr(const char *text) { return QCoreApplication::translate("EventDetail", text); }

QString scalarText(const json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_array()) {
        QStringList parts;
        for (const json &e : v)
            parts << scalarText(e);
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromStdString(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

void addHeader(EventDetailInfo &info, const QString &name, const QString &value)
{
    if (!isRateLimitHeader(name))
        return;
    const QPair<QString, QString> h { name, value };
    if (!info.headers.contains(h))
        info.headers.push_back(h);
}

// Header lists in every shape the readers know: {"name": value} objects, HAR
// [{"name","value"}] arrays and nock's flat rawHeaders [name, value, ...].
void collect(EventDetailInfo &info, const json &v, int depth)
{
    if (depth > 12)
        return;
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
            const std::string &key = it.key();
            const json &val = it.value();
            if (key == "connection_name" && val.is_string() && info.connection.isEmpty())
                info.connection = QString::fromStdString(val.get<std::string>());
            if ((key == "headers" || key == "Headers") && val.is_object()) {
                for (auto h = val.begin(); h != val.end(); ++h)
                    addHeader(info, QString::fromStdString(h.key()), scalarText(h.value()));
            } else if (key == "headers" && val.is_array()) {
                for (const json &h : val) {
                    if (h.is_object() && h.contains("name") && h.contains("value"))
                        addHeader(info, scalarText(h["name"]), scalarText(h["value"]));
                }
            } else if (key == "rawHeaders" && val.is_array()) {
                for (std::size_t i = 0; i + 1 < val.size(); i += 2)
                    addHeader(info, scalarText(val[i]), scalarText(val[i + 1]));
            } else {
                collect(info, val, depth + 1);
            }
        }
    } else if (v.is_array()) {
        for (const json &e : v)
            collect(info, e, depth + 1);
    }
}

} // namespace

bool isRateLimitHeader(const QString &name)
{
    const QString n = name.toLower();
    return n == QLatin1String("retry-after") || n.contains(QLatin1String("ratelimit"))
        || n.contains(QLatin1String("rate-limit"));
}

EventDetailInfo describeEvent(const EventStore &store, std::size_t e, const RuleSet &rules,
    std::optional<Binding> incidentBinding)
{
    EventDetailInfo info;
    info.incidentBinding = std::move(incidentBinding);
    if (e >= store.size())
        return info;
    info.event = int(e);
    info.timeMs = store.timeMs(e);
    info.source = store.source(e);
    info.quota = (store.flags(e) & FlagQuota) != 0;
    const RuleHit hit = store.ruleHit(e);
    info.category = hit.category;
    info.categoryRule = fromView(store.strings().view(hit.categoryRuleId));
    info.gatewayRule = fromView(store.strings().view(hit.gatewayRuleId));
    info.timeNoZone = (store.flags(e) & FlagTimeNoZone) != 0;
    info.noResponse = (store.flags(e) & FlagNoResponse) != 0;
    info.status = store.status(e);
    info.message = fromView(store.message(e));
    if (info.source != RejectionSource::None)
        info.words = readLimitWords(store.message(e)); // one message: cheap
    info.errorCode = fromView(store.errorCode(e));
    info.guidance = rules.guidance(info.source, info.quota,
        info.incidentBinding ? info.incidentBinding->axis : std::nullopt, info.category);
    info.tool = fromView(store.tool(e));
    info.provider = fromView(store.provider(e));
    info.model = fromView(store.model(e));
    info.method = fromView(store.method(e));
    info.endpoint = fromView(store.endpoint(e));
    info.file = QString::fromStdString(store.filePath(store.file(e)));
    info.line = store.line(e);
    if (store.retryAfterMs(e) >= 0)
        info.retryAfterS = store.retryAfterMs(e) / 1000.0;
    info.serverLimit = store.serverLimit(e);
    info.serverWindowS = store.serverWindowS(e);
    info.reportedTokens = store.reportedTokens(e);
    return info;
}

namespace {

// (axis, limit) of every limit the response reported: requests first, then the token axes
std::vector<std::pair<LimitAxis, LimitSpec>> reportedLimits(const EventDetailInfo &info)
{
    std::vector<std::pair<LimitAxis, LimitSpec>> out;
    const auto add = [&out](LimitAxis axis, std::int64_t limit, std::int64_t windowS) {
        if (limit < 0)
            return;
        LimitSpec spec;
        spec.requests = limit;
        if (windowS > 0)
            spec.windowS = windowS;
        spec.fromHeaders = true;
        out.emplace_back(axis, spec);
    };
    add(LimitAxis::Requests, info.serverLimit, info.serverWindowS);
    for (std::size_t a = 0; a < info.reportedTokens.limit.size(); ++a)
        add(LimitAxis(std::size_t(LimitAxis::Tokens) + a), info.reportedTokens.limit[a],
            info.reportedTokens.windowS[a]);
    return out;
}

} // namespace

QString serverLimitsText(const EventDetailInfo &info)
{
    QStringList parts;
    for (const auto &[axis, spec] : reportedLimits(info)) {
        // "500/min requests"; without a window "150000 tokens per unknown window"
        QString t = limitReadingText(spec);
        const QString name = QLatin1Char(' ') + axisWindowText(axis, std::nullopt);
        if (spec.windowS)
            t += name;
        else
            t.insert(QString::number(spec.requests).size(), name);
        parts << t;
    }
    return parts.join(QStringLiteral(", "));
}

int serverLimitCount(const EventDetailInfo &info) { return int(reportedLimits(info).size()); }

QString messageOriginText(const EventDetailInfo &info)
{
    if (info.gatewayRule.isEmpty() || info.provider.isEmpty())
        return {};
    const QString host = QString::fromStdString(scopeHostOf(info.endpoint.toStdString()));
    return host.isEmpty() ? tr("from %1 (the upstream provider)").arg(info.provider)
                          : tr("from %1 (the upstream provider) via %2").arg(info.provider, host);
}

QString categoryMeaningText(const EventDetailInfo &info)
{
    const QString status = info.status >= 0 ? QString::number(info.status) : QStringLiteral("?");
    switch (info.category) {
    case ThrottleCategory::Quota:
        return info.source != RejectionSource::None
            ? tr("out of quota or credit: billing, not backoff")
            : tr("out of quota or credit: billing, not backoff (status %1: not a "
                 "rejection)")
                  .arg(status);
    case ThrottleCategory::Overloaded:
        return tr("not a rejection: the service is overloaded (status %1), not "
                  "limiting you")
            .arg(status);
    case ThrottleCategory::HiddenThrottle:
        return tr("a rate limit behind status %1, not counted as a rejection").arg(status);
    case ThrottleCategory::None:
        break;
    }
    return {};
}

void attachRawRecord(EventDetailInfo &info, const QByteArray &raw, const Redactor &redactor)
{
    info.rawLoaded = true;
    const std::string_view text(raw.constData(), std::size_t(raw.size()));
    const json doc = json::parse(raw.begin(), raw.end(), nullptr, false);
    if (!doc.is_discarded())
        collect(info, doc, 0);
    // pretty-printed JSON, or (PyGithub replay lines) the text line by line; redacted either way
    info.raw = QString::fromStdString(redactor.record(text, 2));
    redactInputText(info, redactor);
    if (info.raw.size() > kMaxRawChars) {
        info.raw.truncate(kMaxRawChars);
        info.raw += QStringLiteral("\n… (cut at %1 characters)").arg(kMaxRawChars);
    }
}

QList<QPair<QString, QString>> rateLimitHeadersOf(const QByteArray &raw)
{
    EventDetailInfo info;
    const json doc = json::parse(raw.begin(), raw.end(), nullptr, false);
    if (!doc.is_discarded())
        collect(info, doc, 0);
    return info.headers;
}

void redactInputText(EventDetailInfo &info, const Redactor &redactor)
{
    auto text
        = [&redactor](QString &t) { t = QString::fromStdString(redactor.text(t.toStdString())); };
    for (QString *t : { &info.message, &info.errorCode, &info.tool, &info.provider, &info.model,
             &info.connection, &info.method })
        text(*t);
    info.endpoint
        = QString::fromStdString(redactor.url(redactor.text(info.endpoint.toStdString())));
    info.file = QString::fromStdString(redactor.url(info.file.toStdString()));
}
