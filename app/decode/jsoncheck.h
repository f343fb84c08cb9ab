#pragma once

// Reading a data file of resources/rules/: every error names where in the file it is
// ("codes[3].source", "dialects[2].window[0].seconds"). Used by rules/ruleset.cpp and
// decode/ratelimitdialects.cpp; each catches the std::runtime_error and reports its what().

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jsoncheck {

using nlohmann::json;

[[noreturn]] inline void fail(const std::string &path, const std::string &what)
{
    throw std::runtime_error(path + ": " + what);
}

inline std::string member(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

inline std::string item(const std::string &path, std::size_t i)
{
    return path + "[" + std::to_string(i) + "]";
}

inline std::string listed(std::initializer_list<std::string_view> names)
{
    std::string out;
    for (std::string_view n : names)
        out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

// An object whose fields are all in `required` or `optional`, with every required one there.
// `root` names the document in errors about the top level (path "").
inline const json &object(const json &j, const std::string &path,
    std::initializer_list<std::string_view> required,
    std::initializer_list<std::string_view> optional = {}, const char *root = "the rules")
{
    if (!j.is_object())
        fail(path.empty() ? std::string(root) : path, "not an object");
    for (const auto &[key, value] : j.items()) {
        if (std::find(required.begin(), required.end(), key) == required.end()
            && std::find(optional.begin(), optional.end(), key) == optional.end()) {
            std::string known = listed(required);
            if (optional.size() > 0)
                known += (known.empty() ? "" : ", ") + listed(optional);
            fail(member(path, key), "unknown field (known: " + known + ")");
        }
    }
    for (std::string_view f : required) {
        if (!j.contains(std::string(f)))
            fail(member(path, f), "missing");
    }
    return j;
}

inline const json &array(const json &j, const std::string &path)
{
    if (!j.is_array())
        fail(path, "not an array");
    return j;
}

template <typename T> T value(const json &j, const std::string &path, const char *what)
{
    try {
        return j.get<T>();
    } catch (const json::exception &) {
        fail(path, std::string("not ") + what);
    }
}

} // namespace jsoncheck
