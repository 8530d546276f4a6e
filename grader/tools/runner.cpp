// nnkit-run: runs one graded check in its own process and always writes its
// result, whatever the student's code does (crash, exception, endless loop,
// runaway allocation, flood of output).
//
//   nnkit-run --checks UNIT_JSON --check NAME --results DIR [--timeout S] [--memory-mb M]
//             [--source STUDENT_CPP] [--budget JSON --reference REF_EXE] -- EXE
//
// The check's points, kind, lesson section and visibility come from the unit's description
// (UNIT_JSON, written by the build from the test binary: grader/common/checks.hpp); its result goes
// to DIR/<unit>/<hash of NAME>.json. A plain check runs `EXE --nnkit-run NAME`. A performance
// check runs `EXE --nnkit-perf CASE REPS` and `REF_EXE --nnkit-perf CASE REPS` alternately and
// scores the ratio of their best times against the budget's tiers.
// Exit status: 0 when the check passed, 1 otherwise (so CTest agrees).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks.hpp"

namespace {

using json = nlohmann::json;
using nnkit::checks::Check;

struct Args {
    std::map<std::string, std::string> opt;
    std::vector<std::string> command;
    std::string get(const std::string& k, const std::string& def = "") const {
        auto it = opt.find(k);
        return it == opt.end() ? def : it->second;
    }
};

Args parse(int argc, char** argv) {
    Args a;
    int i = 1;
    for (; i < argc; ++i) {
        std::string s = argv[i];
        if (s == "--") {
            ++i;
            break;
        }
        if (s.rfind("--", 0) != 0 || i + 1 >= argc) {
            std::cerr << "nnkit-run: bad argument " << s << '\n';
            std::exit(2);
        }
        a.opt[s.substr(2)] = argv[++i];
    }
    for (; i < argc; ++i) a.command.push_back(argv[i]);
    if (a.command.empty()) {
        std::cerr << "nnkit-run: no command after --\n";
        std::exit(2);
    }
    return a;
}

struct Run {
    // Stopped: the probe (below) found the check inside the function that hung in an earlier check.
    enum Status { Exited, Signaled, TimedOut, Stopped, NotStarted } status = NotStarted;
    int code = 0;  // exit code or signal number
    std::string output;
    double seconds = 0;
};

const char* signal_name(int sig) {
    switch (sig) {
        case SIGSEGV: return "SIGSEGV";
        case SIGABRT: return "SIGABRT";
        case SIGFPE: return "SIGFPE";
        case SIGILL: return "SIGILL";
        case SIGBUS: return "SIGBUS";
        case SIGKILL: return "SIGKILL";
        case SIGXCPU: return "SIGXCPU";
        case SIGXFSZ: return "SIGXFSZ";
        case SIGTERM: return "SIGTERM";
        default: return "signal";
    }
}

// Keeps the first and the last part of a long output.
void append_capped(std::string& out, const char* data, std::size_t n, std::size_t& dropped) {
    constexpr std::size_t cap = 16 * 1024;
    out.append(data, n);
    if (out.size() > 2 * cap) {
        dropped += out.size() - 2 * cap;
        out.erase(cap, out.size() - 2 * cap);
    }
}

// Asks a running check where it is: at `at` seconds the child gets SIGUSR1 and writes its stack
// (see catch_main.cpp); `stop(output)` then says whether to end the run there.
struct Probe {
    double at = -1;  // never, when negative
    std::function<bool(const std::string& output)> stop;
};

double since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Reads what the child writes until `seconds` have passed or a stack line arrives (or EOF).
void read_for_frames(int fd, Run& r, std::size_t& dropped, double seconds) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t from = r.output.size();
    char buf[8192];
    while (r.output.find("@nnkit-frames", from > 16 ? from - 16 : 0) == std::string::npos) {
        const double left = seconds - since(t0);
        if (left <= 0) return;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) continue;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return;
        append_capped(r.output, buf, static_cast<std::size_t>(n), dropped);
    }
    // The rest of the line.
    while (r.output.back() != '\n' && since(t0) < seconds) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return;
        append_capped(r.output, buf, static_cast<std::size_t>(n), dropped);
    }
}

