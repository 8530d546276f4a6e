#include "check.hpp"

#include <cxxabi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <typeinfo>

namespace nnkit::grading {

namespace {

std::string index_of(std::size_t flat, const Shape& shape) {
    std::vector<std::size_t> idx(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        idx[d] = shape[d] ? flat % shape[d] : 0;
        flat = shape[d] ? flat / shape[d] : 0;
    }
    std::string s = "[";
    for (std::size_t d = 0; d < idx.size(); ++d) s += (d ? ", " : "") + std::to_string(idx[d]);
    return s + "]";
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

Comparison compare(const std::string& what, const Shape& expected_shape, const std::vector<double>& expected,
                   const Shape& got_shape, const std::vector<double>& got, double rtol, double atol) {
    if (expected_shape != got_shape)
        return {false, what + ": expected shape " + to_string(expected_shape) + ", got " + to_string(got_shape)};
    std::size_t bad = 0, worst = 0;
    double worst_excess = -1.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double e = expected[i], g = got[i];
        double excess;  // how far past the tolerance; infinite for a NaN mismatch
        if (std::isnan(e) || std::isnan(g))
            excess = std::isnan(e) && std::isnan(g) ? 0.0 : INFINITY;
        else if (std::isinf(e) || std::isinf(g))
            excess = e == g ? 0.0 : INFINITY;
        else
            excess = std::abs(g - e) - (atol + rtol * std::abs(e));
        if (excess > 0) {
            ++bad;
            if (excess > worst_excess) worst_excess = excess, worst = i;
        }
    }
    if (bad == 0) return {};
    std::string msg = what + ": " + std::to_string(bad) + " of " + std::to_string(expected.size()) +
                      " elements differ (shape " + to_string(got_shape) + ", rtol " + num(rtol) + ", atol " +
                      num(atol) + ")\n  worst at " + index_of(worst, got_shape) + ": expected " +
                      num(expected[worst]) + ", got " + num(got[worst]);
    if (std::isnan(got[worst])) msg += " (NaN: look for 0/0, sqrt or log of a negative, or uninitialised memory)";
    return {false, msg};
}

std::string type_name(const std::exception& e) {
    const char* raw = typeid(e).name();
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(raw, nullptr, nullptr, &status), std::free);
    return status == 0 && demangled ? demangled.get() : raw;
}

std::string throws_failure(const char* call, const char* type, const std::string& text, const char* outcome,
                           const std::string& got_type, const std::string& got_what) {
    std::string msg = std::string(call) + "\n  should throw " + type + " with PyTorch's message\n    \"" + text + "\"\n";
    const std::string o = outcome;
    if (o == "returned")
        msg += "  but it returned without throwing (the check is missing, or comes after work that succeeded)";
    else if (o == "message")
        msg += "  but its message was\n    \"" + got_what + "\"";
    else
        msg += "  but it threw " + got_type + " instead:\n    \"" + got_what + "\"";
    return msg;
}

namespace {

// The unit a test source belongs to: grader/tests/<unit>/...
std::string unit_of(const std::string& file) {
    const std::string marker = "grader/tests/";
    const auto at = file.rfind(marker);
    if (at == std::string::npos) return "?";
    const auto b = at + marker.size();
    return file.substr(b, file.find('/', b) - b);
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n') c = ' ';
    return s;
}

}  // namespace

void note_demanded_error(const char* file, const char* type, bool ok, const std::string& text) {
    const char* log = std::getenv("NNKIT_ERROR_LOG");
    if (!log || !*log) return;
    std::ofstream out(log, std::ios::app);
    out << unit_of(file) << '\t' << one_line(Catch::getResultCapture().getCurrentTestName()) << '\t' << type << '\t'
        << (ok ? 1 : 0) << '\t' << one_line(text) << '\n';
}

}  // namespace nnkit::grading
