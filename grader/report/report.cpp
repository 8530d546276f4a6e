// nnkit-report: turns the per-check result files written by nnkit-run into
// the score table, Gradescope's results.json, and an exit status.
//
//   nnkit-report --checks DIR --results DIR [--unit U ...] [--out results.json] [--title TEXT] [--color auto|always|never]
//                [--classroom FILE]   also write GitHub Classroom's runner result (base64 of its JSON)
//                [--csv FILE --csv-name NAME] [--note TEXT ...]
//   --csv appends one row "NAME,score,max_score,bonus,<unit score>...,notes" (batch grading's class summary);
//   --note adds a line to the report and to results.json's output (e.g. integrity findings).
//                [--skip-kind KIND ...]   leave checks of that kind out (a rerun that skipped perf)
//                [--lang en|zh]   the report's own words in English (default) or Chinese; the default
//                comes from NNKIT_LANG (zh, zh_CN.UTF-8, ...). Checks' messages stay as written.
//                [--verbose]   every failing check with its whole message (default: the first few in
//                full, one line for each other, and one block per unfinished function or uncompiled unit)
//   Failures are listed in lesson order, units in the order of their --unit options.
//
// The maintainers' checks of the grader itself (the reference scores 100%, the stubs 0, a mutant
// loses points) are nnkit-verify's (verify.cpp), which reads the same files.
//
// --checks is the build's checks/ folder, one <unit>.json per unit that the test binary wrote
// (grader/common/checks.hpp): every check that should have a result. --results is the flavor's
// results folder (build/results/student). A check whose result file is missing (the run was
// interrupted, the binary never started) counts as failed and says so, so the report is complete
// even when tests crash.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The report's own sentences in Chinese (--lang zh); checks' messages and the table's column
// names (the kinds, unit names) stay English, as in the code and the lesson anchors.
bool g_zh = false;
std::string L(const std::string& en, const std::string& zh) { return g_zh ? zh : en; }

using nnkit::results::Check;
using nnkit::results::pts;

// The Chinese lesson has the same anchors (grader/tools/check_lessons.py checks it).
void link_chinese_lessons(Check& c) {
    for (std::string* text : {&c.read, &c.output})
        for (std::size_t at; (at = text->find("/README.md")) != std::string::npos;) text->replace(at, 10, "/README.zh.md");
}

struct Style {
    bool color;
    std::string red(const std::string& s) const { return color ? "\033[31m" + s + "\033[0m" : s; }
    std::string green(const std::string& s) const { return color ? "\033[32m" + s + "\033[0m" : s; }
    std::string bold(const std::string& s) const { return color ? "\033[1m" + s + "\033[0m" : s; }
};

std::string pad(const std::string& s, std::size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }

const std::vector<std::string> kKinds = {"output", "gradient", "error", "property", "perf"};

void print_table(const std::vector<Check>& checks, const Style& st, std::ostream& os) {
    // Lessons and units in the order of `checks` (lesson order, then the order the units were named).
    // A cell counts points up to each check's max_score; extra credit above it (a perf check's
    // bonus tier) goes to its own column, so every row and the total add up.
    struct Cell {
        double score = 0, max = 0, bonus = 0;
    };
    using Kinds = std::map<std::string, Cell>;
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, Kinds>>>> t;
    double bonus_total = 0;
    for (const auto& c : checks) {
        if (t.empty() || t.back().first != c.lesson) t.push_back({c.lesson, {}});
        auto& units = t.back().second;
        if (units.empty() || units.back().first != c.unit) units.push_back({c.unit, {}});
        Cell& cell = units.back().second[c.kind];
        cell.score += std::min(c.score, c.max_score), cell.max += c.max_score;
        cell.bonus += std::max(0.0, c.score - c.max_score);
        bonus_total += std::max(0.0, c.score - c.max_score);
    }
    double total = 0, total_max = 0;
    for (const auto& [lesson, units] : t) {
        os << st.bold(L("lesson ", "课程 ") + lesson) << '\n';
        os << "  " << pad("unit", 18);
        for (const auto& k : kKinds) os << pad(k, 10);
        os << (bonus_total > 0 ? pad("total", 10) + "bonus" : "total") << '\n';
        for (const auto& [unit, kinds] : units) {
            double u = 0, umax = 0, ubonus = 0;
            os << "  " << pad(unit, 18);
            for (const auto& k : kKinds) {
                auto it = kinds.find(k);
                if (it == kinds.end()) {
                    os << pad("-", 10);
                    continue;
                }
                u += it->second.score, umax += it->second.max, ubonus += it->second.bonus;
                os << pad(pts(it->second.score) + "/" + pts(it->second.max), 10);
            }
            const std::string cell = pts(u) + "/" + pts(umax);
            os << (u >= umax ? st.green(cell) : st.red(cell));
            if (ubonus > 0) os << std::string(cell.size() < 10 ? 10 - cell.size() : 1, ' ') << "+" << pts(ubonus);
            os << '\n';
            total += u, total_max += umax;
        }
    }
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", total_max > 0 ? 100.0 * total / total_max : 0.0);
    os << st.bold(L("total: ", "总分：") + pts(total) + " / " + pts(total_max) + L(" points (", " 分（") + pct +
                  L(")", "）") + (bonus_total > 0 ? " + " + pts(bonus_total) + L(" bonus", " 分加分") : ""))
       << '\n';
}

