#include "engine/clickhouseclient.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

#include <utility>

QString ClickHouseTarget::name() const
{
    const QString h
        = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return QStringLiteral("clickhouse://%1:%2/%3.%4").arg(h).arg(port).arg(database, table);
}

QString ClickHouseTarget::sqlTable() const
{
    return clickHouseIdentifier(database) + QLatin1Char('.') + clickHouseIdentifier(table);
}

void readClickHouseCredentials(ClickHouseTarget &target)
{
    const QString user = qEnvironmentVariable("CLICKHOUSE_USER");
    target.user = user.isEmpty() ? QStringLiteral("default") : user;
    target.password = qEnvironmentVariable("CLICKHOUSE_PASSWORD");
}

QString clickHouseString(std::string_view text)
{
    QString out;
    out.reserve(int(text.size()) + 2);
    out += QLatin1Char('\'');
    for (const QChar c : QString::fromUtf8(text.data(), qsizetype(text.size()))) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('\''))
            out += QLatin1Char('\\');
        out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

QString clickHouseIdentifier(const QString &name)
{
    QString out = name;
    out.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    out.replace(QLatin1Char('`'), QLatin1String("\\`"));
    return QLatin1Char('`') + out + QLatin1Char('`');
}

namespace clickhouse {

QString serverMessage(const QByteArray &body, int *code)
{
    QString text = QString::fromUtf8(body).trimmed();
    // 18.16: "Code: 193, e.displayText() = DB::Exception: TEXT, e.what() = DB::Exception";
    // newer servers: "Code: 193. DB::Exception: TEXT. (WRONG_PASSWORD) (version …)".
    static const QRegularExpression old(
        QStringLiteral(
            R"(Code: (\d+), e\.displayText\(\) = (?:DB::)?Exception: (.*?)(?:, e\.what\(\) = .*)?$)"),
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression recent(
        QStringLiteral(R"(Code: (\d+)\. (?:DB::)?Exception: (.*?)(?: \(version [^)]*\))?$)"),
        QRegularExpression::DotMatchesEverythingOption);
    for (const QRegularExpression *re : { &old, &recent }) {
        const QRegularExpressionMatch m = re->match(text);
        if (m.hasMatch()) {
            if (code)
                *code = m.captured(1).toInt();
            return QStringLiteral("%1 (code %2)").arg(m.captured(2).trimmed(), m.captured(1));
        }
    }
    if (code)
        *code = 0;
    if (text.size() > 500)
        text = text.left(500) + QStringLiteral("…");
    return text;
}

bool isAuthenticationFailure(int code, int httpStatus)
{
    return code == 192 || code == 193 || code == 194 || code == 195 || code == 516
        || httpStatus == 401 || httpStatus == 403;
}

QString withoutPassword(QString text, const ClickHouseTarget &target)
{
    if (!target.password.isEmpty())
        text.replace(target.password, QStringLiteral("***"));
    return text;
}

} // namespace clickhouse

namespace {

QNetworkRequest makeRequest(const ClickHouseTarget &t, const QString &queryId, int timeoutMs)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(t.host);
    url.setPort(t.port);
    url.setPath(QStringLiteral("/"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("database"), t.database);
    if (!queryId.isEmpty())
        q.addQueryItem(QStringLiteral("query_id"), queryId);
    url.setQuery(q);
    QNetworkRequest req(url);
    // Credentials as headers (18.16 reads X-ClickHouse-User/-Key, and basic auth): never in
    // the URL, which Qt and proxies may print.
    req.setRawHeader("X-ClickHouse-User", t.user.toUtf8());
    if (!t.password.isEmpty())
        req.setRawHeader("X-ClickHouse-Key", t.password.toUtf8());
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("text/plain; charset=utf-8"));
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setTransferTimeout(timeoutMs);
    return req;
}

QString newQueryId()
{
    return QStringLiteral("ratescope-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray selectBody(const QString &sql)
{
    return (sql.trimmed() + QStringLiteral(" FORMAT JSONEachRow")).toUtf8();
}

QString killStatement(const QString &queryId)
{
    return QStringLiteral("KILL QUERY WHERE query_id = %1 ASYNC")
        .arg(clickHouseString(queryId.toStdString()));
}

// Why a finished reply failed, as one sentence naming the target (no password in it).
QString failureText(const ClickHouseTarget &t, QNetworkReply *reply, const QByteArray &errorBody,
    std::uint64_t rows, int timeoutMs, int *code)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString where = QStringLiteral("%1:%2").arg(t.host).arg(t.port);
    QString what;
    if (!errorBody.trimmed().isEmpty()) {
        const QString server = clickhouse::serverMessage(errorBody, code);
        if (clickhouse::isAuthenticationFailure(*code, status))
            what = QStringLiteral("ClickHouse refused user \"%1\": %2 (the credentials come from "
                                  "CLICKHOUSE_USER and CLICKHOUSE_PASSWORD)")
                       .arg(t.user, server);
        else if (rows > 0)
            what = QStringLiteral("ClickHouse stopped the query after %1 rows: %2")
                       .arg(rows)
                       .arg(server);
        else
            what = QStringLiteral("ClickHouse refused the query: %1").arg(server);
    } else {
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            what = QStringLiteral("cannot connect to ClickHouse at %1 (connection refused: is the "
                                  "server running?)")
                       .arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            what = QStringLiteral("cannot connect to ClickHouse: host %1 not found").arg(t.host);
            break;
        case QNetworkReply::OperationCanceledError:
        case QNetworkReply::TimeoutError:
            what = QStringLiteral("ClickHouse at %1 sent nothing for %2 s")
                       .arg(where)
                       .arg(timeoutMs / 1000);
            break;
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::ProxyConnectionClosedError:
            what = rows > 0
                ? QStringLiteral("ClickHouse at %1 closed the connection in the middle "
                                 "of the query, after %2 rows (was the server stopped?)")
                      .arg(where)
                      .arg(rows)
                : QStringLiteral("ClickHouse at %1 closed the connection before "
                                 "answering (was the server stopped?)")
                      .arg(where);
            break;
        default:
            what = status > 0
                ? QStringLiteral("ClickHouse at %1 answered HTTP %2 (%3)")
                      .arg(where)
                      .arg(status)
                      .arg(reply->errorString())
                : QStringLiteral("ClickHouse at %1: %2").arg(where, reply->errorString());
        }
    }
    return clickhouse::withoutPassword(t.name() + QStringLiteral(": ") + what, t);
}

} // namespace

