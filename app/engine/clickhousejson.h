#pragma once

// One line of ClickHouse's `FORMAT JSONEachRow` output, read with simdjson's DOM (a row is
// small; the parser's memory is reused from row to row). 18.16 quotes 64-bit integers
// ({"n":"12"}, output_format_json_quote_64bit_integers = 1, which a readonly user may not
// change), so integer() takes a number or a string of digits alike.

#include <QString>
#include <QVariant>

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string_view>

class ClickHouseRowReader
{
public:
    class Object
    {
    public:
        explicit Object(simdjson::dom::object o)
            : m_object(o)
        {
        }
        std::optional<std::int64_t> integer(std::string_view key) const;
        std::optional<double> number(std::string_view key) const;
        std::optional<QString> text(std::string_view key) const;
        bool has(std::string_view key) const;
        simdjson::dom::object raw() const { return m_object; }

    private:
        simdjson::dom::object m_object;
    };

    // The row as an object; nullopt with *error when it is not a JSON object.
    std::optional<Object> parse(std::string_view row, QString *error);

private:
    simdjson::dom::parser m_parser;
};

// A 64-bit integer from a JSON number or a quoted one ("12", "-5").
std::optional<std::int64_t> clickHouseInteger(simdjson::dom::element e);
