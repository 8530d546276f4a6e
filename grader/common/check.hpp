// Comparisons that explain themselves: on failure they name the check, the
// expected and actual shapes, how many elements differ, and the worst one.
#pragma once

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

// Runs `expr`, which must throw an exception of type `Type` whose message
// contains `text`; fails with what happened instead.
#define NNKIT_CHECK_THROWS(expr, Type, text)                                                          \
    do {                                                                                             \
        std::string nnkit_err_;                                                                      \
        try {                                                                                        \
            (void)(expr);                                                                            \
            nnkit_err_ = "expected " #Type " containing \"" + std::string(text) + "\", but nothing was thrown"; \
        } catch (const Type& e) {                                                                    \
            if (std::string(e.what()).find(text) == std::string::npos)                               \
                nnkit_err_ = "expected the message to contain \"" + std::string(text) + "\"\n  got: \"" + \
                             e.what() + "\"";                                                        \
        } catch (const std::exception& e) {                                                          \
            nnkit_err_ = "expected " #Type " containing \"" + std::string(text) + "\"\n  got another exception: \"" + \
                         e.what() + "\"";                                                            \
        }                                                                                            \
        if (!nnkit_err_.empty()) FAIL(nnkit_err_);                                                   \
    } while (0)
