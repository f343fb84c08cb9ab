#include "decode/yamltree.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cstdlib>
#include <istream>
#include <streambuf>

namespace {

// An istream over text in memory, without copying it.
class ViewBuf : public std::streambuf
{
public:
    explicit ViewBuf(std::string_view text)
    {
        char *p = const_cast<char *>(text.data()); // read only: no put area is ever set
        setg(p, p, p + text.size());
    }
};

class ListEvents : public YAML::EventHandler
{
public:
    ListEvents(bool rootList, const std::vector<std::string_view> &keys,
        const std::function<void(const YamlNode &)> &onItem)
        : m_rootList(rootList)
        , m_keys(keys)
        , m_onItem(onItem)
    {
    }

    YamlListRead result;
    std::uint64_t lastLine = 1;
    bool stopped = false; // readFirstListItem: the first item was given

    void OnDocumentStart(const YAML::Mark &) override { m_depth = 0; }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &mark, YAML::anchor_t) override
    {
        leaf(mark, YamlNode::Kind::Null, {}, nullptr);
    }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override
    {
        leaf(mark, YamlNode::Kind::Alias, {}, nullptr); // never expanded
    }
    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t,
        const std::string &value) override
    {
        leaf(mark, YamlNode::Kind::Scalar, tag, &value);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t,
        YAML::EmitterStyle::value) override
    {
        open(mark, YamlNode::Kind::Sequence, tag);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t,
        YAML::EmitterStyle::value) override
    {
        open(mark, YamlNode::Kind::Map, tag);
    }
    void OnMapEnd() override { close(); }

private:
    const bool m_rootList;
    const std::vector<std::string_view> &m_keys;
    const std::function<void(const YamlNode &)> &m_onItem;
    int m_depth = 0; // containers open
    bool m_expectKey = true; // in the root map: the next node is a key
    bool m_keyIsList = false; // the last root key is one of m_keys
    bool m_inList = false;
    YamlNode m_item;
    std::vector<YamlNode *> m_stack; // the item being built

    int itemDepth() const { return m_rootList ? 1 : 2; }

    void fill(YamlNode &n, const YAML::Mark &mark, YamlNode::Kind kind, const std::string &tag)
    {
        n.kind = kind;
        n.tag = tag;
        n.line = std::uint64_t(mark.line >= 0 ? mark.line + 1 : int(lastLine));
        n.pos = std::uint64_t(mark.pos >= 0 ? mark.pos : 0);
        lastLine = n.line;
    }

    void leaf(const YAML::Mark &mark, YamlNode::Kind kind, const std::string &tag,
        const std::string *value)
    {
        if (!m_stack.empty()) {
            YamlNode &n = m_stack.back()->items.emplace_back();
            fill(n, mark, kind, tag);
            if (value)
                n.value = *value;
            return;
        }
        if (mark.line >= 0)
            lastLine = std::uint64_t(mark.line) + 1;
        if (m_depth == itemDepth() && m_inList) {
            YamlNode n;
            fill(n, mark, kind, tag);
            if (value)
                n.value = *value;
            give(n);
        } else if (m_depth == 1 && !m_rootList && result.rootIsMap) {
            if (m_expectKey) {
                m_keyIsList = false;
                for (std::string_view k : m_keys)
                    m_keyIsList = m_keyIsList || (value && *value == k);
            }
            m_expectKey = !m_expectKey;
        }
    }

    void open(const YAML::Mark &mark, YamlNode::Kind kind, const std::string &tag)
    {
        if (!m_stack.empty()) {
            YamlNode &n = m_stack.back()->items.emplace_back();
            fill(n, mark, kind, tag);
            m_stack.push_back(&n);
        } else if (m_depth == 0) {
            result.rootIsMap = kind == YamlNode::Kind::Map;
            if (m_rootList && kind == YamlNode::Kind::Sequence)
                m_inList = result.sawList = true;
        } else if (m_depth == itemDepth() && m_inList) {
            m_item = YamlNode {};
            fill(m_item, mark, kind, tag);
            m_stack.push_back(&m_item);
        } else if (m_depth == 1 && !m_rootList && result.rootIsMap) {
            if (m_expectKey)
                m_keyIsList = false; // a complex key
            else if (m_keyIsList && kind == YamlNode::Kind::Sequence)
                m_inList = result.sawList = true;
        }
        ++m_depth;
    }

    void close()
    {
        --m_depth;
        if (!m_stack.empty()) {
            m_stack.pop_back();
            if (m_stack.empty()) {
                give(m_item);
                m_item = YamlNode {};
            }
            return;
        }
        if (m_depth == 1 && !m_rootList) {
            m_inList = false;
            m_expectKey = !m_expectKey;
        }
    }

    void give(const YamlNode &n)
    {
        if (stopped)
            return;
        m_onItem(n);
        if (m_rootList)
            stopped = true;
    }
};