// A function not written yet: "X is not implemented yet (read ...)" in the check's message gives X
// and the reading hint. Such checks are reported per unit, as one list of functions to write.
struct Unwritten {
    std::string function, read;
};
bool unwritten(const Check& c, Unwritten& u) {
    static const std::string kSays = " is not implemented yet";
    const auto at = c.output.find(kSays);
    if (at == std::string::npos) return false;
    auto from = at;
    while (from > 0 && !std::isspace(static_cast<unsigned char>(c.output[from - 1])) && c.output[from - 1] != '"') --from;
    u.function = c.output.substr(from, at - from);
    const auto r = c.output.find("(read ", at);
    u.read = r == std::string::npos ? "" : c.output.substr(r + 6, c.output.find(')', r) - r - 6);
    return !u.function.empty();
}

// The line all the failing checks of a unit share when the unit did not compile: reported once.
std::string compile_failure(const Check& c) {
    std::istringstream lines(c.output);
    for (std::string line; std::getline(lines, line);)
        if (line.find("did not compile") != std::string::npos) return line;
    return "";
}

// The message lines worth showing: the source location, and the reading hint when the message
// already says where to read, stay in results.json.
std::vector<std::string> message_lines(const Check& c, std::size_t limit) {
    const bool says_where = c.output.find("(read ") != std::string::npos;
    std::vector<std::string> out;
    std::istringstream lines(c.output);
    for (std::string line; std::getline(lines, line) && out.size() < limit;) {
        if (line.rfind("  (/", 0) == 0 || (says_where && line.rfind("read: ", 0) == 0)) continue;
        out.push_back(line);
    }
    return out;
}

std::string fail_line(const Style& st, const std::string& unit, const std::string& what, double score, double max) {
    return st.red("  FAIL ") + unit + ": " + what + " (" + pts(score) + "/" + pts(max) + ")";
}

