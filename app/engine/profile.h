#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

// Where one field of a request is read from in a table's row (issue 21 "profiles"): a column,
// a JSON path into a column that holds JSON (PostgreSQL json/jsonb, ClickHouse Map or JSON
// text), text made from several columns, or a constant. A field may list several sources: the
// first that gives a value wins (LiteLLM's status: its error_information's code, else the
// `status` column, else metadata.status).
struct FieldSource
{
    QString column; // the column read (empty for `format` and `value`)
    QStringList path; // keys into the column's JSON ("error_information", "error_code")
    QString format; // "http://litellm-proxy/{call_type}": {COLUMN} is that column's text
    QJsonValue value { QJsonValue::Undefined }; // a constant (undefined: none)
    // value read → the value used ("success" → 200); with a map, a value not in it gives
    // nothing (the next source is tried)
    QMap<QString, QJsonValue> map;
    QString pattern; // a regular expression: its first group (or the match) of the text

    // The columns this source reads.
    QStringList columns() const;
};

// A profile is data (resources/profiles/*.json, compiled in; or a file): which column of a
// table holds each field RateScope needs. Two kinds:
//  - records: each row becomes the JSON record a log line would hold, decoded and classified
//    by the same decoder and rules as a file (litellm-spendlogs, langfuse-observations, --map);
//  - events: the rows are events `ratescope push` wrote, already classified (the `ratescope`
//    profile): read back as they were stored.
struct Profile
{
    enum class Rows { Records, Events };

    QString name;
    QString engine; // "postgresql", "clickhouse" or "any"
    QString table; // the table it is for by default (informative)
    QString description;
    QString seenIn; // where the table's shape comes from
    Rows rows = Rows::Records;
    QMap<QString, std::vector<FieldSource>> fields; // field name → sources, in order

    // Every column the profile reads, each once, in a stable order.
    QStringList columns() const;
    // The plain columns of `time` and `id` (keyset paging orders by them); empty when the
    // field is not a plain column.
    QString timeColumn() const;
    QString idColumn() const;
    // Drops the sources that read a column the table lacks (LiteLLM added `status` and
    // `request_duration_ms` in later versions); false with *error when `time` is left with
    // none, naming the column.
    bool bindTo(const QStringList &tableColumns, QString *error);
};

// The fields a record profile may name (and --map takes), in the order a record is built:
// time end_time id status url host method error_code error_message error_type tool provider
// client model input_tokens output_tokens total_tokens duration_ms
QStringList profileFieldNames();

// The built-in profiles' names (resources/profiles/*.json).
QStringList builtInProfiles();

// A built-in profile by name, or a profile file by path. Unknown keys are refused with their
// path, as the rules file's are.
std::optional<Profile> loadProfile(const QString &nameOrPath, QString *error);
std::optional<Profile> profileFromJson(
    const QByteArray &json, const QString &origin, QString *error);
// The record profile --map time=col,status=col,… describes (see parseColumnMap).
Profile profileFromMap(const QMap<QString, QString> &map);

// The columns of the table `push` writes (the `ratescope` profile reads them back), in order.
QStringList pushedEventColumns();
