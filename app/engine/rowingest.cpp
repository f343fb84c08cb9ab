#include "engine/rowingest.h"

#include "decode/linetext.h"
#include "decode/timestamp.h"
#include "sources/idset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <simdjson.h>

#include <cmath>

namespace {

constexpr std::size_t kPad = simdjson::SIMDJSON_PADDING;

// JSON string escaping for the record text (RFC 8259: quote, backslash, control characters).
void appendJsonString(std::string &out, const QString &s)
{
    const QByteArray u = s.toUtf8();
    out += '"';
    for (const char ch : u) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::fabs(d) < 9e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isObject() || v.isArray())
        return QString::fromUtf8(
            QJsonDocument(v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray()))
                .toJson(QJsonDocument::Compact));
    return {};
}

QJsonValue jsonOf(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::QString:
        return v.toString();
    case QMetaType::QByteArray:
        return QString::fromUtf8(v.toByteArray());
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return v.toDouble();
    default:
        return QJsonValue::fromVariant(v);
    }
}

// A number written as a number or as text; nullopt otherwise.
std::optional<double> numberOf(const QJsonValue &v)
{
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

void appendNumber(std::string &out, double d)
{
    if (std::floor(d) == d && std::fabs(d) < 9e15) {
        out += std::to_string(qint64(d));
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", d);
        out += buf;
    }
}

} // namespace

RowMapper::RowMapper(Profile profile)
    : m_profile(std::move(profile))
    , m_columns(m_profile.columns())
{
    const QStringList names = profileFieldNames();
    for (int f = 0; f < Count; ++f) {
        for (const FieldSource &def : m_profile.fields.value(names[f])) {
            Source s;
            s.def = def;
            if (!def.column.isEmpty())
                s.column = int(m_columns.indexOf(def.column));
            for (const QString &c : def.columns())
                s.formatColumns.append({ c, int(m_columns.indexOf(c)) });
            if (!def.pattern.isEmpty())
                s.pattern = QRegularExpression(def.pattern);
            m_fields[f].push_back(std::move(s));
        }
    }
    const QString id = m_profile.idColumn();
    m_idColumn = id.isEmpty() ? -1 : int(m_columns.indexOf(id));
    const QString time = m_profile.timeColumn();
    m_timeColumn = time.isEmpty() ? -1 : int(m_columns.indexOf(time));
}

std::optional<QJsonValue> RowMapper::value(
    const Source &s, const QVariant *row, std::vector<std::optional<QJsonValue>> &parsed) const
{
    QJsonValue v;
    if (!s.def.format.isEmpty()) {
        QString text = s.def.format;
        for (const auto &[name, index] : s.formatColumns) {
            const QVariant &cv = row[index];
            text.replace(QLatin1Char('{') + name + QLatin1Char('}'),
                cv.isNull() ? QString() : textOf(jsonOf(cv)));
        }
        v = text;
    } else if (!s.def.value.isUndefined()) {
        v = s.def.value;
    } else {
        const QVariant &cv = row[s.column];
        if (cv.isNull())
            return std::nullopt;
        if (s.def.path.isEmpty()) {
            v = jsonOf(cv);
        } else {
            std::optional<QJsonValue> &doc = parsed[std::size_t(s.column)];
            if (!doc) {
                const QJsonValue raw = jsonOf(cv);
                if (raw.isString()) {
                    const QJsonDocument d = QJsonDocument::fromJson(raw.toString().toUtf8());
                    doc = d.isObject() ? QJsonValue(d.object())
                        : d.isArray()  ? QJsonValue(d.array())
                                       : QJsonValue();
                } else {
                    doc = raw;
                }
            }
            v = *doc;
            for (const QString &key : s.def.path) {
                if (!v.isObject())
                    return std::nullopt;
                v = v.toObject().value(key);
            }
        }
    }
    if (v.isNull() || v.isUndefined())
        return std::nullopt;
    if (s.pattern.isValid() && !s.def.pattern.isEmpty()) {
        const QRegularExpressionMatch m = s.pattern.match(textOf(v));
        if (!m.hasMatch())
            return std::nullopt;
        v = m.lastCapturedIndex() >= 1 ? m.captured(1) : m.captured(0);
    }
    if (!s.def.map.isEmpty()) {
        const auto it = s.def.map.constFind(textOf(v));
        if (it == s.def.map.constEnd() || it->isNull())
            return std::nullopt;
        v = *it;
    }
    if (v.isString() && v.toString().isEmpty())
        return std::nullopt;
    return v;
}

