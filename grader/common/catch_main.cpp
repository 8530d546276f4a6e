// The main() of every grader binary. Besides Catch2's own command line it
// understands three options used by the kit's test runner:
//   --nnkit-describe UNIT LESSON BUDGETS  the unit's checks as JSON (grader/common/checks.hpp): each
//                           NNKIT_TEST's tags, and the unit's performance budgets from BUDGETS
//   --nnkit-run NAME        run exactly the test NAME with the concise "nnkit" reporter
//   --nnkit-perf CASE REPS  time a performance case; prints "min_ns <n>"
// Built once as a library, so no test edit recompiles Catch2's runner.
#define CATCH_CONFIG_RUNNER
#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>

#include "checks.hpp"
#include "grading.hpp"

namespace nnkit::grading {

namespace {
std::map<std::string, PerfSetup>& perf_cases() {
    static std::map<std::string, PerfSetup> cases;
    return cases;
}
}  // namespace

int register_perf_case(const std::string& name, PerfSetup setup) {
    perf_cases()[name] = std::move(setup);
    return 0;
}

}  // namespace nnkit::grading

namespace {

// Prints only what a student needs: each failed check's message, an
// exception's text, and the values captured with INFO/CAPTURE.
struct NnkitReporter : Catch::StreamingReporterBase<NnkitReporter> {
    using StreamingReporterBase::StreamingReporterBase;
    static std::string getDescription() { return "nnkit: concise failure messages for the grader"; }

    void assertionStarting(Catch::AssertionInfo const&) override {}

    bool assertionEnded(Catch::AssertionStats const& stats) override {
        const auto& r = stats.assertionResult;
        if (r.isOk()) return true;
        for (const auto& info : stats.infoMessages)
            if (info.type == Catch::ResultWas::Info) stream << info.message << '\n';
        switch (r.getResultType()) {
            case Catch::ResultWas::ThrewException:
                stream << "exception: " << r.getMessage() << '\n';
                break;
            case Catch::ResultWas::FatalErrorCondition:
                stream << "crashed: " << r.getMessage() << '\n';
                break;
            case Catch::ResultWas::ExplicitFailure:
                stream << r.getMessage() << '\n';
                break;
            default:
                if (r.hasExpression()) {
                    stream << "check failed: " << r.getExpressionInMacro() << '\n';
                    if (r.hasExpandedExpression()) stream << "  with values: " << r.getExpandedExpression() << '\n';
                }
                if (r.hasMessage()) stream << r.getMessage() << '\n';
        }
        stream << "  (" << r.getSourceInfo().file << ":" << r.getSourceInfo().line << ")\n";
        return true;
    }
};

// Catch's test-spec syntax gives meaning to these characters; escape them so
// that NAME selects exactly one test.
std::string escape_spec(const std::string& name) {
    std::string out;
    for (char c : name) {
        if (std::strchr("\\[],*\"~", c)) out += '\\';
        out += c;
    }
    return out;
}

// The value of the tag [key:value] (NNKIT_TEST writes them), or "" when the test has none.
std::string tag_value(const Catch::TestCaseInfo& info, const std::string& key) {
    for (const auto& t : info.tags)
        if (t.rfind(key + ":", 0) == 0) return t.substr(key.size() + 1);
    return "";
}

// The one place a check's metadata is read off its test: checks.hpp's description, printed.
int describe(Catch::Session& session, const std::string& unit, const std::string& lesson,
             const std::string& budgets_file) {
    nnkit::checks::Unit u{unit, lesson, {}};
    for (const auto& tc : Catch::getAllTestCasesSorted(session.config())) {
        const auto& info = tc.getTestCaseInfo();
        if (info.name.find_first_of("\t\n;") != std::string::npos) {
            std::cerr << "test name must not contain tabs, newlines or semicolons: " << info.name << '\n';
            return 2;
        }
        nnkit::checks::Check c;
        c.name = info.name;
        c.kind = tag_value(info, "kind");
        c.anchor = tag_value(info, "read");
        const std::string points = tag_value(info, "points");
        if (points.empty() || c.kind.empty() || c.anchor.empty()) {
            std::cerr << unit << ": test \"" << info.name << "\" lacks points, kind or read tags: use NNKIT_TEST\n";
            return 2;
        }
        c.points = std::stod(points);
        if (const std::string v = tag_value(info, "visibility"); !v.empty()) c.visibility = v;
        u.checks.push_back(c);
    }
    // One check per performance budget of this unit, worth its tiers' points.
    std::ifstream in(budgets_file);
    if (!in) {
        std::cerr << "cannot read the performance budgets " << budgets_file << '\n';
        return 2;
    }
    const auto budgets = nlohmann::json::parse(in).at("cases");
    for (const auto& [name, budget] : budgets.items()) {
        if (budget.at("unit") != unit) continue;
        if (!nnkit::grading::perf_cases().count(name)) {
            std::cerr << budgets_file << ": budget \"" << name << "\" of unit " << unit
                      << " has no NNKIT_PERF_CASE of that name in this binary\n";
            return 2;
        }
        u.checks.push_back({"performance of " + name + " within budget", "perf", budget.at("read").get<std::string>(),
                            "visible", nnkit::checks::perf_points(budget), name});
    }
    std::cout << nnkit::checks::to_json(u).dump(1) << '\n';
    return 0;
}

int run_one(Catch::Session& session, const char* argv0, const std::string& name) {
    const auto& all = Catch::getAllTestCasesSorted(session.config());
    const bool exists = std::any_of(all.begin(), all.end(), [&](const Catch::TestCase& tc) {
        return tc.getTestCaseInfo().name == name;
    });
    if (!exists) {
        std::cout << "no test named \"" << name << "\" in this binary (rebuild the grader)\n";
        return 3;
    }
    const std::string spec = escape_spec(name);
    const char* args[] = {argv0, spec.c_str(), "--reporter", "nnkit"};
    if (session.applyCommandLine(4, args) != 0) return 4;
    return session.run();
}

int run_perf(const std::string& name, int reps) {
    auto& cases = nnkit::grading::perf_cases();
    auto it = cases.find(name);
    if (it == cases.end()) {
        std::cout << "no performance case named \"" << name << "\"\n";
        return 3;
    }
    try {
        auto body = it->second();
        body();  // warm-up: caches, page faults, BLAS thread start-up
        double best = 1e300;
        for (int i = 0; i < reps; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            body();
            const auto t1 = std::chrono::steady_clock::now();
            best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count());
        }
        std::cout << "min_ns " << static_cast<long long>(best) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cout << "exception: " << e.what() << '\n';
        return 1;
    }
}

