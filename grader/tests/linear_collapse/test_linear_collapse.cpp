// Unit `linear_collapse`: a stack of linear layers without activations computes
// the same outputs as the single layer collapse_linear builds.
#include <algorithm>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/activation.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/nn/linear_collapse.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

// y = L_n(...L_1(x)), layer by layer (bias of shape (0,) means none).
template <typename T>
xt::xarray<T> run_stack(xt::xarray<T> x, const std::vector<xt::xarray<T>>& w, const std::vector<xt::xarray<T>>& b) {
    for (std::size_t k = 0; k < w.size(); ++k) x = linear_forward<T>(x, w[k], b[k].size() ? &b[k] : nullptr);
    return x;
}

template <typename T>
xt::xarray<T> run_collapsed(const xt::xarray<T>& x, const CollapsedLinear<T>& c) {
    return linear_forward<T>(x, c.weight, c.bias.size() ? &c.bias : nullptr);
}

}  // namespace

NNKIT_TEST("collapse_linear by hand: W2·W1 and W2·b1 + b2", 2, "output", "stacked-linear-layers") {
    // W1 = [[1, 2], [3, 4]], b1 = [1, 2]; W2 = [[1, 1]], b2 = [10]
    // W = [[1+3, 2+4]] = [[4, 6]], b = [1 + 2 + 10] = [13]
    const xt::xarray<double> w1 = {{1, 2}, {3, 4}}, b1 = {1, 2}, w2 = {{1, 1}}, b2 = {10};
    const auto c = collapse_linear<double>({w1, w2}, {b1, b2});
    const xt::xarray<double> want_w = {{4, 6}}, want_b = {13};
    NNKIT_CHECK_CLOSE("collapsed weight", want_w, c.weight);
    NNKIT_CHECK_CLOSE("collapsed bias", want_b, c.bias);
}

NNKIT_TEST("a collapsed stack gives PyTorch's outputs of the stack (3 layers, mixed and no bias)", 3, "output",
           "stacked-linear-layers") {
    for (const char* name : {"linear_collapse/three_layers", "linear_collapse/mixed_bias", "linear_collapse/no_bias"}) {
        const Fixture f(name);
        std::vector<xt::xarray<float>> w, b;
        for (long long k = 0; k < f.int_option("layers"); ++k) {
            w.push_back(f.f32("weight" + std::to_string(k)));
            b.push_back(f.has("bias" + std::to_string(k)) ? f.f32("bias" + std::to_string(k))
                                                           : xt::xarray<float>::from_shape({0}));
        }
        const auto c = collapse_linear<float>(w, b);
        NNKIT_CHECK_CLOSE(std::string("collapsed output for ") + name, f.f32("output"), run_collapsed(f.f32("input"), c));
        const bool any_bias = f.has("bias0") || f.has("bias1") || f.has("bias2");
        if (!any_bias && c.bias.size() != 0) FAIL("no layer has a bias, so the collapsed bias must have shape (0,)");
    }
}

NNKIT_TEST("collapsed and stacked layers agree on random stacks of 1 to 5 layers (double)", 2, "output",
           "stacked-linear-layers") {
    Generator gen(31);
    for (std::size_t n = 1; n <= 5; ++n) {
        std::vector<DArray> w, b;
        std::size_t in = 1 + gen.next_u64() % 6;
        const std::size_t first = in;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t out = 1 + gen.next_u64() % 6;
            w.push_back(random_array({out, in}, gen));
            b.push_back(gen.uniform() < 0.3 ? DArray::from_shape({0}) : random_array({out}, gen));
            in = out;
        }
        const DArray x = random_array({4, first}, gen);
        INFO(n << " layers");
        NNKIT_CHECK_CLOSE_TOL("collapsed vs stacked", run_stack(x, w, b), run_collapsed(x, collapse_linear<double>(w, b)),
                              1e-12, 1e-12);
    }
}

