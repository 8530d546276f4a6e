// Unit `pooling` through the modules: PyTorch's reprs, options in LibTorch's
// builder style, and forward/backward through autograd.
#include "check.hpp"
#include "fixtures.hpp"
#include "nnkit/nn/pooling.hpp"

using namespace nnkit;
using namespace nnkit::grading;

// Printing is infrastructure: it is checked together with a forward pass, so that the unit's stubs score 0.
NNKIT_TEST("pooling modules print as PyTorch does, and nn::MaxPool2d(2) pools", 1, "output", "pooling-modules") {
    const xt::xarray<float> x = {{{{1, 2}, {4, 3}}}};
    const xt::xarray<float> pooled = nn::MaxPool2d(2)(Tensor(x)).data();
    CHECK(shape_of(pooled) == Shape{1, 1, 1, 1});
    CHECK(pooled(0, 0, 0, 0) == 4.0f);
    const Fixture f("pooling/module_repr");
    const auto want = [&](const std::string& key) { return f.string_option(key); };
    CHECK(nn::MaxPool2d(3, 2).repr() == want("MaxPool2d(3, 2)"));
    CHECK(nn::MaxPool2d(nn::MaxPool2dOptions(2)).repr() == want("MaxPool2d(2)"));
    CHECK(nn::MaxPool1d(nn::MaxPool1dOptions(3).stride(2).padding(1).dilation(2).ceil_mode(true)).repr() ==
          want("MaxPool1d(3, 2, 1, 2, ceil)"));
    CHECK(nn::MaxPool3d(nn::MaxPool3dOptions({1, 2, 3})).repr() == want("MaxPool3d((1, 2, 3))"));
    CHECK(nn::AvgPool2d(2).repr() == want("AvgPool2d(2)"));
    CHECK(nn::AvgPool2d(nn::AvgPool2dOptions(3).stride(2).padding(1).ceil_mode(true).count_include_pad(false)
                            .divisor_override(5)).repr() == want("AvgPool2d(3, 2, 1, ceil, exclude, 5)"));
    CHECK(nn::AvgPool1d(3).repr() == want("AvgPool1d(3)"));
    CHECK(nn::AvgPool3d(nn::AvgPool3dOptions({3, 2, 2}).stride(1)).repr() == want("AvgPool3d((3, 2, 2), 1)"));
    CHECK(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({6, 6})).repr() == want("AdaptiveAvgPool2d((6, 6))"));
    CHECK(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(6)).repr() == want("AdaptiveAvgPool2d(6)"));
}

NNKIT_TEST("nn::MaxPool2d runs forward and backward through autograd, and returns indices on request", 1,
           "gradient", "pooling-modules") {
    const Fixture f("max_pool/2d_k3_s2");
    nn::MaxPool2d pool(nn::MaxPool2dOptions(3).stride(2));
    Tensor x(f.f32("input"), true);
    Tensor y = pool(x);
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("MaxPool2d output", f.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
    const auto r = pool.forward_with_indices(x);
    NNKIT_CHECK_CLOSE_TOL("indices", f.i64("indices"), r.indices, 0, 0);
}

NNKIT_TEST("nn::AvgPool2d and nn::AdaptiveAvgPool2d run forward and backward through autograd", 1, "gradient",
           "pooling-modules") {
    {
        const Fixture f("avg_pool/2d_pad_exclude");
        nn::AvgPool2d pool(nn::AvgPool2dOptions(3).stride(2).padding(1).count_include_pad(false));
        Tensor x(f.f32("input"), true);
        Tensor y = pool(x);
        y.backward(Tensor(f.f32("grad_output")));
        NNKIT_CHECK_CLOSE("AvgPool2d output", f.f32("output"), y.data());
        NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
    }
    {
        const Fixture f("adaptive_avg_pool/down_13_to_6");
        nn::AdaptiveAvgPool2d pool(nn::AdaptiveAvgPool2dOptions({6, 6}));
        Tensor x(f.f32("input"), true);
        Tensor y = pool(x);
        y.backward(Tensor(f.f32("grad_output")));
        NNKIT_CHECK_CLOSE("AdaptiveAvgPool2d output", f.f32("output"), y.data());
        NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
    }
}
