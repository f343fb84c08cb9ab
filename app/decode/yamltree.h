#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

// A small YAML tree built from yaml-cpp's parser events, one top-level list item at a time:
// a cassette's interactions are read one by one and dropped, so a big cassette never sits in
// memory as a whole tree. Aliases are kept as Alias nodes and never expanded (billion
// laughs), and yaml-cpp's own depth guard stops deep nesting at 2,000 levels.
struct YamlNode
{
    enum class Kind : std::uint8_t { Null, Scalar, Sequence, Map, Alias };
    Kind kind = Kind::Null;
    std::string tag; // "?" for plain scalars, "!" for quoted ones, else the resolved tag
    std::string value; // scalars
    std::vector<YamlNode> items; // a sequence's items; a map's keys and values, alternating
    std::uint64_t line = 0; // 1-based
    std::uint64_t pos = 0; // byte offset of the node's first token

    bool isScalar() const { return kind == Kind::Scalar; }
    bool isMap() const { return kind == Kind::Map; }
    // The value of a map's scalar key, or nullptr.
    const YamlNode *get(std::string_view key) const;
    // A scalar's text ("" for anything else).
    std::string_view text() const
    {
        return kind == Kind::Scalar ? std::string_view(value) : std::string_view();
    }
    // The tag of a base64 body: YAML's !!binary or Ruby's !binary.
    bool isBinary() const;
};

// Reads a YAML stream whose root is a map, calling onItem for each item of the list under any
// of listKeys (e.g. "interactions", "http_interactions"). Returns false and sets error/line
// when yaml-cpp rejects the text (the items before it were given). sawList says whether one
// of listKeys held a list; rootIsMap whether the root was a map.
struct YamlListRead
{
    bool ok = true;
    std::string error;
    std::uint64_t errorLine = 0;
    bool rootIsMap = false;
    bool sawList = false;
};
YamlListRead readYamlListItems(std::string_view text, const std::vector<std::string_view> &listKeys,
    const std::function<void(const YamlNode &item)> &onItem);

// Reads a YAML document whose root is a list (one interaction cut from a cassette, read again
// for the detail pane) and gives its first item. False when it is not one.
bool readFirstListItem(std::string_view text, YamlNode &item, std::string *error);

// The subtree as JSON text: plain scalars resolved as YAML 1.2's core schema (null, booleans,
// numbers), everything else a string; aliases become null.
std::string yamlToJson(const YamlNode &node);