YamlListRead readList(std::string_view text, bool rootList,
    const std::vector<std::string_view> &keys, const std::function<void(const YamlNode &)> &onItem)
{
    ViewBuf buf(text);
    std::istream in(&buf);
    ListEvents events(rootList, keys, onItem);
    try {
        YAML::Parser parser(in);
        // a cassette is one document; a second one ("---" again) is not read
        parser.HandleNextDocument(events);
    } catch (const YAML::DeepRecursion &) { // its message says "bad file"
        events.result.ok = false;
        events.result.error = "nesting deeper than 2,000 levels";
        events.result.errorLine = events.lastLine; // where the nesting started
    } catch (const YAML::Exception &e) {
        events.result.ok = false;
        events.result.error = e.msg.empty() ? std::string("unreadable YAML") : e.msg;
        events.result.errorLine
            = e.mark.line >= 0 ? std::uint64_t(e.mark.line) + 1 : events.lastLine;
    } catch (const std::bad_alloc &) {
        events.result.ok = false;
        events.result.error = "out of memory while reading the YAML";
        events.result.errorLine = events.lastLine;
    }
    return events.result;
}

using json = nlohmann::ordered_json;

json plainScalar(const std::string &s)
{
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    const char first = s[0];
    if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
        errno = 0;
        char *end = nullptr;
        const long long v = std::strtoll(s.c_str(), &end, 10);
        if (end && *end == '\0' && errno == 0)
            return v;
        errno = 0;
        const double d = std::strtod(s.c_str(), &end);
        if (end && *end == '\0' && errno == 0 && s.find_first_of("0123456789") != std::string::npos
            && s.find_first_of("xXnN") == std::string::npos)
            return d;
    }
    return s;
}

json toJson(const YamlNode &n)
{
    switch (n.kind) {
    case YamlNode::Kind::Null:
    case YamlNode::Kind::Alias:
        return nullptr;
    case YamlNode::Kind::Scalar:
        return n.tag == "?" ? plainScalar(n.value) : json(n.value);
    case YamlNode::Kind::Sequence: {
        json a = json::array();
        for (const YamlNode &c : n.items)
            a.push_back(toJson(c));
        return a;
    }
    case YamlNode::Kind::Map: {
        json o = json::object();
        for (std::size_t i = 0; i + 1 < n.items.size(); i += 2) {
            const YamlNode &k = n.items[i];
            o[k.isScalar() ? k.value : toJson(k).dump()] = toJson(n.items[i + 1]);
        }
        return o;
    }
    }
    return nullptr;
}

} // namespace

const YamlNode *YamlNode::get(std::string_view key) const
{
    if (kind != Kind::Map)
        return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        if (items[i].kind == Kind::Scalar && items[i].value == key)
            return &items[i + 1];
    }
    return nullptr;
}

bool YamlNode::isBinary() const
{
    return tag == "tag:yaml.org,2002:binary" || tag == "!binary" || tag == "!!binary";
}

YamlListRead readYamlListItems(std::string_view text, const std::vector<std::string_view> &listKeys,
    const std::function<void(const YamlNode &item)> &onItem)
{
    return readList(text, false, listKeys, onItem);
}

bool readFirstListItem(std::string_view text, YamlNode &item, std::string *error)
{
    bool got = false;
    const YamlListRead r = readList(text, true, {}, [&](const YamlNode &n) {
        item = n;
        got = true;
    });
    if (!got && error)
        *error = r.ok ? std::string("not a YAML list item") : r.error;
    return got;
}

std::string yamlToJson(const YamlNode &node)
{
    return toJson(node).dump(-1, ' ', false, json::error_handler_t::replace);
}
