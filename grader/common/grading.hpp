// What every grader test includes: Catch2, the NNKIT_TEST macro that puts a
// test's points and kind next to it, and the performance-case registry.
#pragma once

#include <functional>
#include <string>

#include <catch2/catch.hpp>

// A graded test. `points` and `kind` (output, gradient, error, property)
// become tags that the build reads to register the test with CTest; `anchor`
// is the section of the unit's lesson README that a failing student should read.
//   NNKIT_TEST("linear_forward matches PyTorch on a batched input", 2, "output", "linear-forward") { ... }
#define NNKIT_TEST(name, points, kind, anchor) \
    TEST_CASE(name, "[points:" #points "][kind:" kind "][read:" anchor "]")

// A hidden test (an instructor's extra folder, see docs/instructor.md): its name and points
// are reported; Gradescope shows its result only after the due date.
#define NNKIT_HIDDEN_TEST(name, points, kind, anchor) \
    TEST_CASE(name, "[points:" #points "][kind:" kind "][read:" anchor "][visibility:after_due_date]")

namespace nnkit::grading {

// A timed workload for the performance budgets (grader/perf/budgets.json).
// `setup` runs once, untimed, and returns the body to time; it should also
// check the body's result, so that a fast wrong answer earns nothing.
using PerfSetup = std::function<std::function<void()>()>;
int register_perf_case(const std::string& name, PerfSetup setup);

}  // namespace nnkit::grading

#define NNKIT_PERF_CONCAT2(a, b) a##b
#define NNKIT_PERF_CONCAT(a, b) NNKIT_PERF_CONCAT2(a, b)
#define NNKIT_PERF_CASE(name, ...)                                  \
    static const int NNKIT_PERF_CONCAT(nnkit_perf_case_, __LINE__) = \
        ::nnkit::grading::register_perf_case(name, __VA_ARGS__)
