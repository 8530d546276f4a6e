// Unit `unpooling`, hand-checkable cases: values go back to the positions their indices name.
#include "check.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

NNKIT_TEST("unpool_output_size: default (in-1)·s + k - 2p", 1, "output", "max-unpooling") {
    CHECK(unpool_output_size({1, 1, 2, 2}, {2, 2}, {2, 2}, {0, 0}, std::nullopt) == Shape{4, 4});
    CHECK(unpool_output_size({1, 3}, {3}, {2}, {1}, std::nullopt) == Shape{5});
    CHECK(unpool_output_size({1, 1, 2, 2}, {2, 2}, {2, 2}, {0, 0}, Shape{1, 1, 5, 5}) == Shape{5, 5});
}

NNKIT_TEST("max_unpool_forward by hand: [[6, 8], [14, 16]] at [[5, 7], [13, 15]] back into a 4x4 of zeros", 2,
           "output", "max-unpooling") {
    const xt::xarray<double> x = {{{{6, 8}, {14, 16}}}};
    const IndexArray idx = {{{{5, 7}, {13, 15}}}};
    xt::xarray<double> want = xt::zeros<double>({1, 1, 4, 4});
    want(0, 0, 1, 1) = 6;
    want(0, 0, 1, 3) = 8;
    want(0, 0, 3, 1) = 14;
    want(0, 0, 3, 3) = 16;
    NNKIT_CHECK_CLOSE("max_unpool_forward", want, max_unpool_forward<double>(x, idx, {4, 4}));
}

NNKIT_TEST("unpool_output_size refuses a negative default size and accepts a default of 0", 1, "error",
           "max-unpooling") {
    // (1 - 1)·1 + 1 - 2·1 = -1 in height. PyTorch's own F.max_unpool2d fails later, allocating the output
    // ("numel: integer multiplication overflow"); nnkit names the size, in at::empty's words.
    INFO("input (1, 1, 1, 3), kernel_size 1, stride 1, padding (1, 0)");
    NNKIT_CHECK_THROWS(unpool_output_size({1, 1, 1, 3}, {1, 1}, {1, 1}, {1, 0}, std::nullopt), ValueError,
                       "Trying to create tensor with negative dimension -1");
    INFO("1-D input (1, 1, 1), kernel_size 1, stride 1, padding 1");
    NNKIT_CHECK_THROWS(unpool_output_size({1, 1, 1}, {1}, {1}, {1}, std::nullopt), ValueError,
                       "Trying to create tensor with negative dimension -1");
    // (2 - 1)·1 + 1 - 2 = 0: an empty output, as PyTorch returns (1, 1, 0, 3).
    CHECK(unpool_output_size({1, 1, 2, 3}, {1, 1}, {1, 1}, {1, 0}, std::nullopt) == Shape{0, 3});
}
