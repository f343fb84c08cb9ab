#include "base/limitspec.h"

#include <QRegularExpression>

std::optional<LimitSpec> parseLimitSpec(const QString &text, QString *error)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+)\\s*(?:/\\s*(\\d+)\\s*([smh]))?\\s*$"));
    const auto m = re.match(text);
    bool ok = m.hasMatch();
    LimitSpec spec;
    if (ok) {
        spec.requests = m.captured(1).toLongLong(&ok);
        spec.windowS = 60;
        if (ok && m.hasCaptured(2)) {
            const qint64 n = m.captured(2).toLongLong(&ok);
            const QString unit = m.captured(3);
            const qint64 mult = unit == QLatin1String("h") ? 3600 : unit == QLatin1String("m") ? 60 : 1;
            spec.windowS = n * mult;
            ok = ok && n > 0 && n < 1'000'000;
        }
        ok = ok && spec.requests > 0;
    }
    if (!ok) {
        *error = QStringLiteral("invalid --limit \"%1\": expected N (per minute) or N/W with W like 10s, 5m, 1h")
                         .arg(text);
        return std::nullopt;
    }
    return spec;
}

QString limitSpecText(const LimitSpec &limit)
{
    const std::int64_t w = limit.windowS.value_or(60);
    if (w == 60)
        return QString::number(limit.requests);
    if (w % 3600 == 0)
        return QStringLiteral("%1/%2h").arg(limit.requests).arg(w / 3600);
    if (w % 60 == 0)
        return QStringLiteral("%1/%2m").arg(limit.requests).arg(w / 60);
    return QStringLiteral("%1/%2s").arg(limit.requests).arg(w);
}
