#include "export/summary.h"

#include "export/redactor.h"

#include <QRegularExpression>

#include <algorithm>
#include <future>

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

Summary buildSummary(const EventStore &store, std::vector<InputReport> inputs,
                     std::optional<LimitSpec> userLimit, const ReportedLimit &reported,
                     double mergeGapMinutes, const EventSubset *subset)
{
    Summary s;
    s.inputs = std::move(inputs);
    if (userLimit) {
        s.limit = userLimit;
    } else if (reported.requests > 0) {
        LimitSpec l;
        l.requests = reported.requests;
        l.windowS = reported.windowS;
        l.fromHeaders = true;
        s.limit = l;
    }
    s.minutes = countBuckets(store, 60000, subset);
    for (const BucketCounts &m : s.minutes) {
        s.requests += m.requests;
        for (int k = 0; k < kRejectionSourceCount; ++k)
            s.rejected[std::size_t(k)] += m.rejected[std::size_t(k)];
        if (!s.peakRpm || std::int64_t(m.requests) > *s.peakRpm) { // ties: earliest minute
            s.peakRpm = m.requests;
            s.peakMinuteMs = m.startMs;
        }
    }
    forEachEvent(store, subset, [&](std::size_t i) {
        const std::int64_t t = store.timeMs(i);
        if (!s.spanStartMs || t < *s.spanStartMs)
            s.spanStartMs = t;
        if (!s.spanEndMs || t > *s.spanEndMs)
            s.spanEndMs = t;
    });
    if (s.limit && s.limit->windowS) {
        if (s.limit->perMinute()) {
            for (const BucketCounts &m : s.minutes) {
                if (std::int64_t(m.requests) > s.limit->requests)
                    s.overLimitMinutes.push_back(m.startMs);
            }
        } else {
            s.overLimitMinutes = minutesOverRollingLimit(store, s.limit->requests,
                                                         *s.limit->windowS * 1000, subset);
        }
        s.minutesOverLimit = std::int64_t(s.overLimitMinutes.size());
    }
    s.incidents = findIncidents(store, s.minutes, mergeGapMinutes, subset);
    return s;
}

namespace {
void addLimitAsk(Summary &s, int headroomPercent)
{
    if (s.peakRpm) {
        LimitAsk ask;
        ask.peakRpm = *s.peakRpm;
        ask.minuteMs = *s.peakMinuteMs;
        ask.headroomPercent = headroomPercent;
        ask.requestsPerMinute = (ask.peakRpm * (100 + headroomPercent) + 99) / 100;
        s.limitAsk = ask;
    }
}
} // namespace

void addFindings(Summary &s, const EventStore &store, int headroomPercent, const EventSubset *subset)
{
    s.findings = analyzeRetries(store, subset);
    addLimitAsk(s, headroomPercent);
}

Summary buildSummaryWithFindings(const EventStore &store, std::vector<InputReport> inputs,
                                 std::optional<LimitSpec> userLimit, const ReportedLimit &reported,
                                 double mergeGapMinutes, int headroomPercent,
                                 const EventSubset *subset)
{
    auto findings = std::async(std::launch::async, [&] { return analyzeRetries(store, subset); });
    Summary s = buildSummary(store, std::move(inputs), userLimit, reported, mergeGapMinutes, subset);
    s.findings = findings.get();
    addLimitAsk(s, headroomPercent);
    return s;
}

Summary redactSummary(Summary s, const Redactor &r)
{
    auto text = [&](std::string &t) { t = r.text(t); };
    for (InputReport &in : s.inputs) {
        for (LocatedError &e : in.errors)
            e.message = QString::fromStdString(r.text(e.message.toStdString()));
        in.fatal = QString::fromStdString(r.text(in.fatal.toStdString()));
        in.path = QString::fromStdString(r.url(in.path.toStdString()));
    }
    for (Incident &inc : s.incidents) {
        for (auto *list : { &inc.topTools, &inc.topProviders, &inc.messages })
            for (NamedCount &n : *list)
                text(n.name);
    }
    for (RetryFinding &f : s.findings) {
        text(f.client);
        f.target = r.text(r.url(f.target));
    }
    return s;
}
