#pragma once

// ClickHouse over its HTTP interface (port 8123), with Qt Network: no client library. Queries
// go as the POST body; results come as `FORMAT JSONEachRow`, one JSON object a line, handed
// to the caller line by line as they arrive (a big result is never held whole). Written for
// the server Debian 12 ships, 18.16.1: see README "ClickHouse" for what it lacks and what a
// newer server would do better.

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

class QNetworkAccessManager;
class QNetworkReply;

// Where a ClickHouse table is, and who asks. The password comes from CLICKHOUSE_PASSWORD and
// is never put in a message, a setting, a log or a report: name() is what errors say.
struct ClickHouseTarget
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8123;
    QString database = QStringLiteral("default");
    QString table;
    QString user = QStringLiteral("default");
    QString password;

    // clickhouse://host:port/db.table (no user, no password)
    QString name() const;
    // `db`.`table`, quoted for SQL
    QString sqlTable() const;
};

// CLICKHOUSE_USER (else "default") and CLICKHOUSE_PASSWORD (else empty) into target.
void readClickHouseCredentials(ClickHouseTarget &target);

// `text` quoted as a ClickHouse string literal ('…' with \ and ' escaped).
QString clickHouseString(std::string_view text);
// `name` quoted as a ClickHouse identifier (`…`).
QString clickHouseIdentifier(const QString &name);

struct ClickHouseResult
{
    bool ok = false;
    bool cancelled = false; // stopped by the caller (cancel flag or a false from the sink)
    QString error; // names the target; never holds the password
    int serverCode = 0; // ClickHouse's exception code when it sent one (193: wrong password)
    bool authentication = false; // the server refused the user or password
    std::uint64_t rows = 0; // lines handed to the sink before the end (or the failure)
};

// Runs queries one at a time on the calling thread, waiting on a local event loop (a worker
// thread, or the command line's main thread). Not thread-safe: one client per thread.
class ClickHouseClient
{
public:
    explicit ClickHouseClient(ClickHouseTarget target);
    ~ClickHouseClient();
    ClickHouseClient(const ClickHouseClient &) = delete;
    ClickHouseClient &operator=(const ClickHouseClient &) = delete;

    // One line of the result (without its newline); false stops the query (result.cancelled).
    using RowSink = std::function<bool(std::string_view row)>;

    // `sql` without a FORMAT clause: " FORMAT JSONEachRow" is appended. Rows reach `sink` as
    // they arrive. `cancel`, polled every 50 ms, aborts the reply and the query on the server.
    ClickHouseResult select(
        const QString &sql, const RowSink &sink, const std::atomic<bool> *cancel = nullptr);
    // A statement without a result (CREATE, INSERT, …); `data` follows the SQL after a newline
    // (INSERT … FORMAT JSONEachRow takes its rows so).
    ClickHouseResult execute(const QString &sql, const QByteArray &data = {});

    const ClickHouseTarget &target() const { return m_target; }
    // Milliseconds without a byte from the server before a query fails (default 10 min).
    void setTransferTimeoutMs(int ms) { m_transferTimeoutMs = ms; }

private:
    ClickHouseResult run(const QByteArray &body, const QString &queryId, const RowSink *sink,
        const std::atomic<bool> *cancel);
    std::unique_ptr<QNetworkAccessManager> m_nam;
    ClickHouseTarget m_target;
    int m_transferTimeoutMs = 600000;
};

// Runs one query at a time for a view and lets the newest win (style.md rule 4): submit()
// aborts the query still running (its reply, and on the server with KILL QUERY: 18.16 goes on
// running a query whose HTTP client went away) and starts the new one. Lives on a thread with
// an event loop (the GUI thread is fine: nothing here blocks). Signals carry values.
class ClickHouseQueryRunner : public QObject
{
    Q_OBJECT
public:
    explicit ClickHouseQueryRunner(ClickHouseTarget target, QObject *parent = nullptr);
    ~ClickHouseQueryRunner() override;

    // Starts `sql` (without FORMAT: JSONEachRow is appended); returns its generation.
    quint64 submit(const QString &sql);
    // Aborts the query still running, if any (no signal for it).
    void cancel();
    quint64 latest() const { return m_generation; }

Q_SIGNALS:
    // The whole result of the query `generation` as JSONEachRow text.
    void finished(quint64 generation, const QByteArray &rows);
    // `authentication`: the server refused the user or password (a prompt's may do).
    void failed(quint64 generation, const QString &error, bool authentication);
    // A query was aborted for a newer one (or cancel()): its generation.
    void aborted(quint64 generation);

private:
    void killOnServer(const QString &queryId);
    ClickHouseTarget m_target;
    QNetworkAccessManager *m_nam;
    QNetworkReply *m_reply = nullptr;
    QString m_queryId;
    quint64 m_generation = 0;
};

// Internals shared by the two classes (clickhouseclient.cpp), declared for the tests.
namespace clickhouse {
// ClickHouse's error text ("Code: 193, e.displayText() = DB::Exception: Wrong password for
// user default, e.what() = DB::Exception") as "Wrong password for user default (code 193)";
// *code gets 193.
QString serverMessage(const QByteArray &body, int *code = nullptr);
// Whether an answer refuses the credentials: codes 192-195 (unknown user, wrong or missing
// password) and 516 (newer servers), or HTTP 401/403.
bool isAuthenticationFailure(int code, int httpStatus);
// `text` with every occurrence of the password replaced by "***".
QString withoutPassword(QString text, const ClickHouseTarget &target);
} // namespace clickhouse