std::optional<QJsonValue> RowMapper::field(const std::vector<Source> &sources, const QVariant *row,
    std::vector<std::optional<QJsonValue>> &parsed) const
{
    for (const Source &s : sources) {
        if (auto v = value(s, row, parsed))
            return v;
    }
    return std::nullopt;
}

QString RowMapper::rowKey(const QVariant *row) const
{
    if (m_idColumn >= 0 && !row[m_idColumn].isNull())
        return QStringLiteral("%1=%2").arg(m_columns[m_idColumn], textOf(jsonOf(row[m_idColumn])));
    if (m_timeColumn >= 0 && !row[m_timeColumn].isNull())
        return QStringLiteral("%1=%2").arg(
            m_columns[m_timeColumn], textOf(jsonOf(row[m_timeColumn])));
    return {};
}

bool RowMapper::recordJson(const QVariant *row, std::string &out, QString *why) const
{
    std::vector<std::optional<QJsonValue>> parsed(std::size_t(m_columns.size()));
    out.clear();
    const std::optional<QJsonValue> time = field(m_fields[Time], row, parsed);
    if (!time) {
        if (why) {
            QStringList cols;
            for (const Source &s : m_fields[Time])
                cols << s.def.columns();
            *why = QStringLiteral("no time (%1 is empty)").arg(cols.join(QStringLiteral(", ")));
        }
        return false;
    }
    out += "{\"timestamp\":";
    if (time->isDouble())
        appendNumber(out, time->toDouble());
    else
        appendJsonString(out, textOf(*time));
    auto text = [&](F f, const char *key) {
        if (const auto v = field(m_fields[f], row, parsed)) {
            out += ",\"";
            out += key;
            out += "\":";
            appendJsonString(out, textOf(*v));
        }
    };
    auto number = [&](F f, const char *key) -> std::optional<double> {
        const auto v = field(m_fields[f], row, parsed);
        const std::optional<double> n = v ? numberOf(*v) : std::nullopt;
        if (n && key) {
            out += ",\"";
            out += key;
            out += "\":";
            appendNumber(out, *n);
        }
        return n;
    };
    text(Id, "id");
    text(Method, "method");
    if (const auto url = field(m_fields[Url], row, parsed)) {
        out += ",\"url\":";
        appendJsonString(out, textOf(*url));
    } else if (const auto host = field(m_fields[Host], row, parsed)) {
        out += ",\"url\":";
        appendJsonString(out, QStringLiteral("https://") + textOf(*host) + QLatin1Char('/'));
    }
    number(Status, "status");
    text(Tool, "tool_name");
    text(Provider, "provider");
    text(Client, "client");
    text(Model, "model");
    if (!number(DurationMs, "duration_ms")) {
        // end_time − time, when both are times
        const auto end = field(m_fields[EndTime], row, parsed);
        if (end && !time->isDouble() && !end->isDouble()) {
            const auto t0 = parseTimestamp(textOf(*time).toStdString());
            const auto t1 = parseTimestamp(textOf(*end).toStdString());
            if (t0 && t1 && t1->ms >= t0->ms) {
                out += ",\"duration_ms\":";
                appendNumber(out, double(t1->ms - t0->ms));
            }
        }
    }
    const auto in = field(m_fields[InputTokens], row, parsed);
    const auto outTokens = field(m_fields[OutputTokens], row, parsed);
    const auto total = field(m_fields[TotalTokens], row, parsed);
    if (in || outTokens || total) {
        out += ",\"usage\":{";
        bool first = true;
        for (const auto &[v, key] :
            { std::pair { &in, "prompt_tokens" }, std::pair { &outTokens, "completion_tokens" },
                std::pair { &total, "total_tokens" } }) {
            const std::optional<double> n = *v ? numberOf(**v) : std::nullopt;
            if (!n)
                continue;
            if (!first)
                out += ',';
            first = false;
            out += '"';
            out += key;
            out += "\":";
            appendNumber(out, *n);
        }
        out += '}';
    }
    text(ErrorCode, "error_code");
    const auto message = field(m_fields[ErrorMessage], row, parsed);
    const auto type = field(m_fields[ErrorType], row, parsed);
    if (message || type) {
        out += ",\"body\":{\"error\":{";
        if (message) {
            out += "\"message\":";
            appendJsonString(out, textOf(*message));
        }
        if (type) {
            if (message)
                out += ',';
            out += "\"type\":";
            appendJsonString(out, textOf(*type));
        }
        out += "}}";
    }
    out += '}';
    return true;
}