ClickHouseClient::ClickHouseClient(ClickHouseTarget target)
    : m_target(std::move(target))
{
}

ClickHouseClient::~ClickHouseClient() = default;

ClickHouseResult ClickHouseClient::select(
    const QString &sql, const RowSink &sink, const std::atomic<bool> *cancel)
{
    return run(selectBody(sql), newQueryId(), &sink, cancel);
}

ClickHouseResult ClickHouseClient::execute(const QString &sql, const QByteArray &data)
{
    QByteArray body = sql.toUtf8();
    if (!data.isEmpty())
        body += '\n' + data;
    return run(body, newQueryId(), nullptr, nullptr);
}

ClickHouseResult ClickHouseClient::run(const QByteArray &body, const QString &queryId,
    const RowSink *sink, const std::atomic<bool> *cancel)
{
    if (!m_nam)
        m_nam = std::make_unique<QNetworkAccessManager>(); // this thread's
    ClickHouseResult result;
    QNetworkReply *reply = m_nam->post(makeRequest(m_target, queryId, m_transferTimeoutMs), body);
    QByteArray pending; // a line not yet complete
    QByteArray errorBody; // an error status's body, or text after the rows (an exception
                          // the server hit after it had begun to answer)
    bool stopped = false;
    bool httpError = false;
    bool statusKnown = false;
    auto drain = [&] {
        if (stopped)
            return;
        if (!statusKnown && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()) {
            statusKnown = true;
            httpError = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() >= 300;
        }
        const QByteArray chunk = reply->readAll();
        if (httpError || !sink || !errorBody.isEmpty()) {
            errorBody += chunk;
            return;
        }
        pending += chunk;
        qsizetype start = 0;
        for (;;) {
            const qsizetype nl = pending.indexOf('\n', start);
            if (nl < 0)
                break;
            const std::string_view line(pending.constData() + start, std::size_t(nl - start));
            start = nl + 1;
            if (line.empty())
                continue;
            if (line.front() != '{') { // not a row: ClickHouse's exception text
                errorBody
                    = QByteArray(line.data(), qsizetype(line.size())) + '\n' + pending.mid(start);
                pending.clear();
                return;
            }
            ++result.rows;
            if (!(*sink)(line)) {
                stopped = true;
                result.cancelled = true;
                reply->abort();
                return;
            }
        }
        pending.remove(0, start);
    };
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, drain);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer poll;
    if (cancel) {
        poll.setInterval(50);
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (cancel->load() && !stopped) {
                stopped = true;
                result.cancelled = true;
                reply->abort();
            }
        });
        poll.start();
    }
    if (!reply->isFinished())
        loop.exec();
    poll.stop();
    drain();
    if (!stopped && !pending.isEmpty() && errorBody.isEmpty()) {
        // the last line without a newline: a row, or the server's error
        if (pending.startsWith('{') && reply->error() == QNetworkReply::NoError) {
            ++result.rows;
            (*sink)(std::string_view(pending.constData(), std::size_t(pending.size())));
        } else {
            errorBody = pending;
        }
    }
    if (result.cancelled) {
        result.error = m_target.name() + QStringLiteral(": the query was cancelled");
        // 18.16 runs on a query whose client went away: stop it on the server as well
        reply->deleteLater();
        ClickHouseResult kill = run(killStatement(queryId).toUtf8(), QString(), nullptr, nullptr);
        Q_UNUSED(kill);
        return result;
    }
    if (reply->error() == QNetworkReply::NoError && errorBody.trimmed().isEmpty()) {
        result.ok = true;
    } else {
        result.error = failureText(
            m_target, reply, errorBody, result.rows, m_transferTimeoutMs, &result.serverCode);
        result.authentication = clickhouse::isAuthenticationFailure(
            result.serverCode, reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
    }
    reply->deleteLater();
    return result;
}

