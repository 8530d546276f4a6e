#include "checks.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace nnkit::checks {

double perf_points(const json& budget_case) {
    double points = 0;
    for (const auto& t : budget_case.at("tiers"))
        if (!t.value("extra_credit", false)) points += t.at("points").get<double>();
    return points;
}

json to_json(const Unit& u) {
    json checks = json::array();
    for (const auto& c : u.checks) {
        json j = {{"name", c.name},
                  {"points", c.points},
                  {"kind", c.kind},
                  {"anchor", c.anchor},
                  {"visibility", c.visibility}};
        if (!c.perf.empty()) j["perf"] = c.perf;
        checks.push_back(j);
    }
    return {{"unit", u.unit}, {"lesson", u.lesson}, {"checks", checks}};
}

Unit from_json(const json& j) {
    Unit u;
    u.unit = j.at("unit").get<std::string>();
    u.lesson = j.at("lesson").get<std::string>();
    for (const auto& c : j.at("checks")) {
        Check check;
        check.name = c.at("name").get<std::string>();
        check.points = c.at("points").get<double>();
        check.kind = c.at("kind").get<std::string>();
        check.anchor = c.at("anchor").get<std::string>();
        check.visibility = c.value("visibility", "visible");
        check.perf = c.value("perf", "");
        u.checks.push_back(check);
    }
    return u;
}

Unit read(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file.string() + " (rebuild the grader)");
    try {
        return from_json(json::parse(in));
    } catch (const json::exception& e) {
        throw std::runtime_error(file.string() + " is not a check description: " + e.what());
    }
}

std::vector<Unit> read_all(const fs::path& dir) {
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<Unit> units;
    for (const auto& f : files) units.push_back(read(f));
    return units;
}

const Check* find(const Unit& u, const std::string& name) {
    for (const auto& c : u.checks)
        if (c.name == name) return &c;
    return nullptr;
}

fs::path result_file(const fs::path& results, const std::string& unit, const std::string& name) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits: the same on every compiler
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return results / unit / (std::string(hex) + ".json");
}

}  // namespace nnkit::checks
