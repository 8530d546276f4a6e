// Unit `pooling`: adaptive max pooling (adaptive_max_pool_forward / _backward, then F:: and the
// modules) and None entries in adaptive output sizes, against PyTorch 1.13 (fixtures
// adaptive_max_pool/*, adaptive_none/*, pool_error/adaptive_max_*; datasets/cases/pooling.py).
#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/autograd.hpp"
#include "nnkit/kernels/pooling.hpp"
#include "nnkit/nn/functional.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

void check_adaptive_max(const std::string& name) {
    const Fixture f(name);
    INFO(f.configuration());
    const auto x = f.f32("input");
    const Shape size = f.json_shape("output_size");
    const auto r = adaptive_max_pool_forward<float>(x, size);
    NNKIT_CHECK_CLOSE("adaptive_max_pool_forward output for " + name, f.f32("output"), r.output);
    NNKIT_CHECK_CLOSE_TOL("adaptive_max_pool_forward indices for " + name, f.i64("indices"), r.indices, 0, 0);
    // The backward from PyTorch's indices, so that a wrong forward costs only the forward's points.
    NNKIT_CHECK_CLOSE("adaptive_max_pool_backward for " + name, f.f32("grad_input"),
                      adaptive_max_pool_backward<float>(f.f32("grad_output"), f.i64("indices"), shape_of(x), size));
}

}  // namespace

NNKIT_TEST("adaptive_max_pool by hand: NaN wins (the last of several), ties keep the first", 1, "output",
           "adaptive-max-pooling") {
    for (const char* c : {"adaptive_max_pool/2d_hand_nan_3_to_2", "adaptive_max_pool/2d_two_nans_to_1",
                          "adaptive_max_pool/2d_ties_to_1"})
        check_adaptive_max(c);
}

NNKIT_TEST("adaptive_max_pool down to 6x6, up-sampling (windows overlap, gradients add), unbatched, 1-D and 3-D", 2,
           "output", "adaptive-max-pooling") {
    for (const char* c : {"adaptive_max_pool/2d_down_13_to_6", "adaptive_max_pool/2d_up_3x4_to_5x7",
                          "adaptive_max_pool/2d_unbatched", "adaptive_max_pool/1d_7_to_3",
                          "adaptive_max_pool/1d_unbatched_up_4_to_9", "adaptive_max_pool/3d_batched",
                          "adaptive_max_pool/3d_unbatched_up"})
        check_adaptive_max(c);
}

NNKIT_TEST("adaptive_max_pool on an empty batch and on a real batch (16 x 8 x 13 x 13 to 6 x 6)", 1, "output",
           "adaptive-max-pooling") {
    for (const char* c : {"adaptive_max_pool/2d_batch0", "adaptive_max_pool/2d_batch16_alexnet"})
        check_adaptive_max(c);
}

NNKIT_TEST("adaptive_max_pool_backward agrees with central differences (double)", 1, "gradient",
           "adaptive-max-pooling") {
    Generator gen(19);
    for (const Shape& size : {Shape{2, 3}, Shape{4, 7}}) {  // down and up (overlapping windows)
        INFO("x:(2, 2, 3, 5) -> output_size " << to_string(size));
        const DArray x = random_array({2, 2, 3, 5}, gen);  // distinct values: no ties to move the maximum
        gradcheck(
            "adaptive_max_pool_backward",
            [size](const std::vector<DArray>& a) { return adaptive_max_pool_forward<double>(a[0], size).output; },
            [size](const std::vector<DArray>& a, const DArray& gy) {
                const auto r = adaptive_max_pool_forward<double>(a[0], size);
                return std::vector<DArray>{adaptive_max_pool_backward<double>(gy, r.indices, shape_of(a[0]), size)};
            },
            {x}, {"input"}, gen);
    }
}

NNKIT_TEST("adaptive_max_pool's errors are PyTorch's: ranks and empty dimensions, 1-D to 3-D", 1, "error",
           "adaptive-max-pooling") {
    for (const char* name : {"pool_error/adaptive_max_1d_rank1", "pool_error/adaptive_max_2d_rank2",
                             "pool_error/adaptive_max_3d_rank3", "pool_error/adaptive_max_2d_empty_height",
                             "pool_error/adaptive_max_3d_empty_channels", "pool_error/adaptive_max_1d_empty_length"}) {
        const Fixture f(name);
        INFO(f.configuration());
        const xt::xarray<float> x = xt::zeros<float>(f.json_shape("input_shape"));
        NNKIT_CHECK_THROWS(adaptive_max_pool_forward<float>(x, f.json_shape("output_size")), std::invalid_argument,
                           f.string_option("error"));
    }
}

