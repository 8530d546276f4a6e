#include "results.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace nnkit::results {

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace

std::vector<Check> load_expected(const fs::path& dir, const std::set<std::string>& units,
                                 const std::set<std::string>& skip_kinds) {
    std::vector<Check> checks;
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".tsv") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::ifstream in(f);
        for (std::string line; std::getline(in, line);) {
            const auto cols = split(line, '\t');
            if (cols.size() < 7) continue;
            Check c;
            c.result_path = cols[0], c.unit = cols[1], c.lesson = cols[2], c.name = cols[3];
            c.max_score = std::stod(cols[4]), c.kind = cols[5], c.visibility = cols[6];
            if ((units.empty() || units.count(c.unit)) && !skip_kinds.count(c.kind)) checks.push_back(c);
        }
    }
    return checks;
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