Run run_child(const std::vector<std::string>& cmd, double timeout_s, long memory_mb, const Probe& probe = {}) {
    Run r;
    int fds[2];
    if (pipe(fds) != 0) return r;
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) return r;
    if (pid == 0) {
        setpgid(0, 0);  // its own process group, so a timeout kills any children too
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        rlimit core{0, 0};
        setrlimit(RLIMIT_CORE, &core);
        if (memory_mb > 0) {
            rlimit mem{rlim_t(memory_mb) << 20, rlim_t(memory_mb) << 20};
            setrlimit(RLIMIT_AS, &mem);
        }
        const rlim_t cpu = static_cast<rlim_t>(timeout_s) + 2;
        rlimit cpu_lim{cpu, cpu + 1};
        setrlimit(RLIMIT_CPU, &cpu_lim);
        rlimit fsize{64u << 20, 64u << 20};
        setrlimit(RLIMIT_FSIZE, &fsize);
        // One thread per check (unless the caller chose otherwise): ctest runs checks side by side,
        // and threads of OpenMP and OpenBLAS in each would fight over the cores (and over the
        // CPU-time limit above, which counts every thread).
        setenv("OMP_NUM_THREADS", "1", 0);
        setenv("OPENBLAS_NUM_THREADS", "1", 0);
        // Batch grading gives each check a scratch folder (a size-limited tmpfs) to run in.
        if (const char* scratch = std::getenv("NNKIT_SCRATCH"); scratch && *scratch && chdir(scratch) != 0)
            _exit(126);
        std::vector<char*> argv;
        for (const auto& s : cmd) argv.push_back(const_cast<char*>(s.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    setpgid(pid, pid);
    std::size_t dropped = 0;
    bool timed_out = false, stopped = false, probed = false;
    char buf[8192];
    for (;;) {
        if (!probed && probe.at >= 0 && since(t0) >= probe.at) {
            probed = true;
            kill(pid, SIGUSR1);
            read_for_frames(fds[0], r, dropped, 0.5);
            if (probe.stop(r.output)) {
                stopped = timed_out = true;
                break;
            }
        }
        const double left = timeout_s - since(t0);
        if (left <= 0) {
            timed_out = true;
            kill(pid, SIGUSR1);  // where was it? (the stack is written before the kill below)
            read_for_frames(fds[0], r, dropped, 0.5);
            break;
        }
        const double wait = probed || probe.at < 0 ? left : std::min(left, probe.at - since(t0));
        pollfd p{fds[0], POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(std::clamp(wait, 0.0, 1.0) * 1000) + 1);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;  // EOF: the child (and its group) closed the pipe
        append_capped(r.output, buf, static_cast<std::size_t>(n), dropped);
    }
    if (timed_out) kill(-pid, SIGKILL);
    int status = 0;
    if (!timed_out) {
        // The pipe closed; wait for the exit, but never forever (a child may close its fds and spin).
        for (;;) {
            const pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) break;
            if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeout_s) {
                timed_out = true;
                kill(-pid, SIGKILL);
                break;
            }
            usleep(2000);
        }
    }
    if (timed_out) waitpid(pid, &status, 0);
    kill(-pid, SIGKILL);  // leave no grandchildren behind
    close(fds[0]);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dropped) r.output += "\n[" + std::to_string(dropped) + " bytes of output cut]\n";
    if (stopped) {
        r.status = Run::Stopped;
    } else if (timed_out) {
        r.status = Run::TimedOut;
    } else if (WIFSIGNALED(status)) {
        r.status = Run::Signaled;
        r.code = WTERMSIG(status);
    } else {
        r.status = Run::Exited;
        r.code = WEXITSTATUS(status);
    }
    return r;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// The student's file of this check (--source), whose frames a sanitizer's report shows first,