NNKIT_TEST("F::adaptive_max_pool and the modules: PyTorch's nodes, reprs, None sizes, gradients through autograd", 1,
           "output", "adaptive-max-pooling") {
    const Fixture f("adaptive_max_pool/names_and_reprs");
    const auto node = [](const Tensor& y) { return y.grad_fn() ? y.grad_fn()->name : std::string("(no node)"); };
    CHECK(node(F::adaptive_max_pool1d(ones({2, 3, 4}, true), 2)) == f.string_option("node 1d"));
    CHECK(node(F::adaptive_max_pool2d(ones({2, 3, 4}, true), 2)) == f.string_option("node 2d"));
    CHECK(node(F::adaptive_max_pool3d(ones({1, 2, 3, 4}, true), 2)) == f.string_option("node 3d"));
    CHECK(nn::AdaptiveMaxPool1d(3).repr() == f.string_option("repr 1d"));
    CHECK(nn::AdaptiveMaxPool2d(nn::AdaptiveMaxPool2dOptions({3, nn::None})).repr() == f.string_option("repr 2d none"));
    CHECK(nn::AdaptiveMaxPool3d(2).repr() == f.string_option("repr 3d"));
    CHECK(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({nn::None, 7})).repr() == f.string_option("repr avg 2d none"));
    CHECK(nn::AdaptiveAvgPool3d(nn::AdaptiveAvgPool3dOptions({nn::None, 2, nn::None})).repr() ==
          f.string_option("repr avg 3d none"));
    // Python's ValueError from F's _list_with_default, before ATen sees the input
    NNKIT_CHECK_THROWS(F::adaptive_max_pool2d(zeros({7, 5}), {3, 3}), ValueError,
                       f.string_option("tuple rank error max 2d"));
    NNKIT_CHECK_THROWS(F::adaptive_avg_pool3d(zeros({7, 5, 3}), {nn::None, 2, 2}), ValueError,
                       f.string_option("tuple rank error avg 3d"));

    // A 1-D pooling through autograd (PyTorch's unsqueeze, 2-D pool, squeeze), with indices.
    const Fixture one("adaptive_max_pool/1d_unbatched_up_4_to_9");
    Tensor x(one.f32("input"), true);
    nn::AdaptiveMaxPool1d pool(9);
    const auto r = pool.forward_with_indices(x);
    r.output.backward(Tensor(one.f32("grad_output")));
    NNKIT_CHECK_CLOSE("AdaptiveMaxPool1d(9) output", one.f32("output"), r.output.data());
    NNKIT_CHECK_CLOSE_TOL("AdaptiveMaxPool1d(9) indices", one.i64("indices"), r.indices, 0, 0);
    NNKIT_CHECK_CLOSE("AdaptiveMaxPool1d(9) input gradient", one.f32("grad_input"), x.grad().data());

    // None keeps the input's size in that dimension.
    const auto through = [](const std::string& name, const std::function<Tensor(const Tensor&)>& op) {
        const Fixture c(name);
        INFO(name);
        Tensor in(c.f32("input"), true);
        Tensor y = op(in);
        y.backward(Tensor(c.f32("grad_output")));
        NNKIT_CHECK_CLOSE(name + " output", c.f32("output"), y.data());
        NNKIT_CHECK_CLOSE(name + " input gradient", c.f32("grad_input"), in.grad().data());
    };
    through("adaptive_none/avg2d_none_7", [](const Tensor& t) { return F::adaptive_avg_pool2d(t, {nn::None, 7}); });
    through("adaptive_none/avg3d_none_2_none", [](const Tensor& t) {
        return nn::AdaptiveAvgPool3d(nn::AdaptiveAvgPool3dOptions({nn::None, 2, nn::None}))(t);
    });
    through("adaptive_none/max2d_3_none",
            [](const Tensor& t) { return nn::AdaptiveMaxPool2d(nn::AdaptiveMaxPool2dOptions({3, nn::None}))(t); });
}
