// Unit `conv_by_hand` (homework 2(a)): the student's typed-in output maps, checked cell by cell
// against the reference convolution. Every wrong cell is explained with the sum it should be,
// generated from the window's geometry (how many taps land on real cells of each channel).
#include <algorithm>
#include <cmath>
#include <sstream>

#include <xtensor/xview.hpp>

#include "check.hpp"
#include "nnkit/homework/conv_by_hand.hpp"
#include "nnkit/kernels/conv.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

constexpr std::size_t kSize = 5, kKernel = 3;

// x:(3, 5, 5), channels all 1, all 2, all 3.
xt::xarray<double> homework_input() {
    xt::xarray<double> x = xt::zeros<double>({std::size_t(3), kSize, kSize});
    for (std::size_t c = 0; c < 3; ++c) xt::view(x, c) = double(c + 1);
    return x;
}

// w:(2, 3, 3, 3), kernel 0 all ones, kernel 1 all twos.
xt::xarray<double> homework_weight() {
    xt::xarray<double> w = xt::ones<double>({std::size_t(2), std::size_t(3), kKernel, kKernel});
    xt::view(w, 1) = 2.0;
    return w;
}

// The answer, from the reference convolution: y:(2, H_out, W_out).
xt::xarray<double> expected(int padding) {
    ConvParams p;
    p.padding = {padding};
    return conv_forward<double>(homework_input(), homework_weight(), nullptr, p);
}

std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// The rows (or columns) of the input that the window starting at output index `out` reads.
struct Span {
    std::int64_t first = 0, last = -1;
    std::int64_t count() const { return last - first + 1; }
};
Span span_of(std::size_t out, int padding) {
    Span s;
    s.first = std::max<std::int64_t>(0, std::int64_t(out) - padding);
    s.last = std::min<std::int64_t>(std::int64_t(kSize) - 1, std::int64_t(out) - padding + std::int64_t(kKernel) - 1);
    return s;
}

// Cell (o, i, j) worked out: the text "the window covers 4 of 9 positions ...: 2·(4·1 + 4·2 + 4·3) = 48"
// and the value of that sum. Channels and kernels are constant, so each channel contributes
// (taps on real cells) · x_c, and the kernel's value multiplies the whole.
struct Worked {
    std::string text;
    double value = 0;
};
Worked worked_sum(const xt::xarray<double>& x, const xt::xarray<double>& w, int padding, std::size_t o,
                  std::size_t i, std::size_t j) {
    const Span rows = span_of(i, padding), cols = span_of(j, padding);
    const std::int64_t taps = rows.count() * cols.count(), all = kKernel * kKernel;
    const double k = w(o, 0, 0, 0);
    Worked r;
    std::string terms;
    double inner = 0;
    for (std::size_t c = 0; c < x.shape(0); ++c) {
        const double xc = x(c, std::size_t(rows.first), std::size_t(cols.first));
        terms += (c ? " + " : "") + std::to_string(taps) + "·" + number(xc);
        inner += double(taps) * xc;
    }
    r.value = k * inner;
    r.text = taps == all ? "the window covers all 9 positions in each channel"
                         : "the window covers " + std::to_string(taps) + " of 9 positions in each channel";
    r.text += " (input rows " + std::to_string(rows.first) + "-" + std::to_string(rows.last) + ", columns " +
              std::to_string(cols.first) + "-" + std::to_string(cols.last) +
              (taps == all ? "" : "; the other taps read the zero padding") + "): " + number(k) + "·(" + terms +
              ") = " + number(r.value);
    return r;
}

std::string shape_rule(int padding, const Shape& want) {
    const std::int64_t out = conv_output_size(kSize, kKernel, 1, padding, 1);
    return "with padding " + std::to_string(padding) + " the output is (C_out, H_out, W_out) = " + to_string(want) +
           ": one map per kernel, and H_out = W_out = floor((5 + 2·" + std::to_string(padding) + " - 3) / 1) + 1 = " +
           std::to_string(out);
}

void check_shape(int padding) {
    const auto want = expected(padding);
    const auto got = homework_conv_by_hand(padding);
    if (shape_of(got) != shape_of(want))
        FAIL("homework_conv_by_hand(" << padding << ") returned shape " << to_string(shape_of(got)) << "; "
                                      << shape_rule(padding, shape_of(want)));
}

// Every cell of output map `o` (kernel o) for `padding`; lists each wrong cell with its worked sum.
void check_map(int padding, std::size_t o) {
    const auto x = homework_input(), w = homework_weight();
    const auto want = expected(padding);
    const auto got = homework_conv_by_hand(padding);
    const std::size_t n = want.shape(1);
    if (got.dimension() != 3 || got.shape(0) <= o || got.shape(1) != n || got.shape(2) != n)
        FAIL("homework_conv_by_hand(" << padding << ") returned shape " << to_string(shape_of(got))
                                      << ", so map " << o << " cannot be checked; " << shape_rule(padding, shape_of(want)));
    std::vector<std::string> wrong;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            const Worked ws = worked_sum(x, w, padding, o, i, j);
            // The explanation must be the reference's value, or it would teach a wrong sum.
            if (ws.value != want(o, i, j))
                FAIL("grader error: the worked sum for out[" << o << "][" << i << "][" << j << "] gives " << ws.value
                                                             << " but the reference convolution " << want(o, i, j));
            const double g = got(o, i, j);
            if (!(std::abs(g - want(o, i, j)) <= 1e-9))
                wrong.push_back("out[" + std::to_string(o) + "][" + std::to_string(i) + "][" + std::to_string(j) +
                                "] with padding " + std::to_string(padding) + ": expected " + number(want(o, i, j)) +
                                ", you have " + number(g) + "; " + ws.text);
        }
    if (wrong.empty()) return;
    std::string msg = std::to_string(wrong.size()) + " of " + std::to_string(n * n) + " cells of map " +
                      std::to_string(o) + " (the all-" + (o == 0 ? "ones" : "twos") + " kernel) are wrong:";
    const std::size_t shown = std::min<std::size_t>(wrong.size(), 6);
    for (std::size_t k = 0; k < shown; ++k) msg += "\n  " + wrong[k];
    if (wrong.size() > shown) msg += "\n  ... and " + std::to_string(wrong.size() - shown) + " more";
    FAIL(msg);
}

}  // namespace

NNKIT_TEST("homework 2(a), padding 0: the output has the shape (C_out, H_out, W_out) of the convolution", 1, "output",
           "homework") {
    check_shape(0);
}

NNKIT_TEST("homework 2(a), padding 0: every cell of the all-ones kernel's map", 1, "output", "homework") {
    check_map(0, 0);
}

NNKIT_TEST("homework 2(a), padding 0: every cell of the all-twos kernel's map", 1, "output", "homework") {
    check_map(0, 1);
}

NNKIT_TEST("homework 2(a), padding 1: the output has the shape (C_out, H_out, W_out) of the convolution", 1, "output",
           "homework") {
    check_shape(1);
}

NNKIT_TEST("homework 2(a), padding 1: every cell of the all-ones kernel's map (corners, edges, inside)", 2, "output",
           "homework") {
    check_map(1, 0);
}

NNKIT_TEST("homework 2(a), padding 1: every cell of the all-twos kernel's map (corners, edges, inside)", 2, "output",
           "homework") {
    check_map(1, 1);
}
