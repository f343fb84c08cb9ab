#include "export/check.h"

#include "export/reportformats.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace {

std::string percent(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", fraction * 100.0);
    return text;
}

std::string sourceText(const CheckThresholds &t)
{
    return t.source ? std::string(sourceName(*t.source)) : std::string("any source");
}

std::int64_t rejectionsOf(
    const std::array<std::int64_t, kRejectionSourceCount> &rejected, const CheckThresholds &t)
{
    if (!t.source)
        return rejected[0] + rejected[1] + rejected[2];
    return rejected[std::size_t(sourceIndex(*t.source))];
}

// The comparison a failed result shows: "2.3% > 1.0%".
std::string failedComparison(const CheckResult &r)
{
    return r.actual == "unknown" ? "unknown (" + r.detail + ")" : r.actual + " > " + r.limit;
}

std::string testName(const CheckResult &r, const CheckThresholds &t)
{
    return r.threshold + " <= " + r.limit + " (" + sourceText(t) + ")";
}

} // namespace

std::vector<CheckResult> runChecks(const Summary &summary, const CheckThresholds &t)
{
    std::vector<CheckResult> out;
    for (const ScopeSummary &sc : summary.scopes) {
        if (!t.scope.empty() && sc.name != t.scope)
            continue;
        const std::int64_t rejected = rejectionsOf(sc.rejected, t);
        const auto add = [&](const char *threshold, bool passed, std::string actual,
                             std::string limit, std::string detail) {
            out.push_back({ threshold, sc.name, passed, std::move(actual), std::move(limit),
                std::move(detail) });
        };
        if (t.max429Rate) {
            const double rate = sc.requests > 0 ? double(rejected) / double(sc.requests) : 0.0;
            add("429 rate", rate <= *t.max429Rate, percent(rate), percent(*t.max429Rate),
                std::to_string(rejected) + " of " + std::to_string(sc.requests) + " requests");
        }
        if (t.maxRejections)
            add("rejections", rejected <= *t.maxRejections, std::to_string(rejected),
                std::to_string(*t.maxRejections), {});
        if (t.maxIncidents) {
            const auto n = std::count_if(
                summary.incidents.begin(), summary.incidents.end(), [&](const Incident &inc) {
                    return inc.scope == sc.name && (!t.source || inc.dominant == *t.source);
                });
            add("incidents", n <= *t.maxIncidents, std::to_string(n),
                std::to_string(*t.maxIncidents), {});
        }
        if (t.maxMinutesOverLimit) {
            // every axis with a limit (requests, tokens, …): a TPM limit counts as much as RPM;
            // a gate that cannot judge does not pass: the scope needs a limit, given or reported
            bool judged = false;
            for (const AxisFigures &axis : sc.axes) {
                if (!axis.limit)
                    continue;
                judged = true;
                const std::string name = axis.axis == LimitAxis::Requests
                    ? "minutes over limit"
                    : "minutes over limit (" + limitAxisName(axis.axis).toStdString() + ")";
                out.push_back({ name, sc.name, axis.minutesOverLimit <= *t.maxMinutesOverLimit,
                    std::to_string(axis.minutesOverLimit), std::to_string(*t.maxMinutesOverLimit),
                    {} });
            }
            if (!judged)
                add("minutes over limit", false, "unknown", std::to_string(*t.maxMinutesOverLimit),
                    "no limit known for " + sc.name + ": give --limit " + sc.name + ":N[/W]");
        }
    }
    return out;
}

std::string checkText(const std::vector<CheckResult> &results, const CheckThresholds &t)
{
    std::string text;
    for (const CheckResult &r : results) {
        text += r.passed ? "ok   " + r.threshold + " " + r.actual + " <= " + r.limit
                         : "FAIL " + r.threshold + " " + failedComparison(r);
        text += " (" + sourceText(t) + ", " + r.scope + ")";
        if (!r.detail.empty() && r.actual != "unknown")
            text += ": " + r.detail;
        text += "\n";
    }
    if (results.empty())
        text += "FAIL no scope to check" + (t.scope.empty() ? std::string() : " named " + t.scope)
            + "\n";
    return text;
}

std::string checkJson(const std::vector<CheckResult> &results, const CheckThresholds &t)
{
    nlohmann::ordered_json doc;
    doc["schema"] = "ratescope.check/1";
    doc["passed"] = !results.empty()
        && std::all_of(
            results.begin(), results.end(), [](const CheckResult &r) { return r.passed; });
    doc["source"] = t.source ? nlohmann::ordered_json(std::string(sourceName(*t.source)))
                             : nlohmann::ordered_json("any");
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const CheckResult &r : results) {
        nlohmann::ordered_json o;
        o["threshold"] = r.threshold;
        o["scope"] = r.scope;
        o["passed"] = r.passed;
        o["actual"] = r.actual;
        o["limit"] = r.limit;
        if (!r.detail.empty())
            o["detail"] = r.detail;
        list.push_back(std::move(o));
    }
    doc["results"] = std::move(list);
    return doc.dump(2) + "\n";
}

std::string checkJunit(const std::vector<CheckResult> &results, const CheckThresholds &t)
{
    const auto failures = std::count_if(
        results.begin(), results.end(), [](const CheckResult &r) { return !r.passed; });
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const std::string counts = " tests=\"" + std::to_string(results.size()) + "\" failures=\""
        + std::to_string(failures) + "\" errors=\"0\"";
    xml += "<testsuites name=\"ratescope check\"" + counts + ">\n";
    xml += "  <testsuite name=\"ratescope check\"" + counts + " skipped=\"0\" time=\"0\">\n";
    for (const CheckResult &r : results) {
        xml += "    <testcase classname=\"" + escapeMarkup(r.scope) + "\" name=\""
            + escapeMarkup(testName(r, t)) + "\" time=\"0\"";
        if (r.passed) {
            xml += "/>\n";
            continue;
        }
        const std::string message = r.threshold + " " + failedComparison(r);
        xml += ">\n      <failure message=\"" + escapeMarkup(message) + "\" type=\"threshold\">"
            + escapeMarkup(message + " (" + sourceText(t) + ", " + r.scope + ")"
                + (r.detail.empty() || r.actual == "unknown" ? std::string() : ": " + r.detail))
            + "</failure>\n    </testcase>\n";
    }
    xml += "  </testsuite>\n</testsuites>\n";
    return xml;
}
