// Unit `unpooling`, hand-checkable cases: values go back to the positions their indices name.
#include "check.hpp"
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
