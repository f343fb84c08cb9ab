#include "engine/clickhousejson.h"

#include <charconv>

std::optional<std::int64_t> clickHouseInteger(simdjson::dom::element e)
{
    switch (e.type()) {
    case simdjson::dom::element_type::INT64:
        return std::int64_t(e.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64: {
        const std::uint64_t u = e.get_uint64().value_unsafe();
        if (u > std::uint64_t(INT64_MAX))
            return std::nullopt;
        return std::int64_t(u);
    }
    case simdjson::dom::element_type::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || s.empty())
            return std::nullopt;
        return v;
    }
    default:
        return std::nullopt;
    }
}

std::optional<ClickHouseRowReader::Object> ClickHouseRowReader::parse(
    std::string_view row, QString *error)
{
    simdjson::dom::element doc;
    if (const auto err = m_parser.parse(row.data(), row.size(), true).get(doc)) {
        *error = QStringLiteral("not JSON: %1").arg(QLatin1String(simdjson::error_message(err)));
        return std::nullopt;
    }
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return Object(obj);
}

std::optional<std::int64_t> ClickHouseRowReader::Object::integer(std::string_view key) const
{
    simdjson::dom::element e;
    if (m_object.at_key(key).get(e))
        return std::nullopt;
    return clickHouseInteger(e);
}

std::optional<double> ClickHouseRowReader::Object::number(std::string_view key) const
{
    simdjson::dom::element e;
    if (m_object.at_key(key).get(e))
        return std::nullopt;
    double d = 0;
    if (!e.get_double().get(d))
        return d;
    if (const auto i = clickHouseInteger(e))
        return double(*i);
    return std::nullopt;
}

std::optional<QString> ClickHouseRowReader::Object::text(std::string_view key) const
{
    std::string_view s;
    if (m_object.at_key(key).get_string().get(s))
        return std::nullopt;
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

bool ClickHouseRowReader::Object::has(std::string_view key) const
{
    simdjson::dom::element e;
    return !m_object.at_key(key).get(e);
}