RowIngest::RowIngest(EventStore &store, const RuleSet &rules, TimeRange range,
    const Profile &profile, InputReport &report)
    : m_store(store)
    , m_report(report)
    , m_builder(rules, range)
    , m_range(range)
    , m_ids(std::make_unique<IdSet>())
{
    if (profile.rows == Profile::Rows::Records) {
        m_mapper.emplace(profile);
        m_columns = m_mapper->columns();
    } else {
        m_columns = pushedEventColumns();
    }
    if (report.storeFile < 0)
        report.storeFile = store.addFile(report.path.toStdString());
    m_file = std::uint16_t(report.storeFile);
}

RowIngest::~RowIngest() = default;

void RowIngest::add(const QVariant *values, std::uint64_t row)
{
    const std::size_t before = m_store.size();
    addRow(values, row);
    if (m_rowsAsJson)
        keepRow(values, before);
}

void RowIngest::keepRow(const QVariant *values, std::size_t sizeBefore)
{
    // a duplicate popped, a skipped row: nothing added, nothing kept
    m_rowsAsJson->resize(sizeBefore);
    if (m_store.size() == sizeBefore)
        return;
    QJsonObject row;
    for (qsizetype c = 0; c < m_columns.size(); ++c) {
        QJsonValue value = QJsonValue::fromVariant(values[c]);
        // a JSON column read as its text (PostgreSQL's json, a String of JSON): shown as the
        // JSON it holds, where the pane finds headers and messages
        const QString text = value.toString();
        if (text.startsWith(QLatin1Char('{')) || text.startsWith(QLatin1Char('['))) {
            const QJsonDocument inner = QJsonDocument::fromJson(text.toUtf8());
            if (inner.isObject())
                value = inner.object();
            else if (inner.isArray())
                value = inner.array();
        }
        row.insert(m_columns[c], value);
    }
    m_rowsAsJson->push_back(QJsonDocument(row).toJson(QJsonDocument::Compact).toStdString());
}

void RowIngest::addRow(const QVariant *values, std::uint64_t row)
{
    if (!m_mapper) {
        addEvent(values, row);
        return;
    }
    QString why;
    const QString key = m_mapper->rowKey(values);
    auto named = [&](const QString &reason) {
        return key.isEmpty() ? QStringLiteral("row %1: %2").arg(row).arg(reason)
                             : QStringLiteral("row %1: %2").arg(key, reason);
    };
    if (!m_mapper->recordJson(values, m_json, &why)) {
        m_report.addError(row, named(why));
        return;
    }
    const std::size_t n = m_json.size();
    m_json.append(kPad, ' ');
    bool added = false;
    const auto result = m_decoder.decode(
        m_json.data(), n, m_json.size(),
        [&](RawRecord &rec, const char *) {
            if (added)
                return; // one record per row
            const auto outcome
                = m_builder.add(rec, m_store, m_file, std::uint32_t(row), std::uint64_t(0));
            if (outcome == EventBuilder::Outcome::NoTime) {
                m_report.addError(row, named(utf8Text(rec.timeError)));
                added = true;
                return;
            }
            if (outcome != EventBuilder::Outcome::Added)
                return;
            added = true;
            const std::uint64_t h = idHash(rec.id);
            if (h && !m_ids->insert(h)) {
                ++m_report.duplicates;
                m_store.popBack();
            } else {
                ++m_report.records;
            }
        },
        [&](const char *, std::string_view reason) {
            m_report.addError(row, named(utf8Text(reason)));
            added = true;
        });
    if (result.error && !added)
        m_report.addError(row, named(QStringLiteral("the row's values do not make a record")));
}