void print_failures(const std::vector<Check>& checks, bool verbose, const Style& st, std::ostream& os) {
    std::size_t failed = 0;
    for (const auto& c : checks) failed += !c.passed;
    if (!failed) return;
    os << st.bold(std::to_string(failed) + L(" check(s) lost points:", " 项检查失分：")) << '\n';
    if (verbose) {
        for (const auto& c : checks) {
            if (c.passed) continue;
            os << fail_line(st, c.unit, c.name, c.score, c.max_score) << '\n';
            for (const auto& line : message_lines(c, 6)) os << "       " << line << '\n';
        }
        return;
    }
    // Compact: per unit, one block for the functions not written yet and one for a unit that did
    // not compile; of the other failures, the first few in full and the rest with their first line.
    constexpr int kFull = 5;
    int full_shown = 0;
    std::size_t i = 0;
    while (i < checks.size()) {
        const std::string unit = checks[i].unit;
        std::size_t end = i;
        while (end < checks.size() && checks[end].unit == unit) ++end;
        std::vector<Unwritten> todo;  // in order of first appearance
        std::size_t todo_checks = 0, compile_checks = 0;
        double todo_score = 0, todo_max = 0, compile_max = 0;
        std::string compile_line, cut_line;
        std::size_t cut_checks = 0, skip_checks = 0;
        double cut_max = 0, skip_max = 0;
        std::string skip_line;
        for (std::size_t j = i; j < end; ++j) {
            const Check& c = checks[j];
            if (c.passed) continue;
            Unwritten u;
            if (const std::string line = compile_failure(c); !line.empty()) {
                compile_line = line, ++compile_checks, compile_max += c.max_score;
            } else if (c.output.rfind("SKIPPED", 0) == 0) {
                // Stopped inside the function that hung in an earlier check: one line for them all.
                if (skip_line.empty()) skip_line = c.output.substr(0, c.output.find('\n'));
                ++skip_checks, skip_max += c.max_score;
            } else if (const auto cut = c.output.find("(the limit was cut to "); cut != std::string::npos) {
                // After a timeout the unit's other checks ran with a short limit: one block for them.
                if (cut_line.empty()) cut_line = c.output.substr(cut, c.output.find('\n', cut) - cut);
                ++cut_checks, cut_max += c.max_score;
            } else if (unwritten(c, u)) {
                ++todo_checks, todo_score += c.score, todo_max += c.max_score;
                if (std::none_of(todo.begin(), todo.end(), [&](const Unwritten& t) { return t.function == u.function; }))
                    todo.push_back(u);
            } else {
                os << fail_line(st, unit, c.name, c.score, c.max_score) << '\n';
                for (const auto& line : message_lines(c, full_shown < kFull ? 6 : 1)) os << "       " << line << '\n';
                ++full_shown;
            }
        }
        if (compile_checks)
            os << fail_line(st, unit, std::to_string(compile_checks) + L(" checks", " 项检查"), 0, compile_max) << '\n'
               << "       " << compile_line << '\n';
        if (cut_checks)
            os << fail_line(st, unit, std::to_string(cut_checks) + L(" more checks timed out", " 项检查也超时了"), 0, cut_max) << '\n'
               << "       " << cut_line << '\n';
        if (skip_checks)
            os << fail_line(st, unit,
                            std::to_string(skip_checks) +
                                L(skip_checks == 1 ? " check stopped in the same loop" : " checks stopped in the same loop",
                                  " 项检查停在同一个循环里"),
                            0, skip_max)
               << '\n'
               << "       " << skip_line << '\n';
        if (!todo.empty()) {
            os << st.red("  TODO ") << unit << ": " << todo_checks << L(" checks (", " 项检查（") << pts(todo_score) << "/"
               << pts(todo_max)
               << L(std::string(") wait for ") + (todo.size() == 1 ? "a function" : "functions") + " not written yet:",
                    "）在等待尚未写好的函数：")
               << "\n       " << todo.front().function
               << (todo.front().read.empty() ? "" : L(" (read ", "（阅读 ") + todo.front().read + L(")", "）"));
            // The rest of the list, wrapped at 110 columns.
            std::size_t col = 7 + todo.front().function.size() + (todo.front().read.empty() ? 0 : todo.front().read.size() + 7);
            for (std::size_t k = 1; k < todo.size(); ++k) {
                const std::string item = (k == 1 ? L(", then ", ", 然后 ") : std::string(", ")) + todo[k].function;
                if (col + item.size() > 110) {
                    os << ",\n       " << item.substr(2);
                    col = 7 + item.size() - 2;
                } else {
                    os << item;
                    col += item.size();
                }
            }
            os << '\n';
        }
        i = end;
    }
    os << L("  (./kit grade --verbose lists every check with its whole message; results.json has them all)\n",
            "  （./kit grade --verbose 会列出每项检查的完整消息；results.json 里有全部结果）\n");
}

// The first unit, in lesson order, that has not got all its points: where to go on.
void print_start_here(const std::vector<Check>& checks, const Style& st, std::ostream& os) {
    for (const auto& c : checks)
        if (!c.passed) {
            Unwritten u;
            if (unwritten(c, u)) {
                os << '\n' << st.bold(L("start here: ", "从这里开始：") + c.unit + L(" (lesson ", "（课程 ") + c.lesson + L(")", "）"))
                   << L(": write ", "：先写 ") << u.function << (u.read.empty() ? "" : L(", read ", "，阅读 ") + u.read) << '\n';
                return;
            }
            os << '\n' << st.bold(L("start here: ", "从这里开始：") + c.unit + L(" (lesson ", "（课程 ") + c.lesson + L(")", "）"))
               << L(", its first failing check: ", "，它第一项失败的检查：") << c.name
               << (c.read.empty() ? "" : L("\n            read ", "\n            阅读 ") + c.read) << '\n';
            return;
        }
}

json gradescope(const std::vector<Check>& checks, const std::string& title) {
    json tests = json::array();
    double total = 0;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const auto& c = checks[i];
        total += c.score;
        json t = {{"name", c.unit + ": " + c.name},
                  {"number", std::to_string(i + 1)},
                  {"score", c.score},
                  {"max_score", c.max_score},
                  {"status", c.passed ? "passed" : "failed"},
                  {"output", c.output},
                  {"tags", {c.lesson, c.unit, c.kind}},
                  {"visibility", c.visibility}};
        if (!c.extra.empty()) t["extra_data"] = c.extra;
        tests.push_back(t);
    }
    return {{"score", total},
            {"output", title},
            {"visibility", "visible"},
            {"stdout_visibility", "hidden"},
            {"tests", tests}};
}

}  // namespace

// GitHub Classroom's autograding reporter reads, per runner, base64 of
// {version, status, max_score, tests: [{name, status, score, message}]} and adds up the scores.
json classroom(const std::vector<Check>& checks) {
    json tests = json::array();
    double max_score = 0;
    bool all = true;
    for (const auto& c : checks) {
        max_score += c.max_score;
        all = all && c.passed;
        tests.push_back({{"name", c.unit + ": " + c.name},
                         {"status", c.passed ? "pass" : "fail"},
                         {"score", c.score},
                         {"message", c.output}});
    }
    return {{"version", 1}, {"status", all ? "pass" : "fail"}, {"max_score", max_score}, {"tests", tests}};
}

