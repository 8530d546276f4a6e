// A unit's graded checks as its test binary describes them, once:
//   check_<unit> --nnkit-describe UNIT LESSON BUDGETS_JSON  >  build/checks/<unit>.json
// The build registers one CTest test per check from this file, nnkit-run takes a check's points,
// kind and lesson section from it, and nnkit-report and nnkit-verify list from it every check that
// must have a result. Nothing else restates a check's metadata.
//
//   {"unit": "linear", "lesson": "04-pool-linear-act",
//    "checks": [{"name": "...", "points": 2, "kind": "output", "anchor": "linear-forward",
//                "visibility": "visible"},
//               {"name": "performance of linear_forward within budget", "points": 1, "kind": "perf",
//                "anchor": "...", "visibility": "visible", "perf": "linear_forward"}]}
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nnkit::checks {

struct Check {
    std::string name, kind, anchor, visibility = "visible";
    double points = 0;
    std::string perf;  // the performance case a perf check times (grader/perf/budgets.json); else empty
};

struct Unit {
    std::string unit, lesson;
    std::vector<Check> checks;
};

// The points a performance budget is worth: its tiers' points, extra-credit tiers left out.
double perf_points(const nlohmann::json& budget_case);

nlohmann::json to_json(const Unit& u);
Unit from_json(const nlohmann::json& j);

// Reads one description file; throws std::runtime_error naming the file when it cannot.
Unit read(const std::filesystem::path& file);

// Every description in DIR (the <unit>.json files), sorted by unit.
std::vector<Unit> read_all(const std::filesystem::path& dir);

const Check* find(const Unit& u, const std::string& name);

// Where nnkit-run writes a check's result: RESULTS/<unit>/<16 hex digits of the name's hash>.json
// (a name holds characters no file name should, and a stable hash keeps a re-run in place).
std::filesystem::path result_file(const std::filesystem::path& results, const std::string& unit,
                                  const std::string& name);

}  // namespace nnkit::checks