// Where the check is: on a crash, and when the runner asks (SIGUSR1: a check that runs too long),
// the process writes its return addresses to stderr as one line
//   @nnkit-frames <offset> <offset> ...
// (offsets from the executable's start, so a position-independent binary's load address does not
// matter). nnkit-run turns them into the first function in the student's file with addr2line.
// Signal handlers may only call async-signal-safe functions: write() and hand-made hex digits.
extern "C" char __executable_start;  // the linker's name for the first byte of the executable

void write_frames() {
    void* frames[64];
    const int n = backtrace(frames, 64);
    char line[64 * 19 + 32];
    std::size_t len = 0;
    for (const char* p = "\n@nnkit-frames"; *p; ++p) line[len++] = *p;
    const auto base = reinterpret_cast<std::uintptr_t>(&__executable_start);
    for (int i = 0; i < n; ++i) {
        // A return address points after its call; one byte back is inside the call's line.
        const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(frames[i]) - base - 1;
        char hex[16];
        int digits = 0;
        for (std::uintptr_t v = offset; digits == 0 || v != 0; v >>= 4) hex[digits++] = "0123456789abcdef"[v & 15];
        line[len++] = ' ';
        line[len++] = '0';
        line[len++] = 'x';
        while (digits > 0) line[len++] = hex[--digits];
    }
    line[len++] = '\n';
    [[maybe_unused]] const ssize_t ignored = write(2, line, len);
}

void on_fatal_signal(int sig) {
    write_frames();
    signal(sig, SIG_DFL);
    raise(sig);  // die of the same signal, so the runner reports it
}

void on_where_request(int) { write_frames(); }

// Installed before Catch2's own handlers, which report the crash and then hand the signal back
// to these. (AddressSanitizer's builds keep the sanitizer's handlers: its report says more.)
void install_frame_handlers() {
#if !defined(__SANITIZE_ADDRESS__)
    void* warm[1];
    backtrace(warm, 1);  // the first call loads the unwinder, which must not happen in a handler
    static char alternate_stack[64 * 1024];  // a stack overflow leaves no room on the stack itself
    stack_t st{};
    st.ss_sp = alternate_stack;
    st.ss_size = sizeof alternate_stack;
    sigaltstack(&st, nullptr);
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_ONSTACK;
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &sa, nullptr);
    sa.sa_handler = on_where_request;
    sa.sa_flags = SA_ONSTACK | SA_RESTART;
    sigaction(SIGUSR1, &sa, nullptr);
#endif
}

}  // namespace

CATCH_REGISTER_REPORTER("nnkit", NnkitReporter)

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (argc >= 5 && std::strcmp(argv[1], "--nnkit-describe") == 0) return describe(session, argv[2], argv[3], argv[4]);
    if (argc >= 3 && std::strcmp(argv[1], "--nnkit-run") == 0) {
        install_frame_handlers();
        return run_one(session, argv[0], argv[2]);
    }
    if (argc >= 4 && std::strcmp(argv[1], "--nnkit-perf") == 0) {
        install_frame_handlers();
        return run_perf(argv[2], std::atoi(argv[3]));
    }
    return session.run(argc, argv);
}
