// Unit `pooling`, hand-checkable cases from the lesson (PYTORCH_SEMANTICS.md, "Pooling").
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {
PoolParams max_params(std::vector<std::size_t> k, std::vector<std::size_t> s, std::vector<std::size_t> p,
                      bool ceil_mode = false) {
    return {k, s, p, std::vector<std::size_t>(k.size(), 1), ceil_mode};
}
AvgPoolParams avg_params(std::vector<std::size_t> k, std::vector<std::size_t> s, std::vector<std::size_t> p,
                         bool count_include_pad = true) {
    AvgPoolParams a;
    a.kernel_size = k;
    a.stride = s;
    a.padding = p;
    a.count_include_pad = count_include_pad;
    return a;
}
xt::xarray<double> one_to_sixteen() {
    xt::xarray<double> x = xt::xarray<double>::from_shape({1, 1, 4, 4});
    for (std::size_t i = 0; i < 16; ++i) x.data()[i] = double(i + 1);
    return x;
}
}  // namespace

NNKIT_TEST("pooling_output_size itself rejects stride 0 and padding above kernel/2, with PyTorch's messages", 1,
           "error", "output-size") {
    NNKIT_CHECK_THROWS(pooling_output_size(5, 3, 0, 0, 1, false), ValueError,
                       Fixture("pool_error/max2d_stride_zero").string_option("error"));
    NNKIT_CHECK_THROWS(pooling_output_size(5, 3, 2, 1, 1, false), ValueError,
                       Fixture("pool_error/max2d_pad_too_big").string_option("error"));
}

NNKIT_TEST("pooling_output_size: floor((in + 2p - d(k-1) - 1) / s) + 1", 1, "output", "output-size") {
    CHECK(pooling_output_size(5, 2, 0, 2, 1, false) == 2);   // windows at 0, 2; 4 has no partner
    CHECK(pooling_output_size(224, 3, 0, 2, 1, false) == 111);
    CHECK(pooling_output_size(5, 3, 1, 1, 1, false) == 5);   // "same" size with padding 1
    CHECK(pooling_output_size(7, 3, 0, 1, 2, false) == 3);   // dilation 2 spans 5
}

NNKIT_TEST("pooling_output_size with ceil_mode keeps a partial last window", 1, "output", "output-size") {
    CHECK(pooling_output_size(5, 2, 0, 2, 1, true) == 3);  // 5x5 k2 s2 ceil -> 3x3
}

NNKIT_TEST("pooling_output_size with ceil_mode drops a window that starts in the right padding", 1, "output",
           "output-size") {
    // 5x5 k3 s3 p1 ceil: ceil((5+2-3)/3)+1 = 3, but window 2 would start at 2·3-1 = 5 >= 5 (in the padding).
    CHECK(pooling_output_size(5, 3, 1, 3, 1, true) == 2);
}

NNKIT_TEST("max_pool_forward by hand: 4x4 of 1..16, k2 s2 -> [[6, 8], [14, 16]], indices [[5, 7], [13, 15]]", 2,
           "output", "max-pooling") {
    const auto r = max_pool_forward<double>(one_to_sixteen(), max_params({2, 2}, {2, 2}, {0, 0}));
    NNKIT_CHECK_CLOSE("output", xt::xarray<double>({{{{6, 8}, {14, 16}}}}), r.output);
    NNKIT_CHECK_CLOSE("indices", xt::xarray<double>({{{{5, 7}, {13, 15}}}}), r.indices);
}

NNKIT_TEST("avg_pool_forward by hand: ones 4x4, k3 s1 p1 -> corner 4/9 with padding counted", 1, "output",
           "average-pooling") {
    const xt::xarray<double> ones = xt::ones<double>({1, 1, 4, 4});
    const auto y = avg_pool_forward<double>(ones, avg_params({3, 3}, {1, 1}, {1, 1}));
    CHECK(y(0, 0, 0, 0) == Approx(4.0 / 9));
    CHECK(y(0, 0, 0, 1) == Approx(6.0 / 9));
    CHECK(y(0, 0, 1, 1) == Approx(1.0));
}

NNKIT_TEST("avg_pool_forward by hand: ones 4x4, k3 s1 p1, count_include_pad=False -> 1 everywhere", 1, "output",
           "average-pooling") {
    const xt::xarray<double> ones = xt::ones<double>({1, 1, 4, 4});
    NNKIT_CHECK_CLOSE("output", xt::xarray<double>(xt::ones<double>({1, 1, 4, 4})),
                      avg_pool_forward<double>(ones, avg_params({3, 3}, {1, 1}, {1, 1}, false)));
}

NNKIT_TEST("pooling rejects a kernel_size or output_size without 1, 2 or 3 entries, and a stride of another length, "
           "naming the argument",
           1, "error", "max-pooling") {
    const xt::xarray<float> x = xt::zeros<float>({1, 1, 4, 4, 4, 4});
    const std::vector<std::size_t> four{2, 2, 2, 2};
    INFO("a (1, 1, 4, 4, 4, 4) input: PyTorch has no 4-D pooling");
    NNKIT_CHECK_THROWS(max_pool_forward<float>(x, PoolParams{four, four, {0, 0, 0, 0}, {1, 1, 1, 1}, false}),
                       std::invalid_argument, "kernel_size");
    NNKIT_CHECK_THROWS(avg_pool_forward<float>(x, avg_params(four, four, {0, 0, 0, 0})), std::invalid_argument,
                       "kernel_size");
    NNKIT_CHECK_THROWS(adaptive_avg_pool_forward<float>(x, {2, 2, 2, 2}), std::invalid_argument, "output_size");
    NNKIT_CHECK_THROWS(adaptive_avg_pool_forward<float>(xt::zeros<float>({1, 1, 4}), {}), std::invalid_argument,
                       "output_size");
    const xt::xarray<float> y = xt::zeros<float>({1, 1, 4, 4});
    INFO("a (1, 1, 4, 4) input, kernel_size (2, 2), stride with one entry");
    NNKIT_CHECK_THROWS(max_pool_forward<float>(y, PoolParams{{2, 2}, {2}, {0, 0}, {1, 1}, false}),
                       std::invalid_argument, "stride");
    NNKIT_CHECK_THROWS(avg_pool_forward<float>(y, avg_params({2, 2}, {2}, {0, 0})), std::invalid_argument, "stride");
}
