// Unit `conv_matrix`: the convolution as a matrix K, checked against the
// convolution (K·vec(I)) and the transposed convolution (Kᵀ·vec(O)).
#include "check.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/conv.hpp"

#include <xtensor/xview.hpp>

using namespace nnkit;
using namespace nnkit::grading;

namespace {

DArray matvec(const DArray& K, const DArray& v) {
    DArray y = xt::zeros<double>({K.shape(0)});
    for (std::size_t r = 0; r < K.shape(0); ++r)
        for (std::size_t c = 0; c < K.shape(1); ++c) y(r) += K(r, c) * v(c);
    return y;
}

DArray transpose(const DArray& K) {
    DArray t = xt::zeros<double>({K.shape(1), K.shape(0)});
    for (std::size_t r = 0; r < K.shape(0); ++r)
        for (std::size_t c = 0; c < K.shape(1); ++c) t(c, r) = K(r, c);
    return t;
}

// K·vec(I) = vec(conv(I)) and Kᵀ·vec(O) = vec(convT(O)) for one configuration.
void check_against_kernels(std::size_t H, std::size_t W, std::size_t kh, std::size_t kw, const ConvParams& p,
                           Generator& gen) {
    const DArray w = random_array({kh, kw}, gen), I = random_array({H, W}, gen);
    const DArray K = conv2d_matrix<double>(w, H, W, p);
    const DArray w4 = xt::reshape_view(w, {std::size_t(1), std::size_t(1), kh, kw});
    const DArray conv = conv_forward<double>(xt::reshape_view(I, {std::size_t(1), std::size_t(1), H, W}), w4, nullptr, p);
    NNKIT_CHECK_CLOSE_TOL("K·vec(I) vs conv(I)", DArray(xt::flatten(conv)), matvec(K, xt::flatten(I)), 1e-12, 1e-12);
    const DArray O = random_array(Shape(conv.shape().begin(), conv.shape().end()), gen);
    // convT of O back onto H×W (output_padding makes up the cells the stride leaves over)
    ConvParams t = p;
    const std::int64_t s0 = p.stride.size() == 1 ? p.stride[0] : p.stride[0];
    const std::int64_t s1 = p.stride.size() == 1 ? p.stride[0] : p.stride[1];
    const std::int64_t d0 = p.dilation.size() == 1 ? p.dilation[0] : p.dilation[0];
    const std::int64_t d1 = p.dilation.size() == 1 ? p.dilation[0] : p.dilation[1];
    const std::int64_t p0 = p.padding.size() == 1 ? p.padding[0] : p.padding[0];
    const std::int64_t p1 = p.padding.size() == 1 ? p.padding[0] : p.padding[1];
    t.output_padding = {std::int64_t(H) - ((std::int64_t(conv.shape(2)) - 1) * s0 - 2 * p0 + d0 * std::int64_t(kh - 1) + 1),
                        std::int64_t(W) - ((std::int64_t(conv.shape(3)) - 1) * s1 - 2 * p1 + d1 * std::int64_t(kw - 1) + 1)};
    const DArray back = conv_transpose_forward<double>(O, w4, nullptr, t);
    NNKIT_CHECK_CLOSE_TOL("Kᵀ·vec(O) vs conv_transpose(O)", DArray(xt::flatten(back)), matvec(transpose(K), xt::flatten(O)),
                          1e-12, 1e-12);
}

}  // namespace

NNKIT_TEST("conv2d_matrix of a 3x3 kernel on a 4x4 input is 4x16 with the kernel's rows spread out", 3, "output",
           "convolution-as-a-matrix-product") {
    const DArray w = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    const DArray K = conv2d_matrix<double>(w, 4, 4, {});
    // Row 0 is window (0, 0): columns 0-2, 4-6, 8-10 hold the kernel's three rows. Row 3 is window (1, 1).
    const DArray want = {{1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0},
                         {0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0},
                         {0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0},
                         {0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9}};
    NNKIT_CHECK_CLOSE("K of a 3x3 kernel on 4x4", want, K);
}

NNKIT_TEST("K·vec(I) is the convolution and Kᵀ·vec(O) the transposed convolution (4x4, 3x3)", 2, "property",
           "convolution-as-a-matrix-product") {
    Generator gen(1);
    check_against_kernels(4, 4, 3, 3, {}, gen);
}

NNKIT_TEST("K·vec(I) and Kᵀ·vec(O) also hold with stride, padding and dilation", 2, "property",
           "convolution-as-a-matrix-product") {
    Generator gen(2);
    ConvParams a;
    a.stride = {2};
    a.padding = {1};
    check_against_kernels(5, 6, 3, 2, a, gen);
    ConvParams b;
    b.dilation = {2, 1};
    b.padding = {0, 1};
    check_against_kernels(6, 4, 2, 3, b, gen);
    ConvParams c;
    c.stride = {3, 2};
    check_against_kernels(7, 7, 3, 3, c, gen);
    // Dilation along W, stride along H, and padding 2 so that the first output row's window lies
    // wholly in the padding (that row of K is all zeros).
    ConvParams d;
    d.stride = {2, 1};
    d.padding = {2, 1};
    d.dilation = {1, 2};
    check_against_kernels(5, 6, 2, 3, d, gen);
}

NNKIT_TEST("conv2d_matrix rejects a weight that is not 2-D", 1, "error", "convolution-as-a-matrix-product") {
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(xt::zeros<double>({1, 3, 3}), 4, 4, {}), ShapeError, "weight must be 2-D");
    INFO("a 1-D weight (3,) and a 4-D weight (1, 1, 3, 3)");
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(xt::zeros<double>({3}), 4, 4, {}), ShapeError, "weight must be 2-D");
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(xt::zeros<double>({1, 1, 3, 3}), 4, 4, {}), ShapeError,
                       "weight must be 2-D");
}

NNKIT_TEST("conv2d_matrix rejects groups, options of the wrong length and a kernel larger than the input", 1, "error",
           "convolution-as-a-matrix-product") {
    const DArray w = xt::zeros<double>({3, 3});
    ConvParams groups;
    groups.groups = 2;
    // Each error names what is wrong, so a check that fires for the wrong reason fails.
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, groups), ValueError, "groups");
    ConvParams stride3;
    stride3.stride = {1, 1, 1};
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, stride3), ValueError, "stride");
    ConvParams dilation3;
    dilation3.dilation = {1, 1, 1};
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, dilation3), ValueError, "dilation");
    ConvParams padding3;
    padding3.padding = {1, 1, 1};
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, padding3), ValueError, "padding");
    ConvParams stride0;
    stride0.stride = {};
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, stride0), ValueError, "stride");
    ConvParams dilation_none;
    dilation_none.dilation = {};
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 4, 4, dilation_none), ValueError, "dilation");
    INFO("a 3x3 kernel on a 2x4 input without padding: conv_output_size's error");
    NNKIT_CHECK_THROWS(conv2d_matrix<double>(w, 2, 4, {}), ValueError, "padded input");
}
