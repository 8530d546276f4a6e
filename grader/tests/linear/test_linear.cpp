// Unit `linear`: linear_forward / linear_backward against PyTorch 1.13
// fixtures, central differences in double precision, and PyTorch's errors.
#include <cmath>

#include "check.hpp"
#include "fixtures.hpp"
#include "gradcheck.hpp"
#include "nnkit/errors.hpp"
#include "nnkit/kernels/linear.hpp"
#include "nnkit/nn/linear.hpp"

using namespace nnkit;
using namespace nnkit::grading;

namespace {

xt::xarray<float> forward_of(const Fixture& f) {
    const auto x = f.f32("input"), w = f.f32("weight");
    if (!f.has("bias")) return linear_forward<float>(x, w, nullptr);
    const auto b = f.f32("bias");
    return linear_forward<float>(x, w, &b);
}

void check_forward(const std::string& case_name) {
    const Fixture f(case_name);
    NNKIT_CHECK_CLOSE_TOL("linear_forward output for " + case_name, f.f32("output"), forward_of(f), f.rtol(),
                          f.atol());
}

void check_backward(const std::string& case_name) {
    const Fixture f(case_name);
    const bool has_bias = f.has("bias");
    const auto g = linear_backward<float>(f.f32("grad_output"), f.f32("input"), f.f32("weight"), has_bias);
    NNKIT_CHECK_CLOSE_TOL("grad input for " + case_name, f.f32("grad_input"), g.input, f.rtol(), f.atol());
    NNKIT_CHECK_CLOSE_TOL("grad weight for " + case_name, f.f32("grad_weight"), g.weight, f.rtol(), f.atol());
    if (has_bias) {
        NNKIT_CHECK_CLOSE_TOL("grad bias for " + case_name, f.f32("grad_bias"), g.bias, f.rtol(), f.atol());
    } else if (g.bias.size() != 0) {
        FAIL("grad bias for " + case_name + ": the layer has no bias, so grad bias must keep shape (0,), got " +
             to_string(shape_of(g.bias)));
    }
}

}  // namespace

// ---------------------------------------------------------------- forward

NNKIT_TEST("linear_forward matches PyTorch on a batch (4, 5) -> (4, 3)", 2, "output", "linear-forward") {
    check_forward("linear/batched");
}

NNKIT_TEST("linear_forward accepts an unbatched input (5,) -> (3,)", 1, "output", "linear-forward") {
    check_forward("linear/unbatched");
}

NNKIT_TEST("linear_forward keeps every leading dimension (2, 3, 5) -> (2, 3, 4)", 1, "output", "linear-forward") {
    check_forward("linear/leading_dims");
}

NNKIT_TEST("linear_forward without bias is x times W transposed", 1, "output", "linear-forward") {
    check_forward("linear/no_bias");
}

NNKIT_TEST("linear_forward with a single input feature", 1, "output", "linear-forward") {
    check_forward("linear/one_feature");
}

NNKIT_TEST("linear_forward on a wider layer (8, 64) -> (8, 32)", 1, "output", "linear-forward") {
    check_forward("linear/wide");
}

NNKIT_TEST("linear_forward by hand: x = [1, 2], W = [[1, 0], [0, 1], [1, 1]], b = [0, 1, 2]", 1, "output",
           "linear-forward") {
    // y_o = b_o + sum_i x_i W_oi: [1, 2+1, 1+2+2] = [1, 3, 5]
    const xt::xarray<double> x = {1, 2}, w = {{1, 0}, {0, 1}, {1, 1}}, b = {0, 1, 2};
    NNKIT_CHECK_CLOSE("linear_forward by hand", xt::xarray<double>({1, 3, 5}), linear_forward<double>(x, w, &b));
}

// ---------------------------------------------------------------- backward

NNKIT_TEST("linear_backward matches PyTorch for input, weight and bias on a batch", 2, "gradient",
           "linear-backward") {
    check_backward("linear/batched");
}

NNKIT_TEST("linear_backward sums the weight and bias gradients over every leading dimension", 2, "gradient",
           "linear-backward") {
    check_backward("linear/leading_dims");
}