NNKIT_TEST("a ReLU between the layers breaks the collapse: depth needs activations", 1, "property",
           "stacked-linear-layers") {
    const auto column = [](std::initializer_list<double> v) {  // an (n, 1) array
        xt::xarray<double> a = xt::xarray<double>::from_shape({v.size(), 1});
        std::copy(v.begin(), v.end(), a.begin());
        return a;
    };
    const xt::xarray<double> w1 = column({1, -1}), b1 = {0, 0}, w2 = {{1, 1}}, b2 = {0};
    const auto c = collapse_linear<double>({w1, w2}, {b1, b2});  // W = [[0]]: x - x
    const xt::xarray<double> x = column({-2, 3});
    // With a ReLU: relu(x) + relu(-x) = |x|, which no single linear layer computes.
    const auto with_relu = linear_forward<double>(relu_forward<double>(linear_forward<double>(x, w1, &b1)), w2, &b2);
    const xt::xarray<double> abs_x = column({2, 3});
    NNKIT_CHECK_CLOSE("stack with ReLU = |x|", abs_x, with_relu);
    const xt::xarray<double> zero = column({0, 0});
    NNKIT_CHECK_CLOSE("collapsed stack without ReLU = 0", zero, run_collapsed(x, c));
}

NNKIT_TEST("nn::collapse_linear turns nn::Linear layers into one nn::Linear with the same outputs", 1, "output",
           "stacked-linear-layers") {
    manual_seed(3);
    auto l1 = std::make_shared<nn::Linear>(4, 6), l2 = std::make_shared<nn::Linear>(6, 5, false),
         l3 = std::make_shared<nn::Linear>(5, 2);
    auto one = nn::collapse_linear({l1, l2, l3});
    CHECK(one->repr() == "Linear(in_features=4, out_features=2, bias=True)");
    const Tensor x = randn({3, 4});
    NNKIT_CHECK_CLOSE("collapsed module", (*l3)((*l2)((*l1)(x))).data(), (*one)(x).data());
}

NNKIT_TEST("collapse_linear rejects layers whose sizes do not chain", 1, "error", "stacked-linear-layers") {
    const xt::xarray<float> w1 = xt::zeros<float>({3, 2}), w2 = xt::zeros<float>({2, 4}), none = xt::zeros<float>({0});
    NNKIT_CHECK_THROWS(collapse_linear<float>({w1, w2}, {none, none}), ShapeError,
                       "layer 1 takes 4 features but layer 0 gives 3");
    NNKIT_CHECK_THROWS(collapse_linear<float>({}, {}), ValueError, "at least one layer");
}

NNKIT_TEST("collapse_linear checks every layer's weight and bias, the first one too", 1, "error",
           "stacked-linear-layers") {
    const xt::xarray<float> w1 = xt::zeros<float>({3, 2}), w2 = xt::zeros<float>({4, 3}), none = xt::zeros<float>({0});
    const xt::xarray<float> flat = xt::zeros<float>({6}), bias2 = xt::zeros<float>({2}), bias3 = xt::zeros<float>({3});
    NNKIT_CHECK_THROWS(collapse_linear<float>({flat, w2}, {none, none}), ShapeError,
                       "collapse_linear: weight 0 must be 2-D (out_features, in_features)");
    NNKIT_CHECK_THROWS(collapse_linear<float>({w1, w2}, {bias2, none}), ShapeError,
                       "collapse_linear: bias 0 must have shape (3,) or (0,)");
    NNKIT_CHECK_THROWS(collapse_linear<float>({w1, w2}, {bias3, bias3}), ShapeError,
                       "collapse_linear: bias 1 must have shape (4,) or (0,)");
    NNKIT_CHECK_THROWS(collapse_linear<float>({w1}, {bias2}), ShapeError,
                       "collapse_linear: bias 0 must have shape (3,) or (0,)");
    const xt::xarray<float> row3 = xt::zeros<float>({1, 3});  // 3 elements, but 2-D
    NNKIT_CHECK_THROWS(collapse_linear<float>({w1, w2}, {row3, none}), ShapeError,
                       "collapse_linear: bias 0 must have shape (3,) or (0,)");
}
