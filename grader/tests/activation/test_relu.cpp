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
