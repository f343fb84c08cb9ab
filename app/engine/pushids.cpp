#include "engine/pushids.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <cmath>

namespace {

QJsonValue text(std::string_view s)
{
    if (s.empty())
        return QJsonValue::Null;
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QJsonValue number(std::int64_t n)
{
    return n < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(n));
}

} // namespace

QJsonObject pushedEventValues(const EventStore &store, std::size_t i)
{
    QJsonObject o;
    o.insert(QStringLiteral("time"),
        QDateTime::fromMSecsSinceEpoch(store.timeMs(i), QTimeZone::utc())
            .toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("status"), store.status(i) < 0 ? QJsonValue() : store.status(i));
    o.insert(QStringLiteral("source"),
        store.isRejection(i) ? text(sourceName(store.source(i))) : QJsonValue());
    o.insert(QStringLiteral("flags"), int(store.flags(i)));
    o.insert(QStringLiteral("method"), text(store.method(i)));
    const std::string_view endpoint = store.endpoint(i);
    o.insert(QStringLiteral("scope"), text(endpoint.substr(0, endpoint.find('/'))));
    o.insert(QStringLiteral("endpoint"), text(endpoint));
    o.insert(QStringLiteral("tool"), text(store.tool(i)));
    o.insert(QStringLiteral("provider"), text(store.provider(i)));
    o.insert(QStringLiteral("client"), text(store.client(i)));
    o.insert(QStringLiteral("model"), text(store.model(i)));
    o.insert(QStringLiteral("message"), text(store.message(i)));
    o.insert(QStringLiteral("error_code"), text(store.errorCode(i)));
    const ThrottleCategory category = store.category(i);
    o.insert(QStringLiteral("category"),
        category == ThrottleCategory::None ? QJsonValue() : text(categoryName(category)));
    o.insert(QStringLiteral("category_rule"), text(store.categoryRule(i)));
    o.insert(QStringLiteral("gateway_rule"), text(store.gatewayRule(i)));
    o.insert(QStringLiteral("retry_after_ms"), number(store.retryAfterMs(i)));
    o.insert(QStringLiteral("server_limit"), number(store.serverLimit(i)));
    o.insert(QStringLiteral("server_window_s"), number(store.serverWindowS(i)));
    const float d = store.durationMs(i);
    o.insert(QStringLiteral("duration_ms"), std::isnan(d) ? QJsonValue() : QJsonValue(double(d)));
    o.insert(QStringLiteral("input_tokens"), number(store.inputTokens(i)));
    o.insert(QStringLiteral("output_tokens"), number(store.outputTokens(i)));
    o.insert(QStringLiteral("total_tokens"), number(store.totalTokens(i)));
    const ReportedTokenLimits &r = store.reportedTokens(i);
    if (r.any()) {
        QJsonArray a;
        for (const std::int32_t l : r.limit)
            a.append(l);
        for (const std::int32_t w : r.windowS)
            a.append(w);
        a.append(int(r.windowByReset));
        o.insert(QStringLiteral("reported_tokens"), a);
    } else {
        o.insert(QStringLiteral("reported_tokens"), QJsonValue());
    }
    return o;
}

QString PushIds::next(const QJsonObject &values)
{
    const QByteArray text = QJsonDocument(values).toJson(QJsonDocument::Compact);
    QByteArray id = QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex().left(32);
    const int n = m_seen[id]++;
    if (n > 0)
        id += '-' + QByteArray::number(n);
    return QString::fromLatin1(id);
}