NNKIT_TEST("linear_backward on an unbatched input", 1, "gradient", "linear-backward") {
    check_backward("linear/unbatched");
}

NNKIT_TEST("linear_backward without bias leaves the bias gradient with shape (0,)", 1, "gradient", "linear-backward") {
    check_backward("linear/no_bias");
}

NNKIT_TEST("linear_backward agrees with central differences on random shapes (double)", 2, "gradient",
           "linear-backward") {
    Generator gen(2024);
    const std::vector<Shape> input_shapes = {{3, 4}, {4}, {2, 3, 5}, {1, 1}, {2, 1, 2, 3}};
    for (std::size_t k = 0; k < input_shapes.size(); ++k) {
        const Shape xs = input_shapes[k];
        const std::size_t in = xs.back(), out = 1 + gen.next_u64() % 4;
        const bool has_bias = k % 2 == 0;
        const auto fwd = [has_bias](const std::vector<DArray>& a) {
            return linear_forward<double>(a[0], a[1], has_bias ? &a[2] : nullptr);
        };
        const auto bwd = [has_bias](const std::vector<DArray>& a, const DArray& gy) {
            auto g = linear_backward<double>(gy, a[0], a[1], has_bias);
            return std::vector<DArray>{g.input, g.weight, g.bias};
        };
        std::vector<DArray> inputs = {random_array(xs, gen), random_array({out, in}, gen), random_array({out}, gen)};
        std::vector<std::string> names = {"input", "weight"};
        if (has_bias) names.push_back("bias");
        INFO("input shape " << to_string(xs) << ", out_features " << out << (has_bias ? ", with bias" : ", no bias"));
        gradcheck("linear_backward", fwd, bwd, inputs, names, gen);
    }
}

// ---------------------------------------------------------------- errors

NNKIT_TEST("linear_forward rejects mismatched features with PyTorch's message", 1, "error", "linear-errors") {
    for (const char* c : {"linear/error_mismatch_2d", "linear/error_mismatch_1d", "linear/error_mismatch_3d"}) {
        const Fixture f(c);
        INFO(f.configuration());
        const auto x = xt::xarray<float>::from_shape(f.json_shape("input_shape"));
        const auto w = xt::xarray<float>::from_shape(f.json_shape("weight_shape"));
        NNKIT_CHECK_THROWS(linear_forward<float>(x, w, nullptr), ShapeError, f.string_option("error"));
    }
}

NNKIT_TEST("linear_forward rejects a 0-D input with PyTorch's message", 1, "error", "linear-errors") {
    const Fixture f("linear/error_0d_input");
    INFO(f.configuration());
    const xt::xarray<float> x = xt::zeros<float>(Shape{}), w = xt::zeros<float>({3, 1});
    NNKIT_CHECK_THROWS(linear_forward<float>(x, w, nullptr), ShapeError, f.string_option("error"));
}

NNKIT_TEST("linear on an empty batch: (0, 5) -> (0, 3) and (2, 0, 5) -> (2, 0, 4), with zero weight and bias "
           "gradients",
           1, "output", "linear-forward") {
    for (const char* c : {"linear/empty_batch", "linear/empty_leading"}) {
        INFO("input shape " << to_string(shape_of(Fixture(c).f32("input"))));
        check_forward(c);
        check_backward(c);
    }
}

NNKIT_TEST("linear_forward rejects a weight that is not 2-D", 1, "error", "linear-errors") {
    const xt::xarray<float> x = xt::zeros<float>({2, 3}), w = xt::zeros<float>({3});
    NNKIT_CHECK_THROWS(linear_forward<float>(x, w, nullptr), ShapeError, "weight must be 2-D");
}

