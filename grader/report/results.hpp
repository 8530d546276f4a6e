// The grader's results as nnkit-report and nnkit-verify read them: build/checks/<unit>.json lists
// every check that must have a result (the test binary's own description, grader/common/checks.hpp),
// and each check's nnkit-run result file, under the flavor's results folder, says how it went.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nnkit::results {

struct Check {
    std::string result_path, unit, lesson, name, kind, visibility;
    double max_score = 0, score = 0;
    bool passed = false, ran = false;
    std::string output, read;
    nlohmann::json extra;  // a perf check's ratio, tier and timings
};

// Every check described in CHECKS/*.json, of the units named (all when empty), without the kinds
// skipped, each with its result file under RESULTS (build/results/student or .../reference).
// Throws std::runtime_error when a description cannot be read.
std::vector<Check> load_checks(const std::filesystem::path& checks, const std::filesystem::path& results,
                               const std::set<std::string>& units, const std::set<std::string>& skip_kinds);

// load_checks for a program's main(): false, having said why on stderr in PROGRAM's name, when
// a folder is not given, a description cannot be read or no check is described (a wrong call).
bool load_checks_or_explain(const std::string& program, const std::string& checks, const std::string& results,
                            const std::set<std::string>& units, const std::set<std::string>& skip_kinds,
                            std::vector<Check>& out);

// Reads c's result file; a missing or unreadable one leaves c failed, saying why.
void load_result(Check& c);

// 3 or 2.5: points as the report prints them.
std::string pts(double v);

}  // namespace nnkit::results
