#pragma once

#include "decode/limitwords.h"
#include "incidents/binding.h"
#include "rules/ruleset.h"
#include "store/eventstore.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <optional>

// What the detail pane shows for one event: the provider's message first, then source and
// guidance, the request's facts, its rate-limit headers and the raw record.
struct EventDetailInfo
{
    int event = -1;
    qint64 timeMs = 0;
    RejectionSource source = RejectionSource::None;
    bool quota = false; // insufficient_quota: billing, not backoff
    // limits.md §7: QUOTA, OVERLOADED or HIDDEN_THROTTLE and the name of the category rule that
    // said so; the gateway rule that named the upstream provider and its words (or decided the
    // source), "" when none fired. Rule names come from the rules file, not the input.
    ThrottleCategory category = ThrottleCategory::None;
    QString categoryRule;
    QString gatewayRule;
    bool timeNoZone = false; // the record's time had no zone: read as UTC (formats.md §1.1)
    bool noResponse = false; // a request that got no response (HAR status 0, _error)
    int status = -1;
    QString message; // the provider's message (a gateway rule's pick: the upstream's own words)
    // A rejection's own words about its limit (limits.md §4): axis, window, Limit / Used /
    // Requested as far as they say, and the form; empty for other events and other texts.
    LimitWords words;
    // Which limit bit first in the incident the event belongs to (limits.md §5); nullopt when
    // it is in none of the view's incidents.
    std::optional<Binding> incidentBinding;
    QString errorCode;
    QString guidance;
    QString tool;
    QString provider;
    QString model; // the model asked for (limits.md §1)
    QString connection; // from the raw record
    QString method;
    QString endpoint;
    QString file; // the input's path
    quint32 line = 0;
    std::optional<double> retryAfterS;
    int serverLimit = -1;
    int serverWindowS = -1; // its window; -1: unknown (shown "per unknown window")
    // The token limits the response reported (limits.md §3): tokens, input_tokens,
    // output_tokens, each with its window.
    ReportedTokenLimits reportedTokens;
    QList<QPair<QString, QString>> headers; // rate-limit headers of the raw record
    bool rawLoaded = false; // raw, headers and connection are filled in
    QString raw; // pretty-printed when it is JSON
    QString rawError; // why the raw record could not be read
};

// The facts the store holds (no I/O): cheap, for the GUI thread. `incidentBinding`: the binding
// of the incident the event belongs to (kept in the info; a RATE_LIMITED event's guidance then
// names its axis: RuleSet::guidance).
EventDetailInfo describeEvent(const EventStore &store, std::size_t event, const RuleSet &rules,
    std::optional<Binding> incidentBinding = std::nullopt);

// Whose words the message is, when a gateway rule named the upstream provider (limits.md §7):
// "from BaseTen (the upstream provider) via openrouter.ai", the host the request went to; ""
// when no gateway rule named one.
QString messageOriginText(const EventDetailInfo &info);

// What the event's category means for it: "out of quota or credit: billing, not backoff",
// "not a rejection: the service is overloaded", "a rate limit behind status 503, not counted
// as a rejection"; "" without a category.
QString categoryMeaningText(const EventDetailInfo &info);

// Every limit the event's response reported, each as people read it (limitReadingText) with
// its axis: "500/min requests, 200000/min tokens", "150000 tokens per unknown window"; "" when
// it reported none.
QString serverLimitsText(const EventDetailInfo &info);
// How many limits serverLimitsText names (the pane says "Server limit" or "Server limits").
int serverLimitCount(const EventDetailInfo &info);

class Redactor;

// Adds what only the raw record tells: pretty-printed text, rate-limit headers, connection.
// Secrets are redacted (the pane ends up in screenshots and bug reports). Runs in a worker
// (JSON parsing of a record up to 4 MB).
void attachRawRecord(EventDetailInfo &info, const QByteArray &raw, const Redactor &redactor);

// The rate-limit headers of a raw record (as attachRawRecord finds them), without the
// pretty-printing and redaction the pane needs: what the chart's hover reads remaining from.
QList<QPair<QString, QString>> rateLimitHeadersOf(const QByteArray &raw);

// Every text of info that came from the input (message, error code, tool, provider,
// connection, method, endpoint, file) through the redactor, before the pane shows it.
void redactInputText(EventDetailInfo &info, const Redactor &redactor);

// Header names worth showing (formats.md §3): Retry-After and every rate-limit header.
bool isRateLimitHeader(const QString &name);

Q_DECLARE_METATYPE(EventDetailInfo)
