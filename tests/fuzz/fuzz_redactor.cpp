// libFuzzer: the redactor. The input is text in which the bytes 0x01..0x0e (not LF,
// CR) are placeholders: each becomes a secret, made up here, in one of the shapes secrets take in
// logs (headers, cookies, query parameters, form and JSON pairs, quoted values, free text,
// `Name: value` text, URLs with a password). Property: no seeded secret survives in what
// Redactor::text() makes of the text, nor in Redactor::record() of a JSON record holding it.
// Each shape is set off by a space on both sides, so the text around it cannot make it
// something else (`x` + `password=…` would be the name "xpassword", not a secret).
#include "export/redactor.h"
#include "fuzzcommon.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace {

std::string shape(unsigned kind, const std::string &s, const std::string &t)
{
    switch (kind) {
    case 1:
        return "Authorization: Bearer " + s;
    case 2:
        return "X-Api-Key: " + s;
    case 3:
        return "Cookie: a=" + s + "; b=" + t;
    case 4:
        return "Set-Cookie: sid=" + s + "; Path=/; HttpOnly";
    case 5:
        return "access_token=" + s;
    case 6:
        return "password=\"" + s + " " + t + "\"";
    case 7:
        return "\"client_secret\": \"" + s + "\"";
    case 8:
        return "https://h.example/p?x=1&token=" + s + "&a=1";
    case 9:
        return "https://user:" + s + "@h.example/p";
    case 11:
        return "Bearer " + s;
    case 12:
        return "api_key: '" + s + " " + t + "'";
    default:
        return "grant_type=refresh_token&refresh_token=" + s + "&client_id=app"; // a form
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const Redactor redactor = Redactor::builtIn();
    const std::string_view in(reinterpret_cast<const char *>(data), size);
    if (in.find("Qz") != std::string_view::npos)
        return 0; // the filler must not hold a seeded secret's text itself
    std::string text;
    std::vector<std::string> secrets;
    for (const char c : in) {
        const auto kind = static_cast<unsigned>(static_cast<unsigned char>(c));
        if (kind == 0 || kind > 14 || kind == '\n' || kind == '\r' || secrets.size() >= 200) {
            text += c;
            continue;
        }
        // alphanumeric, so the text after a shape can only make a value longer
        const std::string s = "Qz" + std::to_string(secrets.size()) + "sEcReTk";
        const std::string t = "Qz" + std::to_string(secrets.size() + 1) + "sEcReTj";
        secrets.push_back(s);
        secrets.push_back(t);
        text += ' ' + shape(kind, s, t) + ' ';
    }
    if (secrets.empty())
        return 0;
    const std::string out = redactor.text(text);
    for (const std::string &s : secrets) {
        if (out.find(s) != std::string::npos) {
            std::fprintf(stderr, "secret %s survived in:\n%s\n", s.c_str(), out.c_str());
            FUZZ_CHECK(out.find(s) == std::string::npos);
        }
    }
    // the same text as a JSON record's message (redacted by structure, then as text)
    const nlohmann::json record = { { "status", 429 }, { "message", text } };
    const std::string copied
        = redactor.record(record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    for (const std::string &s : secrets)
        FUZZ_CHECK(copied.find(s) == std::string::npos);
    return 0;
}
