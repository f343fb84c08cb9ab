#include "model/limitdrifttext.h"

#include "model/timeticks.h"

#include <QCoreApplication>
#include <QStringList>

namespace {

constexpr std::size_t kChangesShown = 3;

QString tr(const char *text) { return QCoreApplication::translate("LimitDrift", text); }

QString limitText(std::int64_t requests, std::optional<std::int64_t> windowS)
{
    LimitSpec spec;
    spec.requests = requests;
    spec.windowS = windowS;
    return limitReadingText(spec);
}

} // namespace

QString limitDriftText(const QString &scope, const std::optional<LimitSpec> &configured,
    const ReportedHistory &reported, bool utc)
{
    QStringList parts;
    if (configured) {
        for (const LimitDrift &d : configuredAgainstReported({ *configured }, reported.byWindow))
            parts << tr("the limit set here is %1, its responses report %2.")
                         .arg(limitText(d.from, d.windowS), limitText(d.to, d.windowS));
    }
    const std::size_t changes = reported.changes.size() + reported.omitted;
    if (changes > 0) {
        QStringList shown;
        for (std::size_t k = 0; k < std::min(kChangesShown, reported.changes.size()); ++k) {
            const LimitDrift &d = reported.changes[k];
            shown << tr("%1 → %2 at %3")
                         .arg(limitText(d.from, d.windowS), limitText(d.to, d.windowS),
                             d.timeMs ? formatEventTime(*d.timeMs, utc).left(19) : QString());
        }
        const QString list = shown.join(QStringLiteral("; "));
        QString text = changes == 1
            ? tr("the reported limit changed once: %1").arg(list)
            : tr("the reported limit changed %1 times: %2").arg(changes).arg(list);
        if (changes > std::size_t(shown.size()))
            text += tr("; and %1 more").arg(changes - std::size_t(shown.size()));
        parts << text + QLatin1Char('.');
    }
    if (parts.isEmpty())
        return QString();
    return QStringLiteral("%1: %2").arg(scope, parts.join(QLatin1Char(' ')));
}
