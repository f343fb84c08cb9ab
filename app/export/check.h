#pragma once

#include "base/rejectionsource.h"
#include "export/summary.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// `ratescope check`: thresholds a log must hold, for CI (a load test's log, a nightly run).
// Each threshold is judged for every scope of the summary (or the one asked for), so that one
// API's 429s are never diluted by another's requests.
struct CheckThresholds
{
    std::optional<double> max429Rate; // a fraction: rejections / requests
    std::optional<std::int64_t> maxRejections;
    std::optional<std::int64_t> maxIncidents;
    std::optional<std::int64_t> maxMinutesOverLimit;
    std::optional<RejectionSource> source; // the rejections counted; nullopt: any source
    std::string scope; // "": every scope

    bool any() const { return max429Rate || maxRejections || maxIncidents || maxMinutesOverLimit; }
};

// One threshold judged on one scope.
struct CheckResult
{
    std::string threshold; // "429 rate", "rejections", "incidents", "minutes over limit"
    std::string scope;
    bool passed = false;
    std::string actual; // "2.3%", "14"; "unknown" when it cannot be judged
    std::string limit; // "1.0%", "10"
    std::string detail; // why it is unknown, or what was counted ("36 of 1,550 requests")
};

std::vector<CheckResult> runChecks(const Summary &summary, const CheckThresholds &thresholds);

// One line per result: "FAIL 429 rate 2.3% > 1.0% (RATE_LIMITED, api.example.com)", "ok …".
std::string checkText(const std::vector<CheckResult> &results, const CheckThresholds &thresholds);
// {"schema": "ratescope.check/1", "passed": bool, "results": [...]}
std::string checkJson(const std::vector<CheckResult> &results, const CheckThresholds &thresholds);
// JUnit XML as GitLab and GitHub test reporters read it: testsuites / testsuite / testcase
// (one per threshold and scope, classname the scope) / failure.
std::string checkJunit(const std::vector<CheckResult> &results, const CheckThresholds &thresholds);