void RowIngest::addEvent(const QVariant *v, std::uint64_t row)
{
    // pushedEventColumns() order
    enum {
        Id,
        Time,
        Status,
        Source,
        Flags,
        Method,
        Scope,
        Endpoint,
        Tool,
        Provider,
        Client,
        Model,
        Message,
        ErrorCode,
        Category,
        CategoryRule,
        GatewayRule,
        RetryAfter,
        ServerLimit,
        ServerWindow,
        Duration,
        In,
        Out,
        Total,
        Reported
    };
    const QString key = v[Id].isNull() ? QStringLiteral("row %1").arg(row)
                                       : QStringLiteral("id=%1").arg(v[Id].toString());
    const auto t = parseTimestamp(v[Time].toString().toStdString());
    if (!t) {
        m_report.addError(
            row, QStringLiteral("%1: no usable time (\"%2\")").arg(key, v[Time].toString()));
        return;
    }
    if (!m_range.contains(t->ms))
        return;
    auto num = [&](int c, std::int64_t none) -> std::int64_t {
        bool ok = false;
        const qint64 n = v[c].toLongLong(&ok);
        return v[c].isNull() || !ok ? none : n;
    };
    const std::string s[]
        = { v[Method].toString().toStdString(), v[Endpoint].toString().toStdString(),
              v[Tool].toString().toStdString(), v[Provider].toString().toStdString(),
              v[Client].toString().toStdString(), v[Model].toString().toStdString(),
              v[Message].toString().toStdString(), v[ErrorCode].toString().toStdString(),
              v[CategoryRule].toString().toStdString(), v[GatewayRule].toString().toStdString() };
    EventInput e;
    e.timeMs = t->ms;
    e.status = int(num(Status, -1));
    const QString source = v[Source].toString();
    for (int i = 0; i < kRejectionSourceCount; ++i) {
        if (source == QLatin1String(sourceName(sourceFromIndex(i)).data()))
            e.source = sourceFromIndex(i);
    }
    e.flags = std::uint8_t(num(Flags, 0));
    e.method = s[0];
    e.endpoint = s[1];
    e.tool = s[2];
    e.provider = s[3];
    e.client = s[4];
    e.model = s[5];
    e.message = s[6];
    e.errorCode = s[7];
    const QString category = v[Category].toString();
    for (int i = 0; i < kThrottleCategoryCount; ++i) {
        if (category == QLatin1String(categoryName(categoryFromIndex(i)).data()))
            e.category = categoryFromIndex(i);
    }
    e.categoryRule = s[8];
    e.gatewayRule = s[9];
    e.retryAfterMs = std::int32_t(num(RetryAfter, -1));
    e.serverLimit = std::int32_t(num(ServerLimit, -1));
    e.serverWindowS = std::int32_t(num(ServerWindow, -1));
    if (!v[Duration].isNull())
        e.durationMs = v[Duration].toFloat();
    e.inputTokens = num(In, -1);
    e.outputTokens = num(Out, -1);
    e.totalTokens = num(Total, -1);
    if (!v[Reported].isNull()) {
        // [limit, limit, limit, window, window, window, windowByReset]
        const QJsonArray a = QJsonDocument::fromJson(v[Reported].toString().toUtf8()).array();
        if (a.size() == 7) {
            for (int i = 0; i < 3; ++i) {
                e.reportedTokens.limit[std::size_t(i)] = a[i].toInt(-1);
                e.reportedTokens.windowS[std::size_t(i)] = a[i + 3].toInt(-1);
            }
            e.reportedTokens.windowByReset = std::uint8_t(a[6].toInt(0));
        }
    }
    e.file = m_file;
    e.line = std::uint32_t(row);
    m_store.append(e);
    ++m_report.records;
}
