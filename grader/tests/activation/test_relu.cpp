// Unit `activation`: ReLU forward and backward against PyTorch 1.13.
#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/nn/activation.hpp"

using namespace nnkit;
using namespace nnkit::grading;

NNKIT_TEST("relu_forward by hand: negatives become 0, the rest pass", 1, "output", "relu") {
    const Fixture f("relu/hand");
    NNKIT_CHECK_CLOSE("relu_forward on [[-2, -0.5, 0], [0.5, 1, 3]]", f.f32("output"), relu_forward<float>(f.f32("input")));
}

NNKIT_TEST("relu_forward matches PyTorch on a random (2, 3, 4, 5) input", 1, "output", "relu") {
    const Fixture f("relu/random_4d");
    NNKIT_CHECK_CLOSE("relu_forward", f.f32("output"), relu_forward<float>(f.f32("input")));
}

NNKIT_TEST("relu_forward lets NaN through, as PyTorch does", 1, "output", "relu") {
    const Fixture f("relu/nan");
    NNKIT_CHECK_CLOSE("relu_forward on [nan, -1, 2]", f.f32("output"), relu_forward<float>(f.f32("input")));
}

NNKIT_TEST("relu_backward by hand: the gradient at 0 is 0", 1, "gradient", "relu") {
    const Fixture f("relu/hand");
    NNKIT_CHECK_CLOSE("relu_backward", f.f32("grad_input"),
                      relu_backward<float>(f.f32("grad_output"), f.f32("output")));
}

NNKIT_TEST("relu_backward matches PyTorch on a random (2, 3, 4, 5) input", 1, "gradient", "relu") {
    const Fixture f("relu/random_4d");
    NNKIT_CHECK_CLOSE("relu_backward", f.f32("grad_input"),
                      relu_backward<float>(f.f32("grad_output"), f.f32("output")));
}

NNKIT_TEST("relu_backward passes the gradient where the output is NaN, as PyTorch does", 1, "gradient", "relu") {
    const Fixture f("relu/nan");
    const xt::xarray<float> ones = xt::ones<float>({3});
    NNKIT_CHECK_CLOSE("relu_backward at [nan, -1, 2]", f.f32("grad_input"), relu_backward<float>(ones, f.f32("output")));
}

NNKIT_TEST("relu forward and backward on inputs large enough to be split over threads (65,537 and 200,003 elements)",
           1, "output", "relu") {
    for (const std::size_t n : {std::size_t(65537), std::size_t(200003)}) {
        // Odd sizes, so that no split over threads divides them evenly; exact zeros included.
        xt::xarray<float> x = xt::xarray<float>::from_shape({n}), g = x, y = x, gx = x;
        for (std::size_t i = 0; i < n; ++i) {
            x.data()[i] = float(int((i * 7919) % 2001) - 1000) / 64.0f;
            g.data()[i] = float(i % 13) + 0.5f;
            y.data()[i] = x.data()[i] > 0 ? x.data()[i] : 0.0f;
            gx.data()[i] = y.data()[i] > 0 ? g.data()[i] : 0.0f;
        }
        INFO(n << " elements: y = max(x, 0), grad = g where y > 0");
        NNKIT_CHECK_CLOSE_TOL("relu_forward", y, relu_forward<float>(x), 0, 0);
        NNKIT_CHECK_CLOSE_TOL("relu_backward", gx, relu_backward<float>(g, y), 0, 0);
    }
}

NNKIT_TEST("relu_backward agrees with central differences away from 0 (double)", 1, "gradient", "relu") {
    Generator gen(11);
    DArray x = random_array({3, 4, 2}, gen);
    for (auto& v : x) v += v < 0 ? -0.1 : 0.1;  // stay clear of the kink at 0
    gradcheck(
        "relu_backward", [](const std::vector<DArray>& a) { return relu_forward<double>(a[0]); },
        [](const std::vector<DArray>& a, const DArray& gy) {
            return std::vector<DArray>{relu_backward<double>(gy, relu_forward<double>(a[0]))};
        },
        {x}, {"input"}, gen);
}

NNKIT_TEST("nn::ReLU(inplace=true) overwrites its input and still runs backward", 1, "gradient", "relu") {
    const Fixture f("relu/random_4d");
    Tensor leaf(f.f32("input"), true);
    Tensor h = mul(leaf, ones(leaf.shape()));  // a non-leaf, as in a real network
    nn::ReLU relu(true);
    Tensor y = relu(h);
    CHECK(y.is_same(h));
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("in-place output", f.f32("output"), h.data());
    NNKIT_CHECK_CLOSE("leaf.grad", f.f32("grad_input"), leaf.grad().data());
}
