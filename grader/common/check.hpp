// Comparisons that explain themselves: on failure they name the check, the
// expected and actual shapes, how many elements differ, and the worst one.
#pragma once

#include <exception>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "grading.hpp"
#include "nnkit/shape.hpp"

namespace nnkit::grading {

// torch.testing.assert_close's float32 tolerances.
constexpr double kRtol = 1.3e-6;
constexpr double kAtol = 1e-5;

struct Comparison {
    bool ok = true;
    std::string message;  // empty when ok
};

// |got - expected| <= atol + rtol·|expected| everywhere; NaN must meet NaN.
Comparison compare(const std::string& what, const Shape& expected_shape, const std::vector<double>& expected,
                   const Shape& got_shape, const std::vector<double>& got, double rtol, double atol);

template <typename T>
std::vector<double> values_of(const xt::xarray<T>& a) {
    return std::vector<double>(a.begin(), a.end());
}

template <typename E, typename G>
Comparison compare(const std::string& what, const xt::xarray<E>& expected, const xt::xarray<G>& got,
                   double rtol = kRtol, double atol = kAtol) {
    return compare(what, shape_of(expected), values_of(expected), shape_of(got), values_of(got), rtol, atol);
}

}  // namespace nnkit::grading

// Fails the current test with the comparison's message.
#define NNKIT_CHECK_CLOSE_TOL(what, expected, got, rtol, atol)                               \
    do {                                                                                    \
        const auto nnkit_cmp_ = ::nnkit::grading::compare(what, expected, got, rtol, atol); \
        if (!nnkit_cmp_.ok) FAIL(nnkit_cmp_.message);                                       \
    } while (0)
#define NNKIT_CHECK_CLOSE(what, expected, got) \
    NNKIT_CHECK_CLOSE_TOL(what, expected, got, ::nnkit::grading::kRtol, ::nnkit::grading::kAtol)

namespace nnkit::grading {

// What NNKIT_CHECK_THROWS says when the call did not throw as it should. `outcome` is
// "returned" (nothing thrown), "message" (right type, other text) or "other" (another
// exception type, named by `got_type`).
std::string throws_failure(const char* call, const char* type, const std::string& text, const char* outcome,
                           const std::string& got_type, const std::string& got_what);
std::string type_name(const std::exception& e);  // demangled dynamic type

// With $NNKIT_ERROR_LOG set, appends "unit <TAB> test <TAB> type <TAB> ok <TAB> text" for each
// error message a check demands (ok: 1 if it came). grader/tools/error_catalogue.py checks
// that every one the stubs do not already raise is named in the unit's stub or lesson, so
// that no check reveals a requirement.
void note_demanded_error(const char* file, const char* type, bool ok, const std::string& text);

}  // namespace nnkit::grading

// Runs `expr`, which must throw an exception of type `Type` whose message contains
// `text`; fails with the call, the message wanted and what happened instead. Put the
// configuration (case, options, shapes) in an INFO when the call does not show it.
#define NNKIT_CHECK_THROWS(expr, Type, text)                                                                 \
    do {                                                                                                    \
        const std::string nnkit_want_ = (text);                                                             \
        std::string nnkit_err_;                                                                             \
        try {                                                                                               \
            (void)(expr);                                                                                   \
            nnkit_err_ = ::nnkit::grading::throws_failure(#expr, #Type, nnkit_want_, "returned", "", "");  \
        } catch (const Type& e) {                                                                           \
            if (std::string(e.what()).find(nnkit_want_) == std::string::npos)                               \
                nnkit_err_ = ::nnkit::grading::throws_failure(#expr, #Type, nnkit_want_, "message",         \
                                                              ::nnkit::grading::type_name(e), e.what());    \
        } catch (const std::exception& e) {                                                                 \
            nnkit_err_ = ::nnkit::grading::throws_failure(#expr, #Type, nnkit_want_, "other",               \
                                                          ::nnkit::grading::type_name(e), e.what());        \
        }                                                                                                   \
        ::nnkit::grading::note_demanded_error(__FILE__, #Type, nnkit_err_.empty(), nnkit_want_);           \
        if (!nnkit_err_.empty()) FAIL(nnkit_err_);                                                          \
    } while (0)
