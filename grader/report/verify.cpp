// nnkit-verify: the maintainers' checks of the grader itself, on the same result files that
// nnkit-report turns into the student's report (grader/maintain runs it after each grading).
//
//   nnkit-verify --checks DIR --results DIR --expect full|stubs|lossy [--unit U ...] [--skip-kind KIND ...]
//                [--must-fail NAME ...] [--must-pass NAME ...] [--must-say TEXT ...]
//
//   full   every check passed with full points (the reference)
//   stubs  every check failed, each saying "not implemented", none crashed or timed out
//   lossy  the units lost points (a deliberately broken unit); with --must-fail, --must-pass and
//          --must-say naming checks (by name, or "unit: name") and texts that must appear
//
// Prints one line per expectation not met, or one line saying all were; exit status 1 when one
// was not, 2 for a wrong call.
#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "results.hpp"

namespace {

using nnkit::results::Check;

// The maintainers' expectations; returns the problems found.
std::vector<std::string> verify(const std::vector<Check>& checks, const std::string& expect,
                                const std::vector<std::string>& must_fail, const std::vector<std::string>& must_pass,
                                const std::vector<std::string>& must_say) {
    std::vector<std::string> problems;
    double score = 0, max_score = 0;
    std::string all_output;
    for (const auto& c : checks) {
        // Extra credit never makes up for a lost check: a broken unit must show a loss.
        score += std::min(c.score, c.max_score), max_score += c.max_score;
        all_output += c.output + "\n";
        const std::string id = c.unit + ": " + c.name;
        if (expect == "full" && (!c.passed || c.score < c.max_score))
            problems.push_back(id + " did not get full points: " + c.output);
        if (expect == "stubs") {
            if (c.passed || c.score > 0) problems.push_back(id + " scored points against the stubs");
            if (c.output.find("is not implemented yet") == std::string::npos)
                problems.push_back(id + " failed without saying what is not implemented: " + c.output);
            if (c.output.find("CRASHED") != std::string::npos || c.output.find("TIMEOUT") != std::string::npos)
                problems.push_back(id + " crashed or hung on the stubs: " + c.output);
        }
    }
    auto find = [&](const std::string& name) -> const Check* {
        for (const auto& c : checks)
            if (c.name == name || c.unit + ": " + c.name == name) return &c;
        return nullptr;
    };
    for (const auto& n : must_fail) {
        const Check* c = find(n);
        if (!c) problems.push_back("no check named \"" + n + "\"");
        else if (c->passed) problems.push_back("\"" + n + "\" should have failed but passed");
    }
    for (const auto& n : must_pass) {
        const Check* c = find(n);
        if (!c) problems.push_back("no check named \"" + n + "\"");
        else if (!c->passed) problems.push_back("\"" + n + "\" should have passed: " + c->output);
    }
    for (const auto& t : must_say)
        if (all_output.find(t) == std::string::npos) problems.push_back("no failure message says \"" + t + "\"");
    if (expect == "lossy" && score >= max_score) problems.push_back("kept full points");
    return problems;
}

}  // namespace

int main(int argc, char** argv) {
    std::string checks_dir, results_dir, expect;
    std::vector<std::string> must_fail, must_pass, must_say;
    std::set<std::string> units, skip_kinds;
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() % 2 != 0) {
        std::cerr << "nnkit-verify: every option takes a value\n";
        return 2;
    }
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        const std::string& k = args[i];
        const std::string& v = args[i + 1];
        if (k == "--checks") checks_dir = v;
        else if (k == "--results") results_dir = v;
        else if (k == "--expect") expect = v;
        else if (k == "--unit") units.insert(v);
        else if (k == "--skip-kind") skip_kinds.insert(v);
        else if (k == "--must-fail") must_fail.push_back(v);
        else if (k == "--must-pass") must_pass.push_back(v);
        else if (k == "--must-say") must_say.push_back(v);
        else {
            std::cerr << "nnkit-verify: unknown option " << k << '\n';
            return 2;
        }
    }
    if (expect != "full" && expect != "stubs" && expect != "lossy") {
        std::cerr << "nnkit-verify: --expect must be full, stubs or lossy, got '" << expect << "'\n";
        return 2;
    }
    std::vector<Check> checks;
    if (!nnkit::results::load_checks_or_explain("nnkit-verify", checks_dir, results_dir, units, skip_kinds, checks)) return 2;
    for (auto& c : checks) nnkit::results::load_result(c);
    const auto problems = verify(checks, expect, must_fail, must_pass, must_say);
    for (const auto& p : problems) std::cout << "EXPECTATION NOT MET (" << expect << "): " << p << '\n';
    if (problems.empty()) std::cout << "verify: " << checks.size() << " checks as expected (" << expect << ")\n";
    return problems.empty() ? 0 : 1;
}
