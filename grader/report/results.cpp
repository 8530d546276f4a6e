#include "results.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "checks.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace nnkit::results {

std::vector<Check> load_checks(const fs::path& checks, const fs::path& results, const std::set<std::string>& units,
                               const std::set<std::string>& skip_kinds) {
    std::vector<Check> out;
    for (const auto& u : nnkit::checks::read_all(checks)) {
        if (!units.empty() && !units.count(u.unit)) continue;
        for (const auto& d : u.checks) {
            if (skip_kinds.count(d.kind)) continue;
            Check c;
            c.result_path = nnkit::checks::result_file(results, u.unit, d.name).string();
            c.unit = u.unit, c.lesson = u.lesson, c.name = d.name;
            c.max_score = d.points, c.kind = d.kind, c.visibility = d.visibility;
            out.push_back(c);
        }
    }
    return out;
}

bool load_checks_or_explain(const std::string& program, const std::string& checks, const std::string& results,
                            const std::set<std::string>& units, const std::set<std::string>& skip_kinds,
                            std::vector<Check>& out) {
    if (checks.empty() || results.empty()) {
        std::cerr << program << ": --checks DIR (the build's checks/) and --results DIR (its results/<flavor>/) are required\n";
        return false;
    }
    try {
        out = load_checks(checks, results, units, skip_kinds);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << '\n';
        return false;
    }
    if (out.empty()) {
        std::cerr << program << ": no checks described in " << checks << " (was the grader built? is the unit name right?)\n";
        return false;
    }
    return true;
}

void load_result(Check& c) {
    std::ifstream in(c.result_path);
    if (!in) {
        c.output = "no result: this check did not run to completion (the run was interrupted or could not start)";
        return;
    }
    try {
        const json r = json::parse(in);
        c.ran = true;
        c.score = r.at("score").get<double>();
        c.passed = r.at("status") == "passed";
        c.output = r.value("output", "");
        c.read = r.value("read", "");
        for (const char* key : {"ratio", "tier", "student_ns", "reference_ns", "seconds"})
            if (r.contains(key)) c.extra[key] = r[key];
    } catch (const std::exception& e) {
        c.output = std::string("unreadable result file: ") + e.what();
    }
}

std::string pts(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == static_cast<long long>(v) ? "%.0f" : "%.1f", v);
    return buf;
}

}  // namespace nnkit::results