// and the unit (for the command lines the messages suggest).
std::string g_student_source, g_unit = "<unit>";

// Whether a frame or report line points into the student's file (or any exercise file).
bool in_student_file(const std::string& text) {
    return text.find("/exercises/src/") != std::string::npos ||
           (!g_student_source.empty() && text.find(g_student_source) != std::string::npos);
}

// "linear_forward<float>(xt::xarray<...> const&, ...) /home/me/nnkit/exercises/src/linear.cpp:42:17"
// -> "linear_forward at exercises/src/linear.cpp:42:17"
std::string short_frame(const std::string& where) {
    const auto space = where.rfind(' ');
    std::string file = space == std::string::npos ? where : where.substr(space + 1);
    const auto ex = file.find("exercises/src/");
    if (ex != std::string::npos) file = file.substr(ex);
    // The function's name: its signature before the parameter list, without template arguments
    // and without the return type that sometimes comes first.
    std::string fn;
    int depth = 0;
    for (char c : where.substr(0, space)) {
        if (c == '<') ++depth;
        else if (c == '>') --depth;
        else if (depth == 0 && c == '(') break;  // the parameter list (a "(" inside <...> is a cast)
        else if (depth == 0) fn += c;
    }
    if (const auto last = fn.rfind(' '); last != std::string::npos) fn = fn.substr(last + 1);
    return (space == std::string::npos || fn.empty() ? "" : fn + " at ") + file;
}

// A sanitizer's report, cut to what a student acts on: the kind of error and the first stack
// frame in an exercise file (exercises/src/...), else the first frame. Empty when there is none.
//   AddressSanitizer: "ERROR: AddressSanitizer: heap-buffer-overflow on address ..." then
//   "WRITE of size 4 at ..." and frames "    #0 0x... in linear_forward<float>(...) /path/linear.cpp:42:17"
//   UBSan: "/path/linear.cpp:42:17: runtime error: index 5 out of bounds for type 'float [5]'"
std::string sanitizer_summary(const std::string& out) {
    std::istringstream lines(out);
    std::string kind, access, frame, first_frame, ubsan;
    for (std::string line; std::getline(lines, line);) {
        const auto asan = line.find("ERROR: AddressSanitizer: ");
        if (asan != std::string::npos && kind.empty()) {
            kind = line.substr(asan + 7);
            const auto on = kind.find(" on ");
            if (on != std::string::npos) kind = kind.substr(0, on);
        } else if (!kind.empty() && access.empty() &&
                   (line.rfind("READ of size", 0) == 0 || line.rfind("WRITE of size", 0) == 0)) {
            access = line.substr(0, line.find(" at "));
        } else if (const auto in = line.find(" in "); !kind.empty() && line.find("    #") == 0 && in != std::string::npos) {
            const std::string where = short_frame(line.substr(in + 4));
            if (first_frame.empty()) first_frame = where;
            if (frame.empty() && in_student_file(line)) frame = where;
        } else if (ubsan.empty() && line.find(": runtime error: ") != std::string::npos) {
            ubsan = line;
            if (const auto ex = ubsan.find("exercises/src/"); ex != std::string::npos && ex < ubsan.find(": runtime error: "))
                ubsan = ubsan.substr(ex);
        }
    }
    if (!kind.empty()) {
        std::string s = kind + (access.empty() ? "" : " (" + access + ")");
        const std::string& f = frame.empty() ? first_frame : frame;
        if (!f.empty()) s += "\n  in " + f;
        if (kind.find("buffer-overflow") != std::string::npos) s += "\n  an index past the end (or before the start) of an array";
        return s;
    }
    if (!ubsan.empty()) return "UndefinedBehaviorSanitizer: " + ubsan.substr(ubsan.find(": runtime error: ") + 16) +
                               "\n  at " + ubsan.substr(0, ubsan.find(": runtime error: "));
    return "";
}

