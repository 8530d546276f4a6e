// The grader's description of a unit's checks (grader/common/checks.hpp): the result file names the
// runner, the reports and the Python tools must agree on, and the perf-tier rule.
#include <catch2/catch.hpp>

#include "checks.hpp"

using nnkit::checks::result_file;

TEST_CASE("result files are named by the FNV-1a hash of the check's name") {
    // FNV-1a 64's published test vectors; grader/tools/checks.py --self-test checks the same ones.
    CHECK(result_file("r", "u", "").string() == "r/u/cbf29ce484222325.json");
    CHECK(result_file("r", "u", "a").string() == "r/u/af63dc4c8601ec8c.json");
    CHECK(result_file("r", "u", "foobar").string() == "r/u/85944171f73967e8.json");
}

TEST_CASE("a performance check is worth its tiers' points without the extra credit") {
    const auto budget = nlohmann::json::parse(R"({"tiers": [{"points": 1}, {"points": 2}, {"points": 4, "extra_credit": true}]})");
    CHECK(nnkit::checks::perf_points(budget) == 3);
}

TEST_CASE("a description survives its JSON") {
    nnkit::checks::Unit u{"linear", "04-x", {}};
    u.checks.push_back({"a check", "output", "anchor", "visible", 2, ""});
    u.checks.push_back({"performance of p within budget", "perf", "anchor", "after_due_date", 1.5, "p"});
    const auto back = nnkit::checks::from_json(nnkit::checks::to_json(u));
    REQUIRE(back.checks.size() == 2);
    CHECK(back.unit == "linear");
    CHECK(back.lesson == "04-x");
    CHECK(back.checks[1].perf == "p");
    CHECK(back.checks[1].visibility == "after_due_date");
    CHECK(back.checks[1].points == 1.5);
    CHECK(nnkit::checks::find(back, "a check")->points == 2);
    CHECK(nnkit::checks::find(back, "no such check") == nullptr);
}