NNKIT_TEST("linear_backward checks its arguments: the forward's rules, then grad_output's shape", 1, "error",
           "linear-errors") {
    const xt::xarray<float> x = xt::zeros<float>({4, 5}), w = xt::zeros<float>({3, 5});
    INFO("x (4, 5), weight (3, 5): the output is (4, 3)");
    NNKIT_CHECK_THROWS(linear_backward<float>(xt::zeros<float>({4, 2}), x, w, true), ShapeError,
                       "linear_backward: grad_output must have the output's shape (*, 3)");
    NNKIT_CHECK_THROWS(linear_backward<float>(xt::zeros<float>({4, 3}), x, xt::zeros<float>({3, 4}), true), ShapeError,
                       "mat1 and mat2 shapes cannot be multiplied (4x5 and 4x3)");
    INFO("a 1-D weight (3,), then a 0-D input");
    NNKIT_CHECK_THROWS(linear_backward<float>(xt::zeros<float>({4, 3}), x, xt::zeros<float>({3}), true), ShapeError,
                       "weight must be 2-D");
    NNKIT_CHECK_THROWS(linear_backward<float>(xt::zeros<float>({3}), xt::zeros<float>(Shape{}), xt::zeros<float>({3, 1}),
                                              true),
                       ShapeError, Fixture("linear/error_0d_input").string_option("error"));
}

NNKIT_TEST("linear_forward rejects a bias that is not (out_features,), naming out_features", 1, "error",
           "linear-errors") {
    // A (3, 4) weight: out_features 3 and in_features 4 differ, so the message shows which one it used.
    const xt::xarray<float> x = xt::zeros<float>({2, 4}), w = xt::zeros<float>({3, 4});
    const xt::xarray<float> b4 = xt::zeros<float>({4}), b13 = xt::zeros<float>({1, 3});
    NNKIT_CHECK_THROWS(linear_forward<float>(x, w, &b4), ShapeError,
                       "linear: bias must have shape (3,) = (out_features,), got 1-D with 4 elements");
    NNKIT_CHECK_THROWS(linear_forward<float>(x, w, &b13), ShapeError,
                       "linear: bias must have shape (3,) = (out_features,), got 2-D with 3 elements");
}

// ---------------------------------------------------------------- the module

NNKIT_TEST("nn::Linear runs your kernels forward and backward through autograd", 1, "gradient",
           "linear-module") {
    const Fixture f("linear/batched");
    nn::Linear layer(5, 3);
    layer.weight.data() = f.f32("weight");
    layer.bias.data() = f.f32("bias");
    Tensor x(f.f32("input"), true);
    Tensor y = layer(x);
    y.backward(Tensor(f.f32("grad_output")));
    NNKIT_CHECK_CLOSE("Linear output", f.f32("output"), y.data());
    NNKIT_CHECK_CLOSE("x.grad", f.f32("grad_input"), x.grad().data());
    NNKIT_CHECK_CLOSE("weight.grad", f.f32("grad_weight"), layer.weight.grad().data());
    NNKIT_CHECK_CLOSE("bias.grad", f.f32("grad_bias"), layer.bias.grad().data());
}

// ---------------------------------------------------------------- performance

// A batch of 64 through a 512 -> 256 layer. The setup checks one result
// against a plain double-precision loop, so a fast wrong kernel earns nothing.
NNKIT_PERF_CASE("linear_forward", [] {
    Generator gen(7);
    const std::size_t M = 64, in = 512, out = 256;
    auto x = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({M, in}));
    auto w = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({out, in}));
    auto b = std::make_shared<xt::xarray<float>>(xt::xarray<float>::from_shape({out}));
    for (auto* a : {x.get(), w.get(), b.get()})
        for (auto& v : *a) v = static_cast<float>(gen.uniform() - 0.5);
    const auto y = linear_forward<float>(*x, *w, b.get());
    if (shape_of(y) != Shape{M, out}) throw std::runtime_error("linear_forward: wrong output shape");
    for (std::size_t m = 0; m < M; m += 7)
        for (std::size_t o = 0; o < out; o += 5) {
            double s = (*b)(o);
            for (std::size_t i = 0; i < in; ++i) s += double((*x)(m, i)) * double((*w)(o, i));
            if (std::abs(s - y(m, o)) > 1e-3) throw std::runtime_error("linear_forward: wrong values, fix correctness first");
        }
    return std::function<void()>([x, w, b] { (void)linear_forward<float>(*x, *w, b.get()); });
});