// Removes every "@nnkit-frames 0x.. 0x.." line (catch_main.cpp writes them on a crash and when
// asked) from `out`; returns the offsets of the last one.
std::vector<std::string> take_frames(std::string& out) {
    std::vector<std::string> last;
    for (std::size_t at; (at = out.find("@nnkit-frames")) != std::string::npos;) {
        const std::size_t end = std::min(out.find('\n', at), out.size());
        std::istringstream words(out.substr(at + 13, end - at - 13));
        last.clear();
        for (std::string w; words >> w;) last.push_back(w);
        const std::size_t begin = at > 0 && out[at - 1] == '\n' ? at - 1 : at;  // the newline written before it
        out.erase(begin, end - begin);
    }
    return last;
}

// What a program prints on stdout (stderr dropped), or "" when it cannot run.
std::string capture(const std::vector<std::string>& cmd) {
    int fds[2];
    if (pipe(fds) != 0) return "";
    const pid_t pid = fork();
    if (pid < 0) return "";
    if (pid == 0) {
        dup2(fds[1], 1);
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> argv;
        for (const auto& s : cmd) argv.push_back(const_cast<char*>(s.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buf[8192];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return out;
}

// Where a check was, in the student's code: the innermost frame in the student's file.
struct Where {
    std::string function;  // "nnkit::relu_forward"
    std::string text;      // "nnkit::relu_forward at exercises/src/activation.cpp:17"
};

// addr2line (binutils, installed with the compiler) reads the line tables that -g1 puts in every
// object (CMakeLists.txt). With -a each address comes first, then with -i one "function / file:line"
// pair per inlined level, innermost first.
Where student_where(const std::string& exe, const std::vector<std::string>& offsets) {
    if (offsets.empty()) return {};
    std::vector<std::string> cmd = {"addr2line", "-a", "-f", "-C", "-i", "-e", exe};
    cmd.insert(cmd.end(), offsets.begin(), offsets.end());
    std::istringstream lines(capture(cmd));
    std::string function;
    bool want_function = true;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("0x", 0) == 0 && line.find_first_not_of("0123456789abcdef", 2) == std::string::npos) {
            want_function = true;  // the next address
        } else if (want_function) {
            function = line, want_function = false;
        } else {
            want_function = true;
            const std::string location = line.substr(0, line.find(" ("));  // drops " (discriminator 2)"
            if (!in_student_file(location)) continue;
            Where w;
            w.text = short_frame(function + " " + location);
            w.function = w.text.substr(0, w.text.find(" at "));
            return w;
        }
    }
    return {};
}

// A check that hung where an earlier one did: one message for the same cause.
std::string skipped_text(const std::string& what, const Where& where, const std::string& hung_check) {
    return "SKIPPED: " + what + " inside " + where.text + ", where the check \"" + hung_check +
           "\" hung: most likely the same endless loop (fix it, then grade again)";
}

// Why a run failed, in a sentence a student can act on. `where` is the student's frame at the
// crash or the timeout; `hung` the check whose timeout the probe compared against.
std::string failure_text(const Run& r, double timeout_s, const Where& where = {}, const std::string& hung = "") {
    std::ostringstream os;
    const std::string out = trim(r.output);
    if (r.status != Run::TimedOut && r.status != Run::Stopped) {
        const std::string found = sanitizer_summary(out);
        if (!found.empty()) return found + "\n" + out;
    }
    const std::string in = where.text.empty() ? "" : " in " + where.text;
    switch (r.status) {
        case Run::TimedOut:
            os << "TIMEOUT: no result after " << timeout_s << " s (an endless loop, or far too slow)";
            if (!where.text.empty()) os << "\n  it was running " << where.text;
            if (!out.empty()) os << "\n" << out;
            break;
        case Run::Stopped:
            os << skipped_text("stopped after " + std::to_string(int(r.seconds + 0.5)) + " s", where, hung);
            break;
        case Run::Signaled:
            os << "CRASHED with " << signal_name(r.code) << " (" << strsignal(r.code) << ")" << in;
            if (r.code == SIGSEGV || r.code == SIGBUS)
                os << ": an out-of-bounds index or a dangling reference (./kit grade " << g_unit << " --asan "
                   << (where.text.empty() ? "shows where)" : "says more)");
            else if (r.code == SIGABRT &&
                     (out.find("free(): ") != std::string::npos || out.find("corrupted") != std::string::npos ||
                      out.find("double free") != std::string::npos || out.find("malloc(): ") != std::string::npos))
                os << ": the heap was corrupted, most likely by a write past the end of an array "
                      "(./kit grade " << g_unit << " --asan "
                   << (where.text.empty() ? "shows where)" : "says more)");
            else if (r.code == SIGFPE)
                os << ": an integer division by zero";
            else if (r.code == SIGXCPU)
                os << ": CPU time limit exceeded";
            if (!out.empty()) os << "\n" << out;
            break;
        case Run::Exited:
            if (r.code == 127) {
                os << "could not start the test: " << out;
            } else {
                os << (out.empty() ? "failed with exit code " + std::to_string(r.code) : out);
            }
            break;
        case Run::NotStarted:
            os << "could not start the test process";
            break;
    }
    return os.str();
}

bool newer_than(const std::string& a, const std::string& b) {
    struct stat sa {}, sb {};
    if (stat(a.c_str(), &sa) != 0) return false;
    if (stat(b.c_str(), &sb) != 0) return true;
    return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
           (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
}

struct Verdict {
    bool passed = false;
    double score = 0;
    std::string output;
    json extra = json::object();
};

// The first check of this run of the unit that timed out, and the student's function it was in.
struct Hang {
    std::string check, function;
};

// After a hang in function F, a check still running after a second is asked where it is; if
// inside F, it is stopped: the same loop need not cost a full limit per check that calls F.
Probe hang_probe(const std::string& exe, const Hang& hang) {
    Probe probe;
    if (hang.function.empty()) return probe;
    probe.at = 1;
    probe.stop = [exe, function = hang.function](const std::string& output) {
        std::string copy = output;
        return student_where(exe, take_frames(copy)).function == function;
    };
    return probe;
}

Verdict plain_check(const Args& a, const Check& check, double timeout, long memory, const Hang& hang, Where& where) {
    Verdict v;
    const double points = check.points;
    std::vector<std::string> cmd = a.command;
    cmd.push_back("--nnkit-run");
    cmd.push_back(check.name);
    Run r = run_child(cmd, timeout, memory, hang_probe(cmd.front(), hang));
    where = student_where(cmd.front(), take_frames(r.output));
    v.passed = r.status == Run::Exited && r.code == 0;
    v.score = v.passed ? points : 0;
    v.output = v.passed ? "" : failure_text(r, timeout, where, hang.check);
    v.extra["seconds"] = r.seconds;
    if (r.status == Run::Stopped) v.extra["skipped"] = true;
    return v;
}

long long parse_min_ns(const std::string& out) {
    const auto p = out.find("min_ns ");
    return p == std::string::npos ? -1 : std::atoll(out.c_str() + p + 7);
}

Verdict perf_check(const Args& a, const Check& check, double timeout, long memory, const Hang& hang, Where& where) {
    Verdict v;
    const std::string name = check.perf;
    std::ifstream in(a.get("budget"));
    if (!in) {
        v.output = "cannot read the budget file " + a.get("budget");
        return v;
    }
    const json budget = json::parse(in).at("cases").at(name);
    const int rounds = budget.value("rounds", 5), reps = budget.value("reps", 3);
    long long best_student = -1, best_reference = -1;
    // One measurement: `rounds` interleaved runs, student then reference, so drifts in machine
    // load hit both; the bests are kept across measurements.
    auto measure = [&]() -> bool {
        for (int i = 0; i < rounds; ++i) {
            for (int who = 0; who < 2; ++who) {
                std::vector<std::string> cmd = who == 0 ? a.command : std::vector<std::string>{a.get("reference")};
                cmd.insert(cmd.end(), {"--nnkit-perf", name, std::to_string(reps)});
                Run r = run_child(cmd, timeout, memory, who == 0 ? hang_probe(cmd.front(), hang) : Probe{});
                where = student_where(cmd.front(), take_frames(r.output));
                const long long ns = r.status == Run::Exited && r.code == 0 ? parse_min_ns(r.output) : -1;
                if (ns < 0) {
                    v.output = (who == 0 ? "" : "the reference failed: ") + failure_text(r, timeout, where, hang.check);
                    if (r.status == Run::Stopped) v.extra["skipped"] = true;
                    return false;
                }
                long long& best = who == 0 ? best_student : best_reference;
                best = best < 0 ? ns : std::min(best, ns);
            }
        }
        return true;
    };
    auto ratio_now = [&] { return double(best_student) / double(std::max(1LL, best_reference)); };
    if (!measure()) return v;
    // A ratio just past a points tier (within kRecheck of its limit) is measured again, twice at
    // most, before it fails: one slow run on a busy machine must not cost the point.
    constexpr double kRecheck = 1.5;
    int measurements = 1;
    auto near_miss = [&] {
        for (const auto& t : budget.at("tiers")) {
            const double limit = t.at("max_ratio").get<double>();
            if (!t.value("extra_credit", false) && ratio_now() > limit && ratio_now() <= limit * kRecheck) return true;
        }
        return false;
    };
    while (near_miss() && measurements < 3) {
        if (!measure()) return v;
        ++measurements;
    }
    const double ratio = ratio_now();
    const double max_score = nnkit::checks::perf_points(budget);
    std::string reached = "none";
    std::ostringstream tiers;
    for (const auto& t : budget.at("tiers")) {
        const bool extra = t.value("extra_credit", false);
        const double pts = t.at("points").get<double>();
        const bool ok = ratio <= t.at("max_ratio").get<double>();
        if (ok) v.score += pts, reached = t.at("name").get<std::string>();
        tiers << "  " << t.at("name").get<std::string>() << ": ratio <= " << t.at("max_ratio").get<double>() << " for "
              << pts << (extra ? " extra" : "") << " point(s) " << (ok ? "[reached]" : "[not reached]") << "\n";
    }
    v.passed = v.score >= max_score;
    std::ostringstream os;
    os.precision(3);
    os << "time ratio (yours / reference, best of " << measurements * rounds << "x" << reps << " interleaved): " << ratio
       << "  [yours " << best_student / 1e6 << " ms, reference " << best_reference / 1e6 << " ms]\n"
       << tiers.str();
    v.output = trim(os.str());
    v.extra["ratio"] = ratio;
    v.extra["tier"] = reached;
    v.extra["student_ns"] = best_student;
    v.extra["reference_ns"] = best_reference;
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    nnkit::checks::Unit unit;
    try {
        unit = nnkit::checks::read(a.get("checks"));
    } catch (const std::exception& e) {
        std::cerr << "nnkit-run: " << e.what() << '\n';
        return 2;
    }
    const Check* found = nnkit::checks::find(unit, a.get("check"));
    if (!found) {
        std::cerr << "nnkit-run: no check named \"" << a.get("check") << "\" in " << a.get("checks")
                  << " (rebuild the grader)\n";
        return 2;
    }
    const Check& check = *found;
    // NNKIT_TIMEOUT overrides the registered timeout (the mutation suite shortens it).
    const char* env_timeout = std::getenv("NNKIT_TIMEOUT");
    double timeout = env_timeout && *env_timeout ? std::stod(env_timeout) : std::stod(a.get("timeout", "30"));
    // After one check of a unit timed out, the unit's other checks get a short limit, and a check
    // found inside the function that hung is stopped after a second: the same endless loop then
    // costs one full timeout, not one per check that calls the function.
    // (The results folder is emptied before each grading run, so the marker lasts one run.)
    const std::string file =
        a.get("results").empty() ? "" : nnkit::checks::result_file(a.get("results"), unit.unit, check.name).string();
    const std::filesystem::path marker =
        file.empty() ? std::filesystem::path() : std::filesystem::path(file).parent_path() / ".timed_out";
    constexpr double kAfterTimeout = 5;
    std::string cut_note;
    Hang hang;
    if (!marker.empty() && std::filesystem::exists(marker)) {
        std::ifstream in(marker);
        std::getline(in, hang.check);
        std::getline(in, hang.function);
        if (timeout > kAfterTimeout) {
            timeout = kAfterTimeout;
            cut_note = "(the limit was cut to 5 s: an earlier check of this unit, \"" + hang.check +
                       "\", timed out, most likely in the same loop)";
        }
    }
    // NNKIT_MEMORY_MB=0 lifts the address-space limit (AddressSanitizer reserves terabytes of it).
    const char* env_memory = std::getenv("NNKIT_MEMORY_MB");
    const long memory = env_memory && *env_memory ? std::stol(env_memory) : std::stol(a.get("memory-mb", "4096"));
    const std::string exe = a.command.front(), source = a.get("source");
    g_student_source = source;
    g_unit = unit.unit;

    Verdict v;
    Where where;
    if (!source.empty() && (access(exe.c_str(), X_OK) != 0 || newer_than(source, exe))) {
        v.output = source + " did not compile (or was not rebuilt after your last edit): fix the compiler "
                            "errors shown by the build, then grade again";
    } else if (!check.perf.empty()) {
        v = perf_check(a, check, timeout, memory, hang, where);
    } else {
        v = plain_check(a, check, timeout, memory, hang, where);
    }
    if (v.output.rfind("TIMEOUT", 0) == 0 && !marker.empty()) {
        // The first check to time out leaves its name and function for the others (created
        // exclusively: of two checks that time out side by side, one wins). A check that ran out
        // of time in the same function as the winner is the same loop: skipped, not a second TIMEOUT.
        std::error_code ignored;
        std::filesystem::create_directories(marker.parent_path(), ignored);
        if (FILE* f = std::fopen(marker.c_str(), "wx")) {
            std::fprintf(f, "%s\n%s\n", check.name.c_str(), where.function.c_str());
            std::fclose(f);
        } else {
            std::ifstream in(marker);
            std::getline(in, hang.check);
            std::getline(in, hang.function);
            if (!where.function.empty() && where.function == hang.function) {
                v.output = skipped_text("ran out of time", where, hang.check);
                v.extra["skipped"] = true;
            } else if (!cut_note.empty()) {
                v.output.insert(std::min(v.output.find('\n'), v.output.size()), " " + cut_note);
            }
        }
    }
    const std::string read = "lessons/" + unit.lesson + "/README.md#" + check.anchor;
    if (!v.passed) v.output += (v.output.empty() ? "" : "\n") + std::string("read: ") + read;

    json result = {
        {"name", check.name},
        {"unit", unit.unit},
        {"lesson", unit.lesson},
        {"kind", check.kind},
        {"read", read},
        {"visibility", check.visibility},
        {"max_score", check.points},
        {"score", v.score},
        {"status", v.passed ? "passed" : "failed"},
        {"output", v.output},
    };
    result.update(v.extra);
    if (!file.empty()) {
        std::error_code ignored;
        std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ignored);
        std::ofstream out(file);
        out << result.dump(1) << '\n';
    }
    std::cout << (v.passed ? "PASS " : "FAIL ") << unit.unit << ": " << check.name << " (" << v.score << "/"
              << check.points << ")\n";
    if (!v.output.empty()) std::cout << v.output << '\n';
    return v.passed ? 0 : 1;
}