ClickHouseQueryRunner::ClickHouseQueryRunner(ClickHouseTarget target, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_nam(new QNetworkAccessManager(this))
{
}

ClickHouseQueryRunner::~ClickHouseQueryRunner()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

quint64 ClickHouseQueryRunner::submit(const QString &sql)
{
    cancel();
    const quint64 gen = ++m_generation;
    m_queryId = newQueryId();
    QNetworkReply *reply = m_nam->post(makeRequest(m_target, m_queryId, 600000), selectBody(sql));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, gen] {
        reply->deleteLater();
        if (m_reply == reply)
            m_reply = nullptr;
        if (gen != m_generation)
            return; // a newer query exists: this one was dropped
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // an exception after the rows had begun comes as a text line after them
        const qsizetype bad = body.indexOf("\nCode: ");
        if (reply->error() == QNetworkReply::NoError && status < 300 && bad < 0
            && !body.startsWith("Code: ")) {
            Q_EMIT finished(gen, body);
            return;
        }
        int code = 0;
        const std::uint64_t rows = bad < 0 ? 0 : std::uint64_t(body.left(bad + 1).count('\n'));
        const QByteArray errorBody = status >= 300 || body.startsWith("Code: ") ? body
            : bad >= 0                                                          ? body.mid(bad + 1)
                                                                                : QByteArray();
        const QString error = failureText(m_target, reply, errorBody, rows, 600000, &code);
        Q_EMIT failed(gen, error, clickhouse::isAuthenticationFailure(code, status));
    });
    return gen;
}

void ClickHouseQueryRunner::cancel()
{
    if (!m_reply)
        return;
    QNetworkReply *old = std::exchange(m_reply, nullptr);
    old->disconnect(this);
    old->abort();
    old->deleteLater();
    killOnServer(m_queryId);
    Q_EMIT aborted(m_generation);
}

void ClickHouseQueryRunner::killOnServer(const QString &queryId)
{
    // fire and forget: the server stops the old query between two blocks of its work
    QNetworkReply *kill
        = m_nam->post(makeRequest(m_target, QString(), 30000), killStatement(queryId).toUtf8());
    connect(kill, &QNetworkReply::finished, kill, &QObject::deleteLater);
}
