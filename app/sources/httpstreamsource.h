#pragma once

#include "sources/lineframer.h"
#include "sources/livesource.h"
#include "sources/reconnectpolicy.h"
#include "sources/sseframer.h"

#include <QUrl>

#include <functional>
#include <optional>
#include <random>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

struct UrlOptions
{
    std::int64_t delayMs = ReconnectPolicy::kDefaultDelayMs; // the first reconnection delay
    std::function<double()> random; // uniform [0, 1) for the backoff jitter; empty: seeded PRNG
};

// An HTTP(S) URL serving NDJSON (one record a line) or Server-Sent Events
// (Content-Type text/event-stream; each event's data is one record), formats.md §4.
// - Reconnects after a network error, a clean end of the stream, HTTP 5xx, 408 and 429
//   (ReconnectPolicy: the delay, then exponential backoff with full jitter, capped at 60 s;
//   Retry-After, in seconds or as an HTTP-date, is never undercut), sending Last-Event-ID.
// - Stops for good, with the reason, on 204 and on any other 4xx (and a redirect it would
//   not follow).
// - SSE: an event's data lines are joined with "\n" and, to keep the record on one line of
//   the capture file, those "\n" are turned into spaces (JSON whitespace: the record reads
//   the same). An unfinished event at the end of a stream is discarded; an NDJSON line
//   counts at its newline or when the stream ends.
// - Backpressure: the reply's buffer is bounded and not read while the queue is full.
class HttpStreamSource : public LiveSource
{
    Q_OBJECT
public:
    HttpStreamSource(int id, const QUrl &url, LineQueue &queue, LiveLimits limits,
        UrlOptions options = {}, QObject *parent = nullptr);
    ~HttpStreamSource() override;

    bool start() override;
    void stop() override;

    const std::string &lastEventId() const { return m_sse.lastEventId(); }

Q_SIGNALS:
    // A reconnect is scheduled after waitMs (status: the HTTP status, 0 for a network error
    // or a clean end).
    void reconnectScheduled(qint64 waitMs, int status);
    // A stream is open (status 2xx); sse tells the framing.
    void streamOpened(bool sse);

protected:
    void readMore() override;

private:
    void connectNow();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    bool handleStatus(); // false: not known yet
    void endOfStream(const QString &why, int status, std::optional<std::int64_t> retryAfterMs);
    void giveUp(const QString &why);
    void abortSoon();
    double random01();

    QUrl m_url;
    UrlOptions m_options;
    ReconnectPolicy m_policy;
    SseFramer m_sse;
    LineFramer m_lines;
    QNetworkAccessManager *m_nam = nullptr;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_retryTimer = nullptr;
    std::mt19937_64 m_rng;
    std::string m_buf;
    std::string m_flat;
    bool m_isSse = false;
    bool m_streaming = false; // a 2xx response is being read
    bool m_decided = false; // this reply's outcome is known (retry or give up)
    bool m_finishPending = false; // the reply finished while reading was paused
    bool m_stopped = false;
    int m_lastStatus = 0;
    std::optional<std::int64_t> m_retryAfterMs;
    QString m_why;
};
