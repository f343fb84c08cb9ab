#include "export/summary.h"

#include "export/redactor.h"

#include <QRegularExpression>

#include <algorithm>
#include <future>

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
