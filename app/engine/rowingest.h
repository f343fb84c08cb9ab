#pragma once

#include "base/inputreport.h"
#include "decode/recorddecoder.h"
#include "engine/profile.h"
#include "rules/ruleset.h"
#include "store/eventbuilder.h"
#include "store/eventstore.h"

#include <QJsonValue>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class IdSet;

// Turns a table's rows into what a log line would hold (issue 21): one row, the values of the
// columns profile.columns() names in that order, becomes the JSON record of formats.md §1.1
//   {"timestamp", "id", "method", "url", "status", "tool_name", "provider", "client", "model",
//    "duration_ms", "usage": {prompt_tokens, completion_tokens, total_tokens},
//    "error_code", "body": {"error": {"message", "type"}}}
// which the same RecordDecoder and RuleSet as a file's then read: a 429 is classified by the
// rules, never here. Values are QVariants: null for SQL NULL, text (a JSON column as its JSON
// text), numbers, or a QVariantMap / QVariantList for structured values.
class RowMapper
{
public:
    // profile: bound to the table (Profile::bindTo) and of kind Records.
    explicit RowMapper(Profile profile);

    const Profile &profile() const { return m_profile; }
    const QStringList &columns() const { return m_columns; }

    // The record of one row, in `out` (replaced). False when the row gives no time at all
    // (*why says which column was empty); a time that does not parse is left to the decoder,
    // which says why.
    bool recordJson(const QVariant *row, std::string &out, QString *why) const;
    // How a row is named in messages: "request_id=abc", else its time "startTime=…", else "".
    QString rowKey(const QVariant *row) const;

private:
    struct Source
    {
        FieldSource def;
        int column = -1; // index into the row
        QList<QPair<QString, int>> formatColumns; // {COLUMN} → index
        QRegularExpression pattern;
    };
    std::optional<QJsonValue> value(
        const Source &s, const QVariant *row, std::vector<std::optional<QJsonValue>> &parsed) const;
    std::optional<QJsonValue> field(const std::vector<Source> &sources, const QVariant *row,
        std::vector<std::optional<QJsonValue>> &parsed) const;

    Profile m_profile;
    QStringList m_columns;
    enum F {
        Time,
        EndTime,
        Id,
        Status,
        Url,
        Host,
        Method,
        ErrorCode,
        ErrorMessage,
        ErrorType,
        Tool,
        Provider,
        Client,
        Model,
        InputTokens,
        OutputTokens,
        TotalTokens,
        DurationMs,
        Count
    };
    std::vector<Source> m_fields[Count];
    int m_idColumn = -1, m_timeColumn = -1;
};

// Rows into an EventStore, as the file loader fills it: each row through RowMapper, the
// decoder and EventBuilder (classified by `rules`), or, for an events profile (`ratescope`),
// read back as push stored them. Counts records, skipped rows (each named by its key in
// report.errors, `line` being the row's number) and duplicate ids in `report`.
class RowIngest
{
public:
    RowIngest(EventStore &store, const RuleSet &rules, TimeRange range, const Profile &profile,
        InputReport &report);
    ~RowIngest();

    const QStringList &columns() const { return m_columns; }
    // Row number `row` (1-based, in the order read) with values in columns() order.
    void add(const QVariant *values, std::uint64_t row);
    // From now on, the row of each event added is kept in `rows` as a JSON object of the
    // columns read, at the event's index (what the detail pane shows as the raw record).
    void keepRowsAsJson(std::vector<std::string> *rows) { m_rowsAsJson = rows; }

private:
    void addRow(const QVariant *values, std::uint64_t row);
    void addEvent(const QVariant *values, std::uint64_t row);
    void keepRow(const QVariant *values, std::size_t sizeBefore);

    EventStore &m_store;
    InputReport &m_report;
    std::optional<RowMapper> m_mapper;
    QStringList m_columns;
    RecordDecoder m_decoder;
    EventBuilder m_builder;
    TimeRange m_range;
    std::unique_ptr<IdSet> m_ids;
    std::string m_json;
    std::uint16_t m_file = 0;
    std::vector<std::string> *m_rowsAsJson = nullptr;
};
