// make_exercises: generates exercises/src/ from reference/src/ by replacing
// every marked solution region with its stub.
//
//   make_exercises REFERENCE_SRC EXERCISES_SRC           write the exercises
//   make_exercises REFERENCE_SRC EXERCISES_SRC --check   fail if they drifted
//   make_exercises REFERENCE_SRC --solution-lines        print the distinctive lines of every
//                                                        solution, to prove a handout has none
//
// A region in a reference source:
//       // BEGIN SOLUTION
//       ...the solution, removed...
//       // STUB                       (optional: without it the region vanishes)
//       // a hint, kept as a comment
//       //> code that the stub runs, e.g. throw NotImplemented(...);
//       // END SOLUTION
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

struct Error {
    std::string message;
};

// Lines inside solution regions (not their stubs) long enough to be distinctive.
std::vector<std::string> solution_lines(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        const std::string t = trimmed(line);
        if (t == "// BEGIN SOLUTION") inside = true;
        else if (t == "// STUB" || t == "// END SOLUTION") inside = false;
        else if (inside && t.size() >= 24 && t.rfind("//", 0) != 0) out.push_back(t);
    }
    return out;
}

std::string strip(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream out;
    enum { Outside, Solution, Stub } state = Outside;
    int line_no = 0, begin_line = 0, regions = 0;
    auto fail = [&](const std::string& why) {
        throw Error{file.string() + ":" + std::to_string(line_no) + ": " + why};
    };
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        const std::string t = trimmed(line);
        if (t == "// BEGIN SOLUTION") {
            if (state != Outside) fail("BEGIN SOLUTION inside the region opened at line " + std::to_string(begin_line));
            state = Solution, begin_line = line_no, ++regions;
        } else if (t == "// STUB") {
            if (state != Solution) fail("STUB outside a solution region");
            state = Stub;
        } else if (t == "// END SOLUTION") {
            if (state == Outside) fail("END SOLUTION without BEGIN SOLUTION");
            state = Outside;
        } else if (state == Outside) {
            out << line << '\n';
        } else if (state == Stub) {
            const auto indent = line.substr(0, line.find_first_not_of(" \t"));
            if (t.rfind("//> ", 0) == 0)
                out << indent << t.substr(4) << '\n';
            else if (t.rfind("//", 0) == 0 || t.empty())
                out << line << '\n';
            else
                fail("a stub line must be a comment (// hint) or stub code (//> code)");
        }
    }
    if (state != Outside) fail("the region opened at line " + std::to_string(begin_line) + " is never closed");
    if (regions == 0) throw Error{file.string() + ": no solution region: is this file a unit?"};
    return out.str();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: make_exercises REFERENCE_SRC EXERCISES_SRC [--check]\n";
        return 2;
    }
    const fs::path ref = argv[1], ex = argv[2];
    const bool check = argc > 3 && std::string(argv[3]) == "--check";
    std::vector<fs::path> sources;
    for (const auto& e : fs::directory_iterator(ref))
        if (e.path().extension() == ".cpp") sources.push_back(e.path());
    std::sort(sources.begin(), sources.end());
    if (ex == "--solution-lines") {
        for (const auto& src : sources)
            for (const auto& l : solution_lines(src)) std::cout << l << '\n';
        return 0;
    }
    int drifted = 0;
    try {
        for (const auto& src : sources) {
            const std::string text = strip(src);
            const fs::path target = ex / src.filename();
            if (!check) {
                fs::create_directories(ex);
                if (!fs::exists(target) || read_file(target) != text) std::ofstream(target) << text;
                continue;
            }
            if (!fs::exists(target)) {
                std::cout << "DRIFT: " << target.string() << " is missing\n";
                ++drifted;
            } else if (read_file(target) != text) {
                std::istringstream a(read_file(target)), b(text);
                std::string la, lb;
                int n = 1;
                while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++n;
                std::cout << "DRIFT: " << target.string() << " differs from the stripped " << src.string()
                          << " at line " << n << "\n";
                ++drifted;
            }
        }
        for (const auto& e : fs::directory_iterator(ex))
            if (check && e.path().extension() == ".cpp" && !fs::exists(ref / e.path().filename())) {
                std::cout << "DRIFT: " << e.path().string() << " has no reference source\n";
                ++drifted;
            }
    } catch (const Error& e) {
        std::cout << "make_exercises: " << e.message << '\n';
        return 1;
    }
    if (check) {
        if (drifted) {
            std::cout << drifted << " exercise file(s) drifted from reference/src: run ./kit exercises and commit\n";
            return 1;
        }
        std::cout << "exercises/src matches reference/src (" << sources.size() << " units)\n";
    }
    return 0;
}