std::string base64(const std::string& in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, in.size() - i);
        unsigned v = 0;
        for (std::size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k) out += k <= n ? abc[(v >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

int main(int argc, char** argv) {
    std::string checks_dir, results_dir, out, title = "nnkit grade", color = "auto", classroom_file, csv, csv_name;
    std::vector<std::string> notes;
    std::set<std::string> units, skip_kinds;
    std::vector<std::string> unit_order;
    bool verbose = false;
    const char* env_lang = std::getenv("NNKIT_LANG");
    std::string lang = env_lang ? env_lang : "en";
    std::vector<std::string> args(argv + 1, argv + argc);
    args.erase(std::remove_if(args.begin(), args.end(), [&](const std::string& a) {
                   if (a == "--verbose") verbose = true;
                   return a == "--verbose";
               }),
               args.end());
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        const std::string k = args[i], v = args[i + 1];
        if (k == "--checks") checks_dir = v;
        else if (k == "--results") results_dir = v;
        else if (k == "--unit") units.insert(v), unit_order.push_back(v);
        else if (k == "--skip-kind") skip_kinds.insert(v);  // e.g. perf, for a rerun that skipped them
        else if (k == "--out") out = v;
        else if (k == "--title") title = v;
        else if (k == "--color") color = v;
        else if (k == "--classroom") classroom_file = v;
        else if (k == "--csv") csv = v;
        else if (k == "--csv-name") csv_name = v;
        else if (k == "--note") notes.push_back(v);
        else if (k == "--lang") lang = v;
        else {
            std::cerr << "nnkit-report: unknown option " << k << '\n';
            return 2;
        }
    }
    g_zh = lang.rfind("zh", 0) == 0;
    std::vector<Check> checks;
    if (!nnkit::results::load_checks_or_explain("nnkit-report", checks_dir, results_dir, units, skip_kinds, checks)) return 2;
    for (auto& c : checks) {
        nnkit::results::load_result(c);
        if (g_zh) link_chinese_lessons(c);
    }
    // Lesson order, then the units in the order they were named, then each unit's checks as listed.
    const auto rank = [&](const std::string& unit) {
        const auto it = std::find(unit_order.begin(), unit_order.end(), unit);
        return it == unit_order.end() ? unit_order.size() : std::size_t(it - unit_order.begin());
    };
    std::stable_sort(checks.begin(), checks.end(), [&](const Check& a, const Check& b) {
        if (a.lesson != b.lesson) return a.lesson < b.lesson;
        if (rank(a.unit) != rank(b.unit)) return rank(a.unit) < rank(b.unit);
        return rank(a.unit) == unit_order.size() && a.unit < b.unit;
    });
    const Style st{color == "always" || (color == "auto" && isatty(1) && std::getenv("NO_COLOR") == nullptr)};

    // Failures first, the table last: the summary is what stays on screen.
    print_failures(checks, verbose, st, std::cout);
    std::cout << '\n' << st.bold(title) << "\n\n";
    print_table(checks, st, std::cout);
    std::string note_text;
    for (const auto& n : notes) note_text += "note: " + n + "\n";
    if (!note_text.empty()) std::cout << '\n' << note_text;
    print_start_here(checks, st, std::cout);
    if (!csv.empty()) {
        std::map<std::string, double> per_unit;
        double score = 0, max_score = 0, bonus = 0;
        for (const auto& c : checks) {
            const double base = std::min(c.score, c.max_score);
            per_unit[c.unit] += base, score += base, max_score += c.max_score, bonus += c.score - base;
        }
        std::ofstream f(csv, std::ios::app);
        f << csv_name << ',' << pts(score) << ',' << pts(max_score) << ',' << pts(bonus);
        for (const auto& [u, s] : per_unit) f << ',' << pts(s);
        std::string flat;
        for (const auto& n : notes) flat += (flat.empty() ? "" : "; ") + n;
        for (auto& ch : flat)
            if (ch == ',' || ch == '\n') ch = ' ';
        f << ',' << flat << '\n';
    }
    if (!out.empty()) {
        std::ofstream f(out);
        json g = gradescope(checks, title);
        if (!note_text.empty()) g["output"] = g["output"].get<std::string>() + "\n" + note_text;
        f << g.dump(1) << '\n';
        std::cout << "\nresults: " << out << '\n';
    }
    if (!classroom_file.empty()) std::ofstream(classroom_file) << base64(classroom(checks).dump()) << '\n';
    return 0;
}
