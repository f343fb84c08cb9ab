#pragma once

#include <cstddef>
#include <string_view>

// The line of `text` that starts at `pos`, without its LF or CR LF; `pos` moves to the next
// line's start (text.size() after the last one). For the recorders read line by line (YAML
// cassettes, httprr traces).
inline std::string_view nextLine(std::string_view text, std::size_t &pos)
{
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}
