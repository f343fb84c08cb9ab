#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Lines of one live source, handed from the source's thread to the ingest in one piece
// (never one hand-off per line). text holds each line followed by '\n' (no line break inside
// a line), then kPadding spaces so the JSON parser may read past the last line.
struct LineChunk
{
    static constexpr std::size_t kPadding = 64; // >= simdjson::SIMDJSON_PADDING

    struct Line
    {
        std::uint32_t begin = 0; // offset in text
        std::uint32_t size = 0; // without the '\n'
        std::uint64_t number = 0; // the source's 1-based line (or SSE event) number
    };
    struct Problem
    {
        std::uint64_t number = 0; // line number, 0 for the source as a whole
        QString message;
    };

    int source = -1;
    std::string text;
    std::vector<Line> lines;
    std::vector<Problem> problems; // lines dropped at the source (too long), in order
    std::int64_t receivedMs = 0; // wall clock (ms since epoch) when the first line came in
    bool padded = false;

    std::size_t textBytes() const { return padded ? text.size() - kPadding : text.size(); }
    bool empty() const { return lines.empty() && problems.empty(); }
    std::string_view line(std::size_t i) const
    {
        return std::string_view(text.data() + lines[i].begin, lines[i].size);
    }
    // Appends one complete line (no '\n' in it).
    void addLine(std::string_view l, std::uint64_t number)
    {
        lines.push_back({ std::uint32_t(text.size()), std::uint32_t(l.size()), number });
        text.append(l.data(), l.size());
        text.push_back('\n');
    }
    void pad()
    {
        if (!padded) {
            text.append(kPadding, ' ');
            padded = true;
        }
    }
};
