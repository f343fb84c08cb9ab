#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

// Keeps secrets out of everything that leaves RateScope: exports, standard output and the
// detail pane's copy actions (summary.md "Other formats"). Redacts by structure (header names,
// JSON keys, query and form parameters, user:password@ in URLs) and, in free text, bearer and
// basic credentials, JSON Web Tokens, name=value pairs whose name is on the list and
// `Name: value` header text whose name is a secret header. Every pass is linear in the text.
// The lists are data: resources/rules/redaction.json.
class Redactor
{
public:
    static Redactor builtIn();
    static Redactor fromJson(const QByteArray &json, QString *error, bool *ok);

    // Header values of secret-bearing headers ("Authorization", anything with "token" …).
    bool isSecretHeader(std::string_view name) const;
    // Query/form/JSON names on the list, compared ignoring case, '-' and '_'.
    bool isSecretName(std::string_view name) const;
    // A secret name, unless the value is a whole number and the name is one whose numbers
    // are statuses ("code": 8), not secrets.
    bool isSecretValue(std::string_view name, bool wholeNumber) const;

    std::string text(std::string_view in) const; // free text: messages, non-JSON bodies
    std::string url(std::string_view in) const; // user:password@, secret query values
    void json(nlohmann::json &j) const; // in place, by structure, recursively
    // A raw record as text: JSON is redacted by structure and pretty-printed; other text
    // (PyGithub exchanges) line by line.
    std::string record(std::string_view raw, int indent = 2) const;

    const std::string &replacement() const { return m_replacement; }

private:
    void headersArray(nlohmann::json &arr) const;
    std::string pairs(std::string_view text) const; // text()'s name=value and Name: value pass
    std::vector<std::string> m_headerNames; // normalized
    std::vector<std::string> m_headerFragments; // lower case
    std::vector<std::string> m_names; // normalized
    std::vector<std::string> m_numbersKept; // normalized
    std::string m_replacement = "[REDACTED]";
};
